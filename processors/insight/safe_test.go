package insight

import (
	"testing"

	"finstream/processors/event"
)

// safe_to_spend per budget and over all budgets of a currency, from the
// updates' safe_to_spend_minor: groceries ฿1,450 (฿2,470 left, ฿1,020
// expected), then dining ฿100 (฿100 left, nothing expected): ฿1,550 in all.
// Deleting dining leaves groceries' ฿1,450 alone.
func TestSafeToSpendInsights(t *testing.T) {
	s := &State{UserID: "USR-789"}
	g := groceries(1, 153_000, day(11, 19))
	g.LimitMinor, g.RemainingMinor, g.SafeToSpendMinor, g.CommitmentsMinor, g.Pace = 400_000, 247_000, 145_000, 102_000, event.PaceOnTrack
	got := byID(s.ApplyBudget(g))
	per := got["USR-789|safe_to_spend|groceries|2026-11"]
	if per.Text != "฿1,450 of your Groceries budget is safe to spend, after ฿1,020 of expected recurring payments" ||
		per.Data["days_left"] != 12 || per.Severity != event.SeverityInfo {
		t.Fatalf("per budget: %q %v", per.Text, per.Data)
	}
	d := g
	d.BudgetID, d.Category, d.Version = "USR-789:dining", "dining", 2
	d.LimitMinor, d.SpentMinor, d.RemainingMinor, d.SafeToSpendMinor, d.CommitmentsMinor = 100_000, 90_000, 10_000, 10_000, 0
	all := byID(s.ApplyBudget(d))["USR-789|safe_to_spend|all:THB"]
	if all.Data["safe_to_spend_minor"] != 155_000 || all.Data["commitments_minor"] != 102_000 || all.Data["budgets"] != 2 ||
		all.Text != "฿1,550 safe to spend across your budgets, after ฿1,020 of expected recurring payments" {
		t.Fatalf("overall: %q %v", all.Text, all.Data)
	}
	d.Deleted, d.Version = true, 3
	after := byID(s.ApplyBudget(d))
	if c := after["USR-789|safe_to_spend|dining|2026-11"]; !c.Cleared {
		t.Fatalf("dining not cleared: %+v", after)
	}
	if a := after["USR-789|safe_to_spend|all:THB"]; a.Data["safe_to_spend_minor"] != 145_000 || a.Data["budgets"] != 1 {
		t.Fatalf("overall after delete %v", a.Data)
	}
	// An update of an earlier build (no pace) makes none.
	old := groceries(1, 1_000, day(11, 19))
	old.BudgetID, old.Category = "USR-789:travel", "travel"
	if _, ok := byID((&State{UserID: "USR-789"}).ApplyBudget(old))["USR-789|safe_to_spend|travel|2026-11"]; ok {
		t.Fatal("safe_to_spend from an update without one")
	}
}

func byID(list []event.Insight) map[string]event.Insight {
	out := map[string]event.Insight{}
	for _, in := range list {
		out[in.InsightID] = in
	}
	return out
}
