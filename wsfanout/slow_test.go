package wsfanout

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// A device that stops reading is closed with 4008 once its queue is full,
// while a healthy device on the same channel receives every update and
// Publish never waits.
func TestSlowDeviceIsDroppedAndOthersGetEverything(t *testing.T) {
	const queue = 16
	h := start(t, func(c *Config) { c.QueueSize = queue })
	h.budgets.set("B1", 0, map[string]string{"A": "owner", "S": "contributor"})
	healthy := h.dial(t, "A")
	healthy.subscribe("budget:B1", 0)
	healthy.expect(TypeSubscribed)
	healthy.expect(TypePresence)

	slow := h.dialRaw(t, "S", nil) // never reads until dropped
	if err := slow.WriteJSON(map[string]any{"type": TypeSubscribe, "channel": "budget:B1"}); err != nil {
		t.Fatal(err)
	}
	if m := healthy.expect(TypePresence); m.str("joined") != "S" {
		t.Fatalf("got %s", m.raw)
	}

	big := strings.Repeat("x", 16<<10) // fills the slow device's socket buffers sooner
	var version int64
	for h.metric(t, "finstream_ws_slow_consumer_drops_total") == 0 {
		if version > 20000 {
			t.Fatal("slow device never dropped")
		}
		for range queue / 2 { // a burst the healthy device's queue holds
			version++
			u := shared("B1", version, "A", "S")
			u.Merchant = big
			h.hub.Publish(u)
		}
		for v := version - queue/2 + 1; v <= version; v++ {
			m := healthy.next()
			if m.str("type") == TypePresence {
				m = healthy.next()
			}
			if m.str("type") != TypeBudgetUpdate || m.num("version") != v {
				t.Fatalf("healthy device got %.100s, want update %d", m.raw, v)
			}
		}
	}
	t.Logf("slow device dropped after %d updates", version)

	// Once it reads, the slow device finds the close code after what its
	// socket held.
	_ = slow.SetReadDeadline(time.Now().Add(10 * time.Second))
	var err error
	for err == nil {
		_, _, err = slow.ReadMessage()
	}
	if closeCode(err) != CloseSlowConsumer {
		t.Fatalf("slow device read error %v, want close %d", err, CloseSlowConsumer)
	}
	waitFor(t, 5*time.Second, "the slow device's connection to end", func() bool {
		return h.metric(t, "finstream_ws_connections") == 1
	})
	if m := healthy.expect(TypePresence); m.str("left") != "S" {
		t.Fatalf("got %s", m.raw)
	}
	// The healthy device goes on.
	h.hub.Publish(shared("B1", version+1, "A", "S"))
	if m := healthy.expect(TypeBudgetUpdate); m.num("version") != version+1 {
		t.Fatalf("got %.100s", m.raw)
	}
	if got := h.metric(t, "finstream_ws_slow_consumer_drops_total"); got != 1 {
		t.Errorf("drops = %v, want 1", got)
	}
	// A delivery is observed after its write: wait for the count.
	waitFor(t, 5*time.Second, fmt.Sprintf("%d latency observations", version), func() bool {
		return h.metric(t, "finstream_ws_delivery_latency_seconds") >= float64(version)
	})
}

func TestPingPongKeepalive(t *testing.T) {
	h := start(t, func(c *Config) { c.PingInterval = 30 * time.Millisecond; c.PongTimeout = 30 * time.Millisecond })
	connect := func(answer bool) (*client, chan struct{}) {
		ws := h.dialRaw(t, "A", nil)
		pings := make(chan struct{}, 100)
		ws.SetPingHandler(func(data string) error {
			select {
			case pings <- struct{}{}:
			default:
			}
			if !answer {
				return nil
			}
			return ws.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(time.Second))
		})
		c := newClient(t, ws)
		c.expect(TypeSubscribed)
		return c, pings
	}
	good, pings := connect(true)
	mute, _ := connect(false)

	if err := mute.closed(); closeCode(err) != CloseNoPong {
		t.Fatalf("mute client: %v, want close %d", err, CloseNoPong)
	}
	// The answering client outlives many ping intervals.
	for i := range 6 {
		select {
		case <-pings:
		case <-time.After(5 * time.Second):
			t.Fatalf("ping %d never came", i)
		}
	}
	good.quiet()
	// The server counts a message after writing it: the client may read the
	// pong first, so wait for the count.
	waitFor(t, 5*time.Second, "the pong counted", func() bool {
		return h.metric(t, "finstream_ws_messages_sent_total", "type", TypePong) >= 1
	})
	if got := h.metric(t, "finstream_ws_messages_sent_total", "type", TypePong); got != 1 {
		t.Errorf("pong messages sent = %v, want 1", got)
	}
}
