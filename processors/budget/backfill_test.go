package budget

import (
	"reflect"
	"testing"

	"finstream/processors/category"
	"finstream/processors/cdc"
)

func villa(id string, amount int64, day int) cdc.Txn {
	t := txn(id, amount, "POSTED", at(day, 10))
	t.MerchantName, t.MerchantID = "Villa Market", "M-VILLA-01"
	return t
}

// "All from this merchant": ฿1,000 + ฿500 at Villa Market move from
// groceries to dining (฿800 at Tesco stays); dining's ฿3,000 budget crosses
// 50% once, the merchant's rule is learned, and the same move again
// changes nothing.
func TestBackfillMovesAllFromAMerchant(t *testing.T) {
	s := NewBook("USR-789")
	groceries(t, s, 400_000)
	dining, _ := ValidateBudget("dining", 300_000, "THB", "monthly", nil, known)
	s.SetBudget(*dining, at(1, 9))
	s.ApplyTxn(change(villa("V1", 100_000, 3), 10))
	s.ApplyTxn(change(villa("V2", 50_000, 4), 20))
	s.ApplyTxn(change(txn("T1", 80_000, "POSTED", at(5, 10)), 30))
	if v := s.Views(at(6, 9)); v[1].SpentMinor != 230_000 || v[0].SpentMinor != 0 {
		t.Fatalf("before: %+v", v)
	}
	key := category.MerchantKey("M-VILLA-01", "Villa Market")
	eff := s.Backfill(Backfill{UserID: "USR-789", Merchant: key, Category: "dining"})
	if len(eff.Categorized) != 2 {
		t.Fatalf("moved %d transactions, want 2", len(eff.Categorized))
	}
	v := s.Views(at(6, 9)) // dining, groceries
	if v[0].SpentMinor != 150_000 || v[0].UsedBP != 5000 || v[1].SpentMinor != 80_000 || v[1].UsedBP != 2000 {
		t.Fatalf("after: %+v", v)
	}
	if got := alertThresholds(eff); !reflect.DeepEqual(got, []int64{5000}) {
		t.Fatalf("alerts %v, want dining's 5000 once", got)
	}
	if s.Rules[key] != "dining" {
		t.Fatalf("rule not learned: %v", s.Rules)
	}
	if again := s.Backfill(Backfill{UserID: "USR-789", Merchant: key, Category: "dining"}); again.Changed() {
		t.Fatalf("the same move again: %+v", again)
	}
	// Another user's spec touches nothing of this user's.
	if other := s.Backfill(Backfill{UserID: "USR-OTHER", Merchant: key, Category: "shopping"}); other.Changed() {
		t.Fatalf("another user's move: %+v", other)
	}
}

// A re-run over every transaction after a rule change re-categorizes what
// the rules decided and keeps what the user chose.
func TestBackfillRerunKeepsUserChoices(t *testing.T) {
	s := NewBook("USR-789")
	odd := txn("X1", 70_000, "POSTED", at(3, 10))
	odd.MCC, odd.MerchantName, odd.MerchantID = 0, "Zzq Unknown Shop", "M-ZZQ"
	s.ApplyTxn(change(odd, 10))
	s.ApplyTxn(change(txn("T1", 80_000, "POSTED", at(5, 10)), 20))
	mine := txn("T2", 20_000, "POSTED", at(5, 11))
	mine.MCC, mine.MerchantName, mine.MerchantID = 5311, "Central Chidlom", "M-CENTRAL" // shopping
	s.ApplyTxn(change(mine, 30))
	if _, err := s.Recategorize("T2", "health", at(5, 12)); err != nil {
		t.Fatal(err)
	}
	// The rules have not changed: nothing moves.
	if eff := s.Backfill(Backfill{}); eff.Changed() {
		t.Fatalf("a re-run without a rule change moved %+v", eff.Categorized)
	}
	// A ledger whose category predates the current rules (as after a change
	// of the MCC table): the re-run puts it where the rules say now.
	l := s.Ledgers["T1"]
	l.Changes[len(l.Changes)-1].Rec.Category = "shopping"
	out := l.Backfill(Backfill{}, s.rules())
	if len(out.Records) != 1 || out.Records[0].Category != "groceries" || out.Records[0].Source != "mcc" || out.Records[0].Counts.Category != "groceries" {
		t.Fatalf("re-run moved %+v", out.Records)
	}
	if s.Ledgers["X1"].Last().Category != "other" {
		t.Fatalf("X1 %+v", s.Ledgers["X1"].Last())
	}
	if s.Ledgers["T2"].Last().Category != "health" {
		t.Fatal("the user's own choice was re-categorized")
	}
}
