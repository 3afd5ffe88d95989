package api_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/lovoo/goka"

	"finstream/api"
	"finstream/processors"
	"finstream/processors/cdc"
	"finstream/topics"
)

// weeklyShop is a purchase at Tesco Lotus on day of November at 10:00.
func weeklyShop(id string, amount int64, day int) cdc.Txn {
	return purchase(id, "USR-789", amount, day)
}

// Safe-to-spend and pace through the API, by hand (now is 19 November,
// 12:00: 19/30 = 6333 bp of the month elapsed). Tesco on Mondays 2, 9 and
// 16 November (฿500, ฿520, ฿510) is a weekly payment expected on the 23rd
// and the 30th: in a ฿4,000 groceries budget ฿2,470 remains, ฿1,020 is
// committed, ฿1,450 is safe to spend; 3825 bp used is on track. A ฿1,000
// dining budget with ฿900 spent today (9000 bp > 6333 + 1000) is too fast,
// ฿100 safe. Overall: ฿1,550.
func TestBudgetsSafeToSpendAndPace(t *testing.T) {
	f := start(t, false)
	f.h.Txn(cdc.OpCreate, weeklyShop("W1", 50_000, 2))
	f.h.Txn(cdc.OpCreate, weeklyShop("W2", 52_000, 9))
	f.h.Txn(cdc.OpCreate, weeklyShop("W3", 51_000, 16))
	if code, body := f.do(t, "PUT", "/v1/me/budgets/groceries", "USR-789", `{"limit_minor":400000,"currency":"THB","rollover":true}`); code != http.StatusAccepted {
		t.Fatalf("PUT: %d %v", code, body)
	}
	if code, body := f.do(t, "PUT", "/v1/me/budgets/dining", "USR-789", `{"limit_minor":100000,"currency":"THB"}`); code != http.StatusAccepted {
		t.Fatalf("PUT: %d %v", code, body)
	}
	dinner := purchase("D1", "USR-789", 90_000, 19)
	dinner.MerchantName, dinner.MCC, dinner.PostedAt = "Somtam Nua", 5812, time.Date(2026, 11, 19, 9, 0, 0, 0, bkk)
	f.h.Txn(cdc.OpCreate, dinner)

	code, body := f.do(t, "GET", "/v1/me/budgets", "USR-789", "")
	if code != http.StatusOK {
		t.Fatalf("GET: %d %v", code, body)
	}
	want := []map[string]any{
		{"category": "dining", "remaining_minor": 10_000.0, "commitments_minor": 0.0, "safe_to_spend_minor": 10_000.0,
			"pace": "too_fast", "elapsed_bp": 6333.0, "used_bp": 9000.0, "rollover": false},
		{"category": "groceries", "remaining_minor": 247_000.0, "commitments_minor": 102_000.0, "safe_to_spend_minor": 145_000.0,
			"pace": "on_track", "elapsed_bp": 6333.0, "used_bp": 3825.0, "rollover": true, "rollover_minor": 0.0},
	}
	for i, w := range want {
		b := jget[map[string]any](t, body, "budgets", i)
		for k, v := range w {
			if b[k] != v {
				t.Errorf("budget %d: %s = %v, want %v", i, k, b[k], v)
			}
		}
	}
	if body["safe_to_spend_minor"] != 155_000.0 || body["currency"] != "THB" {
		t.Fatalf("overall: %v %v", body["safe_to_spend_minor"], body["currency"])
	}
	if all := jget[map[string]any](t, body, "safe_to_spend", 0); all["commitments_minor"] != 102_000.0 || all["remaining_minor"] != 257_000.0 {
		t.Fatalf("safe_to_spend %v", all)
	}
}

