package processors_test

import (
	"context"
	"testing"
	"time"

	"finstream/processors"
	"finstream/processors/budget"
	"finstream/processors/category"
	"finstream/processors/cdc"
	"finstream/processors/event"
	"finstream/processors/processorstest"
	"finstream/topics"
)

// Through the processors on goka's tester: moving every transaction of
// USR-789 at Villa Market to dining visits the transaction stage's table
// and moves ฿1,500 of groceries spend to dining; another user's Villa
// Market purchase stays; a second run moves nothing.
func TestBackfillThroughProcessors(t *testing.T) {
	h := processorstest.Start(t)
	alerts := h.Tester.NewQueueTracker(topics.BudgetAlerts)
	for _, c := range []struct {
		cat   string
		limit int64
	}{{"groceries", 400_000}, {"dining", 300_000}} {
		h.Tester.Consume(topics.CommandsUser, "USR-789", event.UserCommand{CommandID: "c-" + c.cat, UserID: "USR-789", Kind: event.CmdSetBudget,
			Category: c.cat, LimitMinor: c.limit, Currency: "THB", Period: "monthly", IssuedAt: time.Date(2026, 11, 1, 9, 0, 0, 0, bkk)})
	}
	villa := func(id, user string, amount int64, day int) cdc.Txn {
		r := tesco(id, amount, "POSTED", day)
		r.UserID, r.AccountID, r.MerchantName, r.MerchantID = user, "ACC-"+user, "Villa Market", "M-VILLA-01"
		return r
	}
	h.Txn(cdc.OpCreate, villa("V1", "USR-789", 100_000, 3))
	h.Txn(cdc.OpCreate, villa("V2", "USR-789", 50_000, 4))
	h.Txn(cdc.OpCreate, tesco("T1", 80_000, "POSTED", 5))
	h.Txn(cdc.OpCreate, villa("V3", "USR-OTHER", 70_000, 5))
	processorstest.Drain(alerts)

	spec := budget.Backfill{UserID: "USR-789", Merchant: category.MerchantKey("M-VILLA-01", "Villa Market"), Category: "dining"}
	res, err := processors.Backfill(context.Background(), h.Procs, spec, nil, nil)
	if err != nil || res.Moved != 2 || res.Visited != 4 {
		t.Fatalf("backfill: %+v %v", res, err)
	}
	h.Tester.Catchup()
	v := h.User("USR-789").Views(time.Date(2026, 11, 6, 12, 0, 0, 0, bkk)) // dining, groceries
	if v[0].SpentMinor != 150_000 || v[0].UsedBP != 5000 || v[1].SpentMinor != 80_000 {
		t.Fatalf("after the backfill: %+v", v)
	}
	var thresholds []event.Alert
	for _, a := range processorstest.Drain(alerts) {
		if a := a.(event.Alert); a.Kind == event.AlertThreshold {
			thresholds = append(thresholds, a)
		}
	}
	if a := thresholds; len(a) != 1 || a[0].Category != "dining" || a[0].ThresholdBP != 5000 {
		t.Fatalf("threshold alerts %+v, want dining's 5000 once", a)
	}
	if got := h.User("USR-OTHER").SpendingIn("2026-11"); len(got) != 1 || got[0].Category != "groceries" || got[0].SpentMinor != 70_000 {
		t.Fatalf("the other user's spend moved: %+v", got)
	}
	if again, err := processors.Backfill(context.Background(), h.Procs, spec, nil, nil); err != nil || again.Moved != 0 {
		t.Fatalf("second run: %+v %v", again, err)
	}
}
