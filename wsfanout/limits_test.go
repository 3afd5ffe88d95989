package wsfanout

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/gorilla/websocket"

	"finstream/api/authn"
	"finstream/api/authn/authntest"
)

// refusal dials with an Authorization header (none when token is "") and
// returns the refusal's status, Retry-After and error code, or status 0
// when the connection was upgraded (it is closed when the test ends).
func (h *harness) refusal(t *testing.T, token string) (status int, retryAfter, code string) {
	t.Helper()
	hdr := http.Header{}
	if token != "" {
		hdr.Set("Authorization", "Bearer "+token)
	}
	ws, resp, err := websocket.DefaultDialer.Dial(h.url(), hdr)
	if err == nil {
		t.Cleanup(func() { _ = ws.Close() })
		return 0, "", ""
	}
	if resp == nil {
		t.Fatalf("dial: %v", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var body struct {
		Error struct{ Code, Message string }
	}
	if json.Unmarshal(b, &body) != nil || body.Error.Message == "" {
		t.Fatalf("refusal body %q is not a JSON error", b)
	}
	return resp.StatusCode, resp.Header.Get("Retry-After"), body.Error.Code
}

// TestWSAuthMatrix: the WebSocket refuses every bad token before the
// upgrade with the API's codes, and takes RS256 and ES256 from the JWKS.
func TestWSAuthMatrix(t *testing.T) {
	idp := authntest.NewIssuer(t)
	v, err := authn.New(t.Context(), authn.Config{Secret: secret, JWKSURL: idp.URL, Audience: "finstream-app"})
	if err != nil {
		t.Fatal(err)
	}
	h := start(t, func(c *Config) { c.Tokens = v })
	for _, tc := range authntest.Matrix(t, idp, secret, "A", "finstream-app", time.Now()) {
		t.Run(tc.Name, func(t *testing.T) {
			status, _, code := h.refusal(t, tc.Token)
			want := http.StatusUnauthorized
			if tc.Code == "" {
				want = 0
			}
			if status != want || code != tc.Code {
				t.Fatalf("status %d code %q, want %d %q", status, code, want, tc.Code)
			}
		})
	}
}

// TestWSKeyRotation: a connect with a newly published key is accepted, one
// with a removed key refused once the key set is refreshed.
func TestWSKeyRotation(t *testing.T) {
	idp := authntest.NewIssuer(t)
	idp.AddRSA(t, "old")
	v, err := authn.New(t.Context(), authn.Config{JWKSURL: idp.URL, JWKSMinRefresh: time.Millisecond, JWKSRefresh: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	h := start(t, func(c *Config) { c.Tokens = v })
	c := jwt.RegisteredClaims{Subject: "A", Issuer: idp.URL, IssuedAt: jwt.NewNumericDate(time.Now()),
		ExpiresAt: jwt.NewNumericDate(time.Now().Add(time.Hour))}
	old := idp.Sign(t, "old", c)
	if status, _, code := h.refusal(t, old); status != 0 {
		t.Fatalf("old key: %d %s", status, code)
	}
	idp.AddEC(t, "new")
	if status, _, code := h.refusal(t, idp.Sign(t, "new", c)); status != 0 {
		t.Fatalf("new key: %d %s", status, code)
	}
	idp.Remove("old")
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, _, code := h.refusal(t, old); code == authn.CodeUnknownKey {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("removed key still accepted")
		}
		time.Sleep(5 * time.Millisecond) // polling interval
	}
}

type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func limited(t *testing.T, l ConnectLimits) (*harness, *testClock) {
	clk := &testClock{t: time.Now()}
	l.Now = clk.now
	return start(t, func(c *Config) { c.Limits = &l }), clk
}

func want429(t *testing.T, status int, retryAfter, code, wantCode string) {
	t.Helper()
	if s, err := strconv.Atoi(retryAfter); status != http.StatusTooManyRequests || code != wantCode || err != nil || s < 1 {
		t.Fatalf("status %d code %q Retry-After %q, want 429 %s with Retry-After", status, code, retryAfter, wantCode)
	}
}

func TestWSPerUserConnectLimit(t *testing.T) {
	h, clk := limited(t, ConnectLimits{UserRate: 0.5, UserBurst: 2, IPRate: -1, MaxPerUser: -1})
	for i := range 2 {
		if status, _, code := h.refusal(t, token(t, "A")); status != 0 {
			t.Fatalf("connect %d: %d %s", i, status, code)
		}
	}
	status, after, code := h.refusal(t, token(t, "A"))
	want429(t, status, after, code, "rate_limited")
	if after != "2" {
		t.Fatalf("Retry-After %s, want 2", after)
	}
	if status, _, _ := h.refusal(t, token(t, "B")); status != 0 {
		t.Fatalf("B limited by A: %d", status)
	}
	clk.add(2 * time.Second)
	if status, _, code := h.refusal(t, token(t, "A")); status != 0 {
		t.Fatalf("A after Retry-After: %d %s", status, code)
	}
}

func TestWSPerIPConnectLimit(t *testing.T) {
	h, _ := limited(t, ConnectLimits{UserRate: -1, IPRate: 1, IPBurst: 3, MaxPerUser: -1})
	for i := range 2 {
		if status, _, _ := h.refusal(t, token(t, "U"+strconv.Itoa(i))); status != 0 {
			t.Fatalf("connect %d: %d", i, status)
		}
	}
	if status, _, _ := h.refusal(t, ""); status != http.StatusUnauthorized { // counts: before auth
		t.Fatalf("no token: %d", status)
	}
	status, after, code := h.refusal(t, token(t, "U9"))
	want429(t, status, after, code, "rate_limited")
}

// TestWSConnectionCap: a user's connects beyond the cap are refused while
// the others stay open; closing one makes room.
func TestWSConnectionCap(t *testing.T) {
	h, _ := limited(t, ConnectLimits{UserRate: -1, IPRate: -1, MaxPerUser: 2})
	first := newClient(t, h.dialRaw(t, "A", nil))
	first.expect(TypeSubscribed)
	second := newClient(t, h.dialRaw(t, "A", nil))
	second.expect(TypeSubscribed)
	status, after, code := h.refusal(t, token(t, "A"))
	want429(t, status, after, code, "too_many_connections")
	if status, _, _ := h.refusal(t, token(t, "B")); status != 0 {
		t.Fatalf("B capped by A: %d", status)
	}
	_ = first.ws.Close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		status, _, _ := h.refusal(t, token(t, "A"))
		if status == 0 {
			break
		}
		if time.Now().After(deadline) || status != http.StatusTooManyRequests {
			t.Fatalf("after closing one: %d", status)
		}
		time.Sleep(5 * time.Millisecond) // the server sees the close asynchronously
	}
}
