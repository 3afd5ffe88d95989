package budget

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"finstream/processors/event"
)

// The log keeps the last MaxAlertLog alerts, finds them by id, ignores a
// re-sent copy and round-trips through its codec; full, with explanations
// of MaxBuilders transactions each, it stays within a constant.
func TestAlertLogIsBoundedAndFindsByID(t *testing.T) {
	var l AlertLog
	long := strings.Repeat("m", maxNameLen)
	for i := range MaxAlertLog + 5 {
		x := &event.Explanation{ThresholdBP: 8000, Pace: event.PaceOnTrack, ElapsedBP: 5000, Count: 12, Truncated: true, Rule: "threshold: ..."}
		for j := range MaxBuilders {
			x.Transactions = append(x.Transactions, event.ExplainedTxn{TxnID: fmt.Sprintf("%036d", j), Merchant: long,
				AmountMinor: int64(1000 * j), Category: "groceries", Source: "mcc", PostedAt: nov(20, 9).UTC()})
		}
		a := event.Alert{AlertID: fmt.Sprintf("USR-1|groceries|2026-11|%d|T%d", 8000, i), UserID: "USR-1", BudgetID: "USR-1:groceries",
			Category: "groceries", PeriodKey: "2026-11", ThresholdBP: 8000, UsedBP: 8100, Currency: "THB", Kind: event.AlertThreshold,
			TxnID: fmt.Sprint("T", i), Merchant: long, Text: strings.Repeat("t", 80), EventTime: nov(20, 9).UTC(), Explanation: x}
		if !l.Add(a) || l.Add(a) {
			t.Fatalf("add %d: new, then a copy", i)
		}
	}
	if len(l.Alerts) != MaxAlertLog || l.Version != MaxAlertLog+5 {
		t.Fatalf("%d alerts, version %d", len(l.Alerts), l.Version)
	}
	if _, ok := l.Find("USR-1|groceries|2026-11|8000|T4"); ok {
		t.Fatal("the fifth alert should be forgotten")
	}
	if a, ok := l.Find("USR-1|groceries|2026-11|8000|T5"); !ok || a.Explanation.Count != 12 {
		t.Fatalf("T5: %v %+v", ok, a)
	}
	if n := l.Newest(); n[0].TxnID != "T24" {
		t.Fatalf("newest %s", n[0].TxnID)
	}
	raw, err := AlertLogCodec{}.Encode(l)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("full alert log: %d bytes", len(raw))
	if len(raw) > 24*1024 {
		t.Fatalf("full alert log %d bytes, want ≤ 24 KiB", len(raw))
	}
	back, err := AlertLogCodec{}.Decode(raw)
	if err != nil || !reflect.DeepEqual(back, l) {
		t.Fatalf("round trip: %v", err)
	}
	for i := 1; i < len(raw); i += 97 {
		if _, err := (AlertLogCodec{}).Decode(raw[:i]); err == nil {
			t.Fatalf("decoding %d of %d bytes succeeded", i, len(raw))
		}
	}
}

// historyAlertLog is the alert log of historyUser's first n transactions
// with ฿1,500 budgets (every threshold crossed each month, pace alerts too).
func historyAlertLog(t testing.TB, n int) AlertLog {
	t.Helper()
	s := NewBook("USR-000001")
	for _, c := range []string{"groceries", "dining", "transport", "shopping", "subscriptions"} {
		b, _ := ValidateBudget(c, 150_000, "THB", "monthly", nil, known)
		s.SetBudget(*b, time.Date(2025, 5, 1, 0, 0, 0, 0, bkk))
	}
	l := AlertLog{UserID: s.UserID}
	for i := range n {
		for _, a := range s.ApplyTxnFrom(historyTxn(i, int64(i)), At(0, int64(i))).Alerts {
			l.Add(a)
		}
	}
	return l
}

// State cost: the log of a user whose five ฿1,500 budgets cross every
// threshold each month stays under 4 KiB at 100 and at 3,000 transactions
// (12.4 KB at 3,000 in format 0xA1), and round-trips.
func TestAlertLogSizeAtHistory(t *testing.T) {
	for _, n := range []int{100, 3000} {
		l := historyAlertLog(t, n)
		for i := range l.Alerts { // the codec keeps instants, in UTC
			l.Alerts[i].EventTime = l.Alerts[i].EventTime.UTC()
		}
		raw, err := AlertLogCodec{}.Encode(l)
		if err != nil {
			t.Fatal(err)
		}
		v1 := encodeAlertLogV1(l)
		t.Logf("%d transactions: %d alerts, %d bytes (format 0xA1: %d)", n, len(l.Alerts), len(raw), len(v1))
		if len(l.Alerts) < 10 || len(raw) > 4096 {
			t.Fatalf("%d alerts in %d bytes, want ≥ 10 in ≤ 4 KiB", len(l.Alerts), len(raw))
		}
		for _, b := range [][]byte{raw, v1} {
			back, err := AlertLogCodec{}.Decode(b)
			if err != nil || !reflect.DeepEqual(back, l) {
				t.Fatalf("round trip of format 0x%02x: %v", b[0], err)
			}
		}
	}
}

