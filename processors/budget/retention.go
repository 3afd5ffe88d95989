package budget

import (
	"time"

	"finstream/processors/period"
)

// RetentionMonths is how many calendar months of transactions and spend a
// user's state keeps: the month of the latest CDC source time seen and the
// twelve before it. Without a bound the state, rewritten on every event,
// would grow with every transaction a user ever made.
//
// The clock is the CDC source commit time (ts_ms), never posted_at, which
// the source controls: a row posted far in the future cannot prune a year
// of history. A change of a transaction the state no longer knows (or
// never knew) posted before the horizon is late: it is not counted (a
// snapshot replay of old rows counts nothing again) and the processor
// reports it (Effects.Late) instead of dropping it silently.
const RetentionMonths = 13

// horizon is the first month kept ("" while no source time was seen).
func (s *State) horizon() string {
	if s.LatestMonth == "" {
		return ""
	}
	loc := s.location()
	p, ok := period.ParseKey(s.LatestMonth, loc)
	if !ok {
		return ""
	}
	return period.Of(period.Monthly, p.Start.AddDate(0, -(RetentionMonths-1), 0), loc).Key
}

// late reports whether a transaction posted at t falls before the horizon.
func (s *State) late(t time.Time) bool {
	h := s.horizon()
	return h != "" && !t.IsZero() && period.Of(period.Monthly, t, s.location()).Key < h
}

// advance moves the state's clock to the source time at and, when that
// starts a new month, forgets the transactions posted and the spend
// buckets ending before the new horizon.
func (s *State) advance(at time.Time) {
	if at.IsZero() {
		return
	}
	loc := s.location()
	m := period.Of(period.Monthly, at, loc).Key
	if m <= s.LatestMonth {
		return
	}
	s.LatestMonth = m
	h := s.horizon()
	for id, t := range s.Txns {
		if et := eventTime(t); !et.IsZero() && period.Of(period.Monthly, et, loc).Key < h {
			delete(s.Txns, id)
		}
	}
	for k := range s.Spend {
		key, _, _, ok := splitBucket(k)
		if !ok {
			continue
		}
		if p, ok := period.ParseKey(key, loc); ok && period.Of(period.Monthly, p.End.Add(-time.Nanosecond), loc).Key < h {
			delete(s.Spend, k) // the period ended before the horizon
		}
	}
}
