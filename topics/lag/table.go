package lag

import (
	"math"
	"time"
)

// Point is a partition's log-end offset (high watermark: the offset the next
// record will get) observed at a time.
type Point struct {
	Offset int64
	Time   time.Time
}

// Estimate says how a time lag was found.
type Estimate uint8

// Estimates, from the most to the least certain.
const (
	// Unknown: the history is empty.
	Unknown Estimate = iota
	// CaughtUp: the offset is at or past the newest log-end offset; the lag is 0.
	CaughtUp
	// Interpolated: the offset lies between two points of the history.
	Interpolated
	// Extrapolated: the offset is older than the history; the trend of the
	// whole history (first to last point) is extended back in time.
	Extrapolated
	// AtLeast: the offset is older than the history and the history has no
	// trend (one point, or no record produced across it): the lag is at
	// least the age of the oldest point.
	AtLeast
)

func (e Estimate) String() string {
	switch e {
	case CaughtUp:
		return "caught_up"
	case Interpolated:
		return "interpolated"
	case Extrapolated:
		return "extrapolated"
	case AtLeast:
		return "at_least"
	}
	return "unknown"
}

// MarshalText makes an Estimate a JSON string.
func (e Estimate) MarshalText() ([]byte, error) { return []byte(e.String()), nil }

// UnmarshalText reads what MarshalText wrote; an unknown word is Unknown.
func (e *Estimate) UnmarshalText(b []byte) error {
	*e = Unknown
	for c := CaughtUp; c <= AtLeast; c++ {
		if c.String() == string(b) {
			*e = c
		}
	}
	return nil
}

// Table is the recent history of one partition's log-end offset, the lookup
// table of kafka-lag-exporter: at most limit points, oldest first, offsets
// and times never decreasing, a flat stretch (no record produced) kept as its
// first and last point only so that an idle partition does not flush the
// history. From it TimeLag tells when the log end was at a given offset.
//
// Make one with NewTable. Not safe for concurrent use.
type Table struct {
	limit  int
	points []Point
}

// NewTable returns an empty table holding at most limit points (at least 2).
func NewTable(limit int) *Table {
	if limit < 2 {
		limit = 2
	}
	return &Table{limit: limit, points: make([]Point, 0, limit)}
}

// Points returns the history, oldest first. The slice is the table's own:
// do not modify it.
func (t *Table) Points() []Point { return t.points }

// Add records the log-end offset p. A point not newer than the last one is
// ignored. A point with a lower offset than the last one means the partition
// was deleted and recreated (or truncated): the history restarts from p.
func (t *Table) Add(p Point) {
	n := len(t.points)
	if n > 0 {
		last := t.points[n-1]
		switch {
		case !p.Time.After(last.Time):
			return
		case p.Offset < last.Offset:
			t.points = append(t.points[:0], p)
			return
		case p.Offset == last.Offset && n > 1 && t.points[n-2].Offset == p.Offset:
			// Still flat: move the right end of the flat segment.
			t.points[n-1] = p
			return
		}
	}
	if n == t.limit {
		copy(t.points, t.points[1:])
		t.points = t.points[:n-1]
	}
	t.points = append(t.points, p)
}

// At returns the time at which the partition's log end was at offset, that
// is the last moment a consumer whose next offset is offset was caught up.
// For an offset at or past the newest point it returns the newest point's
// time with CaughtUp. For an offset older than the history the time is
// extrapolated from the history's trend (Extrapolated) or, when there is no
// trend, the oldest point's time is an upper bound (AtLeast).
func (t *Table) At(offset int64) (time.Time, Estimate) {
	n := len(t.points)
	if n == 0 {
		return time.Time{}, Unknown
	}
	first, last := t.points[0], t.points[n-1]
	if offset >= last.Offset {
		return last.Time, CaughtUp
	}
	// The newest segment that contains offset: the latest time the log end
	// was there.
	for i := n - 1; i > 0; i-- {
		l, r := t.points[i-1], t.points[i]
		if offset >= l.Offset && offset <= r.Offset && r.Offset > l.Offset {
			return interpolate(l, r, offset), Interpolated
		}
	}
	if last.Offset > first.Offset { // offset < first.Offset
		return interpolate(first, last, offset), Extrapolated
	}
	return first.Time, AtLeast
}

// interpolate solves the line through l and r for the time at offset.
func interpolate(l, r Point, offset int64) time.Time {
	dt := float64(r.Time.Sub(l.Time))
	dy := float64(r.Offset - l.Offset)
	back := float64(r.Offset-offset) * dt / dy
	if back > math.MaxInt64/2 {
		back = math.MaxInt64 / 2
	}
	return r.Time.Add(-time.Duration(back))
}

// TimeLag returns how far behind in time a consumer whose next offset is
// offset is at now: now minus the time its offset was the log end (see At),
// never negative. With an empty history it returns 0, Unknown.
func (t *Table) TimeLag(offset int64, now time.Time) (time.Duration, Estimate) {
	at, est := t.At(offset)
	if est == Unknown || est == CaughtUp {
		return 0, est
	}
	d := now.Sub(at)
	if d < 0 {
		d = 0
	}
	return d, est
}
