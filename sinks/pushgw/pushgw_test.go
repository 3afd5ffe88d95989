package pushgw

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

	"finstream/processors/event"
)

// gateway is a push gateway that answers 500 to its first failFirst
// requests, then 200, de-duplicating by Idempotency-Key like a real one.
// Some keys get special answers once (hang, 429) or always (400).
type gateway struct {
	mu        sync.Mutex
	failFirst int
	requests  []string            // every Idempotency-Key, in arrival order
	accepted  map[string]int      // key → 200s answered
	after     map[string]int      // key → requests after its 200
	shown     map[string][]string // user → keys shown to the user (first 200 of each)
	hang      map[string]bool     // key → hang its first request
	throttle  map[string]bool     // key → 429 its first request
	refuse    map[string]bool     // key → always 400
	down      map[string]bool     // key → always 500
	bodies    map[string]Payload
	onRequest func(key string, n int)
}

func newGateway(failFirst int) *gateway {
	return &gateway{failFirst: failFirst, accepted: map[string]int{}, after: map[string]int{}, shown: map[string][]string{},
		hang: map[string]bool{}, throttle: map[string]bool{}, refuse: map[string]bool{}, down: map[string]bool{}, bodies: map[string]Payload{}}
}

func (g *gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	key := r.Header.Get("Idempotency-Key")
	var p Payload
	if err := json.NewDecoder(r.Body).Decode(&p); err != nil || key == "" || r.Method != http.MethodPost {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	g.mu.Lock()
	g.requests = append(g.requests, key)
	n := len(g.requests)
	if g.accepted[key] > 0 {
		g.after[key]++
	}
	hang, throttle, refuse := g.hang[key], g.throttle[key], g.refuse[key]
	g.hang[key], g.throttle[key] = false, false
	fail := n <= g.failFirst || g.down[key]
	on := g.onRequest
	g.mu.Unlock()
	if on != nil {
		on(key, n)
	}
	switch {
	case hang:
		<-r.Context().Done() // the client's timeout ends it
		return
	case refuse:
		http.Error(w, "unknown device", http.StatusBadRequest)
		return
	case throttle:
		w.Header().Set("Retry-After", "1")
		http.Error(w, "slow down", http.StatusTooManyRequests)
		return
	case fail:
		http.Error(w, "down", http.StatusInternalServerError)
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.accepted[key] == 0 {
		g.shown[p.UserID] = append(g.shown[p.UserID], key)
		g.bodies[key] = p
	}
	g.accepted[key]++
	w.WriteHeader(http.StatusAccepted)
}

func notification(user string, i int) event.Notification {
	return event.Notification{
		NotificationID: fmt.Sprintf("shared|SB-1|2026-11|%d|T%d|%s", 8000+i, i, user), UserID: user, Kind: "shared_budget_alert",
		SourceID: fmt.Sprintf("shared|SB-1|2026-11|%d|T%d", 8000+i, i), Lang: "en",
		Title: "Household: 93.75% used", Body: fmt.Sprintf("USR-2 spent ฿%d.00 at Tesco Lotus.", 1000+i),
		Data: map[string]string{"budget_id": "SB-1"},
	}
}

type dlq struct {
	mu      sync.Mutex
	reasons map[string]string
}

func (d *dlq) giveUp(_ context.Context, n event.Notification, reason string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.reasons[n.NotificationID] = reason
	return nil
}

func sender(t *testing.T, url string, d *dlq) *Sender {
	t.Helper()
	s, err := New(Config{
		URL: url, MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond, Concurrency: 4,
		Jitter: func(d time.Duration) time.Duration { return d }, GiveUp: d.giveUp,
		Client: &http.Client{Timeout: 200 * time.Millisecond}, Metrics: NewMetrics(nil), Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// The acceptance test: the gateway answers 500 for a while, then 200.
// Every notification arrives exactly once per recipient, in order per user,
// and nothing is sent again after its 200.
func TestDeliverThroughOutage(t *testing.T) {
	users := []string{"USR-1", "USR-2", "USR-3", "USR-4", "USR-5"}
	var batch []event.Notification
	for i := range 6 {
		for _, u := range users {
			batch = append(batch, notification(u, i))
		}
	}
	gw := newGateway(40)                         // the first 40 requests fail: every user's first notification fails many times
	gw.hang[batch[7].NotificationID] = true      // a timeout
	gw.throttle[batch[12].NotificationID] = true // a 429 with Retry-After
	gw.refuse[batch[21].NotificationID] = true   // a 400: given up, the user's later ones still go
	srv := httptest.NewServer(gw)
	defer srv.Close()
	d := &dlq{reasons: map[string]string{}}

	completed, err := sender(t, srv.URL, d).Deliver(context.Background(), batch)
	if err != nil || completed != len(batch) {
		t.Fatalf("Deliver = %d, %v; want %d, nil", completed, err, len(batch))
	}
	gw.mu.Lock()
	defer gw.mu.Unlock()
	for _, u := range users {
		var want []string
		for _, n := range batch {
			if n.UserID == u && n.NotificationID != batch[21].NotificationID {
				want = append(want, n.NotificationID)
			}
		}
		if got := gw.shown[u]; strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s was shown\n %v\nwant\n %v", u, got, want)
		}
	}
	for key, n := range gw.accepted {
		if n != 1 || gw.after[key] != 0 {
			t.Errorf("%s: %d 200s, %d requests after its 200", key, n, gw.after[key])
		}
	}
	// In order per user: no request of a user's notification before the
	// user's earlier one was done.
	index := map[string]int{}
	for i, n := range batch {
		index[n.NotificationID] = i
	}
	last := map[string]int{}
	for _, key := range gw.requests {
		u := batch[index[key]].UserID
		if prev, ok := last[u]; ok && index[key] < prev {
			t.Errorf("%s: %s requested after a later notification", u, key)
		}
		last[u] = index[key]
	}
	if len(gw.requests) <= len(batch)+40 {
		t.Errorf("%d requests: the outage was not retried through", len(gw.requests))
	}
	if r := d.reasons[batch[21].NotificationID]; len(d.reasons) != 1 || !strings.Contains(r, "400") || !strings.Contains(r, "unknown device") {
		t.Errorf("DLQ %v", d.reasons)
	}
	if p := gw.bodies[batch[0].NotificationID]; p.UserID != "USR-1" || p.Title != "Household: 93.75% used" || p.Data["notification_id"] != batch[0].NotificationID || p.Data["budget_id"] != "SB-1" {
		t.Errorf("payload %+v", p)
	}
}

// Cancelled while a user's notification is undelivered, Deliver reports
// only the prefix before it as done: the caller commits no further.
func TestDeliverReportsDonePrefix(t *testing.T) {
	gw := newGateway(0)
	batch := []event.Notification{notification("USR-1", 0), notification("USR-2", 0), notification("USR-1", 1)}
	gw.down[batch[1].NotificationID] = true // USR-2's gateway side is down
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	failures := 0
	gw.onRequest = func(key string, _ int) {
		if key != batch[1].NotificationID {
			return
		}
		if failures++; failures == 3 {
			cancel()
		}
	}
	srv := httptest.NewServer(gw)
	defer srv.Close()
	completed, err := sender(t, srv.URL, &dlq{reasons: map[string]string{}}).Deliver(ctx, batch)
	if completed != 1 || !errors.Is(err, context.Canceled) {
		t.Errorf("Deliver = %d, %v; want 1, context.Canceled", completed, err)
	}
}
