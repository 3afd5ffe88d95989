package period

import "time"

// Day is the 1-based day of the period that t falls on (1 on its first
// day), clamped to [1, Days()].
func (p Period) Day(t time.Time) int {
	loc := p.Start.Location()
	d := int(DaysBetween(Date(p.Start, loc), Date(t, loc))) + 1
	return max(1, min(d, p.Days()))
}

// Days is the number of calendar days of the period (28..31, or 7).
func (p Period) Days() int {
	loc := p.Start.Location()
	return int(DaysBetween(Date(p.Start, loc), Date(p.End, loc)))
}

// ElapsedBP is the share of the period elapsed by the end of t's day, in
// basis points: floor(Day(t)·10000/Days()). On 6 November it is
// 6·10000/30 = 2000.
func (p Period) ElapsedBP(t time.Time) int64 {
	n := p.Days()
	if n <= 0 {
		return 0
	}
	return int64(p.Day(t)) * 10000 / int64(n)
}
