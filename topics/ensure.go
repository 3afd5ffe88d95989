package topics

import (
	"context"
	"errors"
	"fmt"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// EnsureTopics creates every topic in ts that does not exist yet, with its
// partitions, cleanup policy and retention (Topic.Configs), and checks that
// existing topics have the partition count finstream expects (goka requires
// co-partitioned inputs).
// The configs of an existing topic are left as they are: an operator's
// settings win.
// It is idempotent and works on kfake and real Kafka. replication is the
// replication factor for new topics: 0 means DefaultReplication (min(3,
// brokers in the cluster)), -1 the broker's default.
func EnsureTopics(ctx context.Context, brokers []string, ts []Topic, replication int16, opts ...kgo.Opt) error {
	_, err := CreateMissing(ctx, brokers, ts, replication, opts...)
	return err
}

// CreateMissing is EnsureTopics returning the names of the topics it created.
func CreateMissing(ctx context.Context, brokers []string, ts []Topic, replication int16, opts ...kgo.Opt) ([]string, error) {
	cl, err := newClient(brokers, opts)
	if err != nil {
		return nil, fmt.Errorf("kafka client for %v: %w", brokers, err)
	}
	defer cl.Close()
	adm := kadm.NewClient(cl)
	if replication == 0 {
		if replication, err = defaultReplication(ctx, adm); err != nil {
			return nil, err
		}
	}

	existing, err := adm.ListTopics(ctx)
	if err != nil {
		return nil, fmt.Errorf("list topics: %w", err)
	}
	var created []string
	for _, t := range ts {
		if d, ok := existing[t.Name]; ok && d.Err == nil {
			if got := int32(len(d.Partitions)); got != t.Partitions && t.Name != CDCTransactions && t.Name != CDCAccounts {
				return created, fmt.Errorf("topic %q has %d partitions, finstream expects %d", t.Name, got, t.Partitions)
			}
			continue
		}
		_, err := adm.CreateTopic(ctx, t.Partitions, replication, t.Configs(), t.Name)
		switch {
		case errors.Is(err, kerr.TopicAlreadyExists):
		case errors.Is(err, kerr.InvalidReplicationFactor):
			return created, fmt.Errorf("create topic %q with replication factor %d: the cluster has fewer brokers: %w", t.Name, replication, err)
		case err != nil:
			return created, fmt.Errorf("create topic %q: %w", t.Name, err)
		default:
			created = append(created, t.Name)
		}
	}
	return created, nil
}

// MaxDefaultReplication caps DefaultReplication.
const MaxDefaultReplication = 3

// DefaultReplication is the replication factor finstream creates topics
// with when none is given: min(3, brokers in the cluster).
func DefaultReplication(ctx context.Context, brokers []string, opts ...kgo.Opt) (int16, error) {
	cl, err := newClient(brokers, opts)
	if err != nil {
		return 0, fmt.Errorf("kafka client for %v: %w", brokers, err)
	}
	defer cl.Close()
	return defaultReplication(ctx, kadm.NewClient(cl))
}

func defaultReplication(ctx context.Context, adm *kadm.Client) (int16, error) {
	md, err := adm.BrokerMetadata(ctx)
	if err != nil {
		return 0, fmt.Errorf("broker metadata: %w", err)
	}
	return int16(min(MaxDefaultReplication, max(1, len(md.Brokers)))), nil
}

// FillRetention sets retention.ms and retention.bytes to the values of ts
// (those Topic.Configs sets) on every existing topic of ts where the topic
// itself does not set them: topics
// an older finstream created without them. For the embedded broker only (on
// a real cluster the broker defaults are the operator's choice): kfake
// applies its default retention.ms of 7 days to compacted topics too.
func FillRetention(ctx context.Context, brokers []string, ts []Topic, opts ...kgo.Opt) error {
	cl, err := newClient(brokers, opts)
	if err != nil {
		return fmt.Errorf("kafka client for %v: %w", brokers, err)
	}
	defer cl.Close()
	adm := kadm.NewClient(cl)
	names := make([]string, len(ts))
	for i, t := range ts {
		names[i] = t.Name
	}
	described, err := adm.DescribeTopicConfigs(ctx, names...)
	if err != nil {
		return fmt.Errorf("describe topic configs: %w", err)
	}
	for _, t := range ts {
		rc, err := described.On(t.Name, nil)
		if err == nil {
			err = rc.Err
		}
		if err != nil {
			return fmt.Errorf("describe configs of %q: %w", t.Name, err)
		}
		set := map[string]bool{}
		for _, c := range rc.Configs {
			set[c.Key] = c.Source == kmsg.ConfigSourceDynamicTopicConfig
		}
		var alter []kadm.AlterConfig
		for k, v := range t.Configs() {
			if (k == "retention.ms" || k == "retention.bytes") && !set[k] {
				alter = append(alter, kadm.AlterConfig{Op: kadm.SetConfig, Name: k, Value: v})
			}
		}
		if len(alter) == 0 {
			continue
		}
		resp, err := adm.AlterTopicConfigs(ctx, alter, t.Name)
		if err == nil {
			_, err = resp.On(t.Name, func(r *kadm.AlterConfigsResponse) error { return r.Err })
		}
		if err != nil {
			return fmt.Errorf("set retention of %q: %w", t.Name, err)
		}
	}
	return nil
}

// newClient is a client of brokers with opts (kafkasec's, for instance)
// appended to the seeds: every function of this package takes them.
func newClient(brokers []string, opts []kgo.Opt) (*kgo.Client, error) {
	return kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(brokers...)}, opts...)...)
}
