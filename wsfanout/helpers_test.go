package wsfanout

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/prometheus/client_golang/prometheus"

	"finstream/api"
	"finstream/processors/event"
)

var secret = []byte("test-secret")

// budgets is an in-memory BudgetSource.
type budgets struct {
	mu    sync.Mutex
	snaps map[string]Snapshot
	err   error
	hook  func() // called first by Budget, without the lock
}

func (b *budgets) Budget(_ context.Context, id string) (Snapshot, error) {
	b.mu.Lock()
	hook := b.hook
	b.mu.Unlock()
	if hook != nil {
		hook()
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.err != nil {
		return Snapshot{}, b.err
	}
	return b.snaps[id], nil
}

// set makes budget id exist at version with participants (user → role).
func (b *budgets) set(id string, version int64, participants map[string]string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.snaps == nil {
		b.snaps = make(map[string]Snapshot)
	}
	state, _ := json.Marshal(map[string]any{"budget_id": id, "version": version})
	b.snaps[id] = Snapshot{Found: true, Version: version, Participants: participants, State: state}
}

// harness is a hub served over httptest, run until the test ends.
type harness struct {
	hub     *Hub
	srv     *httptest.Server
	reg     *prometheus.Registry
	budgets *budgets
	stop    context.CancelFunc
	ran     chan error
}

func start(t *testing.T, tune func(*Config)) *harness {
	t.Helper()
	h := &harness{reg: prometheus.NewRegistry(), budgets: &budgets{}, ran: make(chan error, 1)}
	cfg := Config{Secret: secret, Budgets: h.budgets, Metrics: h.reg,
		Logger: slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))}
	if tune != nil {
		tune(&cfg)
	}
	hub, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	h.hub = hub
	mux := http.NewServeMux()
	mux.Handle("GET /v1/ws", hub)
	h.srv = httptest.NewServer(mux)
	ctx, cancel := context.WithCancel(context.Background())
	h.stop = cancel
	go func() { h.ran <- hub.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-h.ran:
		case <-time.After(10 * time.Second):
			t.Error("hub did not stop")
		}
		h.srv.Close()
	})
	return h
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func (h *harness) url() string { return "ws" + strings.TrimPrefix(h.srv.URL, "http") + "/v1/ws" }

