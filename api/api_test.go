package api_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/lovoo/goka"

	"finstream/api"
	"finstream/processors/cdc"
	"finstream/processors/processorstest"
	"finstream/topics"
)

var bkk, _ = time.LoadLocation("Asia/Bangkok")
var now = time.Date(2026, 11, 19, 12, 0, 0, 0, bkk)

const secret = "test-secret"

type fixture struct {
	h   *processorstest.Harness
	srv *httptest.Server
	api *api.Server
}

func start(t *testing.T, dev bool) *fixture {
	t.Helper()
	return startWith(t, func(c *api.Config) { c.Dev = dev })
}

// startWith starts the API with the fixture's config changed by opt.
func startWith(t *testing.T, opt func(*api.Config)) *fixture {
	t.Helper()
	return startOn(t, func(_ *processorstest.Harness, c *api.Config) { opt(c) })
}

// startOn is startWith for an opt that needs the processors' harness.
func startOn(t *testing.T, opt func(*processorstest.Harness, *api.Config)) *fixture {
	t.Helper()
	h := processorstest.Start(t)
	view, err := goka.NewView(nil, goka.Table(topics.TableUsers), h.Codecs.UsersTable, goka.WithViewTester(h.Tester))
	if err != nil {
		t.Fatal(err)
	}
	txns, err := goka.NewView(nil, goka.Table(topics.TableTxns), h.Codecs.TxnsTable, goka.WithViewTester(h.Tester))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	viewDone := make(chan error, 2)
	go func() { viewDone <- view.Run(ctx) }()
	go func() { viewDone <- txns.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		for range 2 {
			if err := <-viewDone; err != nil {
				t.Errorf("view: %v", err)
			}
		}
	})
	waitRunning(t, view, txns)
	em, err := goka.NewEmitter(nil, goka.Stream(topics.CommandsUser), h.Codecs.CommandsUser, goka.WithEmitterTester(h.Tester))
	if err != nil {
		t.Fatal(err)
	}
	txnCmds, err := goka.NewEmitter(nil, goka.Stream(topics.CommandsTxn), h.Codecs.CommandsTxn, goka.WithEmitterTester(h.Tester))
	if err != nil {
		t.Fatal(err)
	}
	cfg := api.Config{Users: view, Commands: em, Txns: txns, TxnCommands: txnCmds, Secret: []byte(secret), Now: func() time.Time { return now }, Ready: func() bool { return true }}
	opt(h, &cfg)
	s, err := api.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return &fixture{h: h, srv: srv, api: s}
}

func (f *fixture) do(t *testing.T, method, path, user, body string) (int, map[string]any) {
	t.Helper()
	resp, out := raw(t, f, method, path, user, body)
	// Commands are applied through Kafka: let the processors catch up.
	f.h.Tester.Catchup()
	return resp.StatusCode, out
}

func purchase(id, user string, amount int64, day int) cdc.Txn {
	at := time.Date(2026, 11, day, 10, 0, 0, 0, bkk)
	return cdc.Txn{ID: id, AccountID: "ACC-" + user, UserID: user, Direction: "DEBIT", Type: "PURCHASE", Status: "POSTED",
		AmountMinor: amount, Currency: "THB", MerchantName: "Tesco Lotus", MCC: 5411, Channel: "PROMPTPAY", PostedAt: at, UpdatedAt: at}
}

func TestBudgetsLifecycle(t *testing.T) {
	f := start(t, false)
	f.h.Txn(cdc.OpCreate, purchase("T1", "USR-789", 1_350_000, 10))

	code, body := f.do(t, "PUT", "/v1/me/budgets/groceries", "USR-789", `{"limit_minor":1600000,"currency":"THB","period":"monthly"}`)
	if code != http.StatusAccepted || body["command_id"] == "" {
		t.Fatalf("PUT: %d %v", code, body)
	}
	f.h.Txn(cdc.OpCreate, purchase("T3", "USR-789", 150_000, 19))

	code, body = f.do(t, "GET", "/v1/me/budgets", "USR-789", "")
	if code != http.StatusOK {
		t.Fatalf("GET: %d %v", code, body)
	}
	b := jget[map[string]any](t, body, "budgets", 0)
	want := map[string]float64{"spent_minor": 1_500_000, "used_bp": 9375, "remaining_minor": 100_000, "limit_minor": 1_600_000, "days_left": 12}
	for k, v := range want {
		if b[k] != v {
			t.Errorf("%s = %v, want %v", k, b[k], v)
		}
	}
	if b["budget_id"] != "USR-789:groceries" || b["period"] != "monthly" || b["currency"] != "THB" {
		t.Errorf("budget %v", b)
	}

	// Another user sees none of it, and cannot touch it.
	if code, body = f.do(t, "GET", "/v1/me/budgets", "USR-OTHER", ""); code != 200 || len(jget[[]any](t, body, "budgets")) != 0 {
		t.Fatalf("other user: %d %v", code, body)
	}
	if code, _ = f.do(t, "POST", "/v1/me/transactions/T3/category", "USR-OTHER", `{"category":"dining"}`); code != http.StatusNotFound {
		t.Fatalf("recategorize someone else's transaction: %d", code)
	}

	// "All from this merchant" needs a backfiller in the process.
	if code, body = f.do(t, "POST", "/v1/me/transactions/T3/category", "USR-789", `{"category":"dining","scope":"merchant"}`); code != http.StatusServiceUnavailable {
		t.Fatalf("scope merchant without a backfiller: %d %v", code, body)
	}

	// Recategorize moves the spend out of groceries.
	if code, body = f.do(t, "POST", "/v1/me/transactions/T3/category", "USR-789", `{"category":"dining"}`); code != http.StatusAccepted {
		t.Fatalf("recategorize: %d %v", code, body)
	}
	_, body = f.do(t, "GET", "/v1/me/budgets", "USR-789", "")
	if got := jget[any](t, body, "budgets", 0, "used_bp"); got != float64(8437) {
		t.Fatalf("used_bp after moving T3 to dining: %v", got)
	}
	_, body = f.do(t, "GET", "/v1/me/spending?period=2026-11", "USR-789", "")
	if sp := jget[[]any](t, body, "spending"); len(sp) != 2 {
		t.Fatalf("spending %v", body)
	}

	if code, _ = f.do(t, "DELETE", "/v1/me/budgets/groceries", "USR-789", ""); code != http.StatusAccepted {
		t.Fatalf("DELETE: %d", code)
	}
	if _, body = f.do(t, "GET", "/v1/me/budgets", "USR-789", ""); len(jget[[]any](t, body, "budgets")) != 0 {
		t.Fatalf("after delete: %v", body)
	}
	if code, _ = f.do(t, "DELETE", "/v1/me/budgets/groceries", "USR-789", ""); code != http.StatusNotFound {
		t.Fatalf("DELETE again: %d", code)
	}
}

