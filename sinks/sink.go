package sinks

import (
	"context"
	"errors"
	"finstream/topics"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
	"golang.org/x/sync/errgroup"
)

// DefaultGroup is the consumer group of the Postgres sink.
const DefaultGroup = topics.GroupSink

// Config configures a Sink. cmd/ builds it.
type Config struct {
	// Brokers are the Kafka seed brokers. Required.
	Brokers []string
	// Pool is the Postgres pool the sink writes through (see OpenPool).
	// Required; the caller closes it after Run returns.
	Pool *pgxpool.Pool
	// Projections say what to keep from which topic (see
	// DefaultProjections). Required; one per topic.
	Projections []Projection
	// Group is the consumer group. Zero value means DefaultGroup.
	Group string
	// DLQ is the topic of refused records. Zero value means topics.DLQ.
	DLQ string
	// BatchRows flushes a batch once it holds this many rows. Zero value
	// means 1000.
	BatchRows int
	// BatchDelay flushes a batch this long after its first record arrived.
	// Zero value means 25ms.
	BatchDelay time.Duration
	// Writers is how many batches are written at once, each in its own
	// transaction on its own connection; offsets are still committed in
	// order, each batch's only once it and every batch before it are
	// written. Zero value means 2.
	Writers int
	// RetryMin and RetryMax bound the exponential backoff while Postgres
	// fails (doubling from RetryMin, capped at RetryMax, with jitter). Zero
	// values mean 100ms and 5s.
	RetryMin, RetryMax time.Duration
	// WriteTimeout bounds one attempt to write a batch, so that a database
	// that hangs (a network partition) is retried like one that refuses.
	// Zero value means 30s.
	WriteTimeout time.Duration
	// LagInterval is how often the lag metric is refreshed. Zero value
	// means 5s.
	LagInterval time.Duration
	// Metrics receives the sink's metrics. Zero value means unregistered
	// metrics.
	Metrics *Metrics
	// Logger receives the sink's logs. Zero value means no logs.
	Logger *slog.Logger
	// KafkaOptions are extra franz-go options (TLS, SASL, client id).
	KafkaOptions []kgo.Opt
}

