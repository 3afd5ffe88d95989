package notify

import (
	"reflect"
	"testing"
	"time"

	"finstream/processors/event"
)

var bkk, _ = time.LoadLocation("Asia/Bangkok")
var nov19 = time.Date(2026, 11, 19, 10, 0, 0, 0, bkk)

type text struct{ id, kind, severity, title, body string }

func checkTexts(t *testing.T, got []event.Notification, want []text) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d notifications, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		en := g.Texts[0]
		if g.NotificationID != w.id || g.Kind != w.kind || g.Severity != w.severity || en.Title != w.title || en.Body != w.body {
			t.Errorf("#%d = %s %s %s %q %q\n want %s %s %s %q %q", i, g.NotificationID, g.Kind, g.Severity, en.Title, en.Body, w.id, w.kind, w.severity, w.title, w.body)
		}
	}
}

func tescoAlert() event.Alert {
	return event.Alert{
		AlertID: "USR-789|groceries|2026-11|9000|T3", UserID: "USR-789", BudgetID: "USR-789:groceries", Category: "groceries",
		PeriodKey: "2026-11", ThresholdBP: 9000, UsedBP: 9375, SpentMinor: 1_500_000, LimitMinor: 1_600_000,
		RemainingMinor: 100_000, Currency: "THB", DaysLeft: 12, TxnID: "T3", Merchant: "Tesco Lotus", EventTime: nov19,
	}
}

func household() event.BudgetUpdate {
	return event.BudgetUpdate{
		Kind: event.BudgetShared, Name: "Household", BudgetID: "SB-1", UserID: "USR-2", Category: "groceries",
		PeriodKey: "2026-11", PeriodStart: time.Date(2026, 11, 1, 0, 0, 0, 0, bkk), PeriodEnd: time.Date(2026, 12, 1, 0, 0, 0, 0, bkk),
		Currency: "THB", LimitMinor: 1_600_000, SpentMinor: 1_500_000, RemainingMinor: 100_000, UsedBP: 9375,
		ThresholdCrossedBP: []int64{8000, 9000}, Alert: true, TxnID: "T3", Merchant: "Tesco Lotus", AmountMinor: 150_000, EventTime: nov19,
		Participants: []event.ParticipantSpend{
			{UserID: "USR-1", Role: "owner"}, {UserID: "USR-2", Role: "contributor", SpentMinor: 150_000},
			{UserID: "USR-3", Role: "contributor"}, {UserID: "USR-4", Role: "viewer"},
		},
	}
}

func TestFromAlert(t *testing.T) {
	checkTexts(t, FromAlert(tescoAlert()), []text{{
		id: "alert|USR-789:groceries|2026-11|T3|USR-789", kind: "budget_alert", severity: "warning",
		title: "Groceries budget: 93.75% used", body: "After your purchase at Tesco Lotus: ฿1,000.00 left for 12 days.",
	}})
	over := tescoAlert()
	over.ThresholdBP, over.UsedBP, over.RemainingMinor, over.Merchant = 10000, 10312, -50_000, ""
	checkTexts(t, FromAlert(over), []text{{
		id: "alert|USR-789:groceries|2026-11|T3|USR-789", kind: "budget_alert", severity: "critical",
		title: "Groceries budget: 103.12% used", body: "฿500.00 over the ฿16,000.00 limit with 12 days left.",
	}})
}

