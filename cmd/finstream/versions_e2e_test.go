package main

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"finstream/api"
)

// Read-your-writes against the binary: PUT a budget, then GET with the
// 202's min_version and wait=5s answers the new budget at once (the
// command goes through Kafka and the users group before the view shows
// it); a version that never comes answers the current state marked stale
// when the wait ends.
func TestReadYourWritesEndToEnd(t *testing.T) {
	n := newNode(t)
	n.start()
	const user = "USR-RYW"
	code, acc := n.call("PUT", "/v1/me/budgets/groceries", user, `{"limit_minor":500000,"currency":"THB"}`)
	if code != http.StatusAccepted || acc["applies_to"] != "/v1/me/budgets" || acc["min_version"] != float64(1) {
		t.Fatalf("PUT: %d %v", code, acc)
	}
	start := time.Now()
	code, body := n.call("GET", "/v1/me/budgets?min_version=1&wait=5s", user, "")
	took := time.Since(start)
	if code != 200 || body["version"] != float64(1) {
		t.Fatalf("GET after %v: %d %v", took, code, body)
	}
	if b, _ := body["budgets"].([]any); len(b) != 1 || b[0].(map[string]any)["limit_minor"] != float64(500000) {
		t.Fatalf("GET after %v: %v", took, body)
	}
	t.Logf("read the write after %v", took)

	// The same budget again: min_version is the version already there.
	if code, acc = n.call("PUT", "/v1/me/budgets/groceries", user, `{"limit_minor":500000,"currency":"THB"}`); code != http.StatusAccepted || acc["min_version"] != float64(1) {
		t.Fatalf("same PUT again: %d %v", code, acc)
	}

	// A version that does not come: 200, the current state, stale.
	req, _ := http.NewRequest("GET", "http://"+n.listen+"/v1/me/budgets?min_version="+strconv.Itoa(1000)+"&wait=300ms", nil)
	tok, err := api.Token([]byte(api.DevSecret), user, time.Now(), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	start = time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if took := time.Since(start); resp.StatusCode != 200 || resp.Header.Get(api.StaleHeader) != "true" || took < 300*time.Millisecond || took > 3*time.Second {
		t.Fatalf("never-coming version: %d stale=%q after %v", resp.StatusCode, resp.Header.Get(api.StaleHeader), took)
	}
	if code, body = n.call("GET", "/v1/me/budgets?wait=9s", user, ""); code != http.StatusBadRequest {
		t.Fatalf("wait=9s: %d %v", code, body)
	}
}
