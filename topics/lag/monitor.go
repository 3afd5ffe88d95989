package lag

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
)

// Config configures a Monitor. The zero value of every field but Brokers
// means its default.
type Config struct {
	// Brokers are the Kafka bootstrap brokers. Required.
	Brokers []string
	// KafkaOptions are extra franz-go options (TLS, SASL).
	KafkaOptions []kgo.Opt
	// Interval is the time between samples in Run (default 1s).
	Interval time.Duration
	// Window is the number of samples the status rules evaluate (Burrow's
	// "intervals", default 10).
	Window int
	// PartialWindows evaluates a partition's status before its window is
	// full, as Burrow does by default (minimum-complete 0). By default a
	// partition is OK until Window samples of it are in: two samples say
	// little about a trend, and a status that flickers after every start
	// trains people to ignore it.
	PartialWindows bool
	// History is the number of log-end points kept per partition for the lag
	// in seconds (default 120; flat stretches take two points).
	History int
	// HistoryPoints is the number of samples kept per group for charts
	// (default 300: five minutes at one sample a second).
	HistoryPoints int
	// GroupPrefix selects the consumer groups to watch among those the
	// cluster lists (default "finstream-").
	GroupPrefix string
	// Groups, when set, are the only groups watched (no listing).
	Groups []string
	// Tailers are groupless readers to watch as well (see AddTailer).
	Tailers []Tailer
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Registerer receives the metrics (nil: not registered).
	Registerer prometheus.Registerer
	// Logger (default slog.Default()).
	Logger *slog.Logger
}

// Validate checks the configuration and fills defaults.
func (c *Config) Validate() error {
	if len(c.Brokers) == 0 {
		return errors.New("lag: no brokers")
	}
	if c.Interval <= 0 {
		c.Interval = time.Second
	}
	if c.Window <= 0 {
		c.Window = 10
	}
	if c.History <= 0 {
		c.History = 120
	}
	if c.HistoryPoints <= 0 {
		c.HistoryPoints = 300
	}
	if c.GroupPrefix == "" {
		c.GroupPrefix = "finstream-"
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	for _, t := range c.Tailers {
		if t.Name == "" || t.Positions == nil {
			return errors.New("lag: a tailer needs a name and a Positions func")
		}
	}
	return nil
}

// Tailer is a reader without a consumer group (such as a WebSocket tailer
// reading partitions directly), watched like a group under Name. Positions
// returns, per topic and partition, the next offset it will read (only the
// partitions it reads: they are the ones watched; a tailer that starts at
// the log end reports that end); it is called once per sample and must be
// safe for concurrent use. A tailer is
// in process, so it counts as a live member: a tailer that stops moving with
// lag is STALL, not STOP.
type Tailer struct {
	Name      string
	Positions func() map[string]map[int32]int64
}

// Monitor samples the committed offsets of finstream's consumer groups and
// the log-end offsets of their partitions, keeps their history, and turns it
// into lag in messages and seconds and a status per group (see the package
// documentation), exposed as a Snapshot and as Prometheus metrics. Safe for
// concurrent use.
type Monitor struct {
	cfg     Config
	cl      *kgo.Client
	adm     *kadm.Client
	metrics *metrics
	close   sync.Once

	mu         sync.Mutex
	tailers    []Tailer
	partitions map[tp]*partitionHistory
	groups     map[string]*groupState
	snap       Snapshot
	lastErr    string
}

// NewMonitor makes a Monitor and its Kafka client; it does not connect yet.
// Run closes the client when it returns; a Monitor that is never run must be
// closed with Close.
func NewMonitor(cfg Config) (*Monitor, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cl, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(cfg.Brokers...)}, cfg.KafkaOptions...)...)
	if err != nil {
		return nil, fmt.Errorf("lag: kafka client for %v: %w", cfg.Brokers, err)
	}
	m := &Monitor{
		cfg: cfg, cl: cl, adm: kadm.NewClient(cl), metrics: newMetrics(cfg.Registerer),
		tailers: append([]Tailer(nil), cfg.Tailers...), partitions: map[tp]*partitionHistory{},
		groups: map[string]*groupState{},
		snap:   Snapshot{IntervalSeconds: cfg.Interval.Seconds(), Window: cfg.Window, Groups: []GroupLag{}},
	}
	return m, nil
}

// AddTailer watches t from the next sample on.
func (m *Monitor) AddTailer(t Tailer) error {
	if t.Name == "" || t.Positions == nil {
		return errors.New("lag: a tailer needs a name and a Positions func")
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.tailers = append(m.tailers, t)
	return nil
}

// Run samples every Interval until ctx is done, then closes the client and
// returns nil. A failed sample is logged (once per distinct error) and
// counted; the next one is tried on time.
func (m *Monitor) Run(ctx context.Context) error {
	defer m.Close()
	t := time.NewTicker(m.cfg.Interval)
	defer t.Stop()
	for {
		if err := m.Sample(ctx); err != nil && ctx.Err() == nil {
			m.mu.Lock()
			repeated := err.Error() == m.lastErr
			m.lastErr = err.Error()
			m.mu.Unlock()
			if !repeated {
				m.cfg.Logger.Warn("lag sample failed", "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// Close closes the Kafka client. Safe to call more than once.
func (m *Monitor) Close() { m.close.Do(m.cl.Close) }

// Sample takes one sample now and updates the snapshot and the metrics.
func (m *Monitor) Sample(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, max(5*m.cfg.Interval, 10*time.Second))
	defer cancel()
	o, err := m.observe(ctx)
	m.mu.Lock()
	defer m.mu.Unlock()
	if err != nil {
		m.metrics.sampleErrors.Inc()
		m.snap.Error = err.Error()
		return err
	}
	m.lastErr = ""
	m.snap = m.record(o)
	m.metrics.update(m.snap)
	return nil
}

// Snapshot returns the result of the last sample, with each group's recent
// history when withHistory.
func (m *Monitor) Snapshot(withHistory bool) Snapshot {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.snap.clone(false)
	if withHistory {
		for i := range s.Groups {
			if gs := m.groups[s.Groups[i].Group]; gs != nil {
				s.Groups[i].History = append([]GroupPoint(nil), gs.history...)
			}
		}
	}
	return s
}
