package main

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"finstream/avro"
	"finstream/benchmarks/loadgen"
	"finstream/processors"
	"finstream/processors/cdc"
	"finstream/processors/event"
	"finstream/topics"
)

// percentiles of a latency sample, in milliseconds.
type percentiles struct {
	N    int     `json:"n"`
	P50  float64 `json:"p50_ms"`
	P99  float64 `json:"p99_ms"`
	P999 float64 `json:"p999_ms"`
	Max  float64 `json:"max_ms"`
}

func summarize(d []time.Duration) percentiles {
	if len(d) == 0 {
		return percentiles{}
	}
	slices.Sort(d)
	at := func(q float64) float64 {
		i := int(q * float64(len(d)-1))
		return float64(d[i].Microseconds()) / 1000
	}
	return percentiles{N: len(d), P50: at(.50), P99: at(.99), P999: at(.999), Max: float64(d[len(d)-1].Microseconds()) / 1000}
}

// seedBudgets produces a set_budget command for every user on the
// categories most spend falls in, so that every transaction there updates a
// budget (and the latency phase sees budget updates).
func seedBudgets(ctx context.Context, brokers []string, codecs *processors.Codecs, users []loadgen.User) (int, error) {
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.ProducerLinger(5*time.Millisecond))
	if err != nil {
		return 0, err
	}
	defer cl.Close()
	n := 0
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for _, u := range users {
		for _, cat := range []string{"groceries", "dining", "transport", "shopping"} {
			v, err := codecs.CommandsUser.Encode(event.UserCommand{CommandID: "bench-" + u.ID + "-" + cat, UserID: u.ID,
				Kind: event.CmdSetBudget, Category: cat, LimitMinor: 1_000_000, Currency: "THB", Period: "monthly", IssuedAt: at})
			if err != nil {
				return 0, err
			}
			cl.Produce(ctx, &kgo.Record{Topic: topics.CommandsUser, Key: []byte(u.ID), Value: v}, nil)
			n++
		}
	}
	return n, cl.Flush(ctx)
}

// latency produces CDC at rate events/s for d with event time = now, and
// measures the CDC change's source time (Debezium source.ts_ms, carried as
// BudgetUpdate.SourceTime) → budget update appended to
// finstream.budget.updates (the record's producer timestamp) and → read by
// a consumer.
func latency(ctx context.Context, brokers []string, reg *avro.Client, c config, rate float64, d time.Duration, running <-chan error) (emitted, consumed percentiles, err error) {
	codec, err := avro.NewCodec[event.BudgetUpdate](ctx, reg, topics.BudgetUpdates+"-value")
	if err != nil {
		return
	}
	cons, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.ConsumeTopics(topics.BudgetUpdates),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtEnd()), kgo.FetchMaxWait(50*time.Millisecond))
	if err != nil {
		return
	}
	defer cons.Close()
	// Make sure the consumer has its start offsets before traffic begins.
	pctx, pcancel := context.WithTimeout(ctx, 500*time.Millisecond)
	cons.PollFetches(pctx)
	pcancel()

	var mu sync.Mutex
	var emit, recv, at []time.Duration
	start := time.Now()
	if c.latencySamples != "" { // to line the samples up with GODEBUG=gctrace=1's "@<s>"
		fmt.Fprintf(os.Stderr, "latency: traffic starts %.3f s after the process\n", start.Sub(processStart).Seconds())
	}
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for cctx.Err() == nil {
			fs := cons.PollFetches(cctx)
			now := time.Now()
			fs.EachRecord(func(r *kgo.Record) {
				u, err := codec.DecodeValue(r.Value)
				if err != nil || u.SourceTime.Before(start) || u.Kind != event.BudgetPersonal || u.TxnID == "" {
					return
				}
				mu.Lock()
				emit = append(emit, r.Timestamp.Sub(u.SourceTime))
				recv = append(recv, now.Sub(u.SourceTime))
				at = append(at, u.SourceTime.Sub(start))
				mu.Unlock()
			})
		}
	}()

	txns, err := cdc.NewEncoder(ctx, cdc.FormatJSON, nil, topics.CDCTransactions)
	if err != nil {
		return
	}
	accs, err := cdc.NewEncoder(ctx, cdc.FormatJSON, nil, topics.CDCAccounts)
	if err != nil {
		return
	}
	sink, err := loadgen.NewKafkaSink(brokers, kgo.ProducerLinger(0))
	if err != nil {
		return
	}
	defer sink.Close()
	cfg := loadgen.DefaultConfig()
	cfg.Users, cfg.Seed, cfg.Rate, cfg.Duration, cfg.Realtime, cfg.ForeignZones = c.users, 1, rate, d, true, 0
	if _, err = loadgen.Run(ctx, cfg, loadgen.TableEncoders(txns, accs), categorize, sink, nil); err != nil {
		return
	}
	// Let the tail of the stream through the processors.
	if err = caughtUp(ctx, brokers, c.inputs, running, time.Now()); err != nil {
		return
	}
	cancel()
	<-done
	mu.Lock()
	defer mu.Unlock()
	if len(emit) == 0 {
		return emitted, consumed, fmt.Errorf("no budget update observed")
	}
	if c.latencySamples != "" {
		if err = writeSamples(c.latencySamples, at, emit, recv); err != nil {
			return
		}
	}
	return summarize(emit), summarize(recv), nil
}

// processStart is about when the runtime started (gctrace's clock).
var processStart = time.Now()

// writeSamples writes one line per budget update of the latency phase: when
// its CDC change was made (ms since the phase began) and its latencies to
// emitted and to consumed (ms), in the order they were read. A tail that
// comes in bursts (a pause) and one spread over the phase (queueing) look
// different here, not in the percentiles.
func writeSamples(path string, at, emit, recv []time.Duration) error {
	var b strings.Builder
	b.WriteString("source_ms,emitted_ms,consumed_ms\n")
	for i := range at {
		fmt.Fprintf(&b, "%d,%d,%d\n", at[i].Milliseconds(), emit[i].Milliseconds(), recv[i].Milliseconds())
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}
