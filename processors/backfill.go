package processors

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/lovoo/goka"
	"github.com/prometheus/client_golang/prometheus"

	"finstream/processors/budget"
)

// VisitBackfill is the transaction stage's visitor of a backfill: it
// applies a budget.Backfill to every ledger of the partitions this
// instance owns (goka Processor.VisitAll) and sends each move as a
// finstream.txn.by-user record, which the users group applies like any
// change.
const VisitBackfill = "backfill"

// backfillMeta is what a backfill visit carries: the spec and the run's
// counters.
type backfillMeta struct {
	spec  budget.Backfill
	moved *atomic.Int64
}

// backfill is the visit callback.
func (t *txns) backfill(ctx goka.Context, meta any) {
	m, ok := meta.(backfillMeta)
	if !ok || ctx.Value() == nil {
		return
	}
	l := t.ledger(ctx)
	out := l.Backfill(m.spec, t.rules(ctx, l.UserID()))
	if len(out.Records) == 0 {
		return // nothing written
	}
	m.moved.Add(int64(len(out.Records)))
	t.commit(ctx, l, out.Records)
}

// BackfillMetrics are the backfill's metrics: finstream_backfill_runs_total
// {result}, finstream_backfill_visited_total, finstream_backfill_moved_total
// and finstream_backfill_running.
type BackfillMetrics struct {
	Runs    *prometheus.CounterVec
	Visited prometheus.Counter
	Moved   prometheus.Counter
	Running prometheus.Gauge
}

// NewBackfillMetrics registers the backfill metrics with reg (nil: not
// registered).
func NewBackfillMetrics(reg prometheus.Registerer) *BackfillMetrics {
	m := &BackfillMetrics{
		Runs: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "finstream_backfill_runs_total",
			Help: "Backfill runs (re-categorizations over the retained transactions) by result."}, []string{"result"}),
		Visited: prometheus.NewCounter(prometheus.CounterOpts{Name: "finstream_backfill_visited_total",
			Help: "Transaction ledgers visited by backfills."}),
		Moved: prometheus.NewCounter(prometheus.CounterOpts{Name: "finstream_backfill_moved_total",
			Help: "Transactions moved to another category by backfills."}),
		Running: prometheus.NewGauge(prometheus.GaugeOpts{Name: "finstream_backfill_running",
			Help: "Backfills running now."}),
	}
	if reg != nil {
		reg.MustRegister(m.Runs, m.Visited, m.Moved, m.Running)
	}
	return m
}

// BackfillResult is what a backfill did on this instance.
type BackfillResult struct {
	Visited int64         `json:"visited"`
	Moved   int64         `json:"moved"`
	Took    time.Duration `json:"-"`
}

// Backfill runs spec over the ledgers of the transaction stage's
// partitions this instance owns (among procs; none: nothing to do),
// logging progress every few seconds, and returns once every visit has
// run. The work is one read of every retained ledger of those partitions
// (RetentionMonths of transactions) and a write for each one moved; it
// never holds more than one ledger at a time. A rebalance aborts it
// (goka.ErrVisitAborted): run it again, it is idempotent.
func Backfill(ctx context.Context, procs []*goka.Processor, spec budget.Backfill, m *BackfillMetrics, log *slog.Logger) (BackfillResult, error) {
	var p *goka.Processor
	for _, q := range procs {
		if hasVisitor(q.Graph(), VisitBackfill) {
			p = q
		}
	}
	if err := spec.Validate(); err != nil || p == nil {
		return BackfillResult{}, err
	}
	if m == nil {
		m = NewBackfillMetrics(nil)
	}
	if log == nil {
		log = slog.Default()
	}
	start := time.Now()
	meta := backfillMeta{spec: spec, moved: &atomic.Int64{}}
	m.Running.Inc()
	defer m.Running.Dec()
	// Progress: the moved counter grows as visits run; goka counts visits
	// only at the end.
	stop := make(chan struct{})
	progressDone := make(chan struct{})
	go func() {
		defer close(progressDone)
		t := time.NewTicker(5 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				log.Info("backfill running", "moved", meta.moved.Load(), "elapsed", time.Since(start).Round(time.Second).String())
			}
		}
	}()
	visited, err := p.VisitAllWithStats(ctx, VisitBackfill, meta)
	close(stop)
	<-progressDone
	res := BackfillResult{Visited: visited, Moved: meta.moved.Load(), Took: time.Since(start)}
	m.Visited.Add(float64(res.Visited))
	m.Moved.Add(float64(res.Moved))
	result := "done"
	if err != nil {
		result = "failed"
	}
	m.Runs.WithLabelValues(result).Inc()
	log.Info("backfill "+result, "visited", res.Visited, "moved", res.Moved,
		"took", res.Took.Round(time.Millisecond).String(), "user_scoped", spec.UserID != "", "merchant_scoped", spec.Merchant != "", "err", err)
	return res, err
}
