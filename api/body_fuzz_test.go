package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/lovoo/goka"

	"finstream/api"
	"finstream/processors/processorstest"
	"finstream/topics"
)

// fuzzRoutes are the routes that read a JSON body; a fuzz input picks one
// by its first byte.
var fuzzRoutes = []struct{ method, path, seed string }{
	{"PUT", "/v1/me/budgets/groceries", `{"limit_minor":1600000,"currency":"THB","period":"monthly","thresholds_bp":[5000,9000]}`},
	{"POST", "/v1/me/transactions/T1/category", `{"category":"dining"}`},
	{"POST", "/v1/shared-budgets", `{"budget_id":"BDG-1","name":"Home","category":"groceries","limit_minor":100000,"currency":"THB","period":"monthly"}`},
	{"PATCH", "/v1/shared-budgets/BDG-1", `{"limit_minor":2000000}`},
	{"POST", "/v1/shared-budgets/BDG-1/members", `{"user_id":"USR-2","role":"contributor"}`},
	{"POST", "/v1/dev/token", `{"user_id":"USR-1"}`},
	{"PUT", "/v1/me/goals/G-1", `{"name":"Car","target_minor":30000000,"currency":"THB","target_date":"2027-06-30"}`},
	{"POST", "/v1/me/goals/G-1/members", `{"user_id":"USR-2","role":"viewer"}`},
	{"PUT", "/v1/me/notification-settings", `{"kinds":{"insight":false},"lang":"th"}`},
}

// FuzzRequestBodies sends arbitrary bodies to every route that reads JSON,
// on the real API and copilot handlers over views and emitters of the
// processors (goka's tester). No body may panic a handler or get a 5xx,
// and every answer is JSON; an error is {"error":{"code","message"}}.
func FuzzRequestBodies(f *testing.F) {
	handler := fuzzServer(f)
	tok, err := api.Token([]byte(secret), "USR-1", now, time.Hour)
	if err != nil {
		f.Fatal(err)
	}
	for i, r := range fuzzRoutes {
		f.Add(byte(i), []byte(r.seed))
		f.Add(byte(i), []byte(`{}`))
		f.Add(byte(i), []byte(`{"limit_minor":-1,"name":"`+strings.Repeat("x", 300)+`"}`))
		f.Add(byte(i), []byte(`[`))
	}
	f.Fuzz(func(t *testing.T, route byte, body []byte) {
		r := fuzzRoutes[int(route)%len(fuzzRoutes)]
		// A command the processors never acknowledge would hang the request:
		// the deadline makes it a 503, which fails below.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		req := httptest.NewRequestWithContext(ctx, r.method, r.path, strings.NewReader(string(body)))
		req.Header.Set("Authorization", "Bearer "+tok)
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %s %q: %d %s", r.method, r.path, body, rec.Code, rec.Body)
		}
		var out map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			t.Fatalf("%s %s %q: %d answer is not a JSON object: %q", r.method, r.path, body, rec.Code, rec.Body)
		}
		if rec.Code >= 400 {
			e, ok := out["error"].(map[string]any)
			if code, _ := e["code"].(string); !ok || code == "" {
				t.Fatalf("%s %s %q: %d error without a code: %s", r.method, r.path, body, rec.Code, rec.Body)
			}
		}
	})
}

// fuzzServer is the API and the copilot on one mux, over every processor
// on goka's tester, running until the fuzz test ends.
func fuzzServer(tb testing.TB) http.Handler {
	tb.Helper()
	h := processorstest.Start(tb)
	ctx, cancel := context.WithCancel(context.Background())
	var views []*goka.View
	done := make(chan error, 8)
	view := func(table string, c goka.Codec) *goka.View {
		v, err := goka.NewView(nil, goka.Table(table), c, goka.WithViewTester(h.Tester))
		if err != nil {
			tb.Fatal(err)
		}
		views = append(views, v)
		go func() { done <- v.Run(ctx) }()
		return v
	}
	emitter := func(topic string, c goka.Codec) *goka.Emitter {
		em, err := goka.NewEmitter(nil, goka.Stream(topic), c, goka.WithEmitterTester(h.Tester))
		if err != nil {
			tb.Fatal(err)
		}
		return em
	}
	cp := h.Codecs.Copilot
	cfg := api.Config{Users: view(topics.TableUsers, h.Codecs.UsersTable), Txns: view(topics.TableTxns, h.Codecs.TxnsTable),
		Shared:      view(topics.TableShared, h.Codecs.SharedTable),
		Commands:    emitter(topics.CommandsUser, h.Codecs.CommandsUser),
		TxnCommands: emitter(topics.CommandsTxn, h.Codecs.CommandsTxn), SharedCommands: emitter(topics.CommandsShared, h.Codecs.SharedCommands),
		Secret: []byte(secret), Dev: true, Now: func() time.Time { return now }, Ready: func() bool { return true }}
	copilot := api.CopilotConfig{Secret: []byte(secret), Now: func() time.Time { return now },
		Insights: view(insightsTable, cp.InsightsTable), Goals: view(goalsTable, cp.GoalsTable),
		Notifications: view(notifyTable, cp.NotificationsTable), Accounts: view(accountsTable, h.Codecs.AccountsTable),
		GoalCommands: emitter(goalCmds, cp.GoalCommands), NotifyCommands: emitter(notifyCmds, cp.NotifyCommands)}
	tb.Cleanup(func() {
		cancel()
		for range views {
			if err := <-done; err != nil {
				tb.Errorf("view: %v", err)
			}
		}
	})
	waitRunning(tb, views...)
	s, err := api.New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	c, err := api.NewCopilot(copilot)
	if err != nil {
		tb.Fatal(err)
	}
	s.Handle("/v1/me/goals/", c)
	s.Handle("/v1/me/notification-settings", c)
	return s
}
