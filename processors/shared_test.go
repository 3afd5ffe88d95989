package processors_test

import (
	"reflect"
	"testing"
	"time"

	"finstream/processors/cdc"
	"finstream/processors/event"
	"finstream/processors/processorstest"
	"finstream/topics"
)

func purchaseBy(id, user string, amount int64, day int, merchant, tag string) cdc.Txn {
	at := time.Date(2026, 11, day, 10, 0, 0, 0, bkk)
	return cdc.Txn{ID: id, AccountID: "ACC-" + user, UserID: user, Direction: "DEBIT", Type: "PURCHASE",
		Status: "POSTED", AmountMinor: amount, Currency: "THB", MerchantName: merchant, MCC: 5411,
		Channel: "PROMPTPAY", BudgetID: tag, PostedAt: at, UpdatedAt: at}
}

func sharedCmd(id, kind, actor, user, role string, day int) event.SharedCommand {
	return event.SharedCommand{CommandID: id, BudgetID: "BDG-456", Kind: kind, ActorID: actor, UserID: user, Role: role,
		IssuedAt: time.Date(2026, 11, day, 8, 0, 0, 0, bkk)}
}

// household creates BDG-456 "Household Groceries" (฿16,000, groceries) by A
// on 1 November with B as contributor and V as viewer (invited, and
// accepted).
func household(h *processorstest.Harness) {
	create := sharedCmd("c1", event.CmdSharedCreate, "A", "", "", 1)
	create.Name, create.Category, create.LimitMinor, create.Currency, create.Period = "Household Groceries", "groceries", 1_600_000, "THB", "monthly"
	h.SharedCommand(create)
	for _, m := range [][3]string{{"c2", "B", "contributor"}, {"c3", "V", "viewer"}} {
		h.SharedCommand(sharedCmd(m[0], event.CmdSharedAddMember, "A", m[1], m[2], 1))
		accept := sharedCmd(m[0]+"-accept", event.CmdSharedAccept, m[1], "", "", 1)
		accept.InvitationID = m[0]
		h.SharedCommand(accept)
	}
}

func sharedUpdates(recs []any) []event.BudgetUpdate {
	var out []event.BudgetUpdate
	for _, r := range recs {
		if u := r.(event.BudgetUpdate); u.Kind == event.BudgetShared {
			out = append(out, u)
		}
	}
	return out
}