// Validate reports a configuration New cannot start with and fills the
// defaults.
func (c *Config) Validate() error {
	switch {
	case len(c.Brokers) == 0:
		return errors.New("sink: no brokers")
	case c.Pool == nil:
		return errors.New("sink: no database pool")
	case len(c.Projections) == 0:
		return errors.New("sink: no projections")
	case c.BatchRows < 0, c.Writers < 0, c.BatchDelay < 0, c.RetryMin < 0, c.RetryMax < 0, c.WriteTimeout < 0, c.LagInterval < 0:
		return errors.New("sink: negative batch size, writers, delay, backoff, timeout or lag interval")
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	if c.Group == "" {
		c.Group = DefaultGroup
	}
	if c.DLQ == "" {
		c.DLQ = topics.Default().DLQ
	}
	if c.BatchRows == 0 {
		c.BatchRows = 1000
	}
	if c.Writers == 0 {
		c.Writers = 2
	}
	def(&c.BatchDelay, 25*time.Millisecond)
	def(&c.RetryMin, 100*time.Millisecond)
	def(&c.RetryMax, 5*time.Second)
	def(&c.WriteTimeout, 30*time.Second)
	def(&c.LagInterval, 5*time.Second)
	if c.RetryMax < c.RetryMin {
		c.RetryMax = c.RetryMin
	}
	if c.Metrics == nil {
		c.Metrics = NewMetrics(nil)
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return nil
}

// Sink keeps Postgres tables from Kafka topics. It consumes the
// projections' topics in a consumer group, collects rows in batches
// (BatchRows or BatchDelay, whichever first), writes each batch in one
// database transaction (Writer) and commits the batch's offsets only after
// that transaction committed. While Postgres fails it retries the batch
// with backoff and consumes nothing more, so lag grows (Metrics.Lag); when
// Postgres answers again it catches up. Redelivered records change nothing:
// every table is keyed (see Table). Records that cannot be decoded, and
// rows Postgres rejects as invalid data, go to finstream.dlq.
type Sink struct {
	cfg     Config
	byTopic map[string]Projection
	topics  []string
	writer  *Writer
	m       *Metrics
	log     *slog.Logger

	// afterWrite, when set (tests), runs after a batch's database
	// transaction committed and before its offsets are committed; an
	// error stops Run there, as a crash would.
	afterWrite func() error
}

// New builds a Sink from cfg.
func New(cfg Config) (*Sink, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	s := &Sink{cfg: cfg, byTopic: make(map[string]Projection), m: cfg.Metrics, log: cfg.Logger}
	var tables []Table
	for _, p := range cfg.Projections {
		if _, dup := s.byTopic[p.Topic()]; dup {
			return nil, fmt.Errorf("sink: two projections of %s", p.Topic())
		}
		s.byTopic[p.Topic()] = p
		s.topics = append(s.topics, p.Topic())
		tables = append(tables, p.Tables()...)
	}
	w, err := NewWriter(cfg.Pool, tables...)
	if err != nil {
		return nil, err
	}
	s.writer = w
	return s, nil
}

// Topics are the topics the sink consumes.
func (s *Sink) Topics() []string { return append([]string(nil), s.topics...) }

// Run applies the migrations (waiting for Postgres if it is not up yet),
// then consumes until ctx is cancelled. On cancellation it writes and
// commits the batch in hand if Postgres answers within 10 seconds, leaves
// the group and returns nil. It returns an error only when it cannot go on
// (bad configuration, a failing migration).
func (s *Sink) Run(ctx context.Context) error {
	err := s.retry(ctx, "migrate", func(ctx context.Context) error { return Migrate(ctx, s.cfg.Pool) },
		func(err error) bool { return !Unavailable(err) })
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	opts := append([]kgo.Opt{
		kgo.SeedBrokers(s.cfg.Brokers...),
		kgo.ConsumerGroup(s.cfg.Group),
		kgo.ConsumeTopics(s.topics...),
		kgo.DisableAutoCommit(),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.FetchMaxWait(time.Second),
		// A fast takeover by another sink instance (franz-go's default
		// session is 45s), as the processors' groups (processors.SessionTimeout).
		kgo.SessionTimeout(6 * time.Second),
		kgo.HeartbeatInterval(2 * time.Second),
	}, s.cfg.KafkaOptions...)
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		return fmt.Errorf("sink: kafka client: %w", err)
	}
	defer cl.Close()
	s.log.Info("sink started", "group", s.cfg.Group, "topics", s.topics)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { s.watchLag(gctx, kadm.NewClient(cl)); return nil })
	g.Go(func() error { return s.consume(gctx, cl) })
	return g.Wait()
}

// retry runs op until it succeeds, ctx ends, or permanent(err) says
// retrying cannot help, sleeping RetryMin, 2×RetryMin, ... up to RetryMax
// (with ±25% jitter) between attempts. It returns op's last error, or
// ctx's.
func (s *Sink) retry(ctx context.Context, what string, op func(context.Context) error, permanent func(error) bool) error {
	wait := s.cfg.RetryMin
	for attempt := 1; ; attempt++ {
		err := op(ctx)
		if err == nil || permanent(err) {
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		s.m.Retries.WithLabelValues(what).Inc()
		if what == "write" {
			s.m.DBUp.Set(0)
		}
		s.log.Warn("sink: retrying", "op", what, "attempt", attempt, "backoff", wait, "err", err)
		t := time.NewTimer(jitter(wait))
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		wait = min(2*wait, s.cfg.RetryMax)
	}
}

// jitter spreads d by ±25% so that instances do not retry in step.
func jitter(d time.Duration) time.Duration {
	q := int64(d / 4)
	if q <= 0 {
		return d
	}
	return d - time.Duration(q) + time.Duration(rand.Int64N(2*q))
}
