package processors

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/lovoo/goka"
	"github.com/prometheus/client_golang/prometheus"

	"finstream/processors/notify"
	"finstream/topics"
)

// VisitTick is the users group's visitor of a clock tick: goka has no
// punctuators, so a Ticker visits every user state of the partitions this
// instance owns (Processor.VisitAll), in the partitions' own goroutines,
// between their messages. The callback (budget.State.Tick) decides from
// the state alone what is due: a period start to push, a digest to send.
const VisitTick = "tick"

// tick is the visit callback: meta is the tick's time.
func (u *users) tick(ctx goka.Context, meta any) {
	now, ok := meta.(time.Time)
	if !ok || ctx.Value() == nil {
		return
	}
	s := u.state(ctx)
	eff, digest, changed := s.Tick(now)
	if !changed {
		return // nothing due: nothing written
	}
	u.commit(ctx, s, eff)
	if digest != nil {
		ctx.Emit(goka.Stream(topics.Loop(u.cfg.Topics.GroupNotifications)), s.UserID, notify.FromDigest(*digest))
	}
}

// TickConfig configures RunTicks.
type TickConfig struct {
	// Every is the interval between ticks. Zero means a minute. A period
	// start or a digest is sent at most Every late.
	Every time.Duration
	// Now is the clock (default time.Now): run --simulate passes its
	// simulated clock.
	Now func() time.Time
	// Logger (default slog.Default()).
	Logger *slog.Logger
	// Metrics registers finstream_ticks_total and
	// finstream_tick_visited_total (nil: not registered).
	Metrics prometheus.Registerer
}

// RunTicks ticks the users and shared processors among procs (none: it
// returns at once): once they run, and then every cfg.Every, it visits each
// user state and shared budget of the partitions this instance owns with
// the tick's time. One goroutine
// per instance, whatever the number of users; the work per tick is one
// read of every state of the instance's partitions, and a write only for
// those with something due. It returns when ctx ends.
//
// procs gives the current processors (Pool.Current): a restarted set is
// ticked from its next tick on.
func RunTicks(ctx context.Context, procs func() []*goka.Processor, cfg TickConfig) error {
	ticked := tickedProcessors(procs())
	if len(ticked) == 0 {
		return nil
	}
	if cfg.Every <= 0 {
		cfg.Every = time.Minute
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	ticks := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "finstream_ticks_total",
		Help: "Clock ticks of the users processor, by result (done, aborted by a rebalance or stop, failed)."}, []string{"result"})
	visited := prometheus.NewCounter(prometheus.CounterOpts{Name: "finstream_tick_visited_total",
		Help: "User states visited by clock ticks."})
	if cfg.Metrics != nil {
		for _, c := range []prometheus.Collector{ticks, visited} {
			if err := cfg.Metrics.Register(c); err != nil {
				return err
			}
		}
	}
	for _, p := range ticked {
		if err := p.WaitForReadyContext(ctx); err != nil {
			return nil // stopped before it ran
		}
	}
	t := time.NewTicker(cfg.Every)
	defer t.Stop()
	for {
		now := cfg.Now()
		n, err := Tick(ctx, procs(), now)
		visited.Add(float64(n))
		switch {
		case ctx.Err() != nil:
			return nil
		case errors.Is(err, goka.ErrVisitAborted):
			ticks.WithLabelValues("aborted").Inc() // a rebalance: the next tick visits again
		case err != nil:
			ticks.WithLabelValues("failed").Inc()
			cfg.Logger.Warn("tick", "err", err)
		default:
			ticks.WithLabelValues("done").Inc()
			cfg.Logger.Debug("tick", "visited", n, "at", now)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// tickedProcessors are the processors among procs with a tick visitor:
// users and shared.
func tickedProcessors(procs []*goka.Processor) []*goka.Processor {
	var out []*goka.Processor
	for _, p := range procs {
		if hasVisitor(p.Graph(), VisitTick) {
			out = append(out, p)
		}
	}
	return out
}

// Tick is one tick at now: it visits every user state and every shared
// budget of the users and shared processors among procs (in the
// partitions this instance owns) and returns how many it visited once
// every visit callback has run.
func Tick(ctx context.Context, procs []*goka.Processor, now time.Time) (int64, error) {
	var visited int64
	for _, p := range tickedProcessors(procs) {
		n, err := p.VisitAllWithStats(ctx, VisitTick, now)
		visited += n
		if err != nil {
			return visited, err
		}
	}
	return visited, nil
}
