package processors

import (
	"context"
	"errors"
	"log/slog"

	"github.com/lovoo/goka"

	"finstream/processors/budget"
)

// ErrBackfillBusy: the backfill queue is full.
var ErrBackfillBusy = errors.New("backfill queue full")

// Backfiller runs backfills one at a time on this instance's transaction
// stage, from a bounded queue: requests of the API (Submit: "all from this
// merchant") and of operators (Do: POST /v1/ops/recategorize). Safe for
// concurrent use; Run owns the work.
type Backfiller struct {
	procs func() []*goka.Processor // the current processors (Pool.Current)
	m     *BackfillMetrics
	log   *slog.Logger
	queue chan backfillJob
}

type backfillJob struct {
	spec budget.Backfill
	done chan backfillDone // nil: nobody waits
}

type backfillDone struct {
	res BackfillResult
	err error
}

// backfillQueue bounds the waiting backfills: each is a full pass over the
// instance's retained ledgers, so a queue longer than this is a fault.
const backfillQueue = 64

// NewBackfiller is the backfiller of the processors procs gives (Pool.Current).
func NewBackfiller(procs func() []*goka.Processor, m *BackfillMetrics, log *slog.Logger) *Backfiller {
	if log == nil {
		log = slog.Default()
	}
	return &Backfiller{procs: procs, m: m, log: log, queue: make(chan backfillJob, backfillQueue)}
}

// Run runs the queued backfills until ctx ends.
func (b *Backfiller) Run(ctx context.Context) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case j := <-b.queue:
			res, err := Backfill(ctx, b.procs(), j.spec, b.m, b.log)
			if j.done != nil {
				j.done <- backfillDone{res, err}
			}
		}
	}
}

// Submit queues spec without waiting (ErrBackfillBusy when the queue is
// full, an invalid spec's error at once).
func (b *Backfiller) Submit(spec budget.Backfill) error {
	if err := spec.Validate(); err != nil {
		return err
	}
	select {
	case b.queue <- backfillJob{spec: spec}:
		return nil
	default:
		return ErrBackfillBusy
	}
}

// Do queues spec and waits for its result (or ctx).
func (b *Backfiller) Do(ctx context.Context, spec budget.Backfill) (BackfillResult, error) {
	if err := spec.Validate(); err != nil {
		return BackfillResult{}, err
	}
	done := make(chan backfillDone, 1)
	select {
	case b.queue <- backfillJob{spec: spec, done: done}:
	case <-ctx.Done():
		return BackfillResult{}, ctx.Err()
	}
	select {
	case d := <-done:
		return d.res, d.err
	case <-ctx.Done():
		return BackfillResult{}, ctx.Err()
	}
}