func TestFromSharedUpdateByRole(t *testing.T) {
	const src = "shared|SB-1|2026-11|9000|T3"
	checkTexts(t, FromSharedUpdate(household()), []text{
		{id: src + "|USR-1", kind: "shared_budget_alert", severity: "warning", title: "Household: 93.75% used",
			body: "USR-2 spent ฿1,500.00 at Tesco Lotus. ฿1,000.00 left for 12 days."},
		{id: src + "|USR-2", kind: "spend_confirmation", severity: "warning", title: "Counted toward Household",
			body: "Your ฿1,500.00 at Tesco Lotus counted toward Household: 93.75% used, ฿1,000.00 left for 12 days."},
		{id: src + "|USR-3", kind: "shared_budget_alert", severity: "warning", title: "Household: 93.75% used",
			body: "USR-2 spent ฿1,500.00 at Tesco Lotus. ฿1,000.00 left for 12 days."},
		{id: src + "|USR-4", kind: "shared_budget_alert", severity: "warning", title: "Household: 93.75% used",
			body: "฿1,000.00 left for 12 days."},
	})
	// The owner spending gets the full alert about themself.
	u := household()
	u.UserID = "USR-1"
	if got := FromSharedUpdate(u); got[0].Texts[0].Body != "You spent ฿1,500.00 at Tesco Lotus. ฿1,000.00 left for 12 days." {
		t.Errorf("owner's own spend: %q", got[0].Texts[0].Body)
	}
	for _, u := range []event.BudgetUpdate{func() event.BudgetUpdate { u := household(); u.Alert = false; return u }(),
		func() event.BudgetUpdate { u := household(); u.Kind = event.BudgetPersonal; return u }()} {
		if got := FromSharedUpdate(u); len(got) != 0 {
			t.Errorf("no alert, %d notifications", len(got))
		}
	}
}

func TestFromGoalEvent(t *testing.T) {
	ev := event.GoalEvent{
		EventID: "USR-1|G-HOUSE|m5000", Kind: event.GoalMilestone, UserID: "USR-1", OwnerID: "USR-1", Role: "owner",
		GoalID: "G-HOUSE", Name: "House deposit", Currency: "THB", TargetMinor: 5_000_000, SavedMinor: 2_700_000,
		MilestoneBP: 5000, ProjectedDate: "2026-11-29", TxnID: "C3", AmountMinor: 1_200_000, ContributorID: "USR-2", EventTime: nov19,
	}
	checkTexts(t, FromGoalEvent(ev), []text{{id: "USR-1|G-HOUSE|m5000|USR-1", kind: "goal_milestone", severity: "info",
		title: "House deposit: 50% reached", body: "฿27,000.00 of ฿50,000.00 saved. Projected to complete on 29 Nov 2026."}})
	ev.UserID, ev.Role = "USR-2", "contributor"
	checkTexts(t, FromGoalEvent(ev), []text{{id: "USR-1|G-HOUSE|m5000|USR-2", kind: "goal_milestone", severity: "info",
		title: "House deposit: 50% reached", body: "Your ฿12,000.00 brought it to 50%. ฿27,000.00 of ฿50,000.00 saved. Projected to complete on 29 Nov 2026."}})
	ev.Kind = event.GoalUpdated
	if got := FromGoalEvent(ev); len(got) != 0 {
		t.Errorf("a goal update notified: %+v", got)
	}
}

func TestFromInsight(t *testing.T) {
	runway := event.Insight{InsightID: "USR-789|runway|groceries|2026-11", UserID: "USR-789", Kind: "runway", Severity: "critical",
		Text: "At this rate you run out in 2 days (21 Nov 2026)", TextTH: "ถ้าใช้จ่ายในอัตรานี้ งบจะหมดใน 2 วัน (21 พ.ย. 2569)", EventTime: nov19}
	checkTexts(t, FromInsight(runway), []text{{id: "insight|USR-789|runway|groceries|2026-11|critical|USR-789", kind: "insight",
		severity: "critical", title: "Budget running out", body: "At this rate you run out in 2 days (21 Nov 2026)"}})
	for _, in := range []event.Insight{
		{Kind: "budget_usage", Severity: "critical"}, {Kind: "spike", Severity: "info"}, {Kind: "runway", Severity: "critical", Cleared: true},
	} {
		if got := FromInsight(in); len(got) != 0 {
			t.Errorf("%s %s notified", in.Kind, in.Severity)
		}
	}
}

