package wsfanout

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"testing"

	"finstream/processors/event"
)

func TestUserChannelGetsPersonalUpdatesAndNotifications(t *testing.T) {
	h := start(t, nil)
	a, b := h.dial(t, "A"), h.dial(t, "B")
	h.hub.Publish(event.BudgetUpdate{Kind: event.BudgetPersonal, BudgetID: "A:groceries", UserID: "A", Category: "groceries",
		SpentMinor: 5000, LimitMinor: 10000, UsedBP: 5000, Version: 3})
	m := a.expect(TypeBudgetUpdate)
	if m.str("channel") != "user:A" || m.str("budget_id") != "A:groceries" || m.num("used_bp") != 5000 || m.num("version") != 3 {
		t.Errorf("personal update %s", m.raw)
	}
	if err := h.hub.Notify("A", map[string]string{"text": "You used 50% of groceries"}); err != nil {
		t.Fatal(err)
	}
	n := a.expect(TypeNotification)
	if data, _ := n.m["data"].(map[string]any); n.str("channel") != "user:A" || data["text"] != "You used 50% of groceries" {
		t.Errorf("notification %s", n.raw)
	}
	if err := h.hub.Notify("A", func() {}); err == nil {
		t.Error("Notify accepted a payload that cannot be marshalled")
	}
	b.quiet() // B got none of A's messages
	a.quiet()
}

func TestSubscribe(t *testing.T) {
	h := start(t, nil)
	h.budgets.set("BDG-456", 7, map[string]string{"A": "owner", "B": "contributor", "V": "viewer"})
	for _, tc := range []struct {
		user, channel string
		code          string // "": subscribed
	}{
		{"A", "budget:BDG-456", ""},
		{"B", "budget:BDG-456", ""},
		{"V", "budget:BDG-456", ""},
		{"X", "budget:BDG-456", "forbidden"},
		{"A", "budget:NOPE", "forbidden"},
		{"A", "user:B", "forbidden"},
		{"A", "user:A", ""},
		{"A", "room:1", "bad_request"},
		{"A", "budget:", "bad_request"},
	} {
		t.Run(tc.user+" "+tc.channel, func(t *testing.T) {
			c := h.dial(t, tc.user)
			c.subscribe(tc.channel, 7)
			m := c.next()
			if tc.code == "" {
				if m.str("type") != TypeSubscribed || m.str("channel") != tc.channel {
					t.Fatalf("got %s, want subscribed", m.raw)
				}
				return
			}
			if m.str("type") != TypeError || m.str("code") != tc.code || m.str("channel") != tc.channel {
				t.Fatalf("got %s, want error %s", m.raw, tc.code)
			}
			if tc.code == "forbidden" && m.num("status") != 403 {
				t.Fatalf("got %s, want status 403", m.raw)
			}
			// A refused subscription receives nothing.
			h.hub.Publish(shared("BDG-456", 8, "A", "B", "V"))
			c.quiet()
		})
	}
}

func TestSubscribeWhenSourceFails(t *testing.T) {
	h := start(t, nil)
	h.budgets.mu.Lock()
	h.budgets.err = errors.New("view not ready")
	h.budgets.mu.Unlock()
	a := h.dial(t, "A")
	a.subscribe("budget:B1", 0)
	if m := a.expect(TypeError); m.str("code") != "unavailable" {
		t.Fatalf("got %s", m.raw)
	}
	// A state that is not JSON cannot be sent as a snapshot.
	h.budgets.mu.Lock()
	h.budgets.err = nil
	h.budgets.snaps = map[string]Snapshot{"B1": {Found: true, Version: 3, Participants: map[string]string{"A": "owner"}, State: []byte("{broken")}}
	h.budgets.mu.Unlock()
	a.subscribe("budget:B1", 0)
	if m := a.expect(TypeError); m.str("code") != "unavailable" {
		t.Fatalf("got %s", m.raw)
	}
	a.subscribe("budget:B1", 3) // no snapshot needed
	a.expect(TypeSubscribed)
}

func TestSnapshotOnlyWhenBehind(t *testing.T) {
	h := start(t, nil)
	h.budgets.set("B1", 5, map[string]string{"A": "owner"})
	for _, tc := range []struct {
		since    int64
		snapshot bool
	}{{0, true}, {4, true}, {5, false}, {9, false}} {
		t.Run(fmt.Sprint(tc.since), func(t *testing.T) {
			c := h.dial(t, "A")
			c.subscribe("budget:B1", tc.since)
			if m := c.expect(TypeSubscribed); m.num("version") != 5 {
				t.Errorf("subscribed %s, want version 5", m.raw)
			}
			if tc.snapshot {
				m := c.expect(TypeSnapshot)
				state, _ := m.m["state"].(map[string]any)
				if m.num("version") != 5 || m.str("budget_id") != "B1" || state["budget_id"] != "B1" {
					t.Errorf("snapshot %s", m.raw)
				}
			}
			c.expect(TypePresence)
			c.quiet()
		})
	}
}

