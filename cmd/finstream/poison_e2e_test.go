package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// kcatPath finds kcat: a test that needs it fails under CI=true when it is
// absent (make test installs it with .ci/install-deps), else skips.
func kcatPath(t *testing.T) string {
	t.Helper()
	kcat, err := exec.LookPath("kcat")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("kcat is not installed (make test installs it with .ci/install-deps)")
		}
		t.Skip("kcat not installed; run .ci/install-deps")
	}
	return kcat
}

// kcatProduce writes key|value lines to topic with kcat (librdkafka), with
// a message size limit above the 1 MB a poison record has.
func kcatProduce(t *testing.T, kcat, broker, topic string, lines ...string) {
	t.Helper()
	cmd := exec.Command(kcat, "-P", "-b", broker, "-t", topic, "-K", "|", "-X", "partitioner=murmur2_random",
		"-X", "message.max.bytes=2000000")
	cmd.Stdin = strings.NewReader(strings.Join(lines, "\n") + "\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("kcat produce: %v\n%s", err, out)
	}
}

// stillUp fails the test if the process has exited.
func (n *node) stillUp() {
	n.t.Helper()
	select {
	case err := <-n.exited:
		n.exited <- err
		n.t.Fatalf("finstream exited: %v\n%s", err, problems(n.log.String()))
	default:
	}
}

// Poison pills from a third-party client: malformed and oversized records
// (a valid envelope with a 1,000,000-character merchant_name, fields over
// their limits, an amount and a time out of range, Avro of an unknown
// schema, garbage on an internal topic) each reach finstream.dlq with
// their reason; the process stays up,
// a good record afterwards counts, and a restart on the same data dir stays
// up and counts the next one.
func TestPoisonRecordsReachTheDLQAndTheProcessStaysUp(t *testing.T) {
	kcat := kcatPath(t)
	n := newNode(t)
	n.start()
	const user = "USR-POISON"
	if code, _ := n.call("PUT", "/v1/me/budgets/groceries", user, `{"limit_minor":1000000,"currency":"THB"}`); code != 202 {
		t.Fatalf("PUT budget: %d", code)
	}
	waitBudget(t, n, user, "groceries", func(b map[string]any) bool { return b["limit_minor"] == float64(1_000_000) })

	now := time.Now()
	good := func(id string, amount, lsn int64) string {
		return id + "|" + debezium("c", id, user, "POSTED", amount, lsn, now)
	}
	with := func(id, old, new string) string {
		return id + "|" + strings.Replace(debezium("c", id, user, "POSTED", 1_000, 10, now), old, new, 1)
	}
	huge := strings.Repeat("M", 1_000_000)
	poison := []struct{ line, key, reason string }{
		{"P-JSON|{not json", "P-JSON", "bad_json"},
		{with("P-HUGE", `"Tesco Lotus"`, `"`+huge+`"`), "P-HUGE", "too_large"},
		{with("P-LONG", `"Tesco Lotus"`, `"`+strings.Repeat("ท", 200)+`"`), "P-LONG", "too_long"},
		{with("P-AMOUNT", `"amount_minor":1000`, `"amount_minor":9223372036854775807`), "P-AMOUNT", "bad_amount"},
		{with("P-TIME", `"posted_at":"`+now.UTC().Format("2006"), `"posted_at":"2999`), "P-TIME", "bad_time"},
		{with("P-NUL", `"Tesco Lotus"`, `"Tesco\u0000Lotus"`), "P-NUL", "bad_text"},
		{"P-AVRO|\x00\x00\x00\x03\xe7garbage", "P-AVRO", "unknown_schema"},
	}
	var lines []string
	for _, p := range poison {
		lines = append(lines, p.line)
	}
	kcatProduce(t, kcat, n.broker, "core.public.transactions", lines...)
	kcatProduce(t, kcat, n.broker, "core.public.accounts",
		`P-ACC|{"before":null,"after":{"id":"ACC-P","user_id":"`+strings.Repeat("u", 500)+`","type":"CHECKING","currency":"THB","status":"ACTIVE"},"op":"c"}`)
	poison = append(poison, struct{ line, key, reason string }{key: "P-ACC", reason: "too_long"})
	// Garbage on an internal topic: each consuming group (users, goals)
	// sends it to the DLQ rather than stopping.
	kcatProduce(t, kcat, n.broker, "finstream.txn.by-user", "P-INT|not avro")
	poison = append(poison, struct{ line, key, reason string }{key: "P-INT", reason: "undecodable"})
	const extra = 1 // P-INT reaches the DLQ twice

	// Each reaches the DLQ, read back by kcat, with its reason.
	kctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out, err := exec.CommandContext(kctx, kcat, "-C", "-b", n.broker, "-t", "finstream.dlq", "-o", "beginning",
		"-c", fmt.Sprint(len(poison)+extra), "-q", "-f", "%k %S %h\n").CombinedOutput()
	if err != nil {
		t.Fatalf("kcat consume the DLQ: %v\n%.2000s", err, out)
	}
	got := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		key, rest, _ := strings.Cut(l, " ")
		size, headers, _ := strings.Cut(rest, " ")
		for _, h := range strings.Split(headers, ",") {
			if r, ok := strings.CutPrefix(h, "reason="); ok {
				got[key] = r
			}
		}
		if n, _ := strconv.Atoi(size); key == "P-HUGE" && n < len(huge) {
			t.Errorf("the DLQ record of P-HUGE holds %s bytes, not the original", size)
		}
	}
	for _, p := range poison {
		if got[p.key] != p.reason {
			t.Errorf("%s: DLQ reason %q, want %q (DLQ: %v)", p.key, got[p.key], p.reason, got)
		}
	}
	n.stillUp()

	// A good record afterwards counts.
	kcatProduce(t, kcat, n.broker, "core.public.transactions", good("G-1", 12_345, 100))
	waitBudget(t, n, user, "groceries", func(b map[string]any) bool { return b["spent_minor"] == float64(12_345) })
	n.stillUp()

	// A restart on the same data dir stays up, counts nothing twice, and
	// counts the next good record.
	n.stop()
	n.start()
	kcatProduce(t, kcat, n.broker, "core.public.transactions", good("G-2", 1_000, 110))
	waitBudget(t, n, user, "groceries", func(b map[string]any) bool { return b["spent_minor"] == float64(13_345) })
	n.caughtUp(60 * time.Second)
	n.stillUp()
	if strings.Contains(n.log.String(), "level=ERROR") {
		t.Errorf("errors in the log after the restart:\n%s", problems(n.log.String()))
	}
}
