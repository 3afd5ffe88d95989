// Package period computes budget periods — calendar months and ISO weeks — in
// a user's time zone. All functions are pure: the instant is always passed in.
package period

import (
	"fmt"
	"strconv"
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
		return Period{Kind: Weekly, Key: key(y, 'W', w, 0), Start: start, End: start.AddDate(0, 0, 7)}
	default:
		start := time.Date(lt.Year(), lt.Month(), 1, 0, 0, 0, 0, loc)
		return Period{Kind: Monthly, Key: key(lt.Year(), 0, int(lt.Month()), 0), Start: start, End: start.AddDate(0, 1, 0)}
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
// "2026-W47" or "2026-11@25" in loc. Anything else, a month outside 1..12,
// a week outside 1..53 or an anchor day outside 2..MaxAnchorDay, is not a
// key. (It runs for every spend bucket a state keeps: no fmt scanning.)
func ParseKey(key string, loc *time.Location) (Period, bool) {
	if len(key) < 7 || key[4] != '-' {
		return Period{}, false
	}
	y, ok := digits(key[:4])
	if !ok {
		return Period{}, false
	}
	switch {
	case len(key) == 8 && key[5] == 'W':
		w, ok := digits(key[6:])
		if !ok || w < 1 || w > 53 {
			return Period{}, false
		}
		// ISO week 1 contains 4 January.
		jan4 := time.Date(y, 1, 4, 12, 0, 0, 0, loc)
		return Of(Weekly, jan4.AddDate(0, 0, 7*(w-1)), loc), true
	case len(key) == 7 || len(key) == 10 && key[7] == '@':
		m, ok := digits(key[5:7])
		if !ok || m < 1 || m > 12 {
			return Period{}, false
		}
		if len(key) == 7 {
			return Of(Monthly, time.Date(y, time.Month(m), 1, 12, 0, 0, 0, loc), loc), true
		}
		d, ok := digits(key[8:])
		if !ok || d < 2 || d > MaxAnchorDay {
			return Period{}, false
		}
		return Anchored(d, time.Date(y, time.Month(m), d, 12, 0, 0, 0, loc), loc), true
	}
	return Period{}, false
}

// MonthKey is the key of calendar month m of year y ("2026-11"), as Of
// writes it.
func MonthKey(y int, m time.Month) string { return key(y, 0, int(m), 0) }

// ParseMonth is the year and month of a calendar month's key ("2026-11").
func ParseMonth(k string) (y int, m time.Month, ok bool) {
	if len(k) != 7 || k[4] != '-' {
		return 0, 0, false
	}
	y, oky := digits(k[:4])
	n, okm := digits(k[5:])
	if !oky || !okm || n < 1 || n > 12 {
		return 0, 0, false
	}
	return y, time.Month(n), true
}

// digits is the number s spells in decimal digits only.
func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, len(s) > 0
}

// key formats a period key: the year in four digits, '-', an optional
// letter (W for weeks), n in two digits, and an optional "@dd".
func key(y int, letter byte, n, anchor int) string {
	b := make([]byte, 0, 10)
	b = pad(b, y, 4)
	b = append(b, '-')
	if letter != 0 {
		b = append(b, letter)
	}
	b = pad(b, n, 2)
	if anchor > 0 {
		b = append(b, '@')
		b = pad(b, anchor, 2)
	}
	return string(b)
}

// pad appends n in at least width digits, zero-padded (as %0*d does).
func pad(b []byte, n, width int) []byte {
	if n < 0 {
		return append(b, strconv.Itoa(n)...)
	}
	var d [20]byte
	i := len(d)
	for n > 0 || i == len(d) {
		i--
		d[i] = byte('0' + n%10)
		n /= 10
	}
	for range width - (len(d) - i) {
		b = append(b, '0')
	}
	return append(b, d[i:]...)
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
	return Period{Kind: Monthly, Key: key(start.Year(), 0, int(start.Month()), day), Start: start, End: start.AddDate(0, 1, 0)}
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
