package topics

import (
	"context"
	"errors"
	"fmt"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
)

// EnsureTopics creates every topic in ts that does not exist yet, with its
// partitions, cleanup policy and retention (Topic.Configs), and checks that existing topics have the
// partition count finstream expects (goka requires co-partitioned inputs).
// The configs of an existing topic are left as they are: an operator's
// settings win.
// It is idempotent and works on kfake and real Kafka. replication is the
// replication factor for new topics (-1: the broker's default).
func EnsureTopics(ctx context.Context, brokers []string, ts []Topic, replication int16) error {
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...))
	if err != nil {
		return fmt.Errorf("kafka client for %v: %w", brokers, err)
	}
	defer cl.Close()
	adm := kadm.NewClient(cl)

	existing, err := adm.ListTopics(ctx)
	if err != nil {
		return fmt.Errorf("list topics: %w", err)
	}
	for _, t := range ts {
		if d, ok := existing[t.Name]; ok && d.Err == nil {
			if got := int32(len(d.Partitions)); got != t.Partitions && t.Name != CDCTransactions && t.Name != CDCAccounts {
				return fmt.Errorf("topic %q has %d partitions, finstream expects %d", t.Name, got, t.Partitions)
			}
			continue
		}
		_, err := adm.CreateTopic(ctx, t.Partitions, replication, t.Configs(), t.Name)
		if err != nil && !errors.Is(err, kerr.TopicAlreadyExists) {
			return fmt.Errorf("create topic %q: %w", t.Name, err)
		}
	}
	return nil
}
