package processors_test

import (
	"testing"
	"time"

	"github.com/lovoo/goka"

	"finstream/processors"
	"finstream/processors/budget"
	"finstream/processors/cdc"
	"finstream/processors/event"
	"finstream/processors/processorstest"
	"finstream/topics"
)

// The users processor keeps the planning state: weekly shops at Tesco on
// 2, 9 and 16 November make a regular payment in the stored state; a
// ฿4,000 budget with rollover, ฿1,530 + ฿1,200 (the 18th) spent = 6825 bp
// with 18/30 = 6000 bp elapsed is not too fast (needs > 7000); ฿300 more on
// the 19th (7575 bp > 6333 + 1000) fires one pace alert whose explanation,
// through the Avro codec, lists the four purchases largest first.
func TestPlanningStateThroughProcessors(t *testing.T) {
	h := processorstest.Start(t)
	alerts := h.Tester.NewQueueTracker(topics.BudgetAlerts)
	updates := h.Tester.NewQueueTracker(topics.BudgetUpdates)
	h.Tester.Consume(topics.CommandsUser, "USR-789", event.UserCommand{CommandID: "c1", UserID: "USR-789", Kind: event.CmdSetBudget,
		Category: "groceries", LimitMinor: 400_000, Currency: "THB", Period: "monthly", Rollover: true,
		IssuedAt: time.Date(2026, 11, 1, 9, 0, 0, 0, bkk)})
	for i, amt := range []int64{50_000, 52_000, 51_000} {
		h.Txn(cdc.OpCreate, tesco([]string{"W1", "W2", "W3"}[i], amt, "POSTED", 2+7*i))
	}
	s := h.User("USR-789")
	if len(s.Recurring) != 1 || !s.Recurring[0].Regular() || s.Recurring[0].Cadence != 7 || !s.Budgets["groceries"].Rollover {
		t.Fatalf("stored state: recurring %+v budget %+v", s.Recurring, s.Budgets["groceries"])
	}
	big := tesco("B1", 120_000, "POSTED", 18)
	big.MerchantID, big.MerchantName = "M-BIGC", "Big C"
	h.Txn(cdc.OpCreate, big)
	if got := processorstest.Drain(alerts); len(got) != 1 || got[0].(event.Alert).ThresholdBP != 5000 { // 5000 crossed at ฿2,730
		t.Fatalf("alerts %+v", got)
	}
	h.Txn(cdc.OpCreate, tesco("T4", 30_000, "POSTED", 19))
	got := processorstest.Drain(alerts)
	if len(got) != 1 {
		t.Fatalf("alerts %+v, want the pace alert", got)
	}
	a := got[0].(event.Alert)
	if a.Kind != event.AlertPace || a.AlertID != "USR-789|groceries|2026-11|pace" || a.UsedBP != 7575 || a.Explanation == nil {
		t.Fatalf("alert %+v", a)
	}
	x := a.Explanation
	var ids []string
	for _, tx := range x.Transactions {
		ids = append(ids, tx.TxnID)
	}
	if x.Pace != event.PaceTooFast || x.ElapsedBP != 6333 || x.Count != 5 || x.Truncated || len(ids) != 5 ||
		ids[0] != "B1" || ids[1] != "W2" || ids[4] != "T4" || x.Transactions[0].Merchant != "Big C" || x.Transactions[0].Source != "mcc" {
		t.Fatalf("explanation %+v (%v)", x, ids)
	}
	// The alerts group keeps both alerts for GET /v1/me/alerts/{id}.
	l, _ := h.Tester.TableValue(goka.GroupTable(processors.GroupAlerts), "USR-789").(budget.AlertLog)
	if kept, ok := l.Find(a.AlertID); !ok || len(l.Alerts) != 2 || kept.Explanation.Count != 5 {
		t.Fatalf("alert log %+v", l)
	}
	ups := processorstest.Drain(updates)
	u := ups[len(ups)-1].(event.BudgetUpdate)
	// From the 19th: Tesco's ฿510 on the 23rd and the 30th, ฿1,020 of the
	// ฿970 left: nothing is safe to spend (floored at 0).
	if u.Pace != event.PaceTooFast || u.RemainingMinor != 97_000 || u.CommitmentsMinor != 102_000 || u.SafeToSpendMinor != 0 {
		t.Fatalf("update %+v", u)
	}
}