// Worst case: every explained transaction has its own 36-byte id and
// 32-byte merchant name of random letters (nothing repeats to intern or
// compress), and every alert its own text.
func TestAlertLogWorstCase(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	word := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = "abcdefghijklmnopqrstuvwxyz0123456789"[rng.IntN(36)]
		}
		return string(b)
	}
	var l AlertLog
	for i := range MaxAlertLog {
		x := &event.Explanation{ThresholdBP: 8000, Pace: event.PaceOnTrack, ElapsedBP: 5000, Count: 12, Truncated: true,
			Rule: fmt.Sprintf("threshold: spend reached 8000 bp of the limit (used %d bp ≥ 8000 bp)", 8000+i)}
		for j := range MaxBuilders {
			x.Transactions = append(x.Transactions, event.ExplainedTxn{TxnID: word(36), Merchant: word(maxNameLen),
				AmountMinor: rng.Int64N(1e7), Category: "groceries", Source: "mcc", PostedAt: nov(20, 9).Add(time.Duration(j) * time.Hour).UTC()})
		}
		l.Add(event.Alert{AlertID: fmt.Sprintf("USR-1|groceries|2026-11|8000|%d", i), UserID: "USR-1", BudgetID: "USR-1:groceries",
			Category: "groceries", PeriodKey: "2026-11", ThresholdBP: 8000, UsedBP: int64(8000 + i), Currency: "THB", Kind: event.AlertThreshold,
			TxnID: word(36), Merchant: word(maxNameLen), Text: word(80), EventTime: nov(20, 9).UTC(), Explanation: x})
	}
	raw, err := AlertLogCodec{}.Encode(l)
	if err != nil {
		t.Fatal(err)
	}
	v1 := encodeAlertLogV1(l)
	t.Logf("worst case: %d bytes (format 0xA1: %d)", len(raw), len(v1))
	if len(raw) > 16*1024 {
		t.Fatalf("%d bytes, want ≤ 16 KiB", len(raw))
	}
	if back, err := (AlertLogCodec{}).Decode(raw); err != nil || !reflect.DeepEqual(back, l) {
		t.Fatalf("round trip: %v", err)
	}
}

// encodeAlertLogV1 is alertLogFormatV1 as the builds before 0xA2 wrote it.
func encodeAlertLogV1(l AlertLog) []byte {
	w := writer{b: []byte{alertLogFormatV1}}
	w.str(l.UserID)
	w.int(l.Version)
	w.uint(len(l.Alerts))
	for _, a := range l.Alerts {
		for _, s := range []string{a.AlertID, a.UserID, a.BudgetID, a.Category, a.PeriodKey, a.Currency, a.TxnID, a.Merchant, a.Text, a.Kind} {
			w.str(s)
		}
		for _, n := range []int64{a.ThresholdBP, a.UsedBP, a.SpentMinor, a.LimitMinor, a.RemainingMinor, a.DaysLeft} {
			w.int(n)
		}
		w.time(a.EventTime)
		x := a.Explanation
		w.bool(x != nil)
		if x == nil {
			continue
		}
		w.int(x.Count)
		w.bool(x.Truncated)
		w.int(x.ThresholdBP)
		w.str(x.Pace)
		w.int(x.ElapsedBP)
		w.str(x.Rule)
		w.uint(len(x.Transactions))
		for _, t := range x.Transactions {
			w.str(t.TxnID)
			w.str(t.Merchant)
			w.int(t.AmountMinor)
			code(&w, t.Category, slugs)
			code(&w, t.Source, sources)
			w.time(t.PostedAt)
		}
	}
	return w.b
}

func BenchmarkAlertLogCodec(b *testing.B) {
	l := historyAlertLog(b, 3000)
	raw, _ := AlertLogCodec{}.Encode(l)
	b.ReportAllocs()
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		raw, _ = AlertLogCodec{}.Encode(l)
		if _, err := (AlertLogCodec{}).Decode(raw); err != nil {
			b.Fatal(err)
		}
	}
}