func TestSharedUpdateReachesEveryDeviceOfEveryParticipant(t *testing.T) {
	h := start(t, nil)
	h.budgets.set("BDG-456", 1, map[string]string{"A": "owner", "B": "contributor"})
	var devices []*client
	for _, u := range []string{"A", "A", "B", "B"} {
		c := h.dial(t, u)
		c.subscribe("budget:BDG-456", 1)
		c.expect(TypeSubscribed)
		devices = append(devices, c)
	}
	u := shared("BDG-456", 2, "A", "B")
	u.UserID = "B"
	h.hub.Publish(u)
	var first []byte
	for i, c := range devices {
		var m msg
		for m = c.next(); m.str("type") == TypePresence; m = c.next() {
		}
		if m.str("type") != TypeBudgetUpdate {
			t.Fatalf("device %d got %s", i, m.raw)
		}
		if i == 0 {
			first = m.raw
			want := map[string]int64{"spent_minor": 1530000, "used_bp": 9562, "remaining_minor": 70000, "version": 2, "amount_minor": 180000, "limit_minor": 1600000}
			for k, v := range want {
				if m.num(k) != v {
					t.Errorf("%s = %d, want %d", k, m.num(k), v)
				}
			}
			if m.str("user_id") != "B" || m.str("merchant") != "Tesco Lotus" || m.str("channel") != "budget:BDG-456" || m.m["alert"] != true {
				t.Errorf("attribution in %s", m.raw)
			}
			if ps, _ := m.m["participants"].([]any); len(ps) != 2 {
				t.Errorf("participants in %s", m.raw)
			}
			if tc, _ := m.m["threshold_crossed_bp"].([]any); len(tc) != 1 || tc[0] != float64(9000) {
				t.Errorf("threshold_crossed_bp in %s", m.raw)
			}
		} else if !bytes.Equal(m.raw, first) {
			t.Errorf("device %d got other bytes: %s", i, m.raw)
		}
	}
}

func TestPresence(t *testing.T) {
	h := start(t, nil)
	h.budgets.set("B1", 1, map[string]string{"A": "owner", "B": "contributor"})
	presence := func(c *client) (online []string, joined, left string) {
		t.Helper()
		m := c.expect(TypePresence)
		for _, u := range m.m["online"].([]any) {
			online = append(online, u.(string))
		}
		return online, m.str("joined"), m.str("left")
	}
	check := func(c *client, online []string, joined, left string) {
		t.Helper()
		o, j, l := presence(c)
		if !slices.Equal(o, online) || j != joined || l != left {
			t.Fatalf("presence online=%v joined=%q left=%q, want %v %q %q", o, j, l, online, joined, left)
		}
	}
	join := func(user string) *client {
		c := h.dial(t, user)
		c.subscribe("budget:B1", 1)
		c.expect(TypeSubscribed)
		return c
	}
	a := join("A")
	check(a, []string{"A"}, "A", "")
	b1 := join("B")
	check(b1, []string{"A", "B"}, "B", "")
	check(a, []string{"A", "B"}, "B", "")
	b2 := join("B") // B's second device: B was already online
	check(b2, []string{"A", "B"}, "", "")
	a.quiet()
	b1.quiet()

	b2.send(map[string]string{"type": TypeUnsubscribe, "channel": "budget:B1"})
	if m := b2.expect(TypeUnsubscribed); m.str("reason") != ReasonRequested {
		t.Fatalf("got %s", m.raw)
	}
	a.quiet() // B is still online on b1
	b1.ws.Close()
	check(a, []string{"A"}, "", "B")
	a.quiet()
}

