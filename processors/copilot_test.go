package processors

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lovoo/goka"
	"github.com/lovoo/goka/tester"
	"github.com/twmb/franz-go/pkg/sr/srfake"

	"finstream/avro"
	"finstream/processors/cdc"
	"finstream/processors/event"
	"finstream/processors/insight"
	"finstream/topics"
)

// copilot runs every processor plus insights, goals and notifications on
// goka's tester.
type copilot struct {
	t     *testing.T
	tt    *tester.Tester
	enc   *cdc.Encoder
	acc   *cdc.Encoder
	lsn   int64
	notes *tester.QueueTracker
	goals *tester.QueueTracker
}

func startCopilot(t *testing.T) *copilot {
	t.Helper()
	fake := srfake.New()
	t.Cleanup(fake.Close)
	reg, err := avro.NewClient(fake.URL())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	codecs, err := NewCodecs(ctx, reg)
	if err != nil {
		t.Fatal(err)
	}
	tt := tester.New(t)
	cfg := Config{Codecs: codecs, Options: []goka.ProcessorOption{goka.WithTester(tt)}}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	m := NewMetrics(nil)
	graphs := Graphs(&cfg, m) // insights, goals and notifications included
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, len(graphs))
	for _, g := range graphs {
		p, err := goka.NewProcessor(nil, g, cfg.processorOptions(g, m)...)
		if err != nil {
			t.Fatal(err)
		}
		go func() { done <- p.Run(runCtx) }()
	}
	t.Cleanup(func() {
		cancel()
		for range graphs {
			if err := <-done; err != nil {
				t.Errorf("processor: %v", err)
			}
		}
	})
	enc, _ := cdc.NewEncoder(ctx, cdc.FormatJSON, nil, topics.CDCTransactions)
	acc, _ := cdc.NewEncoder(ctx, cdc.FormatJSON, nil, topics.CDCAccounts)
	return &copilot{t: t, tt: tt, enc: enc, acc: acc,
		notes: tt.NewQueueTracker(topics.Notifications), goals: tt.NewQueueTracker(topics.GoalEvents)}
}

func (c *copilot) txn(row cdc.Txn) (key, value []byte) {
	c.lsn += 10
	key, value, err := c.enc.EncodeTxn(cdc.OpCreate, nil, &row, cdc.Position{LSN: c.lsn, TsMs: row.UpdatedAt.UnixMilli()})
	if err != nil {
		c.t.Fatal(err)
	}
	c.tt.Consume(topics.CDCTransactions, string(key), value)
	return key, value
}

func (c *copilot) account(row cdc.Account) {
	c.lsn += 10
	key, value, err := c.acc.EncodeAccount(cdc.OpCreate, nil, &row, cdc.Position{LSN: c.lsn})
	if err != nil {
		c.t.Fatal(err)
	}
	c.tt.Consume(topics.CDCAccounts, string(key), value)
}

func (c *copilot) notifications() []event.Notification {
	var out []event.Notification
	for {
		_, v, ok := c.notes.Next()
		if !ok {
			return out
		}
		out = append(out, v.(event.Notification))
	}
}

var bkk, _ = time.LoadLocation("Asia/Bangkok")

func nov(d int) time.Time { return time.Date(2026, 11, d, 10, 0, 0, 0, bkk) }

func row(id, account, dir, typ, merchant string, amount int64, at time.Time) cdc.Txn {
	return cdc.Txn{ID: id, AccountID: account, UserID: "USR-789", Direction: dir, Type: typ, Status: "POSTED",
		AmountMinor: amount, Currency: "THB", MerchantName: merchant, MCC: 5411, Channel: "PROMPTPAY", PostedAt: at, UpdatedAt: at}
}

