package main

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// debezium is a transactions change as the Debezium Postgres connector
// writes it with the JSON converter and schemas disabled.
func debezium(op, id, user, status string, amount, lsn int64, posted time.Time) string {
	row := fmt.Sprintf(`{"id":%q,"account_id":"ACC-%s","user_id":%q,"direction":"DEBIT","type":"PURCHASE","status":%q,`+
		`"amount_minor":%d,"currency":"THB","merchant_name":"Tesco Lotus","merchant_id":"M-TESCO-0042","mcc":5411,`+
		`"channel":"PROMPTPAY","budget_id":null,"posted_at":%q,"updated_at":%q}`,
		id, user, user, status, amount, posted.UTC().Format("2006-01-02T15:04:05.000000Z"), posted.UTC().Format("2006-01-02T15:04:05.000000Z"))
	ts := posted.UnixMilli()
	return fmt.Sprintf(`{"before":null,"after":%s,"source":{"version":"2.7.3.Final","connector":"postgresql","name":"core",`+
		`"ts_ms":%d,"snapshot":"false","db":"core","sequence":"[null,\"%d\"]","schema":"public","table":"transactions",`+
		`"txId":%d,"lsn":%d,"xmin":null},"op":%q,"ts_ms":%d,"transaction":null}`, row, ts, lsn, lsn/8, lsn, op, ts+3)
}

func budgetOf(t *testing.T, n *node, user, cat string) map[string]any {
	t.Helper()
	code, body := n.call("GET", "/v1/me/budgets", user, "")
	if code != 200 {
		t.Fatalf("GET budgets: %d %v", code, body)
	}
	return budgetIn(body, cat)
}

func budgetIn(body map[string]any, cat string) map[string]any {
	for _, b := range body["budgets"].([]any) {
		if m := b.(map[string]any); m["category"] == cat {
			return m
		}
	}
	return nil
}

// notReady reports a 503 not_ready answer: a view of the API restores
// (after a reconnect too), and a client retries.
func notReady(code int, body map[string]any) bool {
	e, _ := body["error"].(map[string]any)
	return code == 503 && e["code"] == "not_ready"
}

func waitBudget(t *testing.T, n *node, user, cat string, cond func(b map[string]any) bool) map[string]any {
	t.Helper()
	var b map[string]any
	waitFor(t, 30*time.Second, user+" "+cat+" budget", func() (bool, string) {
		code, body := n.call("GET", "/v1/me/budgets", user, "")
		if notReady(code, body) {
			return false, "the API answers 503 not_ready"
		}
		if code != 200 {
			t.Fatalf("GET budgets: %d %v", code, body)
		}
		b = budgetIn(body, cat)
		return b != nil && cond(b), fmt.Sprint(b)
	})
	return b
}

func alertsFor(n *node, user string, threshold int64) int {
	c := 0
	for _, a := range n.alerts() {
		if a.UserID == user && a.ThresholdBP == threshold {
			c++
		}
	}
	return c
}

