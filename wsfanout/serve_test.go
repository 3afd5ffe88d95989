package wsfanout

import (
	"net/http"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"finstream/api"
)

func TestAuth(t *testing.T) {
	h := start(t, nil)
	expired, err := api.Token(secret, "A", time.Now().Add(-2*time.Hour), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	foreign, _ := api.Token([]byte("other-secret"), "A", time.Now(), time.Hour)
	for _, tc := range []struct {
		name   string
		header string
		query  string
		status int // 0: upgraded
	}{
		{name: "no token", status: http.StatusUnauthorized},
		{name: "garbage token", header: "Bearer not-a-jwt", status: http.StatusUnauthorized},
		{name: "wrong secret", header: "Bearer " + foreign, status: http.StatusUnauthorized},
		{name: "expired", header: "Bearer " + expired, status: http.StatusUnauthorized},
		{name: "basic auth", header: "Basic QTpB", status: http.StatusUnauthorized},
		{name: "bad query token", query: "?access_token=nope", status: http.StatusUnauthorized},
		{name: "header token", header: "Bearer " + token(t, "A")},
		{name: "query token", query: "?access_token=" + token(t, "A")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hdr := http.Header{}
			if tc.header != "" {
				hdr.Set("Authorization", tc.header)
			}
			ws, resp, err := websocket.DefaultDialer.Dial(h.url()+tc.query, hdr)
			if tc.status != 0 {
				if err == nil {
					ws.Close()
					t.Fatal("upgraded, want refused")
				}
				if resp == nil || resp.StatusCode != tc.status {
					t.Fatalf("got %v, want status %d", resp, tc.status)
				}
				return
			}
			if err != nil {
				t.Fatalf("dial: %v", err)
			}
			c := newClient(t, ws)
			defer ws.Close()
			if m := c.expect(TypeSubscribed); m.str("channel") != "user:A" {
				t.Fatalf("got %s, want subscribed to user:A", m.raw)
			}
		})
	}
	if got := h.metric(t, "finstream_ws_rejected_total", "reason", "unauthorized"); got != 6 {
		t.Errorf("rejected unauthorized = %v, want 6", got)
	}
}

func TestOrigin(t *testing.T) {
	h := start(t, func(c *Config) { c.AllowedOrigins = []string{"https://app.example.com"} })
	host := h.srv.Listener.Addr().String()
	for _, tc := range []struct {
		origin string
		ok     bool
	}{
		{"", true}, // not a browser
		{"http://" + host, true},
		{"https://app.example.com", true},
		{"https://APP.example.com", true},
		{"https://evil.example.com", false},
		{"http://app.example.com", false}, // scheme matters
		{"null", false},
	} {
		hdr := http.Header{"Authorization": {"Bearer " + token(t, "A")}}
		if tc.origin != "" {
			hdr.Set("Origin", tc.origin)
		}
		ws, resp, err := websocket.DefaultDialer.Dial(h.url(), hdr)
		if tc.ok {
			if err != nil {
				t.Errorf("origin %q: %v, want upgraded", tc.origin, err)
				continue
			}
			ws.Close()
			continue
		}
		if err == nil {
			ws.Close()
			t.Errorf("origin %q upgraded, want 403", tc.origin)
		} else if resp == nil || resp.StatusCode != http.StatusForbidden {
			t.Errorf("origin %q: %v, want 403", tc.origin, resp)
		}
	}
}

func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
		ok   bool
	}{
		{"minimal", Config{Secret: secret, Budgets: &budgets{}}, true},
		{"no secret", Config{Budgets: &budgets{}}, false},
		{"no budgets", Config{Secret: secret}, false},
		{"negative queue", Config{Secret: secret, Budgets: &budgets{}, QueueSize: -1}, false},
		{"origin with path", Config{Secret: secret, Budgets: &budgets{}, AllowedOrigins: []string{"https://a.example/x"}}, false},
		{"origin without scheme", Config{Secret: secret, Budgets: &budgets{}, AllowedOrigins: []string{"a.example"}}, false},
		{"any origin", Config{Secret: secret, Budgets: &budgets{}, AllowedOrigins: []string{"*"}}, true},
	} {
		err := tc.cfg.Validate()
		if (err == nil) != tc.ok {
			t.Errorf("%s: Validate() = %v, want ok=%v", tc.name, err, tc.ok)
		}
		if tc.ok && (tc.cfg.QueueSize != 256 || tc.cfg.PingInterval != 25*time.Second || tc.cfg.Now == nil) {
			t.Errorf("%s: defaults not filled: %+v", tc.name, tc.cfg)
		}
	}
}

func TestShutdownClosesWithGoingAway(t *testing.T) {
	h := start(t, nil)
	h.budgets.set("B1", 1, map[string]string{"A": "owner"})
	a1, a2 := h.dial(t, "A"), h.dial(t, "A")
	a1.subscribe("budget:B1", 1)
	a1.expect(TypeSubscribed)
	a1.expect(TypePresence)
	h.stop()
	for _, c := range []*client{a1, a2} {
		if err := c.closed(); closeCode(err) != websocket.CloseGoingAway {
			t.Errorf("close error %v, want 1001", err)
		}
	}
	select {
	case err := <-h.ran:
		if err != nil {
			t.Errorf("Run returned %v", err)
		}
		h.ran <- err // for the cleanup
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return")
	}
	if got := h.metric(t, "finstream_ws_connections"); got != 0 {
		t.Errorf("connections = %v after shutdown", got)
	}
	_, resp, err := websocket.DefaultDialer.Dial(h.url(), http.Header{"Authorization": {"Bearer " + token(t, "A")}})
	if err == nil || resp == nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("dial after shutdown: %v %v, want 503", err, resp)
	}
}
