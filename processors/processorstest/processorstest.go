// Package processorstest runs every finstream processor on goka's tester,
// with an in-process schema registry, for tests of the processors and of
// what reads their tables (the API).
package processorstest

import (
	"context"
	"testing"
	"time"

	"github.com/lovoo/goka"
	"github.com/lovoo/goka/tester"
	"github.com/twmb/franz-go/pkg/sr/srfake"

	"finstream/avro"
	"finstream/processors"
	"finstream/processors/budget"
	"finstream/processors/cdc"
	"finstream/processors/event"
	"finstream/processors/shared"
	"finstream/topics"
)

// Harness runs every finstream processor on goka's tester.
type Harness struct {
	t      testing.TB
	Tester *tester.Tester
	Codecs *processors.Codecs
	// Names are the generation the processors run (topics.Default()
	// unless a change set Config.Topics).
	Names topics.Names
	// Procs are the running processors (RunTicks ticks them).
	Procs []*goka.Processor
	enc   *cdc.Encoder
	acc   *cdc.Encoder
	lsn   int64
}

// Start runs the processors until the test ends. Each change edits the
// processors' configuration first (limits, for tests of the guard).
func Start(t testing.TB, changes ...func(*processors.Config)) *Harness {
	t.Helper()
	fake := srfake.New()
	t.Cleanup(fake.Close)
	reg, err := avro.NewClient(fake.URL())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	codecs, err := processors.NewCodecs(ctx, reg)
	if err != nil {
		t.Fatal(err)
	}
	tt := tester.New(t)
	cfg := processors.Config{Codecs: codecs, Options: []goka.ProcessorOption{goka.WithTester(tt)}}
	for _, change := range changes {
		change(&cfg)
	}
	cfg.Topics = cfg.Topics.OrDefault()
	procs, err := processors.New(cfg, processors.NewMetrics(nil))
	if err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, len(procs))
	for _, p := range procs {
		go func() { done <- p.Run(runCtx) }()
	}
	t.Cleanup(func() {
		cancel()
		for range procs {
			if err := <-done; err != nil {
				t.Errorf("processor: %v", err)
			}
		}
	})
	// Wait until every processor has joined the tester's group: a record
	// consumed or emitted before then would find no session.
	readyCtx, readyCancel := context.WithTimeout(runCtx, 10*time.Second)
	defer readyCancel()
	for _, p := range procs {
		if err := p.WaitForReadyContext(readyCtx); err != nil {
			t.Fatalf("processors not ready: %v", err)
		}
	}
	enc, err := cdc.NewEncoder(ctx, cdc.FormatJSON, nil, topics.CDCTransactions)
	if err != nil {
		t.Fatal(err)
	}
	acc, err := cdc.NewEncoder(ctx, cdc.FormatJSON, nil, topics.CDCAccounts)
	if err != nil {
		t.Fatal(err)
	}
	return &Harness{t: t, Tester: tt, Codecs: codecs, Names: cfg.Topics, Procs: procs, enc: enc, acc: acc}
}

// Txn delivers a transaction row as Debezium JSON at the next LSN and
// returns the raw record, so a test can deliver it again.
func (h *Harness) Txn(op cdc.Op, row cdc.Txn) (key, value []byte) {
	h.t.Helper()
	h.lsn += 10
	key, value, err := h.enc.EncodeTxn(op, nil, &row, cdc.Position{LSN: h.lsn, TsMs: row.UpdatedAt.UnixMilli()})
	if err != nil {
		h.t.Fatal(err)
	}
	h.Tester.Consume(topics.CDCTransactions, string(key), value)
	return key, value
}

// User is the user's state in finstream-users-table (zero if none).
func (h *Harness) User(id string) *budget.State {
	v := h.Tester.TableValue(goka.Table(topics.Table(h.Names.GroupUsers)), id)
	if v == nil {
		return &budget.State{UserID: id}
	}
	s := v.(budget.State)
	return &s
}

// Shared is the shared budget in finstream-shared-table (nil if none).
func (h *Harness) Shared(id string) *shared.Budget {
	v := h.Tester.TableValue(goka.Table(topics.Table(h.Names.GroupShared)), id)
	if v == nil {
		return nil
	}
	b := v.(shared.Budget)
	return &b
}

// SharedCommand delivers a command on finstream.commands.shared, keyed by
// its budget id, as the API writes it.
func (h *Harness) SharedCommand(cmd event.SharedCommand) {
	h.Tester.Consume(topics.CommandsShared, cmd.BudgetID, cmd)
}

// Account delivers an accounts row as Debezium JSON.
func (h *Harness) Account(op cdc.Op, row cdc.Account) {
	h.t.Helper()
	h.lsn += 10
	key, value, err := h.acc.EncodeAccount(op, nil, &row, cdc.Position{LSN: h.lsn})
	if err != nil {
		h.t.Fatal(err)
	}
	h.Tester.Consume(topics.CDCAccounts, string(key), value)
}

// Drain returns every record q has not returned yet.
func Drain(q *tester.QueueTracker) []any {
	var out []any
	for {
		_, v, ok := q.Next()
		if !ok {
			return out
		}
		out = append(out, v)
	}
}
