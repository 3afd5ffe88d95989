package processors_test

import (
	"context"
	"testing"
	"time"

	"finstream/processors"
	"finstream/processors/cdc"
	"finstream/processors/event"
	"finstream/processors/processorstest"
	"finstream/topics"
)

// An injected clock moved across a month start pushes a fresh budget
// update through the users and shared processors, without any transaction: the new
// period, spent 0, a higher version; a tick in the same period pushes
// nothing. With the digest opted in (through the notification settings),
// the day's digest reaches finstream.notifications once.
func TestTickPushesPeriodStartAndDigest(t *testing.T) {
	h := processorstest.Start(t)
	updates := h.Tester.NewQueueTracker(topics.BudgetUpdates)
	notes := h.Tester.NewQueueTracker(topics.Notifications)
	h.Tester.Consume(topics.CommandsUser, "USR-789", event.UserCommand{CommandID: "c1", UserID: "USR-789", Kind: event.CmdSetBudget,
		Category: "groceries", LimitMinor: 400_000, Currency: "THB", Period: "monthly", IssuedAt: time.Date(2026, 11, 1, 9, 0, 0, 0, bkk)})
	h.Txn(cdc.OpCreate, tesco("T1", 150_000, "POSTED", 10))
	h.SharedCommand(event.SharedCommand{CommandID: "s1", BudgetID: "BDG-T", Kind: event.CmdSharedCreate, ActorID: "USR-789",
		Name: "Household", Category: "groceries", LimitMinor: 1_000_000, Currency: "THB", IssuedAt: time.Date(2026, 11, 1, 9, 0, 0, 0, bkk)})
	processorstest.Drain(updates)
	v0 := h.User("USR-789").Version

	tick := func(at time.Time) []any {
		t.Helper()
		n, err := processors.Tick(context.Background(), h.Procs, at)
		if err != nil || n == 0 {
			t.Fatalf("tick at %v: visited %d, %v", at, n, err)
		}
		h.Tester.Catchup() // what the visits emitted reaches its consumers
		return processorstest.Drain(updates)
	}
	// The shared budget is new to ticks: its first tick pushes November once.
	if got := tick(time.Date(2026, 11, 30, 23, 59, 0, 0, bkk)); len(got) != 1 || got[0].(event.BudgetUpdate).BudgetID != "BDG-T" {
		t.Fatalf("a tick within the period pushed %+v", got)
	}
	got := tick(time.Date(2026, 12, 1, 0, 0, 30, 0, bkk))
	if len(got) != 2 {
		t.Fatalf("month start pushed %d updates: %+v", len(got), got)
	}
	if got[0].(event.BudgetUpdate).BudgetID == "BDG-T" {
		got[0], got[1] = got[1], got[0]
	}
	if sh := got[1].(event.BudgetUpdate); sh.BudgetID != "BDG-T" || sh.PeriodKey != "2026-12" || sh.SpentMinor != 0 || len(sh.Participants) != 1 {
		t.Fatalf("shared period-start update %+v", sh)
	}
	u := got[0].(event.BudgetUpdate)
	if u.BudgetID != "USR-789:groceries" || u.PeriodKey != "2026-12" || u.SpentMinor != 0 || u.RemainingMinor != 400_000 ||
		u.LimitMinor != 400_000 || u.Version <= v0 || !u.PeriodStart.Equal(time.Date(2026, 12, 1, 0, 0, 0, 0, bkk)) {
		t.Fatalf("period-start update %+v (state version before %d)", u, v0)
	}
	if again := tick(time.Date(2026, 12, 1, 0, 5, 0, 0, bkk)); len(again) != 0 {
		t.Fatalf("pushed twice: %+v", again)
	}

	// Digest: opt in through the notification settings.
	h.Tester.Consume(processors.TopicCommandsNotify, "USR-789", event.NotificationSettings{CommandID: "n1", UserID: "USR-789",
		Enabled: []string{event.NotifyDailyDigest}, IssuedAt: time.Date(2026, 12, 1, 7, 0, 0, 0, bkk)})
	if !h.User("USR-789").DigestOn {
		t.Fatal("the users state did not learn the opt-in")
	}
	processorstest.Drain(notes)
	tick(time.Date(2026, 12, 1, 8, 0, 0, 0, bkk))
	tick(time.Date(2026, 12, 1, 9, 0, 0, 0, bkk))
	ns := processorstest.Drain(notes)
	if len(ns) != 1 {
		t.Fatalf("%d digests, want 1: %+v", len(ns), ns)
	}
	n := ns[0].(event.Notification)
	if n.Kind != event.NotifyDailyDigest || n.UserID != "USR-789" || n.Title != "Your daily money digest" ||
		n.Body != "Nothing spent this month yet. Groceries: ฿4,000.00 left for 31 days." {
		t.Fatalf("digest %+v", n)
	}
}
