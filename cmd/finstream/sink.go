package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/errgroup"

	"finstream/api"
	"finstream/avro"
	"finstream/kafkasec"
	"finstream/sinks"
	"finstream/topics"
)

// envDatabaseURL is read when --database-url is not given to `sink`, so a
// password need not appear in the process list.
const envDatabaseURL = "FINSTREAM_DATABASE_URL"

// sinkOptions are the flags of the Postgres sink, for `sink` and `run`.
type sinkOptions struct {
	poolSize   int
	batchRows  int
	batchDelay time.Duration
	group      string
}

func (s *sinkOptions) flags(fs *flag.FlagSet) {
	fs.IntVar(&s.poolSize, "db-pool-size", 0, "maximum Postgres connections (0: pgx's default, max(4, CPUs); pool_max_conns in the URL also works)")
	fs.IntVar(&s.batchRows, "sink-batch-rows", 1000, "the sink writes a batch once it holds this many rows")
	fs.DurationVar(&s.batchDelay, "sink-batch-delay", 25*time.Millisecond, "... or this long after the batch's first record")
	fs.StringVar(&s.group, "sink-group", sinks.DefaultGroup, "consumer group of the Postgres sink (after the --group-prefix)")
}

func (s *sinkOptions) validate() error {
	switch {
	case s.poolSize < 0:
		return badConfig("--db-pool-size %d: want >= 0", s.poolSize)
	case s.batchRows < 1:
		return badConfig("--sink-batch-rows %d: want >= 1", s.batchRows)
	case s.batchDelay <= 0:
		return badConfig("--sink-batch-delay %v: want > 0", s.batchDelay)
	case s.group == "":
		return badConfig("--sink-group is empty")
	}
	return nil
}

func cmdSink(ctx context.Context, args []string, stderr io.Writer) error {
	fs := newFlagSet("sink", "Runs the Postgres sink: consumes the categorized transactions, budget updates and\nalerts and keeps the query-side tables (schema migrations applied at start).\nThe URL comes from --database-url or $"+envDatabaseURL+"; its TLS settings (sslmode,\nsslrootcert, ...) are honoured.", stderr)
	var o options
	var so sinkOptions
	o.kafkaFlags(fs, "127.0.0.1:9092", "http://127.0.0.1:8081")
	fs.StringVar(&o.databaseURL, "database-url", "", "Postgres URL, e.g. postgres://finstream@db:5432/finstream?sslmode=verify-full (default $"+envDatabaseURL+")")
	so.flags(fs)
	o.topicFlags(fs)
	o.opsFlags(fs)
	o.logFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	dbURL := o.databaseURL
	if dbURL == "" {
		dbURL = os.Getenv(envDatabaseURL)
	}
	r, err := o.setupRole(ctx, stderr, false, o.opsListenCheck, o.topicsCheck, func() error {
		if dbURL == "" {
			return badConfig("--database-url is required (or set %s)", envDatabaseURL)
		}
		return nil
	})
	if err != nil {
		return err
	}
	log, brokers, regClient, metrics := r.log, r.brokers, r.reg, r.metrics
	if err := o.ensureTopics(ctx, brokers, log); err != nil {
		return err
	}
	sp, err := newSinkPart(ctx, dbURL, so, o.names, brokers, &o.kafka, regClient, metrics, log)
	if err != nil {
		return err
	}
	defer sp.pool.Close()
	g, gctx := errgroup.WithContext(ctx)
	if err := o.serveOps(gctx, g, opsMux(metrics, nil), log); err != nil {
		return err
	}
	g.Go(func() error { return sp.sink.Run(gctx) })
	if err := g.Wait(); err != nil && ctx.Err() == nil {
		return err
	}
	return nil
}

// sinkPart is the Postgres sink and its pool. The caller runs sink.Run and
// closes pool after it returns.
type sinkPart struct {
	pool *pgxpool.Pool
	sink *sinks.Sink
}

// newSinkPart opens the pool of dbURL (not connecting yet: the sink waits for
// Postgres) and builds the sink, registering its schemas with reg
// (retrying while the registry starts) and its metrics with metrics.
func newSinkPart(ctx context.Context, dbURL string, so sinkOptions, n topics.Names, brokers []string, sec *kafkasec.Config, reg *avro.Client, metrics prometheus.Registerer, log *slog.Logger) (*sinkPart, error) {
	if err := so.validate(); err != nil {
		return nil, err
	}
	pool, err := sinks.OpenPool(ctx, dbURL, int32(so.poolSize))
	if err != nil {
		return nil, badConfig("--database-url: %v", err)
	}
	var projections []sinks.Projection
	for attempt := 1; ; attempt++ {
		if projections, err = sinks.DefaultProjections(ctx, reg, n); err == nil {
			break
		}
		if refused := registryRefused(err); refused != nil {
			pool.Close()
			return nil, refused
		}
		if attempt >= 30 || ctx.Err() != nil {
			pool.Close()
			return nil, fmt.Errorf("sink: register schemas: %w", err)
		}
		log.Warn("schema registry not reachable yet, retrying", "err", err)
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
	s, err := sinks.New(sinks.Config{
		Brokers: brokers, KafkaOptions: sec.Opts(), Pool: pool, Projections: projections, Group: n.Prefix + so.group, DLQ: n.DLQ,
		BatchRows: so.batchRows, BatchDelay: so.batchDelay,
		Metrics: sinks.NewMetrics(metrics), Logger: log.With("part", "sink"),
	})
	if err != nil {
		pool.Close()
		return nil, badConfig("%v", err)
	}
	return &sinkPart{pool: pool, sink: s}, nil
}

// history returns the history endpoints over the sink's pool, to mount on
// the API: h.Mount(server.Handle).
func (sp *sinkPart) history(gate *api.Gate, log *slog.Logger) (*api.History, error) {
	return api.NewHistory(api.HistoryConfig{Pool: sp.pool, Gate: gate, Logger: log})
}

// openHistory opens a pool of dbURL and returns the history endpoints over
// it, for the `api` role, which reads the tables the `sink` role keeps.
// The caller closes the pool.
func openHistory(ctx context.Context, dbURL string, poolSize int, gate *api.Gate, log *slog.Logger) (*api.History, *pgxpool.Pool, error) {
	pool, err := sinks.OpenPool(ctx, dbURL, int32(poolSize))
	if err != nil {
		return nil, nil, badConfig("--database-url: %v", err)
	}
	h, err := api.NewHistory(api.HistoryConfig{Pool: pool, Gate: gate, Logger: log})
	if err != nil {
		pool.Close()
		return nil, nil, err
	}
	return h, pool, nil
}