// The seed's worked example through the binary: Debezium JSON in on the
// embedded broker, budgets out of the API, alerts on finstream.budget.alerts.
func TestWorkedExampleEndToEnd(t *testing.T) {
	n := newNode(t)
	n.start()
	now := time.Now()
	if code, body := n.call("PUT", "/v1/me/budgets/groceries", "USR-789", `{"limit_minor":1600000,"currency":"THB","period":"monthly"}`); code != 202 {
		t.Fatalf("PUT budget: %d %v", code, body)
	}
	waitBudget(t, n, "USR-789", "groceries", func(b map[string]any) bool { return b["limit_minor"] == float64(1_600_000) })

	n.produce("core.public.transactions", [2]string{`{"id":"TXN-1"}`, debezium("c", "TXN-1", "USR-789", "POSTED", 1_350_000, 1000, now.Add(-time.Minute))})
	waitBudget(t, n, "USR-789", "groceries", func(b map[string]any) bool { return b["spent_minor"] == float64(1_350_000) })

	tesco := debezium("c", "TXN-3", "USR-789", "POSTED", 150_000, 2000, now)
	n.produce("core.public.transactions", [2]string{`{"id":"TXN-3"}`, tesco})
	b := waitBudget(t, n, "USR-789", "groceries", func(b map[string]any) bool { return b["spent_minor"] == float64(1_500_000) })
	if b["used_bp"] != float64(9375) || b["remaining_minor"] != float64(100_000) || !strings.Contains(fmt.Sprint(b["crossed_bp"]), "9000") {
		t.Fatalf("budget after Tesco Lotus: %v", b)
	}
	n.caughtUp(30 * time.Second)
	if got := alertsFor(n, "USR-789", 9000); got != 1 {
		t.Fatalf("%d alerts for 9000, want exactly 1", got)
	}

	// The same CDC record again changes nothing.
	n.produce("core.public.transactions", [2]string{`{"id":"TXN-3"}`, tesco})
	n.caughtUp(30 * time.Second)
	if b := budgetOf(t, n, "USR-789", "groceries"); b["spent_minor"] != float64(1_500_000) {
		t.Fatalf("duplicate changed the budget: %v", b)
	}
	if got := alertsFor(n, "USR-789", 9000); got != 1 {
		t.Fatalf("duplicate: %d alerts for 9000, want 1", got)
	}

	// REVERSED brings used_bp back to 8437.
	n.produce("core.public.transactions", [2]string{`{"id":"TXN-3"}`, debezium("u", "TXN-3", "USR-789", "REVERSED", 150_000, 3000, now)})
	waitBudget(t, n, "USR-789", "groceries", func(b map[string]any) bool { return b["used_bp"] == float64(8437) })

	// A record that breaks the contract goes to the DLQ and the pipeline goes on.
	n.produce("core.public.transactions", [2]string{`{"id":"BAD"}`, `{"before":null,"after":{"id":"BAD"},"op":"c"}`})
	n.produce("core.public.transactions", [2]string{`{"id":"TXN-4"}`, debezium("c", "TXN-4", "USR-789", "POSTED", 10_000, 4000, now)})
	waitBudget(t, n, "USR-789", "groceries", func(b map[string]any) bool { return b["spent_minor"] == float64(1_360_000) })
}

// A third-party Kafka client (kcat, librdkafka) producing Debezium JSON on
// --broker-listen moves budgets as the contract says.
func TestKcatProducesCDC(t *testing.T) {
	kcat := kcatPath(t)
	n := newNode(t)
	n.start()
	now := time.Now()
	if code, _ := n.call("PUT", "/v1/me/budgets/groceries", "USR-KCAT", `{"limit_minor":100000,"currency":"THB"}`); code != 202 {
		t.Fatalf("PUT budget: %d", code)
	}
	// The budget must exist before the spend, or its thresholds are crossed
	// silently when it is created (commands and CDC race otherwise).
	waitBudget(t, n, "USR-KCAT", "groceries", func(b map[string]any) bool { return b["limit_minor"] == float64(100_000) })
	lines := strings.Join([]string{
		`{"id":"K1"}|` + debezium("c", "K1", "USR-KCAT", "PENDING", 40_000, 100, now),
		`{"id":"K1"}|` + debezium("u", "K1", "USR-KCAT", "POSTED", 40_000, 200, now),
		`{"id":"K2"}|` + debezium("c", "K2", "USR-KCAT", "POSTED", 50_000, 300, now),
		`{"id":"K2"}|` + debezium("c", "K2", "USR-KCAT", "POSTED", 50_000, 300, now),
	}, "\n") + "\n"
	cmd := exec.Command(kcat, "-P", "-b", n.broker, "-t", "core.public.transactions", "-K", "|", "-X", "partitioner=murmur2_random")
	cmd.Stdin = strings.NewReader(lines)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("kcat: %v\n%s", err, out)
	}
	b := waitBudget(t, n, "USR-KCAT", "groceries", func(b map[string]any) bool { return b["spent_minor"] == float64(90_000) })
	if b["used_bp"] != float64(9000) {
		t.Fatalf("budget %v", b)
	}
	// kcat reads what finstream wrote, too.
	n.caughtUp(30 * time.Second)
	kctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(kctx, kcat, "-C", "-b", n.broker, "-t", "finstream.budget.alerts", "-o", "beginning", "-c", "3", "-q", "-f", "%k\n").CombinedOutput()
	if err != nil {
		t.Fatalf("kcat consume: %v\n%s", err, out)
	}
	if c := strings.Count(string(out), "USR-KCAT"); c != 3 {
		t.Fatalf("kcat saw %d alerts for USR-KCAT (want 5000, 8000, 9000):\n%s", c, out)
	}
}
