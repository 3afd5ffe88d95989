package main

import (
	"context"
	"log/slog"
	"testing"
	"time"
)

func TestAutoTimeScale(t *testing.T) {
	for _, c := range []struct {
		rate   float64
		users  int
		perDay float64
		want   float64
	}{
		{200, 1000, 5, 3456}, // 200 ev/s over 5,000 transactions a day
		{5, 1000, 5, 86.4},
		{0.01, 1000, 5, 1}, // never slower than real time
	} {
		if got := autoTimeScale(c.rate, c.users, c.perDay); got != c.want {
			t.Errorf("autoTimeScale(%v, %d, %v) = %v, want %v", c.rate, c.users, c.perDay, got, c.want)
		}
	}
}

// The simulated clock goes on after a restart from where it was saved,
// not from the wall clock.
func TestSimClockSurvivesARestart(t *testing.T) {
	dir := t.TempDir()
	wall := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	c, err := newSimClock(dir, 1000, wall)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Now(); got.Before(wall) {
		t.Fatalf("Now %v before origin %v", got, wall)
	}
	c.origin = wall.Add(30 * 24 * time.Hour) // as if a month had been simulated
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.keep(ctx, dir, slog.Default()); err != nil { // saves once on the way out
		t.Fatal(err)
	}
	again, err := newSimClock(dir, 1000, wall)
	if err != nil {
		t.Fatal(err)
	}
	if again.origin.Before(wall.Add(30 * 24 * time.Hour)) {
		t.Fatalf("restarted at %v, want at least %v", again.origin, wall.Add(30*24*time.Hour))
	}
	// A saved time behind the wall clock is not used.
	later, err := newSimClock(dir, 1000, wall.Add(365*24*time.Hour))
	if err != nil || !later.origin.Equal(wall.Add(365*24*time.Hour)) {
		t.Fatalf("origin %v, %v", later.origin, err)
	}
}
