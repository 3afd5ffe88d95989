package wsfanout

import (
	"net/http"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"finstream/api"
)

// A connection ends when the token it opened with expires (close 4010), while
// a connection with a longer-lived token stays open.
func TestConnectionEndsWhenItsTokenExpires(t *testing.T) {
	// The hub's clock runs an hour (less 1.5 s) ahead, so that a one-hour
	// token, valid at connect, expires within about a second.
	skew := time.Hour - 1500*time.Millisecond
	h := start(t, func(c *Config) { c.Now = func() time.Time { return time.Now().Add(skew) } })
	dial := func(user string, ttl time.Duration) *client {
		tok, err := api.Token(secret, user, time.Now(), ttl)
		if err != nil {
			t.Fatal(err)
		}
		ws, resp, err := websocket.DefaultDialer.Dial(h.url(), http.Header{"Authorization": {"Bearer " + tok}})
		if err != nil {
			t.Fatalf("dial as %s: %v (response %v)", user, err, resp)
		}
		t.Cleanup(func() { _ = ws.Close() })
		c := newClient(t, ws)
		c.expect(TypeSubscribed)
		return c
	}
	short := dial("A", time.Hour)
	long := dial("B", 2*time.Hour)

	start := time.Now()
	if err := short.closed(); closeCode(err) != CloseTokenExpired {
		t.Fatalf("short-lived token: %v, want close %d", err, CloseTokenExpired)
	}
	t.Logf("closed %v after connecting", time.Since(start).Round(time.Millisecond))
	select {
	case <-long.done:
		t.Fatalf("the connection with a valid token ended: %v", long.err)
	default:
	}
	if got := h.metric(t, "finstream_ws_rejected_total", "reason", "token_expired"); got != 1 {
		t.Errorf("token_expired closes counted %v, want 1", got)
	}
}
