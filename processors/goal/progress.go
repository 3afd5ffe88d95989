package goal

import (
	"fmt"
	"time"

	"finstream/processors/event"
)

// ProgressBP is floor(saved·10000/target), 0 when nothing is saved.
func ProgressBP(saved, target int64) int64 {
	if saved <= 0 || target <= 0 {
		return 0
	}
	return saved * 10000 / target
}

// Projection is a goal's projected completion from its recent rate.
type Projection struct {
	Date    string // "2026-12-25"; "" when nothing projects (no net contribution)
	OnTrack bool
	// WindowDays and NetMinor are the rate: NetMinor over WindowDays days.
	WindowDays int64
	NetMinor   int64
}

// Project computes the projected completion date of g, as of the date of
// its latest flow (AsOf, in loc):
//
//	W    = min(RateWindowDays, days from the first contribution's date to AsOf's date, both included)
//	net  = net contributions dated within the last W days (AsOf's date included)
//	date = AsOf's date + ceil((target − saved) · W / net) days
//
// A completed goal projects to the date it completed; with net ≤ 0 nothing
// projects. OnTrack: completed, or a projected date on or before the
// target date (any projected date when the goal has none).
func Project(g *Goal, loc *time.Location) Projection {
	if g.CompletedOn != "" && g.SavedMinor >= g.TargetMinor {
		return Projection{Date: g.CompletedOn, OnTrack: true}
	}
	if g.FirstDate == "" || g.AsOf.IsZero() {
		return Projection{}
	}
	asOf := date(g.AsOf, loc)
	first, err := time.Parse(time.DateOnly, g.FirstDate)
	if err != nil {
		return Projection{}
	}
	w := min(int64(RateWindowDays), days(first, asOf)+1)
	var net int64
	for d, amt := range g.Daily {
		t, err := time.Parse(time.DateOnly, d)
		if err == nil && !t.After(asOf) && days(t, asOf) < w {
			net += amt
		}
	}
	p := Projection{WindowDays: w, NetMinor: net}
	rem := g.TargetMinor - g.SavedMinor
	if net <= 0 {
		return p
	}
	n := (rem*w + net - 1) / net
	p.Date = asOf.AddDate(0, 0, int(n)).Format(time.DateOnly)
	p.OnTrack = g.TargetDate == "" || p.Date <= g.TargetDate
	return p
}

// date is t's calendar date in loc, as midnight UTC.
func date(t time.Time, loc *time.Location) time.Time {
	lt := t.In(loc)
	return time.Date(lt.Year(), lt.Month(), lt.Day(), 0, 0, 0, 0, time.UTC)
}

func days(a, b time.Time) int64 { return int64(b.Sub(a).Hours() / 24) }

// pruneDaily forgets the dates before the rate window of AsOf.
func (g *Goal) pruneDaily(loc *time.Location) {
	asOf := date(g.AsOf, loc)
	for d := range g.Daily {
		t, err := time.Parse(time.DateOnly, d)
		if err != nil || days(t, asOf) >= RateWindowDays {
			delete(g.Daily, d)
		}
	}
}

// progressed bumps the goal's version, announces the milestones reached
// for the first time, and returns the events of the change for every
// participant (see events) and the milestones it reached. Milestones are
// announced once per goal: a withdrawal below one and a new crossing do not
// announce it again (a change of target forgets the announcements the new
// progress no longer reaches, see SetGoal).
func (s *State) progressed(g *Goal, at time.Time, txnID string, amount int64, contributor string) (Effects, []int64) {
	loc := s.location()
	g.Version++
	s.Version++
	progress := ProgressBP(g.SavedMinor, g.TargetMinor)
	if g.SavedMinor >= g.TargetMinor && g.CompletedOn == "" {
		g.CompletedOn = date(at, loc).Format(time.DateOnly)
	}
	if g.SavedMinor < g.TargetMinor {
		g.CompletedOn = ""
	}
	var reached []int64
	for _, m := range MilestonesBP {
		if progress >= m && !announced(g, m) {
			g.Announced = append(g.Announced, m)
			reached = append(reached, m)
		}
	}
	return s.events(g, at, g.Version, txnID, amount, contributor, reached), reached
}

// events are the events of goal version version for every participant: a
// GoalUpdated each ("<owner>|<goal>|v<version>"), then a GoalMilestone each
// per milestone of reached ("<owner>|<goal>|m<bp>"), with the goal's
// current totals.
func (s *State) events(g *Goal, at time.Time, version int64, txnID string, amount int64, contributor string, reached []int64) Effects {
	var eff Effects
	base := s.event(g, at)
	base.Version = version
	base.TxnID, base.AmountMinor, base.ContributorID = txnID, amount, contributor
	base.Kind, base.EventID = event.GoalUpdated, fmt.Sprintf("%s|%s|v%d", s.UserID, g.ID, version)
	eff.Events = append(eff.Events, s.fanOut(g, base)...)
	for _, m := range reached {
		ev := base
		ev.Kind, ev.MilestoneBP, ev.EventID = event.GoalMilestone, m, fmt.Sprintf("%s|%s|m%d", s.UserID, g.ID, m)
		eff.Events = append(eff.Events, s.fanOut(g, ev)...)
	}
	return eff
}

func announced(g *Goal, m int64) bool {
	for _, a := range g.Announced {
		if a == m {
			return true
		}
	}
	return false
}

// event is the goal's current state as a GoalEvent (without recipient).
func (s *State) event(g *Goal, at time.Time) event.GoalEvent {
	p := Project(g, s.location())
	ev := event.GoalEvent{
		OwnerID: s.UserID, GoalID: g.ID, Name: g.Name, AccountID: s.accountOf(g), Currency: g.Currency,
		TargetMinor: g.TargetMinor, SavedMinor: g.SavedMinor, ProgressBP: ProgressBP(g.SavedMinor, g.TargetMinor),
		MilestonesBP: append([]int64{}, g.Announced...), ProjectedDate: p.Date, TargetDate: g.TargetDate,
		OnTrack: p.OnTrack, Version: g.Version, EventTime: at, Participants: contributors(g),
	}
	return ev
}

// fanOut addresses ev to every participant (the owner first).
func (s *State) fanOut(g *Goal, ev event.GoalEvent) []event.GoalEvent {
	var out []event.GoalEvent
	for _, id := range participantIDs(g) {
		e := ev
		e.UserID, e.Role = id, g.Participants[id].Role
		e.Participants = append([]event.GoalContributor{}, ev.Participants...)
		e.MilestonesBP = append([]int64{}, ev.MilestonesBP...)
		out = append(out, e)
	}
	return out
}

// contributors lists every participant with their net contribution and
// share of the saved total (ShareBP = floor(saved·10000/total), 0 when the
// total is not positive).
func contributors(g *Goal) []event.GoalContributor {
	var out []event.GoalContributor
	for _, id := range participantIDs(g) {
		p := g.Participants[id]
		c := event.GoalContributor{UserID: id, Role: p.Role, SavedMinor: p.SavedMinor}
		if g.SavedMinor > 0 && p.SavedMinor > 0 {
			c.ShareBP = p.SavedMinor * 10000 / g.SavedMinor
		}
		out = append(out, c)
	}
	return out
}
