package api_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lovoo/goka"
	"github.com/lovoo/goka/tester"

	"finstream/api"
	"finstream/processors/cdc"
	"finstream/processors/event"
	"finstream/processors/goal"
	"finstream/processors/processorstest"
	"finstream/topics"
)

// heldCommands is where the API of a holdCommands fixture writes user
// commands: no processor reads it, so a command is applied only when the
// test delivers it (deliver).
const heldCommands = "test.held.commands.user"

// holdCommands starts the API with its user commands held back: the
// tester's emitter otherwise applies a command before its 202 returns,
// and there would be nothing to wait for.
func holdCommands(t *testing.T) (*fixture, *tester.QueueTracker) {
	t.Helper()
	f := startOn(t, func(h *processorstest.Harness, c *api.Config) {
		em, err := goka.NewEmitter(nil, goka.Stream(heldCommands), h.Codecs.CommandsUser, goka.WithEmitterTester(h.Tester))
		if err != nil {
			t.Fatal(err)
		}
		c.Commands = em
	})
	return f, f.h.Tester.NewQueueTracker(heldCommands)
}

// deliver applies the next held command.
func deliver(t *testing.T, f *fixture, held *tester.QueueTracker) {
	t.Helper()
	key, cmd, ok := held.Next()
	if !ok {
		t.Fatal("no held command")
	}
	f.h.Tester.Consume(string(topics.CommandsUser), key, cmd)
}

// raw sends a request as user without waiting for the processors, and
// answers the response with its decoded body.
func raw(t *testing.T, f *fixture, method, path, user, body string) (*http.Response, map[string]any) {
	t.Helper()
	return request(t, f.srv.URL, method, path, user, body)
}

