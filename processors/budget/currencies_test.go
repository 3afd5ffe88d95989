package budget

import (
	"slices"
	"testing"
)

func TestCurrencies(t *testing.T) {
	s := State{Spend: map[string]int64{
		bucket("2026-11", "groceries", "THB"):  100,
		bucket("2026-W47", "groceries", "THB"): 100,
		bucket("2026-10", "travel", "USD"):     5,
		bucket("2026-10", "dining", "EUR"):     0,
	}}
	if got := s.Currencies(); !slices.Equal(got, []string{"THB", "USD"}) {
		t.Fatalf("currencies %v", got)
	}
	if got := (&State{}).Currencies(); len(got) != 0 {
		t.Fatalf("new user: %v", got)
	}
}