// The seed's story end to end: a groceries budget, the Tesco Lotus
// purchase that takes it to 93.75%, the insights and the notifications.
func TestInsightsAndNotificationsWiring(t *testing.T) {
	c := startCopilot(t)
	c.tt.Consume(topics.CommandsUser, "USR-789", event.UserCommand{CommandID: "c1", UserID: "USR-789", Kind: event.CmdSetBudget,
		Category: "groceries", LimitMinor: 1_600_000, Currency: "THB", Period: "monthly", IssuedAt: nov(1)})
	c.txn(row("T1", "ACC-1", "DEBIT", "PURCHASE", "Tesco Lotus", 1_350_000, nov(10)))
	key, value := c.txn(row("T3", "ACC-1", "DEBIT", "PURCHASE", "Tesco Lotus", 150_000, nov(19)))
	c.tt.Consume(topics.CDCTransactions, string(key), value) // a duplicate: nothing more

	v := c.tt.TableValue(goka.Table(TableInsights), "USR-789").(insight.State)
	texts := map[string]string{}
	for _, in := range v.Current(nov(19)) {
		texts[in.Kind] = in.Text
	}
	if texts["budget_usage"] != "93.75% of your Groceries budget used" || texts["remaining"] != "฿1,000 left for 12 days" ||
		texts["runway"] != "At this rate you run out in 2 days (21 Nov 2026)" {
		t.Errorf("insights %v", texts)
	}
	var bodies []string
	for _, n := range c.notifications() {
		bodies = append(bodies, n.Kind+": "+n.Title+" / "+n.Body)
	}
	want := []string{
		"budget_alert: Groceries budget: 84.37% used / After your purchase at Tesco Lotus: ฿2,500.00 left for 21 days.",
		// 10 Nov: k = ceil(1,600,000·10/1,350,000) = 12. The runway on 19 Nov is
		// critical again: one notification per severity reached.
		"insight: Budget running out / At this rate you run out in 2 days (12 Nov 2026)",
		"budget_alert: Groceries budget: 93.75% used / After your purchase at Tesco Lotus: ฿1,000.00 left for 12 days.",
	}
	// Alerts and insights reach the notifications group over different
	// topics, so their relative order is not defined: compare as sets.
	slices.Sort(bodies)
	slices.Sort(want)
	if strings.Join(bodies, "\n") != strings.Join(want, "\n") {
		t.Errorf("notifications\n%s\nwant\n%s", strings.Join(bodies, "\n"), strings.Join(want, "\n"))
	}
}

// A goal over its GOAL account row: contributions, a replayed CDC record,
// a withdrawal; each milestone announced and notified once; an opt-out.
func TestGoalsWiring(t *testing.T) {
	c := startCopilot(t)
	c.houseGoal("2026-12-31", nov(1))
	oct := func(d int) time.Time { return time.Date(2026, 10, d, 9, 0, 0, 0, bkk) }
	var raw [][2][]byte
	for i, m := range []struct {
		dir    string
		amount int64
		at     time.Time
	}{{"CREDIT", 1_000_000, oct(1)}, {"CREDIT", 500_000, oct(15)}, {"CREDIT", 1_200_000, nov(1)}} {
		k, v := c.txn(row(fmt.Sprintf("C%d", i+1), "ACC-GOAL", m.dir, "TRANSFER", "", m.amount, m.at))
		raw = append(raw, [2][]byte{k, v})
	}
	for _, r := range raw { // the same CDC again
		c.tt.Consume(topics.CDCTransactions, string(r[0]), r[1])
	}
	c.txn(row("W1", "ACC-GOAL", "DEBIT", "TRANSFER", "", 300_000, nov(10)))
	c.tt.Consume(TopicCommandsNotify, "USR-789", event.NotificationSettings{CommandID: "n1", UserID: "USR-789", Disabled: []string{"goal_milestone"}})
	c.txn(row("C4", "ACC-GOAL", "CREDIT", "TRANSFER", "", 1_400_000, nov(20))) // 76%: announced, not notified

	milestones := map[int64]int{}
	var last event.GoalEvent
	for {
		_, v, ok := c.goals.Next()
		if !ok {
			break
		}
		ev := v.(event.GoalEvent)
		if ev.Kind == event.GoalMilestone {
			milestones[ev.MilestoneBP]++
		}
		last = ev
	}
	if len(milestones) != 3 || milestones[2500] != 1 || milestones[5000] != 1 || milestones[7500] != 1 {
		t.Errorf("milestones %v, want 2500, 5000 and 7500 once each", milestones)
	}
	// 3,800,000 saved on 20 Nov, W = 51, net 3,800,000:
	// ceil(1,200,000·51/3,800,000) = ceil(16.1) = 17 → 7 Dec.
	if last.SavedMinor != 3_800_000 || last.ProjectedDate != "2026-12-07" || !last.OnTrack {
		t.Errorf("last goal event %+v", last)
	}
	var notified []string
	for _, n := range c.notifications() {
		notified = append(notified, n.Title)
	}
	if strings.Join(notified, "|") != "House deposit: 25% reached|House deposit: 50% reached" {
		t.Errorf("notified %v", notified)
	}
}