// copilotOn serves the Copilot's endpoints over the views of f's
// processors (the alerts table included).
func copilotOn(t *testing.T, f *fixture) *copilotFixture {
	t.Helper()
	cc := f.h.Codecs.Copilot
	views := runViews(t, f.h.Tester, tableView{processors.TableInsights, cc.InsightsTable}, tableView{processors.TableGoals, cc.GoalsTable},
		tableView{processors.TableNotifications, cc.NotificationsTable}, tableView{topics.TableAlerts, f.h.Codecs.AlertsTable})
	goalEm, err := goka.NewEmitter(nil, goka.Stream(processors.TopicCommandsGoals), cc.GoalCommands, goka.WithEmitterTester(f.h.Tester))
	if err != nil {
		t.Fatal(err)
	}
	notifyEm, err := goka.NewEmitter(nil, goka.Stream(processors.TopicCommandsNotify), cc.NotifyCommands, goka.WithEmitterTester(f.h.Tester))
	if err != nil {
		t.Fatal(err)
	}
	c, err := api.NewCopilot(api.CopilotConfig{Secret: []byte(secret), Insights: views[0], Goals: views[1], Notifications: views[2],
		Alerts: views[3], GoalCommands: goalEm, NotifyCommands: notifyEm, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(c)
	t.Cleanup(srv.Close)
	return &copilotFixture{tt: f.h.Tester, srv: srv}
}

// The seed's worked example, explained: ฿13,500 then ฿1,500 at Tesco in a
// ฿16,000 budget cross 90% on the 19th. GET /v1/me/alerts/{id} lists both
// purchases (largest first, source mcc), threshold 9000, the pace (9375 bp
// used with 6333 elapsed: too fast) and the rule; the owner of nothing gets
// 404 for it.
func TestAlertExplanationByID(t *testing.T) {
	f := start(t, false)
	srv := copilotOn(t, f)
	if code, body := f.do(t, "PUT", "/v1/me/budgets/groceries", "USR-789", `{"limit_minor":1600000,"currency":"THB"}`); code != http.StatusAccepted {
		t.Fatalf("PUT: %d %v", code, body)
	}
	f.h.Txn(cdc.OpCreate, purchase("T1", "USR-789", 1_350_000, 10))
	f.h.Txn(cdc.OpCreate, purchase("T3", "USR-789", 150_000, 19))
	f.h.Tester.Catchup()

	id := "USR-789|groceries|2026-11|9000|1" // the first crossing of 90% (budget.AlertID)
	code, a := srv.do(t, "GET", "/v1/me/alerts/"+url.PathEscape(id), "USR-789", "")
	if code != http.StatusOK || a["alert_id"] != id || a["threshold_bp"] != 9000.0 || a["kind"] != "threshold" {
		t.Fatalf("GET alert: %d %v", code, a)
	}
	x := jget[map[string]any](t, a, "explanation")
	if x["threshold_bp"] != 9000.0 || x["pace"] != "too_fast" || x["elapsed_bp"] != 6333.0 || x["count"] != 2.0 || x["truncated"] != false ||
		x["rule"] != "threshold: spend reached 9000 bp of the limit (used 9375 bp ≥ 9000 bp)" {
		t.Fatalf("explanation %v", x)
	}
	first := jget[map[string]any](t, a, "explanation", "transactions", 0)
	second := jget[map[string]any](t, a, "explanation", "transactions", 1)
	if first["txn_id"] != "T1" || first["amount_minor"] != 1_350_000.0 || first["source"] != "mcc" || first["category"] != "groceries" ||
		first["merchant"] != "Tesco Lotus" || first["posted_at"] != "2026-11-10T03:00:00Z" || second["txn_id"] != "T3" {
		t.Fatalf("transactions %v %v", first, second)
	}
	// The list: 9000 (T3), then the pace alert and 8000 and 5000 of T1.
	_, list := srv.do(t, "GET", "/v1/me/alerts", "USR-789", "")
	if alerts := jget[[]any](t, list, "alerts"); len(alerts) != 4 || jget[string](t, list, "alerts", 0, "alert_id") != id {
		t.Fatalf("alerts %v", list)
	}
	if code, body := srv.do(t, "GET", "/v1/me/alerts/"+url.PathEscape(id), "USR-OTHER", ""); code != http.StatusNotFound || jget[string](t, body, "error", "code") != "not_found" {
		t.Fatalf("another user's alert: %d %v", code, body)
	}
	// The budget's insights carry the latest alert's explanation; the
	// safe_to_spend insight says ฿1,000 (nothing recurring is expected).
	_, ins := srv.do(t, "GET", "/v1/me/insights", "USR-789", "")
	found := map[string]map[string]any{}
	for i := range jget[[]any](t, ins, "insights") {
		in := jget[map[string]any](t, ins, "insights", i)
		found[in["insight_id"].(string)] = in
	}
	usage := found["USR-789|budget_usage|groceries|2026-11"]
	if usage == nil || usage["alert_id"] != id || jget[float64](t, usage, "explanation", "count") != 2 {
		t.Fatalf("budget_usage insight %v", usage)
	}
	safe := found["USR-789|safe_to_spend|groceries|2026-11"]
	if safe == nil || jget[float64](t, safe, "data", "safe_to_spend_minor") != 100_000 || found["USR-789|safe_to_spend|all:THB"] == nil {
		t.Fatalf("safe_to_spend insights %v (all: %v)", safe, found["USR-789|safe_to_spend|all:THB"])
	}
}

// A pay-month budget from the 25th, set on 19 November at 12:00: its
// period is 25 Oct – 25 Nov with 6 days left (19..24); ฿400 spent at 12:30
// counts there, ฿100 at 10:00 (before the budget took the anchor) does
// not. An anchor day of 29, or on a weekly budget, is refused.
func TestBudgetPaydayAnchor(t *testing.T) {
	f := start(t, false)
	if code, body := f.do(t, "PUT", "/v1/me/budgets/groceries", "USR-789", `{"limit_minor":100000,"currency":"THB","period_anchor_day":25}`); code != http.StatusAccepted {
		t.Fatalf("PUT: %d %v", code, body)
	}
	f.h.Txn(cdc.OpCreate, purchase("T0", "USR-789", 10_000, 19)) // 10:00, before the budget (12:00): not in its pay-month
	late := purchase("T1", "USR-789", 40_000, 19)
	late.PostedAt = time.Date(2026, 11, 19, 12, 30, 0, 0, bkk)
	f.h.Txn(cdc.OpCreate, late)
	_, body := f.do(t, "GET", "/v1/me/budgets", "USR-789", "")
	b := jget[map[string]any](t, body, "budgets", 0)
	if b["period_start"] != "2026-10-25T00:00:00+07:00" || b["period_end"] != "2026-11-25T00:00:00+07:00" || b["days_left"] != 6.0 ||
		b["spent_minor"] != 40_000.0 || b["period_anchor_day"] != 25.0 {
		t.Fatalf("budget %v", b)
	}
	for _, req := range []string{`{"limit_minor":100000,"currency":"THB","period_anchor_day":29}`,
		`{"limit_minor":100000,"currency":"THB","period":"weekly","period_anchor_day":25}`} {
		if code, body := f.do(t, "PUT", "/v1/me/budgets/dining", "USR-789", req); code != http.StatusUnprocessableEntity || jget[string](t, body, "error", "code") != "invalid" {
			t.Fatalf("%s: %d %v", req, code, body)
		}
	}
}
