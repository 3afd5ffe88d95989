package budget

import (
	"testing"
	"time"
)

// A period start is pushed once by the first tick in it, with the new
// period's numbers (spent 0) at a higher version; ticks in between change
// nothing, so nothing is stored.
func TestTickPushesEachPeriodStartOnce(t *testing.T) {
	s := NewBook("USR-789")
	groceries(t, s, 400_000) // monthly, set on 1 Nov 09:00 Bangkok
	s.ApplyTxn(change(txn("T1", 150_000, "POSTED", at(5, 10)), 10))
	weekly, _ := ValidateBudget("dining", 100_000, "THB", "weekly", nil, known)
	s.SetBudget(*weekly, at(16, 9)) // Monday 16 Nov: week 2026-W47

	// The budgets were pushed when set: ticks within their periods do nothing.
	for _, now := range []time.Time{at(20, 12), at(22, 23)} {
		if eff, _, changed := s.Tick(now); changed || len(eff.Updates) != 0 {
			t.Fatalf("tick at %v: %+v", now, eff)
		}
	}
	v0 := s.Version
	// Monday 23 Nov 00:00:30 Bangkok: a new week, the month goes on.
	eff, _, changed := s.Tick(time.Date(2026, 11, 23, 0, 0, 30, 0, bkk))
	if !changed || len(eff.Updates) != 1 {
		t.Fatalf("week start: %+v", eff)
	}
	u := eff.Updates[0]
	if u.BudgetID != "USR-789:dining" || u.PeriodKey != "2026-W48" || u.SpentMinor != 0 || u.RemainingMinor != 100_000 ||
		u.Version != v0+1 || !u.PeriodStart.Equal(time.Date(2026, 11, 22, 17, 0, 0, 0, time.UTC)) || !u.EventTime.Equal(u.PeriodStart) {
		t.Fatalf("week push %+v", u)
	}
	// 1 Dec 00:00:30 Bangkok (30 Nov 17:00:30 UTC): the month starts, and the
	// week (still W49 from Monday 30 Nov) was not pushed yet either.
	eff, _, _ = s.Tick(time.Date(2026, 11, 30, 17, 0, 30, 0, time.UTC))
	if len(eff.Updates) != 2 {
		t.Fatalf("month start: %+v", eff.Updates)
	}
	m := eff.Updates[1] // sorted by category: dining, groceries
	if m.BudgetID != "USR-789:groceries" || m.PeriodKey != "2026-12" || m.SpentMinor != 0 || m.LimitMinor != 400_000 ||
		m.UsedBP != 0 || m.Version != v0+3 || !m.PeriodStart.Equal(time.Date(2026, 11, 30, 17, 0, 0, 0, time.UTC)) {
		t.Fatalf("month push %+v", m)
	}
	if eff.Updates[0].PeriodKey != "2026-W49" {
		t.Fatalf("week push %+v", eff.Updates[0])
	}
	// The same tick again, and a late tick from before: nothing.
	for _, now := range []time.Time{time.Date(2026, 12, 1, 0, 1, 0, 0, bkk), at(29, 12)} {
		if eff, _, changed := s.Tick(now); changed {
			t.Fatalf("tick at %v pushed again: %+v", now, eff)
		}
	}
	// The markers survive the table codec (a restart).
	b, err := s.State.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var back State
	if err := back.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	if back.Budgets["groceries"].PushedPeriod != "2026-12" || back.Budgets["dining"].PushedPeriod != "2026-W49" {
		t.Fatalf("markers after decode: %+v %+v", back.Budgets["groceries"], back.Budgets["dining"])
	}
	if _, _, changed := back.Tick(time.Date(2026, 12, 1, 0, 2, 0, 0, bkk)); changed {
		t.Fatal("a restarted state pushed again")
	}
}

// The daily digest is opt-in and goes once a local day, from 08:00.
func TestTickDailyDigest(t *testing.T) {
	s := NewBook("USR-789")
	groceries(t, s, 400_000)
	s.ApplyTxn(change(txn("T1", 150_000, "POSTED", at(5, 10)), 10))
	if _, d, _ := s.Tick(at(6, 9)); d != nil {
		t.Fatalf("digest without opting in: %+v", d)
	}
	if !s.SetDigest(true) || s.SetDigest(true) {
		t.Fatal("SetDigest reports changes wrongly")
	}
	if _, d, _ := s.Tick(at(6, 7)); d != nil {
		t.Fatalf("digest before 08:00: %+v", d)
	}
	_, d, changed := s.Tick(at(6, 8))
	if d == nil || !changed || d.Day != "2026-11-06" || len(d.MonthToDate) != 1 || d.MonthToDate[0].SpentMinor != 150_000 ||
		len(d.Budgets) != 1 || d.Budgets[0].RemainingMinor != 250_000 {
		t.Fatalf("digest %+v", d)
	}
	if _, d, changed := s.Tick(at(6, 20)); d != nil || changed {
		t.Fatalf("second digest the same day: %+v", d)
	}
	if _, d, _ := s.Tick(at(7, 8)); d == nil || d.Day != "2026-11-07" {
		t.Fatalf("next day's digest %+v", d)
	}
	b, _ := s.State.MarshalBinary()
	var back State
	if err := back.UnmarshalBinary(b); err != nil || !back.DigestOn || back.DigestDay != "2026-11-07" {
		t.Fatalf("digest settings after decode: %v %v %q", err, back.DigestOn, back.DigestDay)
	}
}
