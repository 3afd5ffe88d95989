package processors

import (
	"fmt"
	"testing"
	"time"

	"github.com/lovoo/goka"

	"finstream/processors/cdc"
	"finstream/processors/event"
	"finstream/processors/goal"
	"finstream/topics"
)

// Records of the transaction stage on finstream.txn.by-user (Seq and Prev
// filled): the goal moves by the difference between Prev and Row, and a
// re-sent (txn id, seq) changes nothing and repeats the goal events with
// the same ids, which the notifications group does not notify twice.
func TestGoalsApplyStageRecords(t *testing.T) {
	c := startCopilot(t)
	c.houseGoal("", nov(1))
	drain := func() []string {
		var ids []string
		for {
			_, v, ok := c.goals.Next()
			if !ok {
				return ids
			}
			ev := v.(event.GoalEvent)
			ids = append(ids, ev.EventID)
		}
	}
	drain()
	saved := func() int64 {
		v, ok := c.tt.TableValue(goka.Table(TableGoals), "USR-789").(goal.State)
		if !ok || v.Goals["G-HOUSE"] == nil {
			t.Fatalf("goals table: %+v", v)
		}
		return v.Goals["G-HOUSE"].SavedMinor
	}

	r1 := row("C1", "ACC-GOAL", "CREDIT", "TRANSFER", "", 1_500_000, nov(2))
	first := cdc.TxnChange{Op: cdc.OpCreate, Row: r1, Pos: cdc.Position{LSN: 900}, Seq: 1}
	c.tt.Consume(topics.TxnByUser, "USR-789", first)
	got := drain()
	if saved() != 1_500_000 || fmt.Sprint(got) != "[USR-789|G-HOUSE|v2 USR-789|G-HOUSE|m2500]" {
		t.Fatalf("first change: saved %d, events %v", saved(), got)
	}
	resent := first
	resent.Resent = true
	c.tt.Consume(topics.TxnByUser, "USR-789", resent)
	if again := drain(); fmt.Sprint(again) != fmt.Sprint(got) || saved() != 1_500_000 {
		t.Fatalf("re-sent: saved %d, events %v, want %v", saved(), again, got)
	}

	r2 := r1
	r2.AmountMinor = 1_000_000 // corrected: below 25% again
	c.tt.Consume(topics.TxnByUser, "USR-789", cdc.TxnChange{Op: cdc.OpUpdate, Row: r2, Pos: cdc.Position{LSN: 901}, Seq: 2, Prev: &r1})
	if got := drain(); saved() != 1_000_000 || fmt.Sprint(got) != "[USR-789|G-HOUSE|v3]" {
		t.Fatalf("corrected: saved %d, events %v", saved(), got)
	}
	var milestones int
	for _, n := range c.notifications() {
		if n.Kind == event.NotifyGoalMilestone {
			milestones++
		}
	}
	if milestones != 1 {
		t.Errorf("%d milestone notifications, want 1", milestones)
	}
}

// The insights group applies a categorized record once per (txn id,
// version): a duplicate emits nothing, the next version its difference.
func TestInsightsDeduplicateByVersion(t *testing.T) {
	c := startCopilot(t)
	insights := c.tt.NewQueueTracker(topics.Insights)
	drain := func() []string {
		var out []string
		for {
			_, v, ok := insights.Next()
			if !ok {
				return out
			}
			in := v.(event.Insight)
			out = append(out, fmt.Sprintf("%s cleared=%v", in.InsightID, in.Cleared))
		}
	}
	cat := func(id string, baht int64, at time.Time, version int64) event.Categorized {
		return event.Categorized{TxnID: id, UserID: "USR-789", Direction: "DEBIT", Type: "PURCHASE", Status: "POSTED",
			AmountMinor: baht * 100, SpendMinor: baht * 100, Currency: "THB", MerchantName: "Place " + id,
			Category: "dining", PostedAt: at, Version: version}
	}
	for i, baht := range []int64{100, 120, 90, 110, 100} {
		c.tt.Consume(topics.TxnCategorized, "USR-789", cat(fmt.Sprintf("D%d", i), baht, nov(1+i), 1))
	}
	drain()
	big := cat("BIG", 400, nov(8), 1)
	c.tt.Consume(topics.TxnCategorized, "USR-789", big)
	if got := drain(); fmt.Sprint(got) != "[USR-789|unusual_transaction|BIG cleared=false]" {
		t.Fatalf("first: %v", got)
	}
	c.tt.Consume(topics.TxnCategorized, "USR-789", big)
	if got := drain(); len(got) != 0 {
		t.Fatalf("duplicate: %v", got)
	}
	rev := big
	rev.Status, rev.SpendMinor, rev.Version = "REVERSED", 0, 2
	c.tt.Consume(topics.TxnCategorized, "USR-789", rev)
	c.tt.Consume(topics.TxnCategorized, "USR-789", rev)
	if got := drain(); fmt.Sprint(got) != "[USR-789|unusual_transaction|BIG cleared=true]" {
		t.Fatalf("reversal twice: %v", got)
	}
}
