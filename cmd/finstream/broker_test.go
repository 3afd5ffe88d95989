package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"

	"finstream/topics"
)

// TestEmbeddedBrokerBoundsDataDir writes many versions of a few keys to a
// compacted topic and more than its retention.bytes to a retained one, and
// waits until the embedded broker's cleaner has brought both partitions'
// files under a bound. It then restarts the broker from the data dir (where
// kfake's own cleaner ticker would not start) and checks that cleaning goes on.
func TestEmbeddedBrokerBoundsDataDir(t *testing.T) {
	const (
		segment   = 16 << 10
		retention = 64 << 10
		keys      = 20
		versions  = 300
		valueSize = 200
	)
	table := topics.Topic{Name: "bound-table", Partitions: 1, Compacted: true, RetentionMS: -1, RetentionBytes: -1}
	events := topics.Topic{Name: "bound.events", Partitions: 1, RetentionMS: topics.DefaultRetentionMS, RetentionBytes: retention}
	dir := t.TempDir()
	cfg := brokerConfig{
		Dir: dir, Addr: "127.0.0.1:0", Partitions: 1,
		CleanEvery: 100 * time.Millisecond, SegmentBytes: segment,
		Topics: []topics.Topic{table, events},
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	ctx := context.Background()

	b, err := startBroker(ctx, cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { b.Close() }()

	// A key written 8 days ago: kfake's default retention.ms (7 days) would
	// delete it from a compacted topic; the explicit -1 keeps it.
	old := &kgo.Record{Topic: table.Name, Key: []byte("old"), Value: []byte("kept"), Timestamp: time.Now().Add(-8 * 24 * time.Hour)}
	produce(t, b.ListenAddrs(), []*kgo.Record{old})
	writeVersions(t, b.ListenAddrs(), table.Name, keys, versions, valueSize, 0)
	writeBytes(t, b.ListenAddrs(), events.Name, 4*retention, valueSize)

	tableBound := int64(keys*(valueSize+100) + 2*segment) // survivors, plus the last batch's segment
	eventsBound := int64(retention + 2*segment)           // retention frees whole segments
	waitBounded := func(what string) {
		waitFor(t, 20*time.Second, what, func() (bool, string) {
			ts, es := partitionBytes(t, dir, table.Name), partitionBytes(t, dir, events.Name)
			start := startOffset(t, b.ListenAddrs(), events.Name)
			return ts <= tableBound && es <= eventsBound && start > 0,
				fmt.Sprintf("%s %d bytes (bound %d), %s %d bytes (bound %d), start offset %d", table.Name, ts, tableBound, events.Name, es, eventsBound, start)
		})
	}
	waitBounded("compaction and retention")
	checkLatest(t, b.ListenAddrs(), table.Name, keys, versions-1)

	// Restart from the data dir and write as much again.
	b.Close()
	if b, err = startBroker(ctx, cfg, log); err != nil {
		t.Fatal(err)
	}
	writeVersions(t, b.ListenAddrs(), table.Name, keys, versions, valueSize, versions)
	writeBytes(t, b.ListenAddrs(), events.Name, 4*retention, valueSize)
	waitBounded("compaction and retention after a restart")
	checkLatest(t, b.ListenAddrs(), table.Name, keys, 2*versions-1)
}

// produce writes each round of records as one uncompressed batch, a round
// at a time (uncompressed, so the sizes on disk are the sizes written).
func produce(t *testing.T, brokers []string, rounds ...[]*kgo.Record) {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.ProducerLinger(0), kgo.ProducerBatchCompression(kgo.NoCompression()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	for _, rs := range rounds {
		if err := cl.ProduceSync(context.Background(), rs...).FirstErr(); err != nil {
			t.Fatal(err)
		}
	}
}

// writeVersions writes versions values of each key k0..k(keys-1), one batch
// per round so the broker sees many batches; a value starts with its version.
func writeVersions(t *testing.T, brokers []string, topic string, keys, versions, size, from int) {
	t.Helper()
	var rounds [][]*kgo.Record
	for v := from; v < from+versions; v++ {
		rs := make([]*kgo.Record, keys)
		for k := range rs {
			rs[k] = &kgo.Record{Topic: topic, Key: fmt.Appendf(nil, "k%d", k), Value: value(v, size)}
		}
		rounds = append(rounds, rs)
	}
	produce(t, brokers, rounds...)
}

// writeBytes writes about n bytes of values to topic in batches of 10 records.
func writeBytes(t *testing.T, brokers []string, topic string, n, size int) {
	t.Helper()
	var rounds [][]*kgo.Record
	for i := 0; i*size < n; i += 10 {
		rs := make([]*kgo.Record, 10)
		for j := range rs {
			rs[j] = &kgo.Record{Topic: topic, Value: value(i+j, size)}
		}
		rounds = append(rounds, rs)
	}
	produce(t, brokers, rounds...)
}

func value(version, size int) []byte {
	v := fmt.Appendf(nil, "%08d", version)
	return append(v, bytes.Repeat([]byte{'x'}, size-len(v))...)
}

// partitionBytes is the size of the files of topic's partitions under dir.
func partitionBytes(t *testing.T, dir, topic string) int64 {
	t.Helper()
	parts, err := filepath.Glob(filepath.Join(dir, "kafka", "partitions", topic+"-*"))
	if err != nil || len(parts) == 0 {
		t.Fatalf("no partition dirs of %s under %s (%v)", topic, dir, err)
	}
	var n int64
	for _, p := range parts {
		files, err := os.ReadDir(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if info, err := f.Info(); err == nil {
				n += info.Size()
			}
		}
	}
	return n
}

func startOffset(t *testing.T, brokers []string, topic string) int64 {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	offs, err := kadm.NewClient(cl).ListStartOffsets(context.Background(), topic)
	if err != nil {
		t.Fatal(err)
	}
	o, ok := offs.Lookup(topic, 0)
	if !ok || o.Err != nil {
		t.Fatalf("start offset of %s: %v", topic, o.Err)
	}
	return o.Offset
}

// checkLatest reads the compacted topic from its start and checks that every
// key ends at version last, that each key appears at most twice (compacted;
// the last batch is never cleaned) and that the old key is still there.
func checkLatest(t *testing.T, brokers []string, topic string, keys, last int) {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.ConsumeTopics(topic), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	offs, err := kadm.NewClient(cl).ListEndOffsets(context.Background(), topic)
	if err != nil {
		t.Fatal(err)
	}
	end, _ := offs.Lookup(topic, 0)
	latest, seen := map[string]string{}, map[string]int{}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for read := false; !read; {
		fs := cl.PollFetches(ctx)
		if err := fs.Err(); err != nil {
			t.Fatal(err)
		}
		fs.EachRecord(func(r *kgo.Record) {
			latest[string(r.Key)] = string(r.Value[:min(8, len(r.Value))])
			seen[string(r.Key)]++
			read = read || r.Offset >= end.Offset-1
		})
	}
	if latest["old"] != "kept" {
		t.Errorf("key old: got %q, want it kept", latest["old"])
	}
	for k := range keys {
		key := fmt.Sprintf("k%d", k)
		if want := fmt.Sprintf("%08d", last); latest[key] != want {
			t.Errorf("key %s: latest version %q, want %q", key, latest[key], want)
		}
		if seen[key] > 2 {
			t.Errorf("key %s read %d times from a compacted topic", key, seen[key])
		}
	}
}

// TestEmbeddedBrokerFillsRetentionOfOlderTopics starts the embedded broker on
// a data dir whose topics were created without retention configs (as an older
// finstream did) and checks that it sets them, keeping a value set on the
// topic itself.
func TestEmbeddedBrokerFillsRetentionOfOlderTopics(t *testing.T) {
	dir := t.TempDir()
	old, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.DataDir(filepath.Join(dir, "kafka")))
	if err != nil {
		t.Fatal(err)
	}
	cl, err := kgo.NewClient(kgo.SeedBrokers(old.ListenAddrs()...))
	if err != nil {
		t.Fatal(err)
	}
	adm := kadm.NewClient(cl)
	for name, cfg := range map[string]map[string]*string{
		"old-table":  {"cleanup.policy": kadm.StringPtr("compact")},
		"old.events": {"cleanup.policy": kadm.StringPtr("delete")},
		"set.events": {"cleanup.policy": kadm.StringPtr("delete"), "retention.ms": kadm.StringPtr("1000")},
	} {
		if _, err := adm.CreateTopic(context.Background(), 1, 1, cfg, name); err != nil {
			t.Fatal(err)
		}
	}
	cl.Close()
	old.Close()

	b, err := startBroker(context.Background(), brokerConfig{Dir: dir, Addr: "127.0.0.1:0", Partitions: 1, Topics: []topics.Topic{
		{Name: "old-table", Partitions: 1, Compacted: true, RetentionMS: -1, RetentionBytes: -1},
		{Name: "old.events", Partitions: 1, RetentionMS: topics.DefaultRetentionMS, RetentionBytes: topics.DefaultRetentionBytes},
		{Name: "set.events", Partitions: 1, RetentionMS: topics.DefaultRetentionMS, RetentionBytes: topics.DefaultRetentionBytes},
	}}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if cl, err = kgo.NewClient(kgo.SeedBrokers(b.ListenAddrs()...)); err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	described, err := kadm.NewClient(cl).DescribeTopicConfigs(context.Background(), "old-table", "old.events", "set.events")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string]string{
		"old-table":  {"retention.ms": "-1", "retention.bytes": "-1"},
		"old.events": {"retention.ms": "86400000", "retention.bytes": "268435456"},
		"set.events": {"retention.ms": "1000", "retention.bytes": "268435456"},
	}
	for topic, kv := range want {
		rc, err := described.On(topic, nil)
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range kv {
			got := ""
			for _, c := range rc.Configs {
				if c.Key == k && c.Value != nil {
					got = *c.Value
				}
			}
			if got != v {
				t.Errorf("%s %s = %q, want %q", topic, k, got, v)
			}
		}
	}
}
