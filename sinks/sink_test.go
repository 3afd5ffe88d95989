package sinks

import (
	"context"
	"encoding/json"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"finstream/topics"
)

func newAdm(cl *kgo.Client) *kadm.Client { return kadm.NewClient(cl) }

// Acceptance 1: every record delivered twice (the second time in reverse
// order, so older versions arrive after newer ones), and the sink crashing after a
// batch reached Postgres but before its offsets were committed: after the
// restart and catch-up the tables equal the source exactly; replaying
// everything into a fresh group changes nothing.
func TestSinkReplayRestartAndRedelivery(t *testing.T) {
	h := NewHarness(t)
	pool := NewPool(t)
	src := GenSource(1, 40, 1500)
	h.Produce(src)
	h.Produce(src.Reversed()) // every record twice, the second time newest first

	crash := errors.New("simulated crash between database commit and offset commit")
	var batches atomic.Int32
	stop := h.StartSink(pool, Config{BatchRows: 250}, func(s *Sink) {
		s.afterWrite = func() error {
			if batches.Add(1) == 3 {
				return crash
			}
			return nil
		}
	})
	WaitFor(t, 30*time.Second, "the third batch", func() bool { return batches.Load() >= 3 })
	if err := stop(); !errors.Is(err, crash) {
		t.Fatalf("first sink: got %v, want the simulated crash", err)
	}
	if n := QueryInt(t, pool, "SELECT (SELECT count(*) FROM transactions) + (SELECT count(*) FROM budget_history)"); n == 0 {
		t.Fatal("no rows written before the crash")
	}
	if lag, err := h.Lag(DefaultGroup, topics.TxnCategorized, topics.BudgetUpdates, topics.BudgetAlerts); err != nil || lag == 0 {
		t.Fatalf("lag after the crash = %d, %v; want > 0", lag, err)
	}

	stop = h.StartSink(pool, Config{BatchRows: 250})
	h.WaitCaughtUp(DefaultGroup, 60*time.Second)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	CheckTables(t, pool, src)

	stop = h.StartSink(pool, Config{Group: "finstream-sink-replay"})
	h.WaitCaughtUp("finstream-sink-replay", 60*time.Second)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	CheckTables(t, pool, src)
}

// checked is the record of a projection added by a test: one type, one
// table, one add function.
type checked struct {
	ID     string `json:"id"`
	Amount int64  `json:"amount"`
}

type jsonDecoder[T any] struct{}

func (jsonDecoder[T]) DecodeValue(b []byte) (T, error) {
	var v T
	err := json.Unmarshal(b, &v)
	return v, err
}

// Records that cannot be decoded, and rows Postgres rejects, go to
// finstream.dlq with their reason; the records around them are written.
func TestSinkDeadLetters(t *testing.T) {
	h := NewHarness(t)
	pool := NewPool(t)
	if _, err := pool.Exec(context.Background(),
		"CREATE TABLE test_checked (id text PRIMARY KEY, amount bigint NOT NULL CHECK (amount >= 0))"); err != nil {
		t.Fatal(err)
	}
	table := Table{Name: "test_checked", Columns: []string{"id", "amount"}, Key: []string{"id"}}
	proj := Project("test.checked", jsonDecoder[checked]{}, []Table{table}, func(b *Batch, c *checked) {
		b.Add("test_checked", c.ID, c.Amount)
	})
	rec := func(v string) *kgo.Record {
		return &kgo.Record{Topic: "test.checked", Key: []byte("k"), Value: []byte(v)}
	}
	h.ProduceRecords(rec(`{"id":"a","amount":5}`), rec(`{"id":"b","amount":-1}`), rec(`not json`),
		rec(`{"id":"c","amount":7}`), &kgo.Record{Topic: "test.checked", Key: []byte("k")}) // and a tombstone

	stop := h.StartSink(pool, Config{Projections: []Projection{proj}, BatchDelay: 5 * time.Millisecond})
	WaitFor(t, 30*time.Second, "caught up", func() bool {
		n, err := h.Lag(DefaultGroup, "test.checked")
		return err == nil && n == 0
	})
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if got := QueryInt(t, pool, "SELECT count(*) FROM test_checked"); got != 2 {
		t.Errorf("rows = %d, want 2 (a and c)", got)
	}
	if got := QueryInt(t, pool, "SELECT sum(amount)::bigint FROM test_checked"); got != 12 {
		t.Errorf("sum = %d, want 12", got)
	}

	cl, err := kgo.NewClient(kgo.SeedBrokers(h.Brokers...), kgo.ConsumeTopics(topics.DLQ),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	reasons := map[string]string{}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for len(reasons) < 2 && ctx.Err() == nil {
		cl.PollFetches(ctx).EachRecord(func(r *kgo.Record) {
			h := map[string]string{}
			for _, kv := range r.Headers {
				h[kv.Key] = string(kv.Value)
			}
			if h["source.topic"] != "test.checked" || h["source.offset"] == "" || h["error"] == "" {
				t.Errorf("dlq headers %v", h)
			}
			reasons[string(r.Value)] = h["reason"]
		})
	}
	want := map[string]string{`{"id":"b","amount":-1}`: "rejected", `not json`: "undecodable"}
	for v, reason := range want {
		if reasons[v] != reason {
			t.Errorf("dlq %s: reason %q, want %q (all: %v)", v, reasons[v], reason, reasons)
		}
	}
}

func TestConfigValidate(t *testing.T) {
	pool := OpenTestPool(t, "postgres://127.0.0.1:1/x")
	proj := []Projection{Project("t", jsonDecoder[checked]{}, []Table{{Name: "t", Columns: []string{"id"}, Key: []string{"id"}}}, nil)}
	for _, tc := range []struct {
		name string
		cfg  Config
		ok   bool
	}{
		{"ok", Config{Brokers: []string{"b:9092"}, Pool: pool, Projections: proj}, true},
		{"no brokers", Config{Pool: pool, Projections: proj}, false},
		{"no pool", Config{Brokers: []string{"b:9092"}, Projections: proj}, false},
		{"no projections", Config{Brokers: []string{"b:9092"}, Pool: pool}, false},
		{"negative delay", Config{Brokers: []string{"b:9092"}, Pool: pool, Projections: proj, BatchDelay: -1}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(tc.cfg)
			if (err == nil) != tc.ok {
				t.Fatalf("New: %v, want ok=%v", err, tc.ok)
			}
		})
	}
	c := Config{Brokers: []string{"b:9092"}, Pool: pool, Projections: proj}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if c.Group != DefaultGroup || c.BatchRows != 1000 || c.BatchDelay != 25*time.Millisecond || c.RetryMax != 5*time.Second {
		t.Errorf("defaults: %+v", c)
	}
}
