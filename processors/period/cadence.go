package period

import "time"

// Cadences of a regular payment, in days.
const (
	CadenceWeekly  = 7
	CadenceMonthly = 30
)

// Date is t's calendar date in loc as midnight UTC, for day arithmetic.
func Date(t time.Time, loc *time.Location) time.Time {
	lt := t.In(loc)
	return time.Date(lt.Year(), lt.Month(), lt.Day(), 0, 0, 0, 0, time.UTC)
}

// AddMonth is the same day of the next month, clipped to its last day.
func AddMonth(d time.Time) time.Time {
	first := time.Date(d.Year(), d.Month()+1, 1, 0, 0, 0, 0, d.Location())
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(d.Day(), last), 0, 0, 0, 0, d.Location())
}

// DaysBetween is the number of whole days from a to b (dates as Date gives).
func DaysBetween(a, b time.Time) int64 {
	return int64(b.Sub(a).Hours() / 24)
}

// Cadence is the cadence two consecutive payment dates match: weekly (6..8
// days apart), monthly (within 3 days of the same day of the next month) or
// 0 (neither).
func Cadence(a, b time.Time) int {
	days := DaysBetween(a, b)
	if days >= 6 && days <= 8 {
		return CadenceWeekly
	}
	if d := DaysBetween(AddMonth(a), b); d >= -3 && d <= 3 {
		return CadenceMonthly
	}
	return 0
}

// Next is the date one cadence after d: a week later, or the same day of
// the next month (clipped).
func Next(d time.Time, cadence int) time.Time {
	if cadence == CadenceMonthly {
		return AddMonth(d)
	}
	return d.AddDate(0, 0, CadenceWeekly)
}

// Tolerance is how many days late a payment of the cadence may come and
// still be expected: 1 for weekly, 3 for monthly.
func Tolerance(cadence int) int {
	if cadence == CadenceMonthly {
		return 3
	}
	return 1
}
