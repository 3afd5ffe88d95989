package loadgen

import (
	"testing"
	"time"
)

// TestPacerRate drives the token bucket with an injected clock that moves
// only when the caller sleeps: n events at rate r must take (n-burst)/r.
func TestPacerRate(t *testing.T) {
	for _, tc := range []struct {
		rate float64
		n    int
	}{
		{rate: 2000, n: 2000},
		{rate: 200_000, n: 400_000},
		{rate: 50, n: 120},
		{rate: 0.5, n: 4},
	} {
		clock := time.Unix(0, 0)
		p := newPacer(tc.rate, clock)
		sleeps := 0
		for range tc.n {
			if d := p.take(clock, 1); d >= minSleep {
				clock = clock.Add(d)
				sleeps++
			}
		}
		burst := max(1, tc.rate/100)
		want := time.Duration((float64(tc.n) - burst) / tc.rate * float64(time.Second))
		if got := clock.Sub(time.Unix(0, 0)); got < want-minSleep || got > want+minSleep {
			t.Errorf("rate %v: %d events took %v, want %v", tc.rate, tc.n, got, want)
		}
		// Debt lets a fast stream sleep once per millisecond, not per event.
		if maxSleeps := int(want/minSleep) + 1; sleeps > maxSleeps {
			t.Errorf("rate %v: %d sleeps, want at most %d", tc.rate, sleeps, maxSleeps)
		}
	}
}

func TestPacerBurstAfterIdle(t *testing.T) {
	clock := time.Unix(0, 0)
	p := newPacer(1000, clock) // burst of 10
	clock = clock.Add(time.Hour)
	for i := range 10 {
		if d := p.take(clock, 1); d != 0 {
			t.Fatalf("event %d of a full bucket waits %v", i, d)
		}
	}
	if d := p.take(clock, 1); d != time.Millisecond {
		t.Fatalf("event past the burst waits %v, want 1ms", d)
	}
}