func TestSharedWorkedExampleThroughProcessors(t *testing.T) {
	h := processorstest.Start(t)
	updates := h.Tester.NewQueueTracker(topics.BudgetUpdates)
	alerts := h.Tester.NewQueueTracker(topics.BudgetAlerts)
	household(h)
	if m := h.User("B").Memberships["BDG-456"]; m == nil || m.Role != "contributor" || m.Category != "groceries" {
		t.Fatalf("B's membership in their user state: %+v", m)
	}
	if len(sharedUpdates(processorstest.Drain(updates))) != 3 {
		t.Fatal("want one update per membership change")
	}

	// A spends ฿7,000 on groceries (counted by category), B ฿6,500 tagged.
	h.Txn(cdc.OpCreate, purchaseBy("TA", "A", 700_000, 10, "Big C", ""))
	h.Txn(cdc.OpCreate, purchaseBy("TB", "B", 650_000, 12, "Makro", "BDG-456"))
	processorstest.Drain(updates)
	processorstest.Drain(alerts)

	key, raw := h.Txn(cdc.OpCreate, purchaseBy("T3", "B", 180_000, 19, "Tesco Lotus", "BDG-456"))
	got := sharedUpdates(processorstest.Drain(updates))
	if len(got) != 1 {
		t.Fatalf("shared updates %+v, want one", got)
	}
	u := got[0]
	if u.BudgetID != "BDG-456" || u.SpentMinor != 1_530_000 || u.UsedBP != 9562 || u.RemainingMinor != 70_000 ||
		!reflect.DeepEqual(u.ThresholdCrossedBP, []int64{9000}) || !u.Alert {
		t.Fatalf("update %+v", u)
	}
	if u.UserID != "B" || u.Merchant != "Tesco Lotus" || u.AmountMinor != 180_000 || u.TxnID != "T3" {
		t.Fatalf("attribution %+v", u)
	}
	var recipients []string
	for _, a := range processorstest.Drain(alerts) {
		recipients = append(recipients, a.(event.Alert).UserID)
	}
	if !reflect.DeepEqual(recipients, []string{"A", "B", "V"}) {
		t.Fatalf("alert recipients %v", recipients)
	}
	v := h.Shared("BDG-456").View(time.Date(2026, 11, 19, 12, 0, 0, 0, bkk))
	want := []event.ParticipantSpend{
		{UserID: "A", Role: "owner", SpentMinor: 700_000, ShareBP: 4575},
		{UserID: "B", Role: "contributor", SpentMinor: 830_000, ShareBP: 5424},
		{UserID: "V", Role: "viewer", SpentMinor: 0, ShareBP: 0},
	}
	if !reflect.DeepEqual(v.Participants, want) {
		t.Fatalf("participants %+v", v.Participants)
	}

	// The same CDC record again: nothing counts twice, no update.
	version := h.Shared("BDG-456").Version
	h.Tester.Consume(topics.CDCTransactions, string(key), raw)
	if n := len(processorstest.Drain(updates)) + len(processorstest.Drain(alerts)); n != 0 || h.Shared("BDG-456").Version != version {
		t.Fatalf("duplicate emitted %d records", n)
	}

	// Reversed: the spend moves back, without an alert.
	rev := purchaseBy("T3", "B", 180_000, 19, "Tesco Lotus", "BDG-456")
	rev.Status = "REVERSED"
	h.Txn(cdc.OpUpdate, rev)
	got = sharedUpdates(processorstest.Drain(updates))
	if len(got) != 1 || got[0].AmountMinor != -180_000 || got[0].SpentMinor != 1_350_000 || len(processorstest.Drain(alerts)) != 0 {
		t.Fatalf("reversal %+v", got)
	}

	// A viewer's tagged spend is refused and not counted; their untagged
	// groceries do not reach the budget at all.
	h.Txn(cdc.OpCreate, purchaseBy("TV", "V", 20_000, 19, "7-Eleven", "BDG-456"))
	h.Txn(cdc.OpCreate, purchaseBy("TV2", "V", 30_000, 19, "Big C", ""))
	got = sharedUpdates(processorstest.Drain(updates))
	if len(got) != 1 || !got[0].Refused || got[0].RefusedReason != "viewer_cannot_spend" || got[0].UserID != "V" || got[0].SpentMinor != 1_350_000 {
		t.Fatalf("viewer spend %+v", got)
	}
	// An outsider's tagged spend is refused too.
	h.Txn(cdc.OpCreate, purchaseBy("TZ", "Z", 20_000, 19, "7-Eleven", "BDG-456"))
	if got = sharedUpdates(processorstest.Drain(updates)); len(got) != 1 || got[0].RefusedReason != "not_a_participant" {
		t.Fatalf("outsider spend %+v", got)
	}

	// Removal stops counting B's new spending; A's still counts.
	h.SharedCommand(sharedCmd("c4", event.CmdSharedRemoveMember, "A", "B", "", 20))
	if m := h.User("B").Memberships["BDG-456"]; m != nil && !m.Removed {
		t.Fatalf("B still a member in their user state: %+v", m)
	}
	processorstest.Drain(updates)
	h.Txn(cdc.OpCreate, purchaseBy("TB2", "B", 40_000, 21, "Big C", ""))
	h.Txn(cdc.OpCreate, purchaseBy("TB3", "B", 40_000, 21, "Big C", "BDG-456"))
	h.Txn(cdc.OpCreate, purchaseBy("TA2", "A", 10_000, 21, "Big C", ""))
	s := h.Shared("BDG-456")
	if v := s.View(time.Date(2026, 11, 21, 12, 0, 0, 0, bkk)); v.SpentMinor != 1_360_000 || len(v.Participants) != 2 {
		t.Fatalf("after removal %+v", v)
	}
}

// A source duplicate of a CDC record (same change, another record) sends
// nothing to the shared budget again, and a redelivered shared.spend record
// (re-sent after a crash: same transaction and Seq) changes nothing. The
// re-send of the very same input record is shown in budget's tests (the
// tester numbers every consumed record anew).
func TestSharedSpendRedeliveryIsIdempotent(t *testing.T) {
	h := processorstest.Start(t)
	household(h)
	spends := h.Tester.NewQueueTracker(topics.SharedSpend)
	key, raw := h.Txn(cdc.OpCreate, purchaseBy("T1", "B", 50_000, 5, "Big C", ""))
	first := processorstest.Drain(spends)
	if len(first) != 1 {
		t.Fatalf("shared.spend records %+v", first)
	}
	h.Tester.Consume(topics.CDCTransactions, string(key), raw)
	if again := processorstest.Drain(spends); len(again) != 0 {
		t.Fatalf("a source duplicate re-sent %+v", again)
	}
	h.Tester.Consume(topics.SharedSpend, "BDG-456", first[0])
	if got := h.Shared("BDG-456").View(time.Date(2026, 11, 5, 12, 0, 0, 0, bkk)).SpentMinor; got != 50_000 {
		t.Fatalf("spent %d after redeliveries, want 50000", got)
	}
}
