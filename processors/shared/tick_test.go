package shared

import (
	"testing"
	"time"

	"finstream/processors/event"
)

// A household budget's month start is pushed once to its participants:
// the new period, spent 0, each participant at ฿0, a higher version; the
// marker survives the codec.
func TestTickPushesTheSharedPeriodStartOnce(t *testing.T) {
	b := household(t)
	b.ApplySpend(spend("T1", "A", 700_000, 1))
	first, changed := b.Tick(at(20, 12)) // new to ticks: November pushed once
	if !changed || len(first.Updates) != 1 || first.Updates[0].PeriodKey != "2026-11" || first.Updates[0].SpentMinor != 700_000 {
		t.Fatalf("first tick %+v", first)
	}
	if _, changed := b.Tick(at(30, 23)); changed {
		t.Fatal("a tick within November pushed again")
	}
	v := b.Version
	eff, changed := b.Tick(time.Date(2026, 12, 1, 0, 0, 5, 0, bkk))
	if !changed || len(eff.Updates) != 1 {
		t.Fatalf("month start %+v", eff)
	}
	u := eff.Updates[0]
	want := []event.ParticipantSpend{{UserID: "A", Role: "owner"}, {UserID: "B", Role: "contributor"}}
	if u.Kind != event.BudgetShared || u.PeriodKey != "2026-12" || u.SpentMinor != 0 || u.RemainingMinor != 1_600_000 || u.Version != v+1 ||
		!u.PeriodStart.Equal(time.Date(2026, 12, 1, 0, 0, 0, 0, bkk)) || len(u.Participants) != 2 ||
		u.Participants[0] != want[0] || u.Participants[1] != want[1] {
		t.Fatalf("shared period-start update %+v", u)
	}
	back := roundTrip(t, b)
	if back.PushedPeriod != "2026-12" {
		t.Fatalf("marker after the codec: %q", back.PushedPeriod)
	}
	if _, changed := back.Tick(time.Date(2026, 12, 1, 0, 1, 0, 0, bkk)); changed {
		t.Fatal("pushed again after a restart")
	}
}