// request sends a request to the server at base as user (none when ""),
// and answers the response with its decoded body.
func request(t *testing.T, base, method, path, user, body string) (*http.Response, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
	if user != "" {
		tok, err := api.Token([]byte(secret), user, now, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp, out
}

// getAt GETs path as user, answering the status, whether it was marked
// stale, the body and how long it took.
func getAt(t *testing.T, f *fixture, path, user string) (int, bool, map[string]any, time.Duration) {
	t.Helper()
	start := time.Now()
	resp, body := raw(t, f, "GET", path, user, "")
	return resp.StatusCode, resp.Header.Get(api.StaleHeader) == "true", body, time.Since(start)
}

// A command's 202 says the version its state reaches once it is applied,
// and a GET with ?min_version=&wait= waits for it: while the command is
// held back, the state is stale; once delivered, the waiting GET answers
// the new budget, well before its wait ends.
func TestReadYourWrites(t *testing.T) {
	f, held := holdCommands(t)
	f.h.Txn(cdc.OpCreate, purchase("T1", "USR-789", 1_350_000, 10))
	_, stale, body, _ := getAt(t, f, "/v1/me/budgets", "USR-789")
	v0 := jget[float64](t, body, "version")
	if stale || v0 < 1 {
		t.Fatalf("before: stale %v, %v", stale, body)
	}

	resp, acc := raw(t, f, "PUT", "/v1/me/budgets/groceries", "USR-789", `{"limit_minor":1600000,"currency":"THB"}`)
	if resp.StatusCode != http.StatusAccepted || acc["command_id"] == "" || acc["applies_to"] != "/v1/me/budgets" || acc["min_version"] != v0+1 {
		t.Fatalf("PUT: %d %v, want min_version %v", resp.StatusCode, acc, v0+1)
	}
	n := int64(jget[float64](t, acc, "min_version"))
	q := "/v1/me/budgets?min_version=" + strconv.FormatInt(n, 10)

	// Not applied yet: wait=0 (the default) answers at once, marked stale.
	code, stale, body, _ := getAt(t, f, q, "USR-789")
	if code != 200 || !stale || jget[float64](t, body, "version") != v0 || len(jget[[]any](t, body, "budgets")) != 0 {
		t.Fatalf("held: %d stale=%v %v", code, stale, body)
	}

	type answer struct {
		code  int
		stale bool
		body  map[string]any
		took  time.Duration
	}
	got := make(chan answer, 1)
	go func() {
		code, stale, body, took := getAt(t, f, q+"&wait=2s", "USR-789")
		got <- answer{code, stale, body, took}
	}()
	deliver(t, f, held)
	a := <-got
	if a.code != 200 || a.stale || jget[float64](t, a.body, "version") != float64(n) {
		t.Fatalf("waited: %d stale=%v %v", a.code, a.stale, a.body)
	}
	if lim := jget[float64](t, a.body, "budgets", 0, "limit_minor"); lim != 1_600_000 || a.took >= 2*time.Second {
		t.Fatalf("waited %v for limit %v", a.took, lim)
	}

	// The same budget again changes nothing in the processor: its
	// min_version is the version already there, and nobody waits.
	resp, acc = raw(t, f, "PUT", "/v1/me/budgets/groceries", "USR-789", `{"limit_minor":1600000,"currency":"THB"}`)
	if resp.StatusCode != http.StatusAccepted || acc["min_version"] != float64(n) {
		t.Fatalf("same PUT again: %d %v, want min_version %d", resp.StatusCode, acc, n)
	}
	deliver(t, f, held)
	code, stale, body, _ = getAt(t, f, q+"&wait=2s", "USR-789")
	if code != 200 || stale || jget[float64](t, body, "version") != float64(n) {
		t.Fatalf("after the repeated PUT the processor moved the version: %d stale=%v %v", code, stale, body)
	}

	// A delete always moves the version.
	resp, acc = raw(t, f, "DELETE", "/v1/me/budgets/groceries", "USR-789", "")
	if resp.StatusCode != http.StatusAccepted || acc["min_version"] != float64(n+1) {
		t.Fatalf("DELETE: %d %v, want min_version %d", resp.StatusCode, acc, n+1)
	}
	deliver(t, f, held)
	code, stale, body, _ = getAt(t, f, "/v1/me/spending?min_version="+strconv.FormatInt(n+1, 10)+"&wait=2s", "USR-789")
	if code != 200 || stale || jget[float64](t, body, "version") != float64(n+1) {
		t.Fatalf("spending after DELETE: %d stale=%v %v", code, stale, body)
	}
}

// A version that does not come ends the wait at its deadline with the
// current state, 200, marked stale.
func TestReadYourWritesTimesOut(t *testing.T) {
	f := start(t, false)
	f.h.Txn(cdc.OpCreate, purchase("T1", "USR-789", 1_350_000, 10))
	code, stale, body, took := getAt(t, f, "/v1/me/budgets?min_version=99&wait=300ms", "USR-789")
	if code != 200 || !stale || jget[float64](t, body, "version") >= 99 {
		t.Fatalf("%d stale=%v %v", code, stale, body)
	}
	if took < 300*time.Millisecond || took > 2*time.Second {
		t.Fatalf("answered after %v, want 300ms and a little", took)
	}
	// Reached already: no marking.
	if code, stale, _, _ = getAt(t, f, "/v1/me/budgets?min_version=0&wait=5s", "USR-789"); code != 200 || stale {
		t.Fatalf("min_version 0: %d stale=%v", code, stale)
	}
}

func TestReadYourWritesBadParams(t *testing.T) {
	f := start(t, false)
	for _, c := range []struct{ query, code string }{
		{"min_version=abc", "bad_min_version"},
		{"min_version=-1", "bad_min_version"},
		{"min_version=1.5", "bad_min_version"},
		{"min_version=1&wait=abc", "bad_wait"},
		{"min_version=1&wait=-1s", "bad_wait"},
		{"min_version=1&wait=6s", "bad_wait"},
		{"wait=2", "bad_wait"},
	} {
		for _, path := range []string{"/v1/me/budgets", "/v1/me/spending"} {
			code, body := f.do(t, "GET", path+"?"+c.query, "USR-789", "")
			if code != http.StatusBadRequest || jget[string](t, body, "error", "code") != c.code || jget[string](t, body, "error", "message") == "" {
				t.Errorf("%s?%s: %d %v, want 400 %s", path, c.query, code, body, c.code)
			}
		}
	}
}

// Every shared-budget command's min_version is the version the budget
// shows once the shared-budget group applied it, and an invitee who
// accepts reads the budget at that version.
func TestReadYourWritesShared(t *testing.T) {
	f := startShared(t)
	path := "/v1/shared-budgets/BDG-RYW"
	step := func(method, p, user, body string) float64 {
		t.Helper()
		acc := f.want(t, method, p, user, body, 202)
		if acc["applies_to"] != path {
			t.Fatalf("%s %s: applies_to %v", method, p, acc)
		}
		n := jget[float64](t, acc, "min_version")
		code, stale, b, _ := getAt(t, f, path+"?min_version="+strconv.FormatFloat(n, 'f', 0, 64)+"&wait=2s", user)
		if code != 200 || stale || b["version"] != n {
			t.Fatalf("%s %s: min_version %v, then GET as %s: %d stale=%v %v", method, p, n, user, code, stale, b)
		}
		return n
	}
	if n := step("POST", "/v1/shared-budgets", "A", `{"budget_id":"BDG-RYW","name":"Home","category":"groceries","limit_minor":1600000,"currency":"THB"}`); n != 1 {
		t.Fatalf("create: min_version %v, want 1", n)
	}
	v := step("PATCH", path, "A", `{"limit_minor":2000000}`)
	// An invitation does not change the budget's version (the budget
	// shows no pending invitations): its min_version is the one already
	// there.
	inv := f.want(t, "POST", path+"/members", "A", `{"user_id":"B","role":"contributor"}`, 202)
	if inv["min_version"] != v || inv["applies_to"] != path {
		t.Fatalf("invite: %v, want min_version %v", inv, v)
	}
	// Not a participant before accepting: 404 even when waiting.
	if code, _ := f.do(t, "GET", path+"?min_version=1", "B", ""); code != 404 {
		t.Fatalf("B before accepting: %d", code)
	}
	id, _ := inv["invitation_id"].(string)
	step("POST", "/v1/me/invitations/"+id+"/accept", "B", "")
}

// Goal and notification-settings commands say the version of the state
// they change: applied with the goals group's own logic, the goal state
// reaches it; the same goal again says the version already there.
func TestReadYourWritesGoals(t *testing.T) {
	f := startCopilot(t)
	put := func() map[string]any {
		code, acc := f.do(t, "PUT", "/v1/me/goals/G-CAR", "USR-1", `{"name":"Car","target_minor":30000000,"currency":"THB","target_date":"2027-06-30"}`)
		if code != 202 || acc["applies_to"] != "/v1/me/goals" {
			t.Fatalf("PUT goal: %d %v", code, acc)
		}
		return acc
	}
	if acc := put(); acc["min_version"] != 1.0 {
		t.Fatalf("PUT goal: %v, want min_version 1", acc)
	}
	code, body := f.do(t, "GET", "/v1/me/goals?min_version=1&wait=50ms", "USR-1", "")
	if code != 200 || body["version"] != 0.0 {
		t.Fatalf("before the command is applied: %d %v", code, body)
	}
	_, cmd := next[event.GoalCommand](t, f.goalQ)
	st := goal.State{UserID: "USR-1"}
	if _, err := st.Command(cmd, cdc.KnownCurrency); err != nil {
		t.Fatal(err)
	}
	f.tt.SetTableValue(goka.Table(goalsTable), "USR-1", st)
	code, body = f.do(t, "GET", "/v1/me/goals?min_version=1&wait=2s", "USR-1", "")
	if code != 200 || body["version"] != 1.0 || jget[string](t, body, "goals", 0, "goal_id") != "G-CAR" {
		t.Fatalf("after: %d %v", code, body)
	}
	if acc := put(); acc["min_version"] != 1.0 {
		t.Fatalf("the same goal again: %v, want min_version 1", acc)
	}

	code, acc := f.do(t, "PUT", "/v1/me/notification-settings", "USR-1", `{"kinds":{"insight":false}}`)
	if code != 202 || acc["min_version"] != 1.0 || acc["applies_to"] != "/v1/me/notification-settings" {
		t.Fatalf("PUT settings: %d %v", code, acc)
	}
}