func TestAdmitDedupOptOutLanguage(t *testing.T) {
	ns := FromSharedUpdate(household())
	owner := &State{UserID: "USR-1"}
	if _, ok := owner.Admit(ns[0]); !ok {
		t.Fatal("first delivery not admitted")
	}
	if _, ok := owner.Admit(ns[0]); ok {
		t.Error("a redelivered source notified twice")
	}
	// Another source for the same recipient is a new notification.
	if _, ok := owner.Admit(FromAlert(tescoAlert())[0]); !ok {
		t.Error("a different source was taken for a duplicate")
	}
	c := &State{UserID: "USR-3"}
	if _, err := c.SetSettings(event.NotificationSettings{Disabled: []string{"shared_budget_alert"}}); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Admit(ns[2]); ok {
		t.Error("opted-out kind admitted")
	}
	v := &State{UserID: "USR-4"}
	if _, err := v.SetSettings(event.NotificationSettings{Lang: "th"}); err != nil {
		t.Fatal(err)
	}
	n, ok := v.Admit(ns[3])
	if !ok || n.Lang != "th" || n.Title != "Household: ใช้ไปแล้ว 93.75%" || n.Body != "เหลือ ฿1,000.00 สำหรับ 12 วัน" {
		t.Errorf("viewer in Thai: %v %q %q %q", ok, n.Lang, n.Title, n.Body)
	}
	if _, err := v.SetSettings(event.NotificationSettings{Disabled: []string{"everything"}}); err == nil {
		t.Error("unknown kind accepted")
	}
	if s := c.Settings(); s.Kinds["shared_budget_alert"] || !s.Kinds["goal_milestone"] || s.Lang != "en" {
		t.Errorf("settings %+v", s)
	}
	for i := range MaxSeen + 10 {
		owner.Admit(event.Notification{NotificationID: string(rune('a'+i%26)) + itoa(int64(i))})
	}
	if len(owner.Seen) != MaxSeen {
		t.Errorf("seen %d ids, want at most %d", len(owner.Seen), MaxSeen)
	}
}

// After a crash between storing the state and producing, the input record is
// delivered again: its notification is sent again (it may be lost), while
// the same source event in another record is still a duplicate.
func TestRedeliveredRecordResendsItsNotification(t *testing.T) {
	n := FromAlert(tescoAlert())[0]
	s := &State{UserID: n.UserID}
	first, ok := s.AdmitFrom(n, "finstream.budget.alerts/3/100")
	if !ok {
		t.Fatal("first delivery not admitted")
	}
	again, ok := s.AdmitFrom(n, "finstream.budget.alerts/3/100")
	if !ok || !reflect.DeepEqual(again, first) {
		t.Fatalf("redelivered record: %v %+v, want %+v", ok, again, first)
	}
	for _, from := range []string{"finstream.budget.alerts/3/101", "finstream.budget.alerts/4/100", ""} {
		if _, ok := s.AdmitFrom(n, from); ok {
			t.Errorf("the same source from %q notified again", from)
		}
	}
	if len(s.Seen) != 1 || len(s.Sent) != 1 {
		t.Fatalf("seen %v sent %v", s.Seen, s.Sent)
	}

	// A state written as JSON by an earlier build keeps de-duplicating and
	// re-sending for the record that admitted it.
	old, err := Codec{}.Decode([]byte(`{"user_id":"` + n.UserID + `","seen":["` + n.NotificationID + `"],"seen_from":["finstream.budget.alerts/3/100"]}`))
	if err != nil {
		t.Fatal(err)
	}
	o := old.(State)
	if _, ok := o.AdmitFrom(n, "finstream.budget.alerts/3/101"); ok {
		t.Error("an id seen by an older state notified again")
	}
	if _, ok := o.AdmitFrom(n, "finstream.budget.alerts/3/100"); !ok {
		t.Error("the record that admitted it in an older state was not re-sent")
	}

	// The re-send memory is bounded: a record among the last MaxResend
	// admissions re-sends, an older one is only a duplicate.
	for i := range MaxResend + 10 {
		s.AdmitFrom(event.Notification{NotificationID: "N" + itoa(int64(i))}, "t/0/"+itoa(int64(i)))
	}
	if len(s.Sent) != MaxResend {
		t.Fatalf("sent window %d, want %d", len(s.Sent), MaxResend)
	}
	if _, ok := s.AdmitFrom(event.Notification{NotificationID: "N" + itoa(MaxResend+9)}, "t/0/"+itoa(MaxResend+9)); !ok {
		t.Error("the latest record was not re-sent")
	}
	if _, ok := s.AdmitFrom(event.Notification{NotificationID: "N0"}, "t/0/0"); ok {
		t.Error("a record beyond the re-send window was re-sent")
	}
}
