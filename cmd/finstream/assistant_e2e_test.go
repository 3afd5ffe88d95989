package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/twmb/franz-go/pkg/kgo"
)

// recorder is a stub HTTP service keeping the bodies it is posted.
type recorder struct {
	mu     sync.Mutex
	bodies []string
	answer func(body string) (int, string)
}

func (r *recorder) start(t *testing.T) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.bodies = append(r.bodies, string(b))
		r.mu.Unlock()
		code, out := http.StatusOK, `{}`
		if r.answer != nil {
			code, out = r.answer(string(b))
		}
		w.WriteHeader(code)
		_, _ = io.WriteString(w, out)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func (r *recorder) all() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.bodies...)
}

// seedGroceries gives user the seed's groceries budget: ฿16,000, of which
// ฿15,000 spent (one purchase, txnID, now).
func seedGroceries(t *testing.T, n *node, user, txnID string) {
	t.Helper()
	if code, body := n.call("PUT", "/v1/me/budgets/groceries", user, `{"limit_minor":1600000,"currency":"THB"}`); code != http.StatusAccepted {
		t.Fatalf("budget: %d %v", code, body)
	}
	waitBudget(t, n, user, "groceries", func(b map[string]any) bool { return b["limit_minor"] == float64(1_600_000) })
	n.produce("core.public.transactions", [2]string{`{"id":"` + txnID + `"}`, debezium("c", txnID, user, "POSTED", 1_500_000, 100, time.Now())})
	waitBudget(t, n, user, "groceries", func(b map[string]any) bool { return b["spent_minor"] == float64(1_500_000) })
}

const e2ePII = "My name is Somchai Jaidee, card 4111 1111 1111 1111, phone 081-234-5678"

func noE2EPII(t *testing.T, where, s string) {
	t.Helper()
	for _, p := range []string{"Somchai", "Jaidee", "4111", "081-234-5678"} {
		if strings.Contains(s, p) {
			t.Errorf("%s holds %q: %s", where, p, s)
		}
	}
}

