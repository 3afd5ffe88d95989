package sinks

// Test harness shared by the internal tests and, through its exported
// names, by the external ones (package sinks_test): a kfake broker, an
// srfake registry, the Avro codecs, a generated source stream with its
// ground truth, and a fresh migrated database per test.

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sr/srfake"

	"finstream/avro"
	"finstream/processors/event"
	"finstream/sinks/pgtest"
	"finstream/topics"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

// Harness is a kfake broker with the sink's topics, a registry, the codecs
// and a producer.
type Harness struct {
	T       testing.TB
	Brokers []string
	Reg     *avro.Client
	Txn     *avro.Codec[event.Categorized]
	Upd     *avro.Codec[event.BudgetUpdate]
	Alert   *avro.Codec[event.Alert]
	prod    *kgo.Client
}

// NewHarness starts the broker and registry for t.
func NewHarness(t testing.TB) *Harness {
	t.Helper()
	c, err := kfake.NewCluster(kfake.NumBrokers(1),
		kfake.SeedTopics(4, topics.TxnCategorized, topics.BudgetUpdates, topics.BudgetAlerts, topics.DLQ, "test.checked"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	fake := srfake.New()
	t.Cleanup(fake.Close)
	reg, err := avro.NewClient(fake.URL())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	h := &Harness{T: t, Brokers: c.ListenAddrs(), Reg: reg}
	if h.Txn, err = avro.NewCodec[event.Categorized](ctx, reg, topics.TxnCategorized+"-value"); err != nil {
		t.Fatal(err)
	}
	if h.Upd, err = avro.NewCodec[event.BudgetUpdate](ctx, reg, topics.BudgetUpdates+"-value"); err != nil {
		t.Fatal(err)
	}
	if h.Alert, err = avro.NewCodec[event.Alert](ctx, reg, topics.BudgetAlerts+"-value"); err != nil {
		t.Fatal(err)
	}
	if h.prod, err = kgo.NewClient(kgo.SeedBrokers(h.Brokers...), kgo.ProducerLinger(0)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(h.prod.Close)
	return h
}

// Projections are the default projections over the harness's codecs.
func (h *Harness) Projections() []Projection {
	return []Projection{Transactions(topics.TxnCategorized, h.Txn), Budgets(topics.BudgetUpdates, h.Upd), Alerts(topics.BudgetAlerts, h.Alert)}
}

// Produce writes src to the topics, keyed as the processors key them.
func (h *Harness) Produce(src Source) {
	h.T.Helper()
	var recs []*kgo.Record
	add := func(topic, key string, v []byte, err error) {
		if err != nil {
			h.T.Fatal(err)
		}
		recs = append(recs, &kgo.Record{Topic: topic, Key: []byte(key), Value: v})
	}
	for i := range src.Txns {
		v, err := h.Txn.EncodeValue(&src.Txns[i])
		add(topics.TxnCategorized, src.Txns[i].UserID, v, err)
	}
	for i := range src.Updates {
		v, err := h.Upd.EncodeValue(&src.Updates[i])
		add(topics.BudgetUpdates, src.Updates[i].BudgetID, v, err)
	}
	for i := range src.Alerts {
		v, err := h.Alert.EncodeValue(&src.Alerts[i])
		add(topics.BudgetAlerts, src.Alerts[i].UserID, v, err)
	}
	h.ProduceRecords(recs...)
}

// ProduceRecords writes records synchronously.
func (h *Harness) ProduceRecords(recs ...*kgo.Record) {
	h.T.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := h.prod.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		h.T.Fatal(err)
	}
}

// Lag is the sink group's total lag on topics.
func (h *Harness) Lag(group string, topics ...string) (int64, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cl, err := kgo.NewClient(kgo.SeedBrokers(h.Brokers...))
	if err != nil {
		return 0, err
	}
	defer cl.Close()
	lag, err := GroupLag(ctx, newAdm(cl), group, topics...)
	if err != nil {
		return 0, err
	}
	var n int64
	for _, l := range lag {
		n += l
	}
	return n, nil
}

// WaitCaughtUp waits until group has committed every record of the
// harness's topics.
func (h *Harness) WaitCaughtUp(group string, d time.Duration) {
	h.T.Helper()
	WaitFor(h.T, d, "sink group "+group+" caught up", func() bool {
		n, err := h.Lag(group, topics.TxnCategorized, topics.BudgetUpdates, topics.BudgetAlerts)
		return err == nil && n == 0
	})
}

// StartSink runs a sink on pool until the test ends (or stop is called)
// and returns stop, which cancels it and returns Run's error.
func (h *Harness) StartSink(pool *pgxpool.Pool, cfg Config, mod ...func(*Sink)) (stop func() error) {
	h.T.Helper()
	cfg.Brokers, cfg.Pool = h.Brokers, pool
	if cfg.Projections == nil {
		cfg.Projections = h.Projections()
	}
	s, err := New(cfg)
	if err != nil {
		h.T.Fatal(err)
	}
	for _, m := range mod {
		m(s)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	var result error
	stopped := false
	stop = func() error {
		if !stopped {
			stopped = true
			cancel()
			result = <-done
		}
		return result
	}
	h.T.Cleanup(func() { _ = stop() })
	return stop
}

// NewPool returns a pool on a fresh, migrated database.
func NewPool(t testing.TB) *pgxpool.Pool {
	t.Helper()
	pool := OpenTestPool(t, pgtest.NewDatabase(t))
	if err := Migrate(context.Background(), pool); err != nil {
		t.Fatal(err)
	}
	return pool
}

// OpenTestPool opens a pool on url, closed when t ends.
func OpenTestPool(t testing.TB, url string) *pgxpool.Pool {
	t.Helper()
	pool, err := OpenPool(context.Background(), url, 8)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// WaitFor polls cond every 10ms until it holds, failing t after d.
func WaitFor(t testing.TB, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// QueryInt runs a query returning one bigint.
func QueryInt(t testing.TB, pool *pgxpool.Pool, sql string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// String makes test failures readable.
func (s Source) String() string {
	return fmt.Sprintf("%d txn records, %d budget updates, %d alerts", len(s.Txns), len(s.Updates), len(s.Alerts))
}
