package budget

import (
	"fmt"
	"testing"
	"time"

	"finstream/processors/cdc"
)

// BenchmarkEvent is the users processor's cost per event for a user a year
// in (5 budgets, 2,000 transactions): decode the value, apply one new
// transaction, encode the value.
func BenchmarkEvent(b *testing.B) {
	s := NewBook("USR-000001")
	for _, c := range []string{"groceries", "dining", "transport", "shopping", "subscriptions"} {
		bd, _ := ValidateBudget(c, 1_000_000, "THB", "monthly", nil, known)
		s.SetBudget(*bd, time.Date(2025, 5, 1, 0, 0, 0, 0, bkk))
	}
	mccs := []int{5411, 5812, 4121, 5651, 4899, 5912, 7832, 4900}
	start := time.Date(2025, 5, 1, 8, 0, 0, 0, bkk)
	row := func(i int) cdc.TxnChange {
		posted := start.Add(time.Duration(i) * 24 * time.Hour / 5)
		r := cdc.Txn{ID: fmt.Sprintf("TXN-%06d", i), AccountID: "ACC-1", UserID: "USR-000001", Direction: "DEBIT", Type: "PURCHASE",
			Status: "POSTED", AmountMinor: int64(5_000 + i%97*100), Currency: "THB",
			MerchantName: fmt.Sprintf("Merchant %d", i%40), MerchantID: fmt.Sprintf("M-%d", i%40), MCC: mccs[i%len(mccs)],
			Channel: "CARD", PostedAt: posted, UpdatedAt: posted}
		return cdc.TxnChange{Op: cdc.OpCreate, Row: r, Pos: cdc.Position{LSN: int64(i), TsMs: posted.UnixMilli()}}
	}
	for i := range 2000 {
		s.ApplyTxnFrom(row(i), At(0, int64(i)))
	}
	raw, _ := Codec{}.Encode(s.State)
	b.Logf("users value %d bytes", len(raw))
	b.ReportAllocs()
	i := 2000
	for b.Loop() {
		v, err := Codec{}.Decode(raw)
		if err != nil {
			b.Fatal(err)
		}
		st := v.(State)
		bk := &Book{State: &st, Ledgers: s.Ledgers}
		bk.ApplyTxnFrom(row(i), At(0, int64(i)))
		raw, _ = Codec{}.Encode(bk.State)
		i++
	}
}
