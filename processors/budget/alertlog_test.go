package budget

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

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
