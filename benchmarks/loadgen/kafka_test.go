package loadgen

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"

	"finstream/topics"
)

// TestKafkaSinkOnKfake runs the generator into an in-process Kafka and
// reads it back: every record arrives once, in order per partition, on the
// partition Kafka's murmur2 partitioner picks for its key.
func TestKafkaSinkOnKfake(t *testing.T) {
	const partitions = 4
	cluster, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(partitions, TopicTransactions, TopicAccounts))
	if err != nil {
		t.Fatal(err)
	}
	defer cluster.Close()
	sink, err := NewKafkaSink(cluster.ListenAddrs())
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()

	cfg := testConfig(100)
	cfg.Count = 3000
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	tr, err := Run(ctx, cfg, jsonEncoder{}, categorize, sink, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, evs := generate(t, cfg, jsonEncoder{}, int(tr.Sent()))

	// What each partition must hold, in order.
	type rec struct{ key, value []byte }
	want := map[string][][]rec{TopicTransactions: make([][]rec, partitions), TopicAccounts: make([][]rec, partitions)}
	for _, e := range evs {
		p := topics.Partition(e.Key, partitions)
		want[e.Topic][p] = append(want[e.Topic][p], rec{e.Key, e.Value})
	}

	cl, err := kgo.NewClient(kgo.SeedBrokers(cluster.ListenAddrs()...),
		kgo.ConsumeTopics(TopicTransactions, TopicAccounts), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	got := map[string][][]rec{TopicTransactions: make([][]rec, partitions), TopicAccounts: make([][]rec, partitions)}
	for n := 0; n < len(evs); {
		fs := cl.PollFetches(ctx)
		if err := ctx.Err(); err != nil {
			t.Fatalf("read %d of %d records: %v", n, len(evs), err)
		}
		fs.EachRecord(func(r *kgo.Record) {
			got[r.Topic][r.Partition] = append(got[r.Topic][r.Partition], rec{r.Key, r.Value})
			n++
		})
	}
	for topic, parts := range want {
		for p, recs := range parts {
			if len(got[topic][p]) != len(recs) {
				t.Fatalf("%s/%d: %d records, want %d", topic, p, len(got[topic][p]), len(recs))
			}
			for i, r := range recs {
				g := got[topic][p][i]
				if !bytes.Equal(g.key, r.key) || !bytes.Equal(g.value, r.value) {
					t.Fatalf("%s/%d offset %d: got %s, want %s", topic, p, i, g.key, r.key)
				}
			}
		}
	}
}

func TestKafkaSinkReportsDeliveryErrors(t *testing.T) {
	cluster, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(1, TopicTransactions))
	if err != nil {
		t.Fatal(err)
	}
	defer cluster.Close()
	// A topic that does not exist (auto-creation is off) fails its records.
	sink, err := NewKafkaSink(cluster.ListenAddrs(), kgo.UnknownTopicRetries(1), kgo.RecordDeliveryTimeout(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	ctx := context.Background()
	if err := sink.Send(ctx, "no.such.topic", []byte("k"), []byte("v")); err != nil {
		t.Fatalf("send buffers asynchronously, got %v", err)
	}
	if err := sink.Flush(ctx); err == nil {
		t.Fatal("flush hid a delivery error")
	}
	if err := sink.Send(ctx, TopicTransactions, []byte("k"), []byte("v")); err == nil {
		t.Fatal("send after a delivery error succeeded")
	}
	if _, err := NewKafkaSink(nil); err == nil {
		t.Fatal("no brokers accepted")
	}
}

// TestKafkaSinkSendHonoursCtxWhenFull: with every slot taken by records a
// dead broker never acknowledges, Send returns when its ctx ends.
func TestKafkaSinkSendHonoursCtxWhenFull(t *testing.T) {
	cluster, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(1, TopicTransactions))
	if err != nil {
		t.Fatal(err)
	}
	addrs := cluster.ListenAddrs()
	cluster.Close()
	sink, err := NewKafkaSink(addrs)
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	for range cap(sink.slots) {
		sink.slots <- struct{}{} // as if sinkInFlight records were unacknowledged
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := sink.Send(ctx, TopicTransactions, []byte("k"), []byte("v")); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("send on a full sink returned %v, want the ctx's error", err)
	}
}
