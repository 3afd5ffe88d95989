package wsfanout

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"

	"finstream/avro"
	"finstream/processors/event"
	"finstream/topics"
)

func TestTailDeliversFromTheEnd(t *testing.T) {
	cluster, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(4, topics.BudgetUpdates))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cluster.Close) // last: after the tailers stop
	brokers := cluster.ListenAddrs()
	prod, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.DefaultProduceTopic(topics.BudgetUpdates))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(prod.Close)
	produce := func(value []byte) {
		t.Helper()
		if err := prod.ProduceSync(context.Background(), &kgo.Record{Key: []byte("A:groceries"), Value: value}).FirstErr(); err != nil {
			t.Fatal(err)
		}
	}
	update := func(txn string) []byte {
		b, err := json.Marshal(event.BudgetUpdate{Kind: event.BudgetPersonal, BudgetID: "A:groceries", UserID: "A", TxnID: txn, EventTime: time.Now()})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	produce(update("old")) // before the tailer starts: not delivered

	h := start(t, nil)
	a := h.dial(t, "A")
	decode := CodecDecoder(avro.JSONCodec[event.BudgetUpdate]{})
	tail := func(opts ...kgo.Opt) {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- Tail(ctx, brokers, topics.BudgetUpdates, decode, h.hub, opts...) }()
		t.Cleanup(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Tail: %v", err)
			}
		})
	}
	tail()

	// The tailer starts at the end once it has the partitions' offsets:
	// produce until one arrives.
	var got msg
	for i := 0; ; i++ {
		if i == 100 {
			t.Fatal("no update reached the client")
		}
		produce(update("new"))
		if m, ok := a.poll(100 * time.Millisecond); ok {
			got = m
			break
		}
	}
	if got.str("type") != TypeBudgetUpdate || got.str("txn_id") != "new" || got.str("channel") != "user:A" {
		t.Fatalf("got %s, want the new update", got.raw)
	}
	for {
		m, ok := a.poll(50 * time.Millisecond)
		if !ok {
			break
		}
		if m.str("txn_id") != "new" {
			t.Fatalf("got %s", m.raw)
		}
	}

	produce([]byte("not json"))
	produce(update("after-garbage"))
	for m := a.expect(TypeBudgetUpdate); m.str("txn_id") != "after-garbage"; m = a.expect(TypeBudgetUpdate) {
	}
	if n := h.metric(t, "finstream_ws_tail_decode_errors_total"); n != 1 {
		t.Errorf("decode errors = %v, want 1", n)
	}
	waitFor(t, 5*time.Second, "tail lag 0", func() bool {
		return h.metric(t, "finstream_ws_tail_lag_records") == 0 && h.metric(t, "finstream_ws_tail_records_total") > 0
	})

	// A second tailer told to start at the beginning replays the old record.
	tail(kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	for m := a.expect(TypeBudgetUpdate); m.str("txn_id") != "old"; m = a.expect(TypeBudgetUpdate) {
	}
}
