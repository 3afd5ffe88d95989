package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"finstream/api"
)

// device is one WebSocket connection of a user.
type device struct {
	t    *testing.T
	conn *websocket.Conn
}

func (n *node) connect(t *testing.T, user string) *device {
	t.Helper()
	tok, err := api.Token([]byte(api.DevSecret), user, time.Now(), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	c, resp, err := websocket.DefaultDialer.Dial("ws://"+n.listen+"/v1/ws?access_token="+tok, nil)
	if err != nil {
		t.Fatalf("dial as %s: %v (%v)", user, err, resp)
	}
	t.Cleanup(func() { c.Close() })
	return &device{t: t, conn: c}
}

func (d *device) send(v any) {
	d.t.Helper()
	if err := d.conn.WriteJSON(v); err != nil {
		d.t.Fatal(err)
	}
}

// next returns the next message of type typ on channel, within a deadline.
func (d *device) next(typ, channel string) map[string]any {
	d.t.Helper()
	_ = d.conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	for {
		var m map[string]any
		if err := d.conn.ReadJSON(&m); err != nil {
			d.t.Fatalf("waiting for %s on %s: %v", typ, channel, err)
		}
		if m["type"] == typ && m["channel"] == channel {
			return m
		}
	}
}

// The seed's shared-budget example through the binary: B's purchase
// reaches A's and B's devices as one budget_update with attribution.
func TestSharedBudgetWorkedExampleOverWebSocket(t *testing.T) {
	n := newNode(t)
	n.start()
	const A, B = "USR-A", "USR-B"
	version := seedHousehold(t, n, "S")

	// A on two devices, B on one, all subscribed and current.
	devices := map[string]*device{"A phone": n.connect(t, A), "A laptop": n.connect(t, A), "B phone": n.connect(t, B)}
	for _, d := range devices {
		d.send(map[string]any{"type": "subscribe", "channel": "budget:BDG-456", "since_version": version})
		d.next("subscribed", "budget:BDG-456")
	}

	now := time.Now()
	n.produce("core.public.transactions", [2]string{`{"id":"SB2"}`, householdPurchase("SB2", B, 180_000, 300, "Tesco Lotus", now)})
	for name, d := range devices {
		u := d.next("budget_update", "budget:BDG-456")
		if u["txn_id"] != "SB2" {
			t.Fatalf("%s: first update is %v", name, u)
		}
		want := map[string]any{"spent_minor": 1_530_000.0, "used_bp": 9562.0, "remaining_minor": 70_000.0,
			"user_id": B, "merchant": "Tesco Lotus", "amount_minor": 180_000.0, "budget_id": "BDG-456", "alert": true}
		for k, v := range want {
			if u[k] != v {
				t.Errorf("%s: %s = %v, want %v", name, k, u[k], v)
			}
		}
		if got, _ := json.Marshal(u["threshold_crossed_bp"]); string(got) != "[9000]" {
			t.Errorf("%s: threshold_crossed_bp %s, want [9000]", name, got)
		}
	}
	waitFor(t, 20*time.Second, "B's contribution", func() (bool, string) {
		_, body := n.call("GET", "/v1/shared-budgets/BDG-456", A, "")
		parts, _ := body["participants"].([]any)
		for _, p := range parts {
			if p := p.(map[string]any); p["user_id"] == B {
				return p["spent_minor"] == 830_000.0 && p["share_bp"] == 5424.0, fmt.Sprint(p)
			}
		}
		return false, fmt.Sprint(body)
	})

	// A marker afterwards: the next update each device gets is the marker's,
	// so B's purchase was delivered exactly once.
	n.produce("core.public.transactions", [2]string{`{"id":"SA2"}`, householdPurchase("SA2", A, 1_000, 400, "7-Eleven", now)})
	for name, d := range devices {
		if m := d.next("budget_update", "budget:BDG-456"); m["txn_id"] != "SA2" {
			t.Fatalf("%s: a second update before the marker: %v", name, m)
		}
	}
}

// householdPurchase is a POSTED DEBIT tagged with BDG-456, as Debezium JSON.
func householdPurchase(id, user string, amount, lsn int64, merchant string, at time.Time) string {
	return strings.NewReplacer(`"budget_id":null`, `"budget_id":"BDG-456"`,
		`"merchant_name":"Tesco Lotus"`, fmt.Sprintf(`"merchant_name":%q`, merchant)).Replace(
		debezium("c", id, user, "POSTED", amount, lsn, at))
}

// seedHousehold sets up the seed's BDG-456 "Household Groceries" (limit
// ฿16,000): A (owner) has spent ฿7,000 and B (contributor) ฿6,500, with
// transaction ids prefixed by prefix. It returns the budget's version.
func seedHousehold(t *testing.T, n *node, prefix string) float64 {
	t.Helper()
	const A, B = "USR-A", "USR-B"
	if code, body := n.call("POST", "/v1/shared-budgets", A, `{"budget_id":"BDG-456","name":"Household Groceries","limit_minor":1600000,"currency":"THB","period":"monthly"}`); code != http.StatusAccepted {
		t.Fatalf("create: %d %v", code, body)
	}
	waitFor(t, 20*time.Second, "BDG-456 created", func() (bool, string) {
		code, body := n.call("GET", "/v1/shared-budgets/BDG-456", A, "")
		return code == 200, fmt.Sprint(code, body)
	})
	code, inv := n.call("POST", "/v1/shared-budgets/BDG-456/members", A, `{"user_id":"USR-B","role":"contributor"}`)
	if code != http.StatusAccepted || inv["status"] != "pending" {
		t.Fatalf("invite B: %d %v", code, inv)
	}
	// B's invitation reaches B's state, and B accepts it.
	waitFor(t, 20*time.Second, "B's invitation", func() (bool, string) {
		code, body := n.call("GET", "/v1/me/invitations", B, "")
		list, _ := body["invitations"].([]any)
		return code == 200 && len(list) == 1, fmt.Sprint(code, body)
	})
	if code, body := n.call("POST", fmt.Sprintf("/v1/me/invitations/%v/accept", inv["invitation_id"]), B, ""); code != http.StatusAccepted {
		t.Fatalf("B accepts: %d %v", code, body)
	}
	// B's own state knows the membership: the transaction stage decides
	// what B's spend offers the budget from it.
	waitFor(t, 20*time.Second, "B a participant in B's own state", func() (bool, string) {
		code, body := n.call("GET", "/v1/me/shared-budgets", B, "")
		list, _ := body["shared_budgets"].([]any)
		return code == 200 && len(list) == 1, fmt.Sprint(code, body)
	})
	now := time.Now()
	n.produce("core.public.transactions",
		[2]string{`{"id":"` + prefix + `A1"}`, householdPurchase(prefix+"A1", A, 700_000, 100, "Makro", now)},
		[2]string{`{"id":"` + prefix + `B1"}`, householdPurchase(prefix+"B1", B, 650_000, 200, "Big C", now)})
	var version float64
	waitFor(t, 20*time.Second, "฿13,500 spent on BDG-456", func() (bool, string) {
		_, body := n.call("GET", "/v1/shared-budgets/BDG-456", A, "")
		version, _ = body["version"].(float64)
		return body["spent_minor"] == float64(1_350_000), fmt.Sprint(body)
	})
	return version
}
