package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/lovoo/goka"
	"github.com/lovoo/goka/storage"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"

	"finstream/avro"
	"finstream/benchmarks/loadgen"
	"finstream/processors"
	"finstream/processors/budget"
	"finstream/processors/category"
	"finstream/processors/cdc"
	"finstream/topics"
)

func categorize(mcc int, name, id, dir, typ string) string {
	return category.Categorize(category.Input{MCC: mcc, MerchantName: name, MerchantID: id, Direction: dir, Type: typ}, nil).Category
}

// simConfig is the simulated world of the backlog: every anomaly of the
// default config, all users in Bangkok (the pipeline knows no other zone for
// them), November 2026.
func simConfig(c config) loadgen.Config {
	cfg := loadgen.DefaultConfig()
	cfg.Users, cfg.Seed = c.users, 1
	cfg.ForeignZones = 0
	cfg.Start = time.Date(2026, 11, 1, 8, 0, 0, 0, time.FixedZone("ICT", 7*3600))
	return cfg
}

// preload produces c.events CDC events of c.users simulated users (Debezium
// JSON, every anomaly of the default config) and returns their truth.
func preload(ctx context.Context, brokers []string, c config) (*loadgen.Truth, error) {
	txns, err := cdc.NewEncoder(ctx, cdc.FormatJSON, nil, topics.CDCTransactions)
	if err != nil {
		return nil, err
	}
	accs, err := cdc.NewEncoder(ctx, cdc.FormatJSON, nil, topics.CDCAccounts)
	if err != nil {
		return nil, err
	}
	g, err := loadgen.NewGenerator(simConfig(c), loadgen.TableEncoders(txns, accs), categorize)
	if err != nil {
		return nil, err
	}
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.ProducerLinger(5*time.Millisecond), kgo.MaxBufferedRecords(1<<20))
	if err != nil {
		return nil, err
	}
	defer cl.Close()
	truth := loadgen.NewTruth()
	var mu sync.Mutex
	var firstErr error
	for i := int64(0); i < c.events; i++ {
		ev, err := g.Next()
		if err != nil {
			return nil, err
		}
		truth.Apply(&ev)
		cl.Produce(ctx, &kgo.Record{Topic: ev.Topic, Key: ev.Key, Value: ev.Value}, func(_ *kgo.Record, err error) {
			if err != nil {
				mu.Lock()
				if firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
			}
		})
	}
	if err := cl.Flush(ctx); err != nil {
		return nil, err
	}
	return truth, firstErr
}

// ceiling times a bare consumer group reading both CDC topics to the end.
func ceiling(ctx context.Context, brokers []string) (float64, error) {
	want, err := endTotal(ctx, brokers, topics.CDCTransactions, topics.CDCAccounts)
	if err != nil {
		return 0, err
	}
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.ConsumerGroup("bench-ceiling"),
		kgo.ConsumeTopics(topics.CDCTransactions, topics.CDCAccounts), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		return 0, err
	}
	defer cl.Close()
	start := time.Now()
	var got int64
	for got < want {
		fs := cl.PollFetches(ctx)
		if err := fs.Err0(); err != nil {
			return 0, err
		}
		got += int64(fs.NumRecords())
	}
	return float64(got) / time.Since(start).Seconds(), nil
}

func endTotal(ctx context.Context, brokers []string, ts ...string) (int64, error) {
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...))
	if err != nil {
		return 0, err
	}
	defer cl.Close()
	ends, err := kadm.NewClient(cl).ListEndOffsets(ctx, ts...)
	if err != nil {
		return 0, err
	}
	var n int64
	ends.Each(func(o kadm.ListedOffset) { n += o.Offset })
	return n, nil
}

// groupInputs are the input topics (loopbacks included) of every group
// that runs: all of them, or only c.groups. The pipeline has caught up when
// every one of them is committed to its end.
func groupInputs(codecs *processors.Codecs, groups []goka.Group) map[string][]string {
	cfg := processors.Config{Codecs: codecs}
	out := map[string][]string{}
	for _, g := range processors.Graphs(&cfg, processors.NewMetrics(nil)) {
		if len(groups) > 0 && !slices.Contains(groups, g.Group()) {
			continue
		}
		var ts []string
		for _, e := range g.InputStreams() {
			ts = append(ts, e.Topic())
		}
		if l := g.LoopStream(); l != nil {
			ts = append(ts, l.Topic())
		}
		out[string(g.Group())] = ts
	}
	return out
}

// lag is the total of every finstream group's uncommitted input records.
func lag(ctx context.Context, adm *kadm.Client, inputs map[string][]string) (int64, error) {
	var total int64
	for g, ts := range inputs {
		ends, err := adm.ListEndOffsets(ctx, ts...)
		if err != nil {
			return 0, err
		}
		committed, err := adm.FetchOffsets(ctx, g)
		if errors.Is(err, kerr.GroupIDNotFound) {
			committed, err = nil, nil // not joined yet: nothing committed
		}
		if err != nil {
			return 0, err
		}
		ends.Each(func(o kadm.ListedOffset) {
			at := int64(0)
			if c, ok := committed.Lookup(o.Topic, o.Partition); ok {
				at = c.At
			}
			if o.Offset > at {
				total += o.Offset - at
			}
		})
	}
	return total, nil
}