func TestErrors(t *testing.T) {
	f := start(t, false)
	cases := []struct {
		name, method, path, user, body string
		code                           int
		errCode                        string
	}{
		{"no token", "GET", "/v1/me/budgets", "", "", 401, "token_missing"},
		{"malformed json", "PUT", "/v1/me/budgets/groceries", "U", `{"limit_minor":`, 400, "bad_json"},
		{"unknown field", "PUT", "/v1/me/budgets/groceries", "U", `{"limit":5}`, 400, "bad_json"},
		{"missing limit", "PUT", "/v1/me/budgets/groceries", "U", `{"currency":"THB"}`, 422, "invalid"},
		{"negative limit", "PUT", "/v1/me/budgets/groceries", "U", `{"limit_minor":-1,"currency":"THB"}`, 422, "invalid"},
		{"unknown category", "PUT", "/v1/me/budgets/pets", "U", `{"limit_minor":1,"currency":"THB"}`, 422, "invalid"},
		{"unknown currency", "PUT", "/v1/me/budgets/groceries", "U", `{"limit_minor":1,"currency":"BTC"}`, 422, "invalid"},
		{"bad period", "PUT", "/v1/me/budgets/groceries", "U", `{"limit_minor":1,"currency":"THB","period":"daily"}`, 422, "invalid"},
		{"unknown transaction", "POST", "/v1/me/transactions/nope/category", "U", `{"category":"dining"}`, 404, "not_found"},
		{"unknown scope", "POST", "/v1/me/transactions/nope/category", "U", `{"category":"dining","scope":"all"}`, 422, "invalid"},
		{"no dev token without --dev", "POST", "/v1/dev/token", "", `{"user_id":"U"}`, 404, "not_found"},
		{"unknown endpoint", "GET", "/v1/nope", "U", "", 404, "not_found"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, body := f.do(t, c.method, c.path, c.user, c.body)
			if code != c.code {
				t.Fatalf("status %d, want %d (%v)", code, c.code, body)
			}
			e, _ := body["error"].(map[string]any)
			if e["code"] != c.errCode || e["message"] == "" {
				t.Fatalf("error body %v, want code %s", body, c.errCode)
			}
		})
	}
	// A token signed with another secret, and one with alg none, are refused.
	req, _ := http.NewRequest("GET", f.srv.URL+"/v1/me/budgets", nil)
	forged, _ := api.Token([]byte("other-secret"), "U", now, time.Hour)
	req.Header.Set("Authorization", "Bearer "+forged)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 401 {
		t.Fatalf("forged token: %v %v", resp, err)
	}
	req.Header.Set("Authorization", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJVIn0.")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 401 {
		t.Fatalf("alg none token: %v %v", resp, err)
	}
}

func TestDevToken(t *testing.T) {
	f := start(t, true)
	code, body := f.do(t, "POST", "/v1/dev/token", "", `{"user_id":"USR-1"}`)
	if code != 200 {
		t.Fatalf("dev token: %d %v", code, body)
	}
	req, _ := http.NewRequest("GET", f.srv.URL+"/v1/me/budgets", nil)
	req.Header.Set("Authorization", "Bearer "+jget[string](t, body, "token"))
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("using the dev token: %v %v", resp, err)
	}
	if code, _ = f.do(t, "POST", "/v1/dev/token", "", `{}`); code != 422 {
		t.Fatalf("dev token without user: %d", code)
	}
}
