package lag

import "time"

// Status is a consumer's health by Burrow's evaluation rules. A partition is
// OK, WARN, STOP, STALL or REWIND; a group is OK, WARN or ERR (a partition in
// STOP, STALL or REWIND makes the group ERR, as in Burrow).
type Status string

// Statuses, in Burrow's order of severity.
const (
	OK     Status = "OK"     // the consumer keeps up (or had zero lag in the window)
	Warn   Status = "WARN"   // offsets move but the lag never decreases over the window: falling behind
	Err    Status = "ERR"    // group only: some partition is STOP, STALL or REWIND
	Stop   Status = "STOP"   // no commit for longer than the window's commits span, with lag: consumer gone
	Stall  Status = "STALL"  // the consumer is there but its offset does not move, with lag
	Rewind Status = "REWIND" // the committed offset went backwards
)

// PartitionStatuses lists the statuses a partition can have, in order.
var PartitionStatuses = []Status{OK, Warn, Stop, Stall, Rewind}

// GroupStatuses lists the statuses a group can have, in order.
var GroupStatuses = []Status{OK, Warn, Err}

func (s Status) severity() int {
	switch s {
	case OK:
		return 1
	case Warn:
		return 2
	case Err:
		return 3
	case Stop:
		return 4
	case Stall:
		return 5
	case Rewind:
		return 6
	}
	return 0
}

// Worst returns the most severe of ss (OK when ss is empty).
func Worst(ss ...Status) Status {
	w := OK
	for _, s := range ss {
		if s.severity() > w.severity() {
			w = s
		}
	}
	return w
}

// Group returns the group status for its worst partition status: STOP,
// STALL and REWIND become ERR, as in Burrow.
func (s Status) Group() Status {
	if s.severity() > Err.severity() {
		return Err
	}
	if s == "" {
		return OK
	}
	return s
}

// Commit is one entry of a partition's evaluation window: the offset the
// group had committed, the lag (log end minus that offset, never negative) at
// that moment, and when the consumer committed it. Burrow stores one entry
// per commit it reads; the Monitor stores one per sample and says in Time
// when the commit happened (see the package documentation).
type Commit struct {
	Offset int64
	Lag    int64
	Time   time.Time
}

// Evaluate returns a partition's status by Burrow's rules (its evaluator's
// calculatePartitionStatus), given the window of commits (oldest first), the
// partition's recent log-end offsets (Burrow's broker-offset ring, as many as
// the window), its current lag and the time now:
//
//   - With no current lag the partition is OK.
//   - STOP: the time since the last commit exceeds the time the window's
//     commits span (now-last > last-first), unless one of the recent log-end
//     offsets is at or below the last committed offset: then the consumer
//     was caught up a moment ago and only new records arrived.
//   - If some lag in the window is zero the partition is OK. Otherwise, in
//     order: REWIND if an offset decreases between entries; STALL if the
//     offset never changes across the window; WARN if the lag never
//     decreases between entries; else OK.
//
// One difference from Burrow: STALL and WARN compare entries, so a window of
// one entry is OK for them (Burrow calls a single-entry window STALL).
func Evaluate(window []Commit, logEnds []int64, currentLag int64, now time.Time) Status {
	if currentLag <= 0 || len(window) == 0 {
		return OK
	}
	first, last := window[0], window[len(window)-1]
	if now.Sub(last.Time) > last.Time.Sub(first.Time) && !recentLagZero(last.Offset, logEnds) {
		return Stop
	}
	for _, c := range window {
		if c.Lag == 0 {
			return OK
		}
	}
	if len(window) < 2 {
		return OK
	}
	moved, decreased := false, false
	for i := 1; i < len(window); i++ {
		if window[i].Offset < window[i-1].Offset {
			return Rewind
		}
		if window[i].Offset != window[i-1].Offset {
			moved = true
		}
		if window[i].Lag < window[i-1].Lag {
			decreased = true
		}
	}
	switch {
	case !moved:
		return Stall
	case !decreased:
		return Warn
	}
	return OK
}

// recentLagZero reports whether some recent log end was at or below the
// committed offset: the consumer was caught up then.
func recentLagZero(committed int64, logEnds []int64) bool {
	for _, e := range logEnds {
		if e <= committed {
			return true
		}
	}
	return false
}
