package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"finstream/processors"
)

// simClock is the simulated time of `run --simulate`: from origin it runs
// scale times as fast as the wall clock, so that each simulated user makes
// a realistic number of transactions per simulated day at any --simulate
// rate. The generator's event time, the processors' and the API's clocks
// all read it; token lifetimes and rate limits keep the wall clock. Safe
// for concurrent use.
type simClock struct {
	wall0  time.Time // monotonic
	origin time.Time
	scale  float64
}

// autoTimeScale is the compression at which users each make perDay
// transactions per simulated day at rate events per (wall) second.
func autoTimeScale(rate float64, users int, perDay float64) float64 {
	return max(1, rate*86400/(float64(users)*perDay))
}

// Now is the simulated time.
func (c *simClock) Now() time.Time {
	return c.origin.Add(time.Duration(float64(time.Since(c.wall0)) * c.scale))
}

// simClockFile keeps the simulated time across restarts, so a restarted
// demo does not jump back to the wall clock's period.
func simClockFile(dataDir string) string { return filepath.Join(dataDir, "simulated-clock") }

// newSimClock starts simulated time at the later of now and the time saved
// in dataDir by a previous run.
func newSimClock(dataDir string, scale float64, now time.Time) (*simClock, error) {
	c := &simClock{wall0: time.Now(), origin: now, scale: scale}
	b, err := os.ReadFile(simClockFile(dataDir))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return c, nil
	case err != nil:
		return nil, fmt.Errorf("simulated clock: %w", err)
	}
	saved, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(string(b)))
	if err != nil {
		return nil, fmt.Errorf("simulated clock %s: %w", simClockFile(dataDir), err)
	}
	if saved.After(now) {
		c.origin = saved
	}
	return c, nil
}

// save writes the simulated time (atomically).
func (c *simClock) save(dataDir string) error {
	tmp := simClockFile(dataDir) + ".tmp"
	if err := os.WriteFile(tmp, []byte(c.Now().UTC().Format(time.RFC3339Nano)+"\n"), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, simClockFile(dataDir))
}

// keep saves the simulated time every few seconds and when ctx ends.
func (c *simClock) keep(ctx context.Context, dataDir string, log *slog.Logger) error {
	t := time.NewTicker(5 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			if err := c.save(dataDir); err != nil {
				log.Warn("save simulated clock", "err", err)
			}
			return nil
		case <-t.C:
			if err := c.save(dataDir); err != nil {
				log.Warn("save simulated clock", "err", err)
			}
		}
	}
}

// ticks is the clock-tick configuration of the users processor: under a
// compressed clock, a tick at least every simulated hour (and at most
// every second).
func (o *options) ticks(log *slog.Logger, reg prometheus.Registerer) processors.TickConfig {
	every := o.tick
	if o.timeScale > 1 {
		every = max(time.Second, min(every, time.Duration(float64(time.Hour)/o.timeScale)))
	}
	return processors.TickConfig{Every: every, Now: o.clock, Logger: log, Metrics: reg}
}
