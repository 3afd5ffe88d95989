package api_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/lovoo/goka"
	"github.com/lovoo/goka/tester"

	"finstream/api"
	"finstream/avro"
	"finstream/processors/accountjoin"
	"finstream/processors/cdc"
	"finstream/processors/event"
	"finstream/processors/goal"
	"finstream/processors/insight"
	"finstream/processors/notify"
)

const (
	insightsTable = "finstream-insights-table"
	goalsTable    = "finstream-goals-table"
	notifyTable   = "finstream-notifications-table"
	accountsTable = "finstream-accounts-table"
	goalCmds      = "finstream.commands.goals"
	notifyCmds    = "finstream.commands.notify"
)

type copilotFixture struct {
	tt       *tester.Tester
	srv      *httptest.Server
	goalQ    *tester.QueueTracker
	notifyQ  *tester.QueueTracker
	requests int
}

func startCopilot(t *testing.T) *copilotFixture {
	t.Helper()
	tt := tester.New(t)
	ctx, cancel := context.WithCancel(context.Background())
	var done []chan error
	var views []*goka.View
	view := func(table string, c goka.Codec) *goka.View {
		v, err := goka.NewView(nil, goka.Table(table), c, goka.WithViewTester(tt))
		if err != nil {
			t.Fatal(err)
		}
		ch := make(chan error, 1)
		done = append(done, ch)
		views = append(views, v)
		go func() { ch <- v.Run(ctx) }()
		select { // requests before the view runs would fail
		case <-v.WaitRunning():
		case <-time.After(10 * time.Second):
			t.Fatalf("view of %s not running", table)
		}
		return v
	}
	cfg := api.CopilotConfig{
		Secret:        []byte(secret),
		Insights:      view(insightsTable, avro.JSONCodec[insight.State]{}),
		Goals:         view(goalsTable, avro.JSONCodec[goal.State]{}),
		Notifications: view(notifyTable, avro.JSONCodec[notify.State]{}),
		Accounts:      view(accountsTable, avro.JSONCodec[accountjoin.State]{}),
		Now:           func() time.Time { return now },
	}
	t.Cleanup(func() {
		cancel()
		for _, ch := range done {
			if err := <-ch; err != nil {
				t.Errorf("view: %v", err)
			}
		}
	})
	var err error
	if cfg.GoalCommands, err = goka.NewEmitter(nil, goka.Stream(goalCmds), avro.JSONCodec[event.GoalCommand]{}, goka.WithEmitterTester(tt)); err != nil {
		t.Fatal(err)
	}
	if cfg.NotifyCommands, err = goka.NewEmitter(nil, goka.Stream(notifyCmds), avro.JSONCodec[event.NotificationSettings]{}, goka.WithEmitterTester(tt)); err != nil {
		t.Fatal(err)
	}
	c, err := api.NewCopilot(cfg)
	if err != nil {
		t.Fatal(err)
	}
	waitRunning(t, views...)
	srv := httptest.NewServer(c)
	t.Cleanup(srv.Close)
	return &copilotFixture{tt: tt, srv: srv, goalQ: tt.NewQueueTracker(goalCmds), notifyQ: tt.NewQueueTracker(notifyCmds)}
}

func (f *copilotFixture) do(t *testing.T, method, path, user, body string) (int, map[string]any) {
	t.Helper()
	resp, out := request(t, f.srv.URL, method, path, user, body)
	return resp.StatusCode, out
}

