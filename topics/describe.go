package topics

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
)

// Description is what the cluster says about one of finstream's topics.
type Description struct {
	Name       string
	Exists     bool
	Known      bool  // listed by All (false: a topic of the cluster finstream does not use)
	Want       Topic // what finstream creates it with (Known only)
	Partitions int32
	// Replication is the smallest replica count of its partitions.
	Replication int
	// CleanupPolicy and MinInsyncReplicas are the topic's effective configs
	// ("" when the cluster does not say).
	CleanupPolicy     string
	MinInsyncReplicas string
}

// Describe describes every topic of want, and with all every other topic
// of the cluster too (internal ones, "__..." excepted), sorted by name.
func Describe(ctx context.Context, brokers []string, want []Topic, all bool, opts ...kgo.Opt) ([]Description, error) {
	cl, err := newClient(brokers, opts)
	if err != nil {
		return nil, fmt.Errorf("kafka client for %v: %w", brokers, err)
	}
	defer cl.Close()
	adm := kadm.NewClient(cl)
	listed, err := adm.ListTopics(ctx)
	if err != nil {
		return nil, fmt.Errorf("list topics: %w", err)
	}
	byName := map[string]*Description{}
	for _, t := range want {
		byName[t.Name] = &Description{Name: t.Name, Known: true, Want: t}
	}
	if all {
		for name, d := range listed {
			if _, ok := byName[name]; !ok && !d.IsInternal && !strings.HasPrefix(name, "__") {
				byName[name] = &Description{Name: name}
			}
		}
	}
	var names []string
	for name, d := range byName {
		td, ok := listed[name]
		if ok && td.Err == nil {
			d.Exists = true
			d.Partitions = int32(len(td.Partitions))
			for _, p := range td.Partitions {
				if d.Replication == 0 || len(p.Replicas) < d.Replication {
					d.Replication = len(p.Replicas)
				}
			}
			names = append(names, name)
		}
	}
	sort.Strings(names)
	if len(names) > 0 {
		rcs, err := adm.DescribeTopicConfigs(ctx, names...)
		if err != nil {
			return nil, fmt.Errorf("describe topic configs: %w", err)
		}
		for _, rc := range rcs {
			d := byName[rc.Name]
			if d == nil || rc.Err != nil {
				continue
			}
			for _, c := range rc.Configs {
				switch c.Key {
				case "cleanup.policy":
					d.CleanupPolicy = c.MaybeValue()
				case "min.insync.replicas":
					d.MinInsyncReplicas = c.MaybeValue()
				}
			}
		}
	}
	out := make([]Description, 0, len(byName))
	for _, d := range byName {
		out = append(out, *d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}
