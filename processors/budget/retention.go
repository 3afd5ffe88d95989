package budget

import (
	"strings"
	"time"

	"finstream/processors/period"
)

// RetentionMonths is how many calendar months of monthly spend a user's
// state keeps: the month of the latest CDC source time seen and the twelve
// before it. RetentionWeeks is the same for ISO-week spend (weekly budgets
// look at the current week; ten are kept for late changes). Without a bound
// the state, rewritten on every event, would grow with time.
//
// The clock is the CDC source commit time (ts_ms), never posted_at, which
// the source controls: a row posted far in the future cannot prune a year
// of history. A change of a transaction the transaction stage does not
// know, posted before the horizon, is late (Ledger.ApplyChange): it is not
// counted and goes to the DLQ. A change of a known transaction in a period
// already forgotten moves nothing there.
const (
	RetentionMonths = 13
	RetentionWeeks  = 10
)

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

// weekHorizon is the start of the first ISO week kept (zero while no
// source time was seen).
func (s *State) weekHorizon() time.Time {
	if s.LatestWeek == "" {
		return time.Time{}
	}
	p, ok := period.ParseKey(s.LatestWeek, s.location())
	if !ok {
		return time.Time{}
	}
	return p.Start.AddDate(0, 0, -7*(RetentionWeeks-1))
}

// kept reports whether the period with key k is still kept.
func (s *State) kept(k string) bool {
	p, ok := period.ParseKey(k, s.location())
	if !ok {
		return false
	}
	if p.Kind == period.Weekly {
		h := s.weekHorizon()
		return h.IsZero() || !p.Start.Before(h)
	}
	h := s.horizon()
	return h == "" || k >= h
}

// advance moves the state's clock to the source time at and, when that
// starts a new month or week, forgets the spend buckets before the new
// horizons.
func (s *State) advance(at time.Time) (moved bool) {
	if at.IsZero() {
		return false
	}
	loc := s.location()
	m := period.Of(period.Monthly, at, loc).Key
	w := period.Of(period.Weekly, at, loc)
	if m > s.LatestMonth {
		s.LatestMonth, moved = m, true
	}
	if cur, ok := period.ParseKey(s.LatestWeek, loc); !ok || w.Start.After(cur.Start) {
		s.LatestWeek, moved = w.Key, true
	}
	if !moved {
		return false
	}
	for k := range s.Spend {
		key, _, _, ok := splitBucket(k)
		if ok && !s.kept(key) {
			delete(s.Spend, k)
		}
	}
	s.Drops.Forget(func(k string) bool { return !s.kept(k[strings.LastIndexByte(k, '|')+1:]) })
	return true
}