func TestInsightsEndpoint(t *testing.T) {
	f := startCopilot(t)
	s := insight.State{UserID: "USR-789"}
	s.ApplyBudget(event.BudgetUpdate{
		Kind: event.BudgetPersonal, BudgetID: "USR-789:groceries", UserID: "USR-789", Category: "groceries", Period: "monthly",
		PeriodKey: "2026-11", PeriodStart: time.Date(2026, 11, 1, 0, 0, 0, 0, bkk), PeriodEnd: time.Date(2026, 12, 1, 0, 0, 0, 0, bkk),
		Currency: "THB", LimitMinor: 1_600_000, SpentMinor: 1_500_000, RemainingMinor: 100_000, UsedBP: 9375, Version: 3,
		EventTime: time.Date(2026, 11, 19, 10, 0, 0, 0, bkk),
	})
	f.tt.SetTableValue(goka.Table(insightsTable), "USR-789", s)

	code, body := f.do(t, "GET", "/v1/me/insights", "USR-789", "")
	if code != http.StatusOK {
		t.Fatalf("GET: %d %v", code, body)
	}
	texts := map[string]string{}
	for i := range jget[[]any](t, body, "insights") {
		in := jget[map[string]any](t, body, "insights", i)
		for _, k := range []string{"insight_id", "kind", "severity", "text", "data", "event_time"} {
			if _, ok := in[k]; !ok {
				t.Errorf("insight without %s: %v", k, in)
			}
		}
		texts[jget[string](t, in, "kind")] = jget[string](t, in, "text")
	}
	if texts["budget_usage"] != "93.75% of your Groceries budget used" || texts["remaining"] != "฿1,000 left for 12 days" || len(texts) != 3 {
		t.Errorf("insights %v", texts)
	}
	_, body = f.do(t, "GET", "/v1/me/insights?lang=th", "USR-789", "")
	if got := jget[string](t, body, "insights", 0, "text"); !strings.ContainsAny(got, "กขคงจ") {
		t.Errorf("Thai text %q", got)
	}
	if code, body = f.do(t, "GET", "/v1/me/insights", "USR-NEW", ""); code != 200 || len(jget[[]any](t, body, "insights")) != 0 {
		t.Errorf("a new user: %d %v", code, body)
	}
	if code, _ = f.do(t, "GET", "/v1/me/insights", "", ""); code != http.StatusUnauthorized {
		t.Errorf("no token: %d", code)
	}
}