// The co-pilot through the binary: the seed's groceries budget answered
// by the fallback model (the primary fails) and streamed to the device,
// a complaint escalated to the CRM, everything audited masked.
func TestAssistantThroughTheBinary(t *testing.T) {
	crm := &recorder{}
	primary := &recorder{answer: func(string) (int, string) { return http.StatusInternalServerError, `{}` }}
	fallback := &recorder{answer: func(body string) (int, string) {
		if strings.Contains(body, `"role":"tool"`) {
			return 200, `{"choices":[{"message":{"role":"assistant","content":"You have ฿1,000 left for groceries (฿15,000 of ฿16,000 spent)."}}]}`
		}
		return 200, `{"choices":[{"message":{"role":"assistant","content":"","tool_calls":[{"id":"c1","type":"function","function":{"name":"budget_status","arguments":"{\"category\":\"groceries\"}"}}]}}]}`
	}}
	n := newNode(t)
	flags := []string{"--crm-url", crm.start(t), "--llm-url", primary.start(t) + "/v1", "--llm-fallback-url", fallback.start(t) + "/v1", "--llm-model", "stub"}
	n.start(flags...)
	const U = "USR-ASK"
	seedGroceries(t, n, U, "ASK-T1")

	dev := n.connect(t, U)
	var answer map[string]any
	var streamed map[string]any
	// The fanout tails the audit topic from its end: ask again until the
	// tailer, which may still be starting, sees an answer.
	waitFor(t, 60*time.Second, "an assistant message on the device", func() (bool, string) {
		code, body := n.call("POST", "/v1/me/assistant", U, `{"message":"`+e2ePII+`. How much is left for groceries?"}`)
		if code != http.StatusOK {
			return false, fmt.Sprint(code, body)
		}
		answer = body
		_ = dev.conn.SetReadDeadline(time.Now().Add(2 * time.Second))
		for {
			var m map[string]any
			if err := dev.conn.ReadJSON(&m); err != nil {
				if websocket.IsUnexpectedCloseError(err) {
					t.Fatalf("device closed: %v", err)
				}
				dev = n.connect(t, U) // a read deadline breaks a gorilla connection
				return false, err.Error()
			}
			if m["type"] == "assistant" && m["channel"] == "user:"+U {
				streamed = m
				return true, ""
			}
		}
	})
	if a, _ := answer["answer"].(string); !strings.Contains(a, "฿1,000") || answer["intent"] != "budget_status" || answer["confidence"].(float64) < 0.7 || answer["escalated"] != false {
		t.Errorf("answer %v", answer)
	}
	data, _ := streamed["data"].(map[string]any)
	if a, _ := data["answer"].(string); !strings.Contains(a, "฿1,000") || data["intent"] != "budget_status" {
		t.Errorf("streamed %v", streamed)
	}
	if len(primary.all()) == 0 || len(fallback.all()) < 2 {
		t.Errorf("model requests: primary %d, fallback %d", len(primary.all()), len(fallback.all()))
	}
	for _, b := range append(primary.all(), fallback.all()...) {
		noE2EPII(t, "model request", b)
	}

	code, body := n.call("POST", "/v1/me/assistant", U, `{"message":"`+e2ePII+`. I want to file a complaint, you charged me twice"}`)
	if code != http.StatusOK || body["escalated"] != true || body["intent"] != "support_complaint" {
		t.Fatalf("complaint: %d %v", code, body)
	}
	waitFor(t, 30*time.Second, "the escalation at the CRM", func() (bool, string) { return len(crm.all()) == 1, fmt.Sprint(crm.all()) })
	var ticket struct {
		UserID     string `json:"user_id"`
		Reason     string `json:"reason"`
		Transcript []struct {
			Message string `json:"message"`
		} `json:"transcript"`
	}
	if err := json.Unmarshal([]byte(crm.all()[0]), &ticket); err != nil || ticket.UserID != U || ticket.Reason != "support_complaint" || len(ticket.Transcript) == 0 ||
		!strings.Contains(ticket.Transcript[len(ticket.Transcript)-1].Message, "[CARD]") {
		t.Errorf("ticket %v: %s", err, crm.all()[0])
	}
	noE2EPII(t, "CRM ticket", crm.all()[0])

	// The audit topic holds every exchange, masked, keyed by the user.
	cl, err := kgo.NewClient(kgo.SeedBrokers(n.broker), kgo.ConsumeTopics("finstream.assistant.audit"), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	var recs []string
	waitFor(t, 30*time.Second, "audit records", func() (bool, string) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		cl.PollFetches(ctx).EachRecord(func(r *kgo.Record) {
			if string(r.Key) == U {
				recs = append(recs, string(r.Value))
			}
		})
		last := ""
		if len(recs) > 0 {
			last = recs[len(recs)-1]
		}
		return strings.Contains(last, "support_complaint"), fmt.Sprint(len(recs))
	})
	for _, r := range recs {
		noE2EPII(t, "audit record", r)
	}
	if !strings.Contains(recs[0], `"source":"fallback_model"`) || !strings.Contains(recs[0], "[NAME]") {
		t.Errorf("audit %s", recs[0])
	}

	// After a restart the conversation goes on: its turns come back from
	// finstream-assistant-table, and the model is sent them.
	conv, _ := answer["conversation_id"].(string)
	n.caughtUp(30 * time.Second)
	n.stop()
	n.start(flags...)
	before := len(fallback.all())
	code, body = n.call("POST", "/v1/me/assistant", U, `{"message":"and last month?","conversation_id":"`+conv+`"}`)
	reqs := fallback.all()[before:]
	if code != http.StatusOK || body["conversation_id"] != conv || len(reqs) == 0 || !strings.Contains(reqs[0], "How much is left for groceries?") {
		t.Errorf("after a restart: %d %v, model sent %v", code, body, reqs)
	}
}
