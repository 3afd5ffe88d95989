package loadgen

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Sink receives the records of the stream, in order.
type Sink interface {
	// Send hands a record to the sink; it may return before the record is
	// acknowledged. The slices are never modified after the call.
	Send(ctx context.Context, topic string, key, value []byte) error
	// Flush returns once every record sent is acknowledged, or with the
	// first error.
	Flush(ctx context.Context) error
}

// Stats is a progress report of Run.
type Stats struct {
	Sent    int64            // events sent so far
	Rate    float64          // events per second over the last interval
	Elapsed time.Duration    // since Run started
	ByKind  map[string]int64 // events sent by kind name
}

// flushTimeout bounds the final Flush, which runs even after ctx is done.
const flushTimeout = 30 * time.Second

// Run generates cfg's stream into sink, paced at cfg.Rate, until cfg.Count
// events are sent, cfg.Duration has passed or ctx is done. It then flushes
// the sink (for at most 30 s, even when ctx is done), calls progress a last
// time, writes cfg.TruthOut if set and returns the truth of every event the
// sink accepted. A stop by ctx is graceful: the error is nil. On a sink or
// encoder error Run returns the truth so far with the error.
//
// progress, if not nil, is called about once per second from Run's
// goroutine, and once at the end.
func Run(ctx context.Context, cfg Config, enc Encoder, cat Categorizer, sink Sink, progress func(Stats)) (*Truth, error) {
	if enc == nil || sink == nil {
		return nil, errors.New("loadgen: Run needs an encoder and a sink")
	}
	g, err := NewGenerator(cfg, enc, cat)
	if err != nil {
		return nil, err
	}
	cfg = g.cfg
	truth := NewTruth()
	start := time.Now()
	var pace *pacer
	if cfg.Rate > 0 {
		pace = newPacer(cfg.Rate, start)
	}
	lastAt, lastSent := start, int64(0)
	report := func(now time.Time) {
		if progress == nil {
			return
		}
		rate := 0.0
		if dt := now.Sub(lastAt).Seconds(); dt > 0 {
			rate = float64(truth.sent-lastSent) / dt
		}
		progress(Stats{Sent: truth.sent, Rate: rate, Elapsed: now.Sub(start), ByKind: truth.Events()})
		lastAt, lastSent = now, truth.sent
	}

	var runErr error
	for cfg.Count == 0 || truth.sent < cfg.Count {
		if ctx.Err() != nil {
			break
		}
		now := time.Now()
		if cfg.Duration > 0 && now.Sub(start) >= cfg.Duration {
			break
		}
		if now.Sub(lastAt) >= time.Second {
			report(now)
		}
		if pace != nil {
			if d := pace.take(now, 1); d >= minSleep && sleep(ctx, d) != nil {
				break
			}
		}
		ev, err := g.Next()
		if err != nil {
			runErr = fmt.Errorf("generate event %d: %w", truth.sent+1, err)
			break
		}
		if err := sink.Send(ctx, ev.Topic, ev.Key, ev.Value); err != nil {
			if ctx.Err() == nil {
				runErr = fmt.Errorf("send %s event %d to %s: %w", ev.Kind, truth.sent+1, ev.Topic, err)
			}
			break
		}
		truth.Apply(&ev)
	}

	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), flushTimeout)
	defer cancel()
	if err := sink.Flush(fctx); err != nil && runErr == nil {
		runErr = fmt.Errorf("flush sink: %w", err)
	}
	report(time.Now())
	if cfg.TruthOut != "" {
		if err := writeTruthFile(cfg.TruthOut, truth); err != nil && runErr == nil {
			runErr = err
		}
	}
	return truth, runErr
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// writeTruthFile writes the truth to path through a temporary file in the
// same directory, so readers never see a partial file.
func writeTruthFile(path string, t *Truth) error {
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("write truth %s: %w", path, err)
	}
	defer os.Remove(f.Name()) // fails harmlessly once renamed
	if err := t.WriteJSON(f); err != nil {
		f.Close()
		return fmt.Errorf("write truth %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write truth %s: %w", path, err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("write truth %s: %w", path, err)
	}
	return nil
}
