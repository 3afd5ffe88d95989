package api_test

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/lovoo/goka"
	"github.com/lovoo/goka/tester"

	"finstream/api"
	"finstream/avro"
	"finstream/processors/event"
	"finstream/processors/goal"
	"finstream/processors/insight"
	"finstream/processors/notify"
)

// TestOneGateForEveryPart: the Server and the Copilot endpoints share one
// Gate, so a user's limit counts the requests to both, and both refuse
// tokens alike.
func TestOneGateForEveryPart(t *testing.T) {
	c := &clock{t: now}
	base, err := api.HS256Gate([]byte(secret), func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	g, err := api.NewGate(api.GateConfig{Tokens: base.Tokens(), Now: c.now,
		Limits: api.Limits{UserRate: 1, UserBurst: 2, IPRate: -1, DevTokenRate: -1}})
	if err != nil {
		t.Fatal(err)
	}
	f := startWith(t, func(cfg *api.Config) { cfg.Gate = g })
	tt := tester.New(t)
	view := func(table string, codec goka.Codec) *goka.View {
		v, err := goka.NewView(nil, goka.Table(table), codec, goka.WithViewTester(tt))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	emitter := func(topic string, codec goka.Codec) *goka.Emitter {
		e, err := goka.NewEmitter(nil, goka.Stream(topic), codec, goka.WithEmitterTester(tt))
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	cp, err := api.NewCopilot(api.CopilotConfig{Gate: g,
		Insights: view(insightsTable, avro.JSONCodec[insight.State]{}), Goals: view(goalsTable, avro.JSONCodec[goal.State]{}),
		Notifications: view(notifyTable, avro.JSONCodec[notify.State]{}),
		GoalCommands:  emitter(goalCmds, avro.JSONCodec[event.GoalCommand]{}), NotifyCommands: emitter(notifyCmds, avro.JSONCodec[event.NotificationSettings]{})})
	if err != nil {
		t.Fatal(err)
	}
	cs := httptest.NewServer(cp)
	t.Cleanup(cs.Close)
	copilot := &fixture{h: f.h, srv: cs}

	if r := copilot.send(t, "GET", "/v1/me/insights", "", ""); r.status != 401 || r.errCode() != "token_missing" {
		t.Fatalf("copilot without a token: %d %s", r.status, r.raw)
	}
	a := tok(t, "USR-A")
	if r := f.send(t, "GET", "/v1/me/budgets", a, ""); r.status != 200 {
		t.Fatalf("server: %d", r.status)
	}
	if r := copilot.send(t, "GET", "/v1/me/insights", a, ""); r.status == 429 || r.status == 401 {
		t.Fatalf("copilot, 2nd request of A: %d %s", r.status, r.raw)
	}
	want429(t, f.send(t, "GET", "/v1/me/budgets", a, ""), "server, 3rd request of A")
	want429(t, copilot.send(t, "GET", "/v1/me/insights", a, ""), "copilot, 4th request of A")
}
