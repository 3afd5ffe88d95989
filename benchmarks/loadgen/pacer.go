package loadgen

import "time"

// pacer is a token bucket: tokens accrue at rate per second up to burst, and
// each event takes one. The bucket may go into debt, so that a caller sleeps
// once per minSleep of debt instead of once per event: at 200k events/s a
// per-event timer could not keep up, while the average rate stays exact.
type pacer struct {
	rate   float64 // tokens per second
	burst  float64
	tokens float64
	last   time.Time
}

// minSleep is the shortest wait worth a timer.
const minSleep = time.Millisecond

// newPacer returns a full bucket for rate events per second holding 10 ms
// of events (at least one).
func newPacer(rate float64, now time.Time) *pacer {
	burst := max(1, rate/100)
	return &pacer{rate: rate, burst: burst, tokens: burst, last: now}
}

// take takes n tokens at now and returns how long the caller must wait
// before sending: zero while the bucket holds them.
func (p *pacer) take(now time.Time, n float64) time.Duration {
	if dt := now.Sub(p.last); dt > 0 {
		p.tokens = min(p.burst, p.tokens+dt.Seconds()*p.rate)
		p.last = now
	}
	p.tokens -= n
	if p.tokens >= 0 {
		return 0
	}
	return time.Duration(-p.tokens / p.rate * float64(time.Second))
}