// The insights and goals groups store nothing for a record that does not
// concern them: a pending purchase of a user with no goal writes no value
// to either table (no changelog record), while its posting does reach the
// insights table.
func TestUnconcernedRecordsWriteNoState(t *testing.T) {
	c := startCopilot(t)
	pending := row("P1", "ACC-1", "DEBIT", "PURCHASE", "Tesco Lotus", 40_000, nov(10))
	pending.Status = "PENDING"
	c.txn(pending)
	for _, table := range []string{TableInsights, TableGoals} {
		if v := c.tt.TableValue(goka.Table(table), "USR-789"); v != nil {
			t.Errorf("%s holds %+v after a pending purchase", table, v)
		}
	}
	c.txn(row("P1", "ACC-1", "DEBIT", "PURCHASE", "Tesco Lotus", 40_000, nov(10)))
	v, ok := c.tt.TableValue(goka.Table(TableInsights), "USR-789").(insight.State)
	if !ok || !v.Remembers("P1") || v.Categories["groceries|THB"] == nil || v.Categories["groceries|THB"].Entries[0].Amount != 40_000 {
		t.Fatalf("insights after the posting: %+v", v)
	}
	if v := c.tt.TableValue(goka.Table(TableGoals), "USR-789"); v != nil {
		t.Errorf("goals table holds %+v for a user without goals", v)
	}
}

// A transaction's personal budget updates reach the insights group on its
// categorized record: only the update of a command (no transaction) takes
// the loopback, and both give the insight.
func TestBudgetUpdatesRideOnCategorized(t *testing.T) {
	c := startCopilot(t)
	loop := c.tt.NewQueueTracker(LoopInsights)
	c.txn(row("T1", "ACC-1", "DEBIT", "PURCHASE", "Tesco Lotus", 400_000, nov(10)))
	c.tt.Consume(topics.CommandsUser, "USR-789", event.UserCommand{CommandID: "c1", UserID: "USR-789", Kind: event.CmdSetBudget,
		Category: "groceries", LimitMinor: 1_600_000, Currency: "THB", Period: "monthly", IssuedAt: nov(11)})
	usage := func() string {
		v := c.tt.TableValue(goka.Table(TableInsights), "USR-789").(insight.State)
		for _, in := range v.Current(nov(19)) {
			if in.Kind == event.InsightBudgetUsage {
				return in.Text
			}
		}
		return ""
	}
	if got := usage(); got != "25% of your Groceries budget used" {
		t.Errorf("after the budget command: %q", got)
	}
	c.txn(row("T2", "ACC-1", "DEBIT", "PURCHASE", "Tesco Lotus", 800_000, nov(12)))
	if got := usage(); got != "75% of your Groceries budget used" {
		t.Errorf("after a purchase: %q", got)
	}
	var looped []string
	for {
		_, v, ok := loop.Next()
		if !ok {
			break
		}
		u := v.(event.BudgetUpdate)
		looped = append(looped, fmt.Sprintf("%s txn=%q spent=%d", u.BudgetID, u.TxnID, u.SpentMinor))
	}
	if want := []string{`USR-789:groceries txn="" spent=400000`}; !slices.Equal(looped, want) {
		t.Errorf("loopback carried %v, want only the command's update %v", looped, want)
	}
}

// The notifications group stores its state when a candidate is admitted,
// not when a later input brings a candidate it has seen (an insight's next
// version at the same severity): that one leaves the state as it was.
func TestNotificationSeenBeforeWritesNoState(t *testing.T) {
	c := startCopilot(t)
	table := c.tt.NewQueueTracker(TableNotifications)
	runway := event.Insight{InsightID: "USR-789|runway|groceries|2026-11", UserID: "USR-789", Kind: event.InsightRunway,
		Severity: event.SeverityWarning, Subject: "groceries", PeriodKey: "2026-11", Currency: "THB",
		Text: "At this rate you run out in 5 days", Version: 1, EventTime: nov(10)}
	writes := func() int {
		n := 0
		for _, _, ok := table.Next(); ok; _, _, ok = table.Next() {
			n++
		}
		return n
	}
	c.tt.Consume(topics.Insights, "USR-789", runway)
	if n, w := len(c.notifications()), writes(); n != 1 || w != 1 {
		t.Fatalf("first insight: %d notifications, %d table writes; want 1 and 1", n, w)
	}
	runway.Version, runway.Text = 2, "At this rate you run out in 4 days"
	c.tt.Consume(topics.Insights, "USR-789", runway)
	if n, w := len(c.notifications()), writes(); n != 0 || w != 0 {
		t.Fatalf("its next version, same severity: %d notifications, %d table writes; want none", n, w)
	}
	runway.Version, runway.Severity = 3, event.SeverityCritical
	c.tt.Consume(topics.Insights, "USR-789", runway)
	if n, w := len(c.notifications()), writes(); n != 1 || w != 1 {
		t.Fatalf("critical now: %d notifications, %d table writes; want 1 and 1", n, w)
	}
}
