// Package period computes budget periods — calendar months and ISO weeks — in
// a user's time zone. All functions are pure: the instant is always passed in.
package period

import (
	"fmt"
	"strings"
	"sync"
	"time"
)

// Kind is a budget period kind.
type Kind string

// Period kinds.
const (
	Monthly Kind = "monthly"
	Weekly  Kind = "weekly"
)

// DefaultZone is the time zone of a user who has not chosen one.
const DefaultZone = "Asia/Bangkok"

// Valid reports whether k is a known period kind.
func (k Kind) Valid() bool { return k == Monthly || k == Weekly }

// Period is one calendar month or ISO week in a time zone: [Start, End).
type Period struct {
	Kind  Kind
	Key   string // "2026-11" or "2026-W47"
	Start time.Time
	End   time.Time
}

// Of returns the period of kind k that contains t in loc.
func Of(k Kind, t time.Time, loc *time.Location) Period {
	lt := t.In(loc)
	switch k {
	case Weekly:
		// ISO weeks start on Monday.
		offset := (int(lt.Weekday()) + 6) % 7
		start := time.Date(lt.Year(), lt.Month(), lt.Day()-offset, 0, 0, 0, 0, loc)
		y, w := lt.ISOWeek()
		return Period{Kind: Weekly, Key: fmt.Sprintf("%04d-W%02d", y, w), Start: start, End: start.AddDate(0, 0, 7)}
	default:
		start := time.Date(lt.Year(), lt.Month(), 1, 0, 0, 0, 0, loc)
		return Period{Kind: Monthly, Key: fmt.Sprintf("%04d-%02d", lt.Year(), int(lt.Month())), Start: start, End: start.AddDate(0, 1, 0)}
	}
}

// DaysLeft counts the calendar days from t's date to the end of the period,
// t's own day included: on 19 November a monthly period has 12 days left.
// It is 0 once t is at or past End.
func (p Period) DaysLeft(t time.Time) int {
	loc := p.Start.Location()
	lt := t.In(loc)
	if !lt.Before(p.End) {
		return 0
	}
	day := time.Date(lt.Year(), lt.Month(), lt.Day(), 0, 0, 0, 0, time.UTC)
	end := time.Date(p.End.Year(), p.End.Month(), p.End.Day(), 0, 0, 0, 0, time.UTC)
	return int(end.Sub(day).Hours() / 24)
}

// zones caches loaded locations: time.LoadLocation reads and parses the
// zoneinfo file on every call, and Zone is on the hot path. Locations are
// immutable, so sharing them is safe.
var zones sync.Map // name → *time.Location

// Zone loads a time zone by IANA name, with DefaultZone for "". Safe for
// concurrent use; each zone is loaded once per process.
func Zone(name string) (*time.Location, error) {
	if name == "" {
		name = DefaultZone
	}
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("time zone %q: %w", name, err)
	}
	zones.Store(name, loc)
	return loc, nil
}

// ZoneOrDefault is Zone(name), or DefaultZone when name cannot be loaded: a
// stored state whose zone was valid when set keeps computing periods even if
// this machine's zoneinfo lacks it.
func ZoneOrDefault(name string) *time.Location {
	if loc, err := Zone(name); err == nil {
		return loc
	}
	loc, _ := Zone("")
	return loc
}

// ParseKey is the inverse of Of(...).Key and Anchored(...).Key: "2026-11",
// "2026-W47" or "2026-11@25" in loc.
func ParseKey(key string, loc *time.Location) (Period, bool) {
	var y, n, d int
	if strings.Contains(key, "@") {
		if _, err := fmt.Sscanf(key, "%d-%d@%d", &y, &n, &d); err == nil && len(key) == 10 && n >= 1 && n <= 12 && d >= 2 && d <= MaxAnchorDay {
			return Anchored(d, time.Date(y, time.Month(n), d, 12, 0, 0, 0, loc), loc), true
		}
		return Period{}, false
	}
	if _, err := fmt.Sscanf(key, "%d-W%d", &y, &n); err == nil && len(key) == 8 {
		// ISO week 1 contains 4 January.
		jan4 := time.Date(y, 1, 4, 12, 0, 0, 0, loc)
		return Of(Weekly, jan4.AddDate(0, 0, 7*(n-1)), loc), true
	}
	if _, err := fmt.Sscanf(key, "%d-%d", &y, &n); err == nil && n >= 1 && n <= 12 && !strings.Contains(key, "@") {
		return Of(Monthly, time.Date(y, time.Month(n), 1, 12, 0, 0, 0, loc), loc), true
	}
	return Period{}, false
}

// Anchored is the pay-month of anchor day day (2..28) that contains t in
// loc: from day of a month, 00:00, to day of the next. Its key is
// "2026-11@25" (the month and day it starts). A day outside 2..28 gives
// the calendar month (Of).
func Anchored(day int, t time.Time, loc *time.Location) Period {
	if day < 2 || day > MaxAnchorDay {
		return Of(Monthly, t, loc)
	}
	lt := t.In(loc)
	start := time.Date(lt.Year(), lt.Month(), day, 0, 0, 0, 0, loc)
	if lt.Before(start) {
		start = start.AddDate(0, -1, 0)
	}
	return Period{Kind: Monthly, Key: fmt.Sprintf("%04d-%02d@%02d", start.Year(), int(start.Month()), day), Start: start, End: start.AddDate(0, 1, 0)}
}

// MaxAnchorDay is the last anchor day of a pay-month (every month has it).
const MaxAnchorDay = 28

// OfBudget is the period of a budget of kind k with anchor day anchor (0
// or 1: calendar months; only monthly budgets are anchored) containing t.
func OfBudget(k Kind, anchor int, t time.Time, loc *time.Location) Period {
	if k == Monthly && anchor > 1 {
		return Anchored(anchor, t, loc)
	}
	return Of(k, t, loc)
}
