package processors

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/lovoo/goka"
	"github.com/prometheus/client_golang/prometheus"
)

// Restart backoff of a Pool: the first restart waits minRestartBackoff,
// each next one twice as long up to maxRestartBackoff; a set that ran for
// restartReset starts again from the minimum.
const (
	minRestartBackoff = time.Second
	maxRestartBackoff = 30 * time.Second
	restartReset      = time.Minute
)

// Pool runs one instance's processors and, when one of them stops with an
// error while the pool's context still runs, stops the others and runs a
// fresh set (a goka processor runs once). A broker restart or a lost
// connection stops goka's consumers and lookup tables with an error; the
// instance then restarts in place, from what its storage and the committed
// offsets hold, instead of exiting. While it restarts, Down reports true
// (readiness says so). A processor that fails again at once is retried
// with a growing backoff, as a supervisor would restart the process.
type Pool struct {
	build    func() ([]*goka.Processor, error)
	log      *slog.Logger
	restarts prometheus.Counter

	mu    sync.RWMutex
	procs []*goka.Processor
	down  bool
}

// NewPool builds the first set of processors of cfg (an invalid cfg fails
// here) and the counter finstream_processor_restarts_total on m's
// registry.
func NewPool(cfg Config, m *Metrics, reg prometheus.Registerer) (*Pool, error) {
	procs, err := New(cfg, m)
	if err != nil {
		return nil, err
	}
	p := &Pool{build: func() ([]*goka.Processor, error) { return New(cfg, m) }, log: cfg.Logger, procs: procs,
		restarts: prometheus.NewCounter(prometheus.CounterOpts{Name: "finstream_processor_restarts_total",
			Help: "Restarts of this instance's processors after one stopped with an error (a broker restart, a lost connection)."})}
	if p.log == nil {
		p.log = slog.Default()
	}
	if reg != nil {
		if err := reg.Register(p.restarts); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// Current is the set of processors running now (or about to run). Safe for
// concurrent use; a caller that keeps the slice may find its processors
// stopped after a restart, and asks again.
func (p *Pool) Current() []*goka.Processor {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.procs
}

// Down reports whether the processors are stopped, waiting to restart.
func (p *Pool) Down() bool {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.down
}

// Run runs the processors until ctx ends, restarting the set after an
// error, and calls ready (when not nil) each time a set has recovered. It
// returns nil when ctx ends; every processor has stopped then.
func (p *Pool) Run(ctx context.Context, ready func()) error {
	backoff := minRestartBackoff
	for {
		started := time.Now()
		err := RunProcessors(ctx, p.Current(), ready)
		if ctx.Err() != nil {
			return nil
		}
		if err == nil {
			err = fmt.Errorf("processors stopped without an error")
		}
		if time.Since(started) >= restartReset {
			backoff = minRestartBackoff
		}
		p.mu.Lock()
		p.down = true
		p.mu.Unlock()
		p.restarts.Inc()
		for {
			p.log.Error("processors stopped; restarting them", "err", err, "in", backoff.String())
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(backoff):
			}
			backoff = min(2*backoff, maxRestartBackoff)
			var procs []*goka.Processor
			if procs, err = p.build(); err == nil {
				p.mu.Lock()
				p.procs, p.down = procs, false
				p.mu.Unlock()
				break
			}
		}
	}
}