func TestGoalEndpoints(t *testing.T) {
	f := startCopilot(t)
	owner := goal.State{UserID: "USR-1"}
	if _, err := owner.SetGoal(goal.Settings{ID: "G-HOUSE", Name: "House deposit", TargetMinor: 5_000_000, Currency: "THB", TargetDate: "2026-12-31", AccountID: "ACC-GOAL"}, now); err != nil {
		t.Fatal(err)
	}
	eff, _ := owner.SetMember("G-HOUSE", "USR-2", goal.RoleContributor, now)
	accepted, _ := owner.AnswerInvite("G-HOUSE", "USR-2", true, now)
	member := goal.State{UserID: "USR-2"}
	member.Apply(eff.Forwards[0].Msg, "")
	member.Apply(accepted.Forwards[0].Msg, "")
	owner.ApplyTxn(cdc.TxnChange{Pos: cdc.Position{LSN: 10}, Row: cdc.Txn{ID: "C1", AccountID: "ACC-GOAL", UserID: "USR-1",
		Direction: "CREDIT", Status: "POSTED", AmountMinor: 1_500_000, Currency: "THB", PostedAt: now}})
	f.tt.SetTableValue(goka.Table(goalsTable), "USR-1", owner)
	f.tt.SetTableValue(goka.Table(goalsTable), "USR-2", member)
	f.tt.SetTableValue(goka.Table(accountsTable), "ACC-X", accountjoin.State{Account: &cdc.Account{ID: "ACC-X", UserID: "USR-OTHER"}})

	for _, user := range []string{"USR-1", "USR-2"} {
		code, body := f.do(t, "GET", "/v1/me/goals", user, "")
		if code != 200 || len(jget[[]any](t, body, "goals")) != 1 {
			t.Fatalf("%s GET: %d %v", user, code, body)
		}
		g := jget[map[string]any](t, body, "goals", 0)
		if g["goal_id"] != "G-HOUSE" || g["saved_minor"] != 1_500_000.0 || g["progress_bp"] != 3000.0 || g["target_date"] != "2026-12-31" {
			t.Errorf("%s sees %v", user, g)
		}
		// On 19 November ฿35,000 remains over 2 months (November, December).
		if g["monthly_needed_minor"] != 1_750_000.0 {
			t.Errorf("%s: monthly_needed_minor %v, want 1750000", user, g["monthly_needed_minor"])
		}
	}

	for _, c := range []struct {
		method, path, user, body string
		code                     int
	}{
		{"PUT", "/v1/me/goals/G-CAR", "USR-1", `{"name":"Car","target_minor":30000000,"currency":"THB","target_date":"2027-06-30"}`, 202},
		{"PUT", "/v1/me/goals/G-CAR", "USR-1", `{"name":"Car","currency":"THB"}`, 422},
		{"PUT", "/v1/me/goals/G-CAR", "USR-1", `{"name":"Car","target_minor":100,"currency":"THB","target_date":"30/06/2027"}`, 422},
		{"PUT", "/v1/me/goals/G-CAR", "USR-1", `{"name":"Car","target_minor":100,"currency":"XXX"}`, 422},
		{"PUT", "/v1/me/goals/G-CAR", "USR-1", `{"name":"Car","target_minor":100,"currency":"THB","account_id":"ACC-X"}`, 403},
		{"PUT", "/v1/me/goals/G-CAR", "USR-1", `{"name":"Car","target_minor":100,"currency":"THB","colour":"red"}`, 400},
		{"PUT", "/v1/me/goals/G-CAR", "", `{}`, 401},
		{"DELETE", "/v1/me/goals/G-NONE", "USR-1", "", 404},
		{"DELETE", "/v1/me/goals/G-HOUSE", "USR-2", "", 404}, // not the owner
		{"POST", "/v1/me/goals/G-HOUSE/members", "USR-1", `{"user_id":"USR-3","role":"owner"}`, 422},
		{"POST", "/v1/me/goals/G-HOUSE/members", "USR-1", `{"user_id":"USR-3","role":"viewer"}`, 202},
		{"DELETE", "/v1/me/goals/G-HOUSE/members/USR-1", "USR-1", "", 403},
		{"DELETE", "/v1/me/goals/G-HOUSE/members/USR-2", "USR-1", "", 202},
		{"DELETE", "/v1/me/goals/G-HOUSE", "USR-1", "", 202},
	} {
		if code, body := f.do(t, c.method, c.path, c.user, c.body); code != c.code {
			t.Errorf("%s %s as %s: %d %v, want %d", c.method, c.path, c.user, code, body, c.code)
		}
	}
	var kinds []string
	for {
		k, v, ok := f.goalQ.Next()
		if !ok {
			break
		}
		cmd, isCmd := v.(event.GoalCommand)
		if !isCmd {
			t.Fatalf("record %s is %T, not a goal command", k, v)
		}
		if k != "USR-1" || cmd.CommandID == "" || !cmd.IssuedAt.Equal(now) {
			t.Errorf("command %s %+v", k, cmd)
		}
		kinds = append(kinds, cmd.Kind+":"+cmd.GoalID+":"+cmd.MemberID)
		if cmd.Kind == event.CmdSetGoal && (cmd.TargetMinor != 30_000_000 || cmd.TargetDate != "2027-06-30" || cmd.Name != "Car") {
			t.Errorf("set goal %+v", cmd)
		}
	}
	want := "set_goal:G-CAR:,add_goal_member:G-HOUSE:USR-3,remove_goal_member:G-HOUSE:USR-2,delete_goal:G-HOUSE:"
	if strings.Join(kinds, ",") != want {
		t.Errorf("commands %v, want %s", kinds, want)
	}
}

