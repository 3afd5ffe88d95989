package goal

import (
	"fmt"
	"time"

	"finstream/processors/event"
	"finstream/processors/period"
)

// MonthsLeft is the number of months from date today to date target, a
// started month counting as one, at least 1: from 19 November 2026 to 19
// May 2027 it is 6, to 20 May 2027 7, to 31 December 2026 2; a target on
// or before today leaves 1 (all of it now).
func MonthsLeft(today, target time.Time) int64 {
	m := int64(target.Year()-today.Year())*12 + int64(target.Month()-today.Month())
	if target.Day() > today.Day() {
		m++
	}
	return max(1, m)
}

// MonthlyNeeded is what must be saved per month from today to reach target
// by targetDate ("2027-05-19"): ceil((target − saved) / MonthsLeft), 0
// once reached; false without a (valid) target date.
func MonthlyNeeded(saved, target int64, targetDate string, today time.Time) (int64, bool) {
	due, err := time.Parse(time.DateOnly, targetDate)
	if err != nil {
		return 0, false
	}
	rem := target - saved
	if rem <= 0 {
		return 0, true
	}
	m := MonthsLeft(today, due)
	return (rem + m - 1) / m, true
}

// Plan fills v's MonthlyNeededMinor as of now (today in the owner's zone).
func (s *State) Plan(v *View, now time.Time) {
	if v.TargetDate == nil {
		return
	}
	if n, ok := MonthlyNeeded(v.SavedMinor, v.TargetMinor, *v.TargetDate, date(now, s.location())); ok {
		v.MonthlyNeededMinor = &n
	}
}

// offTrack is the off-track event of g after a flow at at, for every
// participant, at most once per calendar month of at (in the owner's
// zone). Rule: a goal with a target date, not reached, that has had money
// in (a rate to project from) and whose projection (Project) misses the
// target date, or projects nothing (no net saving in the rate window).
// Its EventID is "<owner>|<goal>|off<month>".
func (s *State) offTrack(g *Goal, at time.Time) []event.GoalEvent {
	loc := s.location()
	month := period.Of(period.Monthly, at, loc).Key
	if g.TargetDate == "" || g.SavedMinor >= g.TargetMinor || g.FirstDate == "" || g.OffTrackMonth >= month || Project(g, loc).OnTrack {
		return nil
	}
	g.OffTrackMonth = month
	return s.offTrackEvents(g, at, month)
}

// offTrackEvents are g's goal_off_track events of month for every
// participant, with the goal's current totals (also when re-sent).
func (s *State) offTrackEvents(g *Goal, at time.Time, month string) []event.GoalEvent {
	ev := s.event(g, at)
	ev.Kind, ev.EventID = event.GoalOffTrack, fmt.Sprintf("%s|%s|off%s", s.UserID, g.ID, month)
	ev.MonthlyNeededMinor, _ = MonthlyNeeded(g.SavedMinor, g.TargetMinor, g.TargetDate, date(at, s.location()))
	return s.fanOut(g, ev)
}