// runProcessors starts every processor on the storage in dir and waits
// until all groups have committed all their input twice in a row. It
// returns the seconds that took and a stop function.
func runProcessors(ctx context.Context, brokers []string, codecs *processors.Codecs, dir string, c config, log *slog.Logger) (float64, func() error, error) {
	rctx, cancel := context.WithCancel(ctx)
	start := time.Now()
	done := make(chan error, 1)
	ready := make(chan struct{})
	go func() {
		done <- processors.Run(rctx, processors.Config{Brokers: brokers, StorageDir: dir, FlushInterval: c.flush, FlushMessages: c.flushMessages, FetchMinBytes: c.fetchMin, FetchMaxWait: c.fetchWait, Compression: c.compression, StorageMemory: c.storageMemory, Codecs: codecs, Logger: log, Groups: c.groups},
			processors.NewMetrics(nil), func() { close(ready) })
	}()
	stop := func() error { cancel(); return <-done }
	// Lag alone does not say the groups run: with nothing new to read, every
	// group has no lag before it has joined and recovered its table. Wait
	// for every processor to be running first (as the tests do), so that the
	// latency phase does not time the groups' start.
	select {
	case <-ready:
	case err := <-done:
		cancel()
		return 0, nil, fmt.Errorf("processors stopped before running: %v", err)
	}
	if err := caughtUp(ctx, brokers, c.inputs, done, start); err != nil {
		cancel()
		return 0, nil, err
	}
	return time.Since(start).Seconds(), stop, nil
}

// caughtUp waits until every finstream group has no lag, twice in a row.
func caughtUp(ctx context.Context, brokers []string, inputs map[string][]string, done <-chan error, start time.Time) error {
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...))
	if err != nil {
		return err
	}
	defer cl.Close()
	adm := kadm.NewClient(cl)
	clean, last := 0, time.Now()
	for clean < 2 {
		select {
		case err := <-done:
			return fmt.Errorf("processors stopped: %v", err)
		case <-time.After(50 * time.Millisecond):
		}
		l, err := lag(ctx, adm, inputs)
		if err != nil {
			return err
		}
		if l == 0 {
			clean++
		} else {
			clean = 0
		}
		if time.Since(last) > 5*time.Second {
			fmt.Fprintf(os.Stderr, "  %.0fs: lag %d\n", time.Since(start).Seconds(), l)
			last = time.Now()
		}
	}
	return nil
}

// recovery restores finstream-users-table into a fresh in-memory view and
// returns every user's state and the seconds it took.
func recovery(ctx context.Context, brokers []string, reg *avro.Client, c config) (map[string]*budget.State, float64, error) {
	codecs, err := processors.NewCodecs(ctx, reg)
	if err != nil {
		return nil, 0, err
	}
	view, err := goka.NewView(brokers, goka.Table(topics.TableUsers), codecs.UsersTable,
		goka.WithViewHasher(topics.Hasher()), goka.WithViewStorageBuilder(storage.MemoryBuilder()),
		goka.WithViewConsumerSaramaBuilder(goka.SaramaConsumerBuilderWithConfig(processors.SaramaConfig(c.flush))))
	if err != nil {
		return nil, 0, err
	}
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	start := time.Now()
	done := make(chan error, 1)
	go func() { done <- view.Run(rctx) }()
	select {
	case <-view.WaitRunning():
	case err := <-done:
		return nil, 0, fmt.Errorf("view: %v", err)
	}
	secs := time.Since(start).Seconds()
	it, err := view.Iterator()
	if err != nil {
		return nil, 0, err
	}
	states := map[string]*budget.State{}
	for it.Next() {
		v, err := it.Value()
		if err != nil {
			return nil, 0, err
		}
		s := v.(budget.State)
		states[it.Key()] = &s
	}
	it.Release()
	cancel()
	<-done
	return states, secs, nil
}

// verify compares every user's spend with the truth.
func verify(states map[string]*budget.State, truth *loadgen.Truth) (verified, mismatches int) {
	seen := map[string]bool{}
	truth.Each(func(u, p, cat string, v int64) {
		seen[u] = true
		s := states[u]
		var got int64
		if s != nil {
			for _, cs := range s.SpendingIn(p) {
				if cs.Category == cat {
					got += cs.SpentMinor
				}
			}
		}
		if got != v {
			if mismatches < 10 {
				fmt.Fprintf(os.Stderr, "  mismatch %s %s %s: pipeline %d, truth %d\n", u, p, cat, got, v)
			}
			mismatches++
		}
	})
	return len(seen), mismatches
}
