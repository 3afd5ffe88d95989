package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sr/srfake"

	"finstream/avro"
	"finstream/processors/event"
	"finstream/sinks"
	"finstream/topics"
)

// sinkRun produces n categorized transactions and n/2 personal budget
// updates (Avro, Confluent framing) into an in-process kfake broker, then
// starts the sink with its defaults and measures until its group has
// committed everything.
func sinkRun(ctx context.Context, pool *pgxpool.Pool, n int) (result, error) {
	ts := []string{topics.TxnCategorized, topics.BudgetUpdates, topics.BudgetAlerts, topics.DLQ}
	cluster, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(8, ts...))
	if err != nil {
		return result{}, err
	}
	defer cluster.Close()
	fake := srfake.New()
	defer fake.Close()
	reg, err := avro.NewClient(fake.URL())
	if err != nil {
		return result{}, err
	}
	projections, err := sinks.DefaultProjections(ctx, reg, topics.Default())
	if err != nil {
		return result{}, err
	}
	txnCodec, err := avro.NewCodec[event.Categorized](ctx, reg, topics.TxnCategorized+"-value")
	if err != nil {
		return result{}, err
	}
	updCodec, err := avro.NewCodec[event.BudgetUpdate](ctx, reg, topics.BudgetUpdates+"-value")
	if err != nil {
		return result{}, err
	}
	brokers := cluster.ListenAddrs()
	prod, err := kgo.NewClient(kgo.SeedBrokers(brokers...))
	if err != nil {
		return result{}, err
	}
	defer prod.Close()
	data := generate(n)
	recs := make([]*kgo.Record, 0, n+n/2)
	for i := range data {
		c := &data[i]
		v, err := txnCodec.EncodeValue(c)
		if err != nil {
			return result{}, err
		}
		recs = append(recs, &kgo.Record{Topic: topics.TxnCategorized, Key: []byte(c.UserID), Value: v})
		if i%2 == 0 {
			u := event.BudgetUpdate{Kind: event.BudgetPersonal, BudgetID: c.UserID + ":" + c.Category, UserID: c.UserID,
				Category: c.Category, Period: "monthly", PeriodKey: "2026-03", Currency: "THB", LimitMinor: 1_000_000,
				SpentMinor: c.AmountMinor, Version: int64(i + 1), ThresholdsBP: []int64{5000, 8000, 9000, 10000},
				TxnID: c.TxnID, Merchant: c.MerchantName, AmountMinor: c.AmountMinor, EventTime: c.PostedAt}
			v, err := updCodec.EncodeValue(&u)
			if err != nil {
				return result{}, err
			}
			recs = append(recs, &kgo.Record{Topic: topics.BudgetUpdates, Key: []byte(u.BudgetID), Value: v})
		}
	}
	if err := prod.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		return result{}, err
	}

	s, err := sinks.New(sinks.Config{Brokers: brokers, Pool: pool, Projections: projections, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return result{}, err
	}
	adm := kadm.NewClient(prod)
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	start := time.Now()
	go func() { done <- s.Run(runCtx) }()
	for {
		lag, err := sinks.GroupLag(ctx, adm, sinks.DefaultGroup, ts[:3]...)
		if err == nil && lag[topics.TxnCategorized]+lag[topics.BudgetUpdates] == 0 {
			break
		}
		select {
		case err := <-done:
			cancel()
			return result{}, fmt.Errorf("sink stopped: %w", err)
		case <-time.After(20 * time.Millisecond):
		}
	}
	dur := time.Since(start)
	cancel()
	if err := <-done; err != nil {
		return result{}, err
	}
	// Rows: one per transaction, two per budget update (history + current).
	rows := n + 2*((n+1)/2)
	return result{name: fmt.Sprintf("whole sink: kfake → Avro decode → batched writes → commits (%d records)", len(recs)),
		rows: rows, dur: dur}, nil
}
