package shared

import (
	"reflect"
	"slices"
	"testing"

	"finstream/processors/event"
)

func sharedAlertIDs(effs ...Effects) []string {
	var out []string
	for _, e := range effs {
		for _, a := range e.Alerts {
			out = append(out, a.AlertID)
		}
	}
	slices.Sort(out)
	return out
}

// Shared-budget alert ids name the n-th crossing, not the transaction: the
// same spends in another order fire the same ids; crossing again after a
// reversal or a higher limit is the next crossing; a redelivery re-sends
// the same ids, through the codec too.
func TestSharedAlertIDs(t *testing.T) {
	run := func(order ...string) []string {
		b := household(t)
		amounts := map[string]int64{"T1": 700_000, "T2": 650_000, "T3": 300_000}
		var effs []Effects
		for _, id := range order {
			effs = append(effs, b.ApplySpend(spend(id, "B", amounts[id], 1)))
		}
		return sharedAlertIDs(effs...)
	}
	want := []string{"BDG-456|2026-11|10000|1|A", "BDG-456|2026-11|10000|1|B", "BDG-456|2026-11|5000|1|A", "BDG-456|2026-11|5000|1|B",
		"BDG-456|2026-11|8000|1|A", "BDG-456|2026-11|8000|1|B", "BDG-456|2026-11|9000|1|A", "BDG-456|2026-11|9000|1|B"}
	if a, b := run("T1", "T2", "T3"), run("T3", "T2", "T1"); !reflect.DeepEqual(a, want) || !reflect.DeepEqual(b, want) {
		t.Fatalf("ids %v and %v, want %v", a, b, want)
	}

	b := household(t)
	b.ApplySpend(spend("T1", "B", 1_400_000, 1)) // 87.5%
	b.ApplySpend(spend("T1", "B", 0, 2, before(1_400_000, at(10, 10))))
	again := spend("T2", "B", 1_300_000, 1) // 81.25%: 5000 and 8000 a second time
	first := b.ApplySpend(again)
	if got, want := sharedAlertIDs(first), []string{"BDG-456|2026-11|5000|2|A", "BDG-456|2026-11|5000|2|B", "BDG-456|2026-11|8000|2|A", "BDG-456|2026-11|8000|2|B"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("after a reversal: %v, want %v", got, want)
	}
	if re := roundTrip(t, b).ApplySpend(again); !reflect.DeepEqual(sharedAlertIDs(re), sharedAlertIDs(first)) {
		t.Fatalf("redelivery after the codec re-sent %v, want %v", sharedAlertIDs(re), sharedAlertIDs(first))
	}
	lim := cmd("c-limit", event.CmdSharedSetLimit, "A", "", "", 11)
	lim.LimitMinor = 3_200_000 // 40.6%: 8000 and 5000 drop
	mustApply(t, b, lim)
	if got, want := sharedAlertIDs(b.ApplySpend(spend("T3", "B", 1_300_000, 1))), []string{"BDG-456|2026-11|5000|3|A", "BDG-456|2026-11|5000|3|B", "BDG-456|2026-11|8000|3|A", "BDG-456|2026-11|8000|3|B"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("after a higher limit: %v, want %v", got, want)
	}
}