func TestNotificationSettingsEndpoints(t *testing.T) {
	f := startCopilot(t)
	code, body := f.do(t, "GET", "/v1/me/notification-settings", "USR-1", "")
	if code != 200 {
		t.Fatalf("defaults: %d %v", code, body)
	}
	if k := jget[map[string]any](t, body, "kinds"); k["goal_milestone"] != true || k["insight"] != true || body["lang"] != "en" {
		t.Fatalf("defaults: %d %v", code, body)
	}
	if code, _ = f.do(t, "PUT", "/v1/me/notification-settings", "USR-1", `{"kinds":{"insight":false},"lang":"th"}`); code != 202 {
		t.Fatalf("PUT: %d", code)
	}
	for _, bad := range []string{`{"kinds":{"spam":false}}`, `{"lang":"fr"}`} {
		if code, _ = f.do(t, "PUT", "/v1/me/notification-settings", "USR-1", bad); code != 422 {
			t.Errorf("PUT %s: %d, want 422", bad, code)
		}
	}
	if _, cmd := next[event.NotificationSettings](t, f.notifyQ); cmd.UserID != "USR-1" || strings.Join(cmd.Disabled, ",") != "insight" || cmd.Lang != "th" {
		t.Errorf("command %+v", cmd)
	}
}

// A goal's member joins by invitation: the invitee lists it, sees no goal
// until they accept, and only they can answer it.
func TestGoalInvitations(t *testing.T) {
	f := startCopilot(t)
	owner := goal.State{UserID: "USR-1"}
	if _, err := owner.SetGoal(goal.Settings{ID: "G-HOUSE", Name: "House deposit", TargetMinor: 5_000_000, Currency: "THB", AccountID: "ACC-GOAL"}, now); err != nil {
		t.Fatal(err)
	}
	eff, _ := owner.SetMember("G-HOUSE", "USR-3", goal.RoleViewer, now)
	invitee := goal.State{UserID: "USR-3"}
	invitee.Apply(eff.Forwards[0].Msg, "")
	f.tt.SetTableValue(goka.Table(goalsTable), "USR-1", owner)
	f.tt.SetTableValue(goka.Table(goalsTable), "USR-3", invitee)

	code, body := f.do(t, "GET", "/v1/me/goal-invitations", "USR-3", "")
	list, _ := body["invitations"].([]any)
	if code != 200 || len(list) != 1 {
		t.Fatalf("invitations: %d %v", code, body)
	}
	if inv := list[0].(map[string]any); inv["owner_id"] != "USR-1" || inv["goal_id"] != "G-HOUSE" || inv["role"] != "viewer" || inv["pending"] != true {
		t.Fatalf("invitation %v", inv)
	}
	if _, body := f.do(t, "GET", "/v1/me/goals", "USR-3", ""); len(body["goals"].([]any)) != 0 {
		t.Fatalf("the invitee sees the goal: %v", body)
	}
	for _, c := range []struct {
		path, user string
		code       int
	}{
		{"/v1/me/goal-invitations/USR-1/G-HOUSE/accept", "USR-2", 404}, // not invited
		{"/v1/me/goal-invitations/USR-1/G-NONE/accept", "USR-3", 404},
		{"/v1/me/goal-invitations/USR-1/G-HOUSE/accept", "USR-3", 202},
		{"/v1/me/goal-invitations/USR-1/G-HOUSE/decline", "USR-3", 202},
	} {
		if code, body := f.do(t, "POST", c.path, c.user, ""); code != c.code {
			t.Errorf("POST %s as %s: %d %v, want %d", c.path, c.user, code, body, c.code)
		}
	}
	var kinds []string
	for {
		k, v, ok := f.goalQ.Next()
		if !ok {
			break
		}
		cmd := v.(event.GoalCommand)
		kinds = append(kinds, k+":"+cmd.Kind+":"+cmd.GoalID+":"+cmd.MemberID)
	}
	if want := "USR-1:accept_goal_member:G-HOUSE:USR-3,USR-1:decline_goal_member:G-HOUSE:USR-3"; strings.Join(kinds, ",") != want {
		t.Errorf("commands %v, want %s", kinds, want)
	}
}