func TestRemovalUnsubscribesLiveConnections(t *testing.T) {
	h := start(t, nil)
	h.budgets.set("B1", 1, map[string]string{"A": "owner", "B": "contributor"})
	a := h.dial(t, "A")
	a.subscribe("budget:B1", 1)
	a.expect(TypeSubscribed)
	a.expect(TypePresence)
	var bs []*client
	for range 2 {
		b := h.dial(t, "B")
		b.subscribe("budget:B1", 1)
		b.expect(TypeSubscribed)
		b.expect(TypePresence)
		bs = append(bs, b)
	}
	a.expect(TypePresence) // B joined

	// The owner removes B: the membership update lists only A.
	h.hub.Publish(shared("B1", 2, "A"))
	for _, b := range bs {
		m := b.expect(TypeUnsubscribed)
		if m.str("channel") != "budget:B1" || m.str("reason") != ReasonRemoved || m.str("message") == "" {
			t.Fatalf("got %s", m.raw)
		}
	}
	if m := a.expect(TypeBudgetUpdate); m.num("version") != 2 {
		t.Fatalf("got %s", m.raw)
	}
	if m := a.expect(TypePresence); m.str("left") != "B" {
		t.Fatalf("got %s, want presence: B left", m.raw)
	}
	h.hub.Publish(shared("B1", 3, "A"))
	a.expect(TypeBudgetUpdate)
	for _, b := range bs {
		b.quiet() // no update reaches B any more
	}
	// The source still lists B (its view lags), but the hub saw a newer
	// membership without B: a new subscribe is refused.
	bs[0].subscribe("budget:B1", 0)
	if m := bs[0].expect(TypeError); m.str("code") != "forbidden" {
		t.Fatalf("got %s", m.raw)
	}
	// Re-added at a newer version: B may subscribe again.
	h.budgets.set("B1", 4, map[string]string{"A": "owner", "B": "viewer"})
	bs[0].subscribe("budget:B1", 3)
	bs[0].expect(TypeSubscribed)
	if m := bs[0].expect(TypeSnapshot); m.num("version") != 4 {
		t.Fatalf("got %s", m.raw)
	}
}

func TestStaleSharedUpdateIsDropped(t *testing.T) {
	h := start(t, nil)
	h.budgets.set("B1", 1, map[string]string{"A": "owner"})
	a := h.dial(t, "A")
	a.subscribe("budget:B1", 1)
	a.expect(TypeSubscribed)
	a.expect(TypePresence)
	h.hub.Publish(shared("B1", 5, "A"))
	h.hub.Publish(shared("B1", 4, "A")) // a redelivery of an older version
	h.hub.Publish(shared("B1", 5, "A")) // same version (e.g. a refused spend): delivered
	for _, v := range []int64{5, 5} {
		if m := a.expect(TypeBudgetUpdate); m.num("version") != v {
			t.Fatalf("got %s, want version %d", m.raw, v)
		}
	}
	a.quiet()
}

func TestBadClientMessages(t *testing.T) {
	h := start(t, nil)
	a := h.dial(t, "A")
	for _, raw := range []string{`nonsense`, `{"type":"dance"}`, `{"type":"unsubscribe","channel":"user:A"}`} {
		if err := a.ws.WriteMessage(1, []byte(raw)); err != nil {
			t.Fatal(err)
		}
		if m := a.expect(TypeError); m.str("code") != "bad_request" {
			t.Errorf("%s: got %s", raw, m.raw)
		}
	}
	a.quiet()
}

// An update published while a device's participation is being checked is
// not lost: it follows the (older) snapshot.
func TestUpdateWhileJoiningFollowsSnapshot(t *testing.T) {
	h := start(t, nil)
	h.budgets.set("B1", 1, map[string]string{"A": "owner"})
	entered, release := make(chan struct{}), make(chan struct{})
	h.budgets.mu.Lock()
	h.budgets.hook = func() { entered <- struct{}{}; <-release }
	h.budgets.mu.Unlock()
	a := h.dial(t, "A")
	a.subscribe("budget:B1", 0)
	<-entered
	h.hub.Publish(shared("B1", 2, "A"))
	close(release)
	if m := a.expect(TypeSubscribed); m.num("version") != 2 {
		t.Fatalf("got %s", m.raw)
	}
	if m := a.expect(TypeSnapshot); m.num("version") != 1 {
		t.Fatalf("got %s", m.raw)
	}
	if m := a.expect(TypeBudgetUpdate); m.num("version") != 2 {
		t.Fatalf("got %s", m.raw)
	}
	a.expect(TypePresence)
	a.quiet()
}

func TestSubscriptionLimit(t *testing.T) {
	h := start(t, func(c *Config) { c.MaxSubscriptions = 2 })
	for _, id := range []string{"B1", "B2", "B3"} {
		h.budgets.set(id, 1, map[string]string{"A": "owner"})
	}
	a := h.dial(t, "A")
	for _, id := range []string{"B1", "B2"} {
		a.subscribe("budget:"+id, 1)
		a.expect(TypeSubscribed)
		a.expect(TypePresence)
	}
	a.subscribe("budget:B1", 1) // a repeated subscribe costs nothing
	a.expect(TypeSubscribed)
	a.subscribe("budget:B3", 1)
	if m := a.expect(TypeError); m.str("code") != "too_many_subscriptions" {
		t.Fatalf("got %s", m.raw)
	}
}
