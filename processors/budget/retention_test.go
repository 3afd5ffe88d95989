package budget

import (
	"testing"
	"time"

	"finstream/processors/cdc"
)

// at source time src: a change whose CDC commit time is src.
func changeAt(row cdc.Txn, lsn int64, src time.Time) cdc.TxnChange {
	ch := change(row, lsn)
	ch.Pos.TsMs = src.UnixMilli()
	return ch
}

func month(y int, m time.Month) time.Time { return time.Date(y, m, 10, 12, 0, 0, 0, bkk) }

// The state keeps 13 months by CDC source time: older transactions and
// spend buckets are forgotten when a new month starts, and a change of a
// transaction posted before the horizon that the state does not know (a
// snapshot replay of an old row) counts nothing and is reported late.
func TestRetentionKeepsThirteenMonthsBySourceTime(t *testing.T) {
	s := NewBook("USR-789")
	old := txn("OLD", 10_000, "POSTED", month(2025, 10))
	s.ApplyTxnFrom(changeAt(old, 10, month(2025, 10)), Input{})
	kept := txn("KEPT", 20_000, "POSTED", month(2025, 11))
	s.ApplyTxnFrom(changeAt(kept, 20, month(2025, 11)), Input{})
	if len(s.Ledgers) != 2 || s.SpentIn("groceries", "THB", "monthly", month(2025, 10)) != 10_000 {
		t.Fatalf("before the horizon moves: %d txns, spend %v", len(s.Ledgers), s.Spend)
	}

	// November 2026 begins: the horizon is November 2025.
	now := txn("NOW", 30_000, "POSTED", month(2026, 11))
	if eff := s.ApplyTxnFrom(changeAt(now, 30, month(2026, 11)), Input{}); eff.Late || !eff.Changed() {
		t.Fatalf("current transaction: %+v", eff)
	}
	if s.LatestMonth != "2026-11" {
		t.Fatalf("latest month %q", s.LatestMonth)
	}
	if s.SpentIn("groceries", "THB", "monthly", month(2025, 10)) != 0 || s.SpentIn("groceries", "THB", "monthly", month(2025, 11)) != 20_000 {
		t.Fatalf("spend after pruning: %v", s.Spend)
	}
	if w := s.SpentIn("groceries", "THB", "weekly", month(2025, 10)); w != 0 {
		t.Fatalf("the week of the pruned transaction still holds %d", w)
	}

	// A snapshot replay of the pruned row (new position, current source
	// time) is late: nothing counts again.
	version := s.Version
	eff := s.ApplyTxnFrom(changeAt(old, 40, month(2026, 11)), Input{})
	if !eff.Late || eff.Changed() || s.Version != version || s.SpentIn("groceries", "THB", "monthly", month(2025, 10)) != 0 {
		t.Fatalf("replay of a pruned row: %+v, spend %v", eff, s.Spend)
	}
	if _, ok := s.Ledgers["OLD"]; ok || s.Ledgers["KEPT"] == nil || s.Ledgers["NOW"] == nil {
		t.Fatalf("transactions kept: %v", keys(s.Ledgers))
	}
	// A change of a known transaction posted before the horizon of its
	// source time is late too: not applied, and its ledger forgotten.
	kept2 := kept
	kept2.Status = "REVERSED"
	if eff := s.ApplyTxnFrom(changeAt(kept2, 45, month(2026, 12)), Input{}); !eff.Late || eff.Changed() {
		t.Fatalf("late change of a known transaction: %+v", eff)
	}
	if _, ok := s.Ledgers["KEPT"]; ok {
		t.Fatal("the ledger of a late transaction is kept")
	}
	// A row posted far in the future moves nothing: the clock is the source's.
	future := txn("FUTURE", 1_000, "POSTED", month(2099, 1))
	s.ApplyTxnFrom(changeAt(future, 50, month(2026, 11)), Input{})
	if s.LatestMonth != "2026-11" {
		t.Fatalf("a future posted_at moved the clock: latest %q", s.LatestMonth)
	}
	// And the clock survives the codec.
	if got := roundTrip(t, s.State); got.LatestMonth != "2026-11" || got.LatestWeek != s.LatestWeek {
		t.Fatalf("after the codec: latest %q", got.LatestMonth)
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
