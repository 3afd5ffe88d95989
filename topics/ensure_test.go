package topics_test

import (
	"context"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"

	"finstream/topics"
)

// With replication 0, CreateMissing uses min(3, brokers), creates only what
// is missing, and Describe reports what it created.
func TestCreateMissingDefaultReplication(t *testing.T) {
	for _, c := range []struct{ brokers, want int }{{1, 1}, {3, 3}, {4, 3}} {
		cluster, err := kfake.NewCluster(kfake.NumBrokers(c.brokers))
		if err != nil {
			t.Fatal(err)
		}
		defer cluster.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		seeds := cluster.ListenAddrs()
		if rf, err := topics.DefaultReplication(ctx, seeds); err != nil || int(rf) != c.want {
			t.Fatalf("%d brokers: DefaultReplication %d, %v; want %d", c.brokers, rf, err, c.want)
		}
		all := topics.All(4)
		created, err := topics.CreateMissing(ctx, seeds, all[:3], 0)
		if err != nil || len(created) != 3 {
			t.Fatalf("%d brokers: created %v, %v", c.brokers, created, err)
		}
		if created, err = topics.CreateMissing(ctx, seeds, all, 0); err != nil || len(created) != len(all)-3 {
			t.Fatalf("%d brokers: second pass created %d of %d, %v", c.brokers, len(created), len(all)-3, err)
		}
		ds, err := topics.Describe(ctx, seeds, all, false)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range ds {
			if !d.Exists || d.Replication != c.want || d.Partitions != d.Want.Partitions {
				t.Errorf("%d brokers: %s: %+v, want replication %d", c.brokers, d.Name, d, c.want)
			}
			if d.CleanupPolicy != "" && (d.CleanupPolicy == "compact") != d.Want.Compacted {
				t.Errorf("%d brokers: %s cleanup.policy %s, compacted %v", c.brokers, d.Name, d.CleanupPolicy, d.Want.Compacted)
			}
		}
	}
}
