package insight

import (
	"testing"

	"finstream/processors/event"
)

func TestMedianMAD(t *testing.T) {
	for _, c := range []struct {
		xs       []int64
		med, mad int64
	}{
		{nil, 0, 0},
		{[]int64{5}, 5, 0},
		{[]int64{100, 120, 90, 110, 100}, 100, 10},
		{[]int64{1000, 2000, 3000, 1500, 1500, 2000}, 1750, 250},
		{[]int64{1, 2, 3, 4}, 2, 1}, // (2+3)/2 = 2; deviations 1 0 1 2 → (1+1)/2
	} {
		med := median(c.xs)
		if med != c.med || (len(c.xs) > 0 && mad(c.xs, med) != c.mad) {
			t.Errorf("median/mad(%v) = %d/%d, want %d/%d", c.xs, med, mad(c.xs, med), c.med, c.mad)
		}
	}
}

func TestTimes(t *testing.T) {
	for bp, want := range map[int64]string{15000: "1.5×", 40000: "4×", 16363: "1.63×", 21111: "2.11×", 10500: "1.05×"} {
		if got := Times(bp); got != want {
			t.Errorf("Times(%d) = %q, want %q", bp, got, want)
		}
	}
}

// A state restored from its table (Codec) and fed the same records again,
// as after a crash before the offsets were committed, emits nothing.
func TestReplayAfterRestore(t *testing.T) {
	in := []any{
		txn("NF1", "subscriptions", "Netflix", 419, day(9, 5)),
		txn("NF2", "subscriptions", "Netflix", 419, day(10, 5)),
		txn("NF3", "subscriptions", "Netflix", 419, day(11, 6)),
		groceries(3, 1_500_000, day(11, 19)),
		reversed(txn("NF2", "subscriptions", "Netflix", 419, day(10, 5))),
	}
	apply := func(s *State, v any) int {
		switch v := v.(type) {
		case event.Categorized:
			return len(s.ApplyCategorized(v))
		case event.BudgetUpdate:
			return len(s.ApplyBudget(v))
		}
		return 0
	}
	s := &State{UserID: "USR-789"}
	total := 0
	for _, v := range in {
		total += apply(s, v)
	}
	if total != 5 { // recurring, usage, remaining, runway, recurring cleared
		t.Fatalf("%d insights, want 5", total)
	}
	b, err := Codec{}.Encode(s)
	if err != nil {
		t.Fatal(err)
	}
	v, err := Codec{}.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	r := v.(State)
	for _, v := range in {
		if n := apply(&r, v); n != 0 {
			t.Errorf("replayed %T made %d insights", v, n)
		}
	}
	// Before the horizon (3 months before November): ignored.
	if n := apply(&r, txn("OLD", "dining", "X", 100_000, day(7, 31))); n != 0 || r.recent("OLD") != nil {
		t.Errorf("a transaction before the horizon counted")
	}
}
