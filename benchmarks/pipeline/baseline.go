package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/twmb/franz-go/pkg/kgo"

	"finstream/processors/cdc"
	"finstream/processors/period"
	"finstream/sinks/pgtest"
	"finstream/topics"
)

// baseline is the seeds' reference design on the same backlog: a plain
// consumer group that, for every transaction event, categorizes it and runs
// UPDATE budgets SET spent = spent + $1, version = version + 1 WHERE ... AND
// version = $n in Postgres (optimistic lock: read the version, update,
// retry on conflict), then publishes an update. One worker per partition,
// like a consumer group member per partition. It returns events/s over the
// first limit events (the design is slow; the ratio needs no more).
func baseline(ctx context.Context, brokers []string, c config, limit int64) (float64, int64, error) {
	srv, err := pgtest.StartServer(ctx, pgtest.Options{Durable: true})
	if err != nil {
		return 0, 0, fmt.Errorf("postgres for the baseline: %w", err)
	}
	defer srv.Close()
	cfg, err := pgxpool.ParseConfig(srv.URL("postgres"))
	if err != nil {
		return 0, 0, err
	}
	cfg.MaxConns = int32(c.partitions)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return 0, 0, err
	}
	defer pool.Close()
	if _, err := pool.Exec(ctx, `CREATE TABLE budgets (user_id text, category text, period text, spent bigint NOT NULL DEFAULT 0,
		version bigint NOT NULL DEFAULT 0, PRIMARY KEY (user_id, category, period))`); err != nil {
		return 0, 0, err
	}

	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.ConsumerGroup("bench-baseline"),
		kgo.ConsumeTopics(topics.CDCTransactions), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.ProducerLinger(5*time.Millisecond))
	if err != nil {
		return 0, 0, err
	}
	defer cl.Close()
	dec := cdc.NewDecoder(nil)
	loc, _ := period.Zone("")
	var done int64
	var mu sync.Mutex
	start := time.Now()
	for done < limit {
		fs := cl.PollFetches(ctx)
		if err := fs.Err0(); err != nil {
			return 0, 0, err
		}
		var wg sync.WaitGroup
		var firstErr error
		fs.EachPartition(func(p kgo.FetchTopicPartition) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for _, r := range p.Records {
					if err := baselineEvent(ctx, pool, cl, dec, loc, r); err != nil {
						mu.Lock()
						firstErr = err
						mu.Unlock()
						return
					}
				}
			}()
		})
		wg.Wait()
		if firstErr != nil {
			return 0, 0, firstErr
		}
		done += int64(fs.NumRecords())
	}
	return float64(done) / time.Since(start).Seconds(), done, nil
}

func baselineEvent(ctx context.Context, pool *pgxpool.Pool, cl *kgo.Client, dec *cdc.Decoder, loc *time.Location, r *kgo.Record) error {
	ch, err := dec.DecodeTxn(ctx, r.Value)
	if err != nil || ch.Deleted || ch.Row.Status != "POSTED" || ch.Row.Direction != "DEBIT" || ch.Row.UserID == "" {
		return nil // the reference design counts POSTED DEBITs it can attribute
	}
	cat := categorize(ch.Row.MCC, ch.Row.MerchantName, ch.Row.MerchantID, ch.Row.Direction, ch.Row.Type)
	key := period.Of(period.Monthly, ch.Row.PostedAt, loc).Key
	if _, err := pool.Exec(ctx, `INSERT INTO budgets (user_id, category, period) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
		ch.Row.UserID, cat, key); err != nil {
		return err
	}
	for attempt := 0; ; attempt++ {
		var version, spent int64
		err := pool.QueryRow(ctx, `SELECT version, spent FROM budgets WHERE user_id = $1 AND category = $2 AND period = $3`,
			ch.Row.UserID, cat, key).Scan(&version, &spent)
		if err != nil {
			return err
		}
		tag, err := pool.Exec(ctx, `UPDATE budgets SET spent = spent + $1, version = version + 1
			WHERE user_id = $2 AND category = $3 AND period = $4 AND version = $5`, ch.Row.AmountMinor, ch.Row.UserID, cat, key, version)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		if tag.RowsAffected() == 1 {
			update := fmt.Sprintf(`{"user_id":%q,"category":%q,"period":%q,"spent_minor":%d,"version":%d}`,
				ch.Row.UserID, cat, key, spent+ch.Row.AmountMinor, version+1)
			cl.Produce(ctx, &kgo.Record{Topic: "bench.baseline.updates", Key: []byte(ch.Row.UserID), Value: []byte(update)}, nil)
			return nil
		}
		if attempt > 100 {
			return fmt.Errorf("optimistic lock: gave up after %d conflicts", attempt)
		}
	}
}
