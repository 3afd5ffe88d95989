package budget

import (
	"sort"
	"time"

	"finstream/processors/period"
)

// Time-driven state: what a clock tick, without any transaction, changes.
// A tick visits every user's state (goka's visitor, processors/ticks.go);
// Tick decides from the state alone whether a period started since the
// last push, so ticks may come late, twice or after a restart: each
// budget's period start is pushed once, and a missed tick is made good by
// the next.

// DigestHour is the local hour from which a day's digest is due: the
// digest of day D is sent on the first tick on D at or after 08:00.
const DigestHour = 8

// Digest is the facts of a daily digest: yesterday's spend and the
// month to date, per category, in the user's zone.
type Digest struct {
	UserID string
	// Day is the local date the digest is sent on (YYYY-MM-DD).
	Day string
	// MonthToDate is the spend of the current month per category (the
	// state keeps monthly and weekly buckets, not days).
	MonthToDate []CategorySpend
	// Budgets are the current period's budget views.
	Budgets []View
	At      time.Time
}

// Tick applies the clock at now: each budget whose current period was not
// pushed yet (a period started, or the budget is new to ticks) gets a
// fresh update at a new version; with the digest opted in (SetDigest), the
// day's digest is returned once per local day from DigestHour. changed
// reports whether the state must be stored.
func (s *State) Tick(now time.Time) (eff Effects, digest *Digest, changed bool) {
	loc := s.location()
	cats := make([]string, 0, len(s.Budgets))
	for c := range s.Budgets {
		cats = append(cats, c)
	}
	sort.Strings(cats)
	for _, c := range cats {
		b := s.Budgets[c]
		p := period.Of(b.Period, now, loc)
		if b.PushedPeriod == p.Key || (b.PushedPeriod != "" && b.PushedPeriod > p.Key && samePeriodKind(b.PushedPeriod, p.Key)) {
			continue // pushed, or the clock went back (a replay of old ticks)
		}
		s.Version++
		b.Version = s.Version
		b.PushedPeriod = p.Key
		eff.Updates = append(eff.Updates, s.update(b, p, p.Start))
		changed = true
	}
	if s.DigestOn {
		local := now.In(loc)
		day := local.Format(time.DateOnly)
		if local.Hour() >= DigestHour && day > s.DigestDay {
			s.DigestDay = day
			s.Version++
			changed = true
			key := s.PeriodKey(period.Monthly, now)
			digest = &Digest{UserID: s.UserID, Day: day,
				MonthToDate: s.SpendingIn(key), Budgets: s.Views(now), At: now}
		}
	}
	return eff, digest, changed
}

// SetDigest turns the daily digest on or off (a notification setting the
// notifications processor forwards). It reports whether it changed.
func (s *State) SetDigest(on bool) bool {
	if s.DigestOn == on {
		return false
	}
	s.DigestOn = on
	s.Version++
	return true
}

// samePeriodKind: monthly keys (2026-11) and weekly keys (2026-W47) only
// compare among themselves.
func samePeriodKind(a, b string) bool { return len(a) == len(b) }

// writeTicks and readTicks encode the tick markers as an optional trailer
// of the state's binary form: a value without it (earlier builds) decodes
// with no budget pushed and the digest off. Bounded: one period key per
// budget, one date.
func (s *State) writeTicks(w *writer) {
	n := 0
	for _, b := range s.Budgets {
		if b.PushedPeriod != "" {
			n++
		}
	}
	if n == 0 && !s.DigestOn && s.DigestDay == "" {
		return
	}
	w.uint(n)
	for _, b := range s.Budgets {
		if b.PushedPeriod != "" {
			w.str(b.Category)
			w.str(b.PushedPeriod)
		}
	}
	w.bool(s.DigestOn)
	w.str(s.DigestDay)
}

func (s *State) readTicks(r *reader) {
	if len(r.b) == 0 {
		return
	}
	for n := r.len(); n > 0; n-- {
		cat, key := r.str(), r.str()
		if b := s.Budgets[cat]; b != nil {
			b.PushedPeriod = key
		}
	}
	s.DigestOn = r.byte() == 1
	s.DigestDay = r.str()
}
