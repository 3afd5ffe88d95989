package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"finstream/api"
)

// readmeBlock returns the sh block of README.md that follows marker.
func readmeBlock(t *testing.T, marker string) string {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(b), "<!-- "+marker+" -->\n```sh\n")
	block, _, closed := strings.Cut(rest, "\n```\n")
	if !ok || !closed {
		t.Fatalf("README.md has no sh block after <!-- %s -->", marker)
	}
	return block
}

// The README's kcat example, run as written (only the addresses changed to
// this node's), is a Debezium envelope that counts: USR-000001's groceries
// spend becomes ฿1,250, and kcat reads the budget update back.
func TestReadmeKcatExample(t *testing.T) {
	kcat := kcatPath(t)
	for _, tool := range []string{"curl", "jq", "bash"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("the README example needs %s: %v", tool, err)
		}
	}
	n := newNode(t)
	n.start()
	// The budget of the README's first block, so that the spend moves it.
	if code, body := n.call("PUT", "/v1/me/budgets/groceries", "USR-000001", `{"limit_minor":1600000,"currency":"THB","period":"monthly"}`); code != 202 {
		t.Fatalf("PUT budget: %d %v", code, body)
	}
	waitBudget(t, n, "USR-000001", "groceries", func(b map[string]any) bool { return b["limit_minor"] == float64(1_600_000) })
	block := readmeBlock(t, "readme-kcat-example")
	block = strings.NewReplacer("127.0.0.1:9092", n.broker, "localhost:8080", n.listen, "kcat ", kcat+" ").Replace(block)
	tok, err := api.Token([]byte(api.DevSecret), "USR-000001", time.Now(), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	// The produce first, then (once the spend shows) the two reading lines.
	lines := strings.Split(block, "\n")
	if len(lines) < 4 {
		t.Fatalf("README block: %q", block)
	}
	run := func(script string) string {
		cmd := exec.Command("bash", "-e", "-o", "pipefail", "-c", script)
		cmd.Env = append(os.Environ(), "TOKEN="+tok)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("README example: %v\n%s\n%s", err, script, out)
		}
		return string(out)
	}
	run(strings.Join(lines[:len(lines)-2], "\n"))
	b := waitBudget(t, n, "USR-000001", "groceries", func(b map[string]any) bool { return b["spent_minor"] == float64(125_000) })
	if b["used_bp"] != float64(781) { // 125000 * 10000 / 1600000
		t.Errorf("budget %v", b)
	}
	out := run(strings.Join(lines[len(lines)-2:], "\n"))
	if !strings.Contains(out, `"category": "groceries"`) || !strings.Contains(out, `"spent_minor": 125000`) {
		t.Errorf("the README's spending line printed:\n%s", out)
	}
	if !strings.Contains(out, "USR-000001:groceries: an Avro budget update of") {
		t.Errorf("kcat did not read the budget update back:\n%s", out)
	}
	t.Logf("README example output:\n%s", out)
}
