package budget

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"finstream/processors/cdc"
)

// State cost: no table value grows with a user's history. One user makes
// 3,000 transactions over 20 months (5 a day, in 8 categories, some
// reversed); the users value and every ledger value are measured at 100
// and at 3,000 transactions.
func TestValueSizeDoesNotGrowWithHistory(t *testing.T) {
	s := historyUser()
	s.SetDigest(true) // the clock ticks' markers (tick.go) are in the value too
	size := func() (users, maxLedger int) {
		raw, err := Codec{}.Encode(s.State)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range s.Ledgers {
			b, err := LedgerCodec{}.Encode(l)
			if err != nil {
				t.Fatal(err)
			}
			maxLedger = max(maxLedger, len(b))
		}
		return len(raw), maxLedger
	}
	var at100 int
	var sizes []int
	for i := range 3000 {
		ch := historyTxn(i, int64(2*i))
		row, posted := ch.Row, ch.Row.PostedAt
		s.ApplyTxnFrom(ch, At(0, int64(2*i)))
		s.Tick(posted)
		if i%10 == 0 { // one in ten is reversed an hour later
			row.Status = "REVERSED"
			ch = cdc.TxnChange{Op: cdc.OpUpdate, Row: row, Pos: cdc.Position{LSN: int64(2*i + 1), TsMs: posted.Add(time.Hour).UnixMilli()}}
			s.ApplyTxnFrom(ch, At(0, int64(2*i+1)))
		}
		switch n := i + 1; {
		case n == 100:
			at100, _ = size()
		case n%500 == 0:
			u, _ := size()
			sizes = append(sizes, u)
		}
	}
	users, maxLedger := size()
	t.Logf("users value: %d bytes at 100 transactions, %v at 500..3,000; largest ledger value %d bytes", at100, sizes, maxLedger)
	// The users value is bounded by its windows (13 months and 10 weeks of
	// buckets, 32 recent records), not by the number of transactions: once
	// the windows are full (a year in), it stops growing.
	if users > 4096 {
		t.Fatalf("users value %d bytes at 3,000 transactions, want ≤ 4 KiB", users)
	}
	// Within the windows the value moves with the day of the period (each
	// budget's largest transactions of its period, MaxBuilders at most):
	// the largest size of the last 1,000 transactions is within 10% of the
	// largest before.
	if last, year := slices.Max(sizes[4:]), slices.Max(sizes[:4]); last > year+year/10 {
		t.Fatalf("users value grew from at most %d bytes (500..2,000 transactions) to %d (2,500..3,000)", year, last)
	}
	if maxLedger > 1024 {
		t.Fatalf("ledger value %d bytes, want ≤ 1 KiB", maxLedger)
	}
	if len(s.Recent) > keepRecent {
		t.Fatalf("duplicate guard holds %d records", len(s.Recent))
	}
}

// historyUser is USR-000001 with five monthly ฿10,000 budgets from May 2025
// (groceries, dining, transport, shopping, subscriptions).
func historyUser() *Book { return budgetedUser(1_000_000) }

// alertingUser is historyUser with ฿1,500 budgets: its purchases cross
// thresholds every month, so the duplicate guard holds alerts.
func alertingUser() *Book { return budgetedUser(150_000) }

func budgetedUser(limit int64) *Book {
	s := NewBook("USR-000001")
	for _, c := range []string{"groceries", "dining", "transport", "shopping", "subscriptions"} {
		b, _ := ValidateBudget(c, limit, "THB", "monthly", nil, known)
		s.SetBudget(*b, time.Date(2025, 5, 1, 0, 0, 0, 0, bkk))
	}
	return s
}

// historyTxn is the user's i-th purchase (5 a day from 1 May 2025, 40
// merchants, 8 MCCs) as a created row at position lsn.
func historyTxn(i int, lsn int64) cdc.TxnChange {
	mccs := []int{5411, 5812, 4121, 5651, 4899, 5912, 7832, 4900}
	posted := time.Date(2025, 5, 1, 8, 0, 0, 0, bkk).Add(time.Duration(i) * 24 * time.Hour / 5)
	row := cdc.Txn{ID: fmt.Sprintf("TXN-%06d", i), AccountID: "ACC-1", UserID: "USR-000001", Direction: "DEBIT", Type: "PURCHASE",
		Status: "POSTED", AmountMinor: int64(5_000 + i%97*100), Currency: "THB",
		MerchantName: fmt.Sprintf("Merchant %d", i%40), MerchantID: fmt.Sprintf("M-%d", i%40), MCC: mccs[i%len(mccs)],
		Channel: "CARD", PostedAt: posted, UpdatedAt: posted}
	return cdc.TxnChange{Op: cdc.OpCreate, Row: row, Pos: cdc.Position{LSN: lsn, TsMs: posted.UnixMilli()}}
}
