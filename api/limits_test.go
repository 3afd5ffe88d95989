package api_test

import (
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"finstream/api"
)

// clock is a settable clock for the rate limits.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func limitedAPI(t *testing.T, limits api.Limits) (*fixture, *clock) {
	t.Helper()
	c := &clock{t: now}
	g, err := api.HS256Gate([]byte(secret), func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	g, err = api.NewGate(api.GateConfig{Tokens: g.Tokens(), Limits: limits, Now: c.now})
	if err != nil {
		t.Fatal(err)
	}
	return startWith(t, func(cfg *api.Config) { cfg.Gate, cfg.Dev = g, true }), c
}

func tok(t *testing.T, user string) string {
	t.Helper()
	s, err := api.Token([]byte(secret), user, now, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func want429(t *testing.T, r reply, what string) {
	t.Helper()
	if r.status != 429 || r.errCode() != "rate_limited" {
		t.Fatalf("%s: %d %s, want 429 rate_limited", what, r.status, r.raw)
	}
	if s, err := strconv.Atoi(r.header.Get("Retry-After")); err != nil || s < 1 {
		t.Fatalf("%s: Retry-After %q", what, r.header.Get("Retry-After"))
	}
}

func TestPerUserLimit(t *testing.T) {
	f, c := limitedAPI(t, api.Limits{UserRate: 1, UserBurst: 3, IPRate: -1, DevTokenRate: -1})
	a, b := tok(t, "USR-A"), tok(t, "USR-B")
	for i := range 3 {
		if r := f.send(t, "GET", "/v1/me/budgets", a, ""); r.status != 200 {
			t.Fatalf("request %d: %d", i, r.status)
		}
	}
	r := f.send(t, "GET", "/v1/me/budgets", a, "")
	want429(t, r, "4th request of A")
	if r.header.Get("Retry-After") != "1" {
		t.Fatalf("Retry-After %q, want 1", r.header.Get("Retry-After"))
	}
	if r := f.send(t, "GET", "/v1/me/budgets", b, ""); r.status != 200 {
		t.Fatalf("B is limited by A: %d", r.status)
	}
	c.add(time.Second)
	if r := f.send(t, "GET", "/v1/me/budgets", a, ""); r.status != 200 {
		t.Fatalf("A after Retry-After: %d", r.status)
	}
}

// TestPerIPLimit: one address is limited across users, and before
// authentication (requests without a token count too).
func TestPerIPLimit(t *testing.T) {
	f, c := limitedAPI(t, api.Limits{UserRate: -1, IPRate: 2, IPBurst: 4, DevTokenRate: -1})
	for i := range 3 {
		if r := f.send(t, "GET", "/v1/me/budgets", tok(t, "USR-"+strconv.Itoa(i)), ""); r.status != 200 {
			t.Fatalf("user %d: %d", i, r.status)
		}
	}
	if r := f.send(t, "GET", "/v1/me/budgets", "", ""); r.status != 401 {
		t.Fatalf("no token: %d", r.status)
	}
	want429(t, f.send(t, "GET", "/v1/me/budgets", tok(t, "USR-9"), ""), "5th request of the address")
	if r := f.send(t, "GET", "/healthz", "", ""); r.status != 200 {
		t.Fatalf("/healthz is limited: %d", r.status)
	}
	c.add(500 * time.Millisecond)
	if r := f.send(t, "GET", "/v1/me/budgets", tok(t, "USR-9"), ""); r.status != 200 {
		t.Fatalf("after Retry-After: %d", r.status)
	}
}

func TestDevTokenLimit(t *testing.T) {
	f, _ := limitedAPI(t, api.Limits{UserRate: -1, IPRate: -1, DevTokenRate: 0.1, DevTokenBurst: 2})
	for i := range 2 {
		if r := f.send(t, "POST", "/v1/dev/token", "", `{"user_id":"USR-1"}`); r.status != 200 {
			t.Fatalf("dev token %d: %d %s", i, r.status, r.raw)
		}
	}
	r := f.send(t, "POST", "/v1/dev/token", "", `{"user_id":"USR-2"}`)
	want429(t, r, "3rd dev token")
	if r.header.Get("Retry-After") != "10" {
		t.Fatalf("Retry-After %q, want 10", r.header.Get("Retry-After"))
	}
}

func TestDefaultLimits(t *testing.T) {
	f, _ := limitedAPI(t, api.Limits{})
	a := tok(t, "USR-A")
	n := 0
	for ; n < 100; n++ {
		if r := f.send(t, "GET", "/v1/me/budgets", a, ""); r.status == 429 {
			break
		}
	}
	if n != 30 {
		t.Fatalf("default burst per user: %d requests passed, want 30", n)
	}
}

// TestRefusalMetrics: refusals are counted by reason, never by user.
func TestRefusalMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	base, err := api.HS256Gate([]byte(secret), func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	g, err := api.NewGate(api.GateConfig{Tokens: base.Tokens(), Metrics: reg,
		Limits: api.Limits{UserRate: 1, UserBurst: 1, IPRate: -1, DevTokenRate: -1}})
	if err != nil {
		t.Fatal(err)
	}
	f := startWith(t, func(cfg *api.Config) { cfg.Gate = g })
	f.send(t, "GET", "/v1/me/budgets", "", "")
	f.send(t, "GET", "/v1/me/budgets", tok(t, "USR-A"), "")
	f.send(t, "GET", "/v1/me/budgets", tok(t, "USR-A"), "")
	got := map[string]float64{}
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				got[mf.GetName()+"/"+l.GetName()+"="+l.GetValue()] = m.GetCounter().GetValue()
			}
		}
	}
	want := map[string]float64{"finstream_api_refused_total/reason=unauthorized": 1, "finstream_api_refused_total/reason=rate_limited_user": 1}
	if len(got) != len(want) {
		t.Fatalf("metrics %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Fatalf("metrics %v, want %v", got, want)
		}
	}
}