func token(t *testing.T, user string) string {
	t.Helper()
	tok, err := api.Token(secret, user, time.Now(), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// dialRaw opens a WebSocket as user without reading from it.
func (h *harness) dialRaw(t *testing.T, user string, d *websocket.Dialer) *websocket.Conn {
	t.Helper()
	if d == nil {
		d = websocket.DefaultDialer
	}
	ws, resp, err := d.Dial(h.url(), http.Header{"Authorization": {"Bearer " + token(t, user)}})
	if err != nil {
		t.Fatalf("dial as %s: %v (response %v)", user, err, resp)
	}
	t.Cleanup(func() { _ = ws.Close() })
	return ws
}

// dial connects as user and waits for the user channel's acknowledgement.
func (h *harness) dial(t *testing.T, user string) *client {
	t.Helper()
	c := newClient(t, h.dialRaw(t, user, nil))
	if m := c.expect(TypeSubscribed); m.str("channel") != "user:"+user {
		t.Fatalf("first message %s, want subscribed to user:%s", m.raw, user)
	}
	return c
}

// client reads a WebSocket in the background.
type client struct {
	t    *testing.T
	ws   *websocket.Conn
	msgs chan msg
	done chan struct{}
	err  error // why reading stopped, once done is closed
}

type msg struct {
	raw []byte
	m   map[string]any
}

func (m msg) str(k string) string { s, _ := m.m[k].(string); return s }
func (m msg) num(k string) int64  { f, _ := m.m[k].(float64); return int64(f) }

func newClient(t *testing.T, ws *websocket.Conn) *client {
	c := &client{t: t, ws: ws, msgs: make(chan msg, 1<<14), done: make(chan struct{})}
	go func() {
		defer close(c.done)
		for {
			_, b, err := ws.ReadMessage()
			if err != nil {
				c.err = err
				return
			}
			var m map[string]any
			if err := json.Unmarshal(b, &m); err != nil {
				c.err = fmt.Errorf("message %q: %w", b, err)
				return
			}
			c.msgs <- msg{raw: b, m: m}
		}
	}()
	return c
}

func (c *client) send(v any) {
	c.t.Helper()
	if err := c.ws.WriteJSON(v); err != nil {
		c.t.Fatalf("send %v: %v", v, err)
	}
}

// next returns the next message, failing after 5 s or if the socket ends.
func (c *client) next() msg {
	c.t.Helper()
	select {
	case m := <-c.msgs:
		return m
	case <-c.done:
		select {
		case m := <-c.msgs:
			return m
		default:
		}
		c.t.Fatalf("connection ended: %v", c.err)
	case <-time.After(5 * time.Second):
		c.t.Fatal("no message within 5s")
	}
	return msg{}
}

// expect returns the next message, which must be of type typ.
func (c *client) expect(typ string) msg {
	c.t.Helper()
	m := c.next()
	if m.str("type") != typ {
		c.t.Fatalf("got %s, want a %q message", m.raw, typ)
	}
	return m
}

// quiet asserts nothing arrived that was queued before now: the answer to
// a ping is the next message.
func (c *client) quiet() {
	c.t.Helper()
	c.send(map[string]string{"type": TypePing})
	c.expect(TypePong)
}

func (c *client) subscribe(channel string, since int64) {
	c.t.Helper()
	c.send(map[string]any{"type": TypeSubscribe, "channel": channel, "since_version": since})
}

// closed waits for the socket to end and returns the close error.
func (c *client) closed() error {
	c.t.Helper()
	select {
	case <-c.done:
		return c.err
	case <-time.After(10 * time.Second):
		c.t.Fatal("connection still open after 10s")
	}
	return nil
}

func closeCode(err error) int {
	var ce *websocket.CloseError
	if errors.As(err, &ce) {
		return ce.Code
	}
	return -1
}

// waitFor polls cond until it holds, failing after d.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(d)
	for !cond() {
		select {
		case <-tick.C:
		case <-deadline:
			t.Fatalf("timed out after %s waiting for %s", d, what)
		}
	}
}

// metric sums the samples of the named metric whose labels include want
// (name, value pairs).
func (h *harness) metric(t *testing.T, name string, want ...string) float64 {
	t.Helper()
	mfs, err := h.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	series:
		for _, m := range mf.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			for i := 0; i+1 < len(want); i += 2 {
				if labels[want[i]] != want[i+1] {
					continue series
				}
			}
			sum += m.GetGauge().GetValue() + m.GetCounter().GetValue() + float64(m.GetHistogram().GetSampleCount())
		}
	}
	return sum
}

// shared is a shared budget update of budget id at version.
func shared(id string, version int64, users ...string) event.BudgetUpdate {
	u := event.BudgetUpdate{Kind: event.BudgetShared, BudgetID: id, Version: version, UserID: users[0],
		Merchant: "Tesco Lotus", AmountMinor: 180000, SpentMinor: 1530000, LimitMinor: 1600000, UsedBP: 9562,
		RemainingMinor: 70000, ThresholdCrossedBP: []int64{9000}, Alert: true, TxnID: fmt.Sprintf("txn-%d", version),
		Currency: "THB", EventTime: time.Now()}
	for i, user := range users {
		role := "contributor"
		if i == 0 {
			role = "owner"
		}
		u.Participants = append(u.Participants, event.ParticipantSpend{UserID: user, Role: role})
	}
	return u
}

// poll returns the next message if one arrives within d.
func (c *client) poll(d time.Duration) (msg, bool) {
	select {
	case m := <-c.msgs:
		return m, true
	case <-time.After(d):
		return msg{}, false
	}
}
