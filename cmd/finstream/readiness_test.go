package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestReadyzReportsEveryGroup(t *testing.T) {
	state := []groupState{
		{Group: "finstream-users", Ready: false, Partitions: 4, Recovering: 1, OffsetsBehind: 1200},
		{Group: "view:finstream-users-table", Ready: true, Partitions: 8},
	}
	report := groupsReport(func(context.Context) []groupState { return append([]groupState(nil), state...) })
	get := func() (int, readyzBody) {
		rec := httptest.NewRecorder()
		readyzHandler(report)(rec, httptest.NewRequest("GET", "/readyz", nil))
		var b readyzBody
		if err := json.Unmarshal(rec.Body.Bytes(), &b); err != nil {
			t.Fatalf("readyz body %q: %v", rec.Body, err)
		}
		return rec.Code, b
	}
	code, b := get()
	if code != http.StatusServiceUnavailable || b.Status != "recovering" || b.Error == nil || len(b.Groups) != 2 ||
		b.Groups[0].Group != "finstream-users" || b.Groups[0].Recovering != 1 || b.Groups[0].OffsetsBehind != 1200 {
		t.Fatalf("recovering: %d %+v", code, b)
	}
	if report.allReady() {
		t.Fatal("allReady with a recovering group")
	}
	state[0] = groupState{Group: "finstream-users", Ready: true, Partitions: 4}
	if code, b = get(); code != http.StatusOK || b.Status != "ready" || b.Error != nil {
		t.Fatalf("ready: %d %+v", code, b)
	}
}

// While the API's views restore, its /v1/ routes answer 503 rather than
// partial data; the probes and the dev token do not wait.
func TestAPIAnswers503WhileNotReady(t *testing.T) {
	ready := false
	h := readyGuard(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) }),
		func() bool { return ready })
	cases := []struct {
		method, path string
		notReady     int
	}{
		{"GET", "/v1/me/spending", http.StatusServiceUnavailable},
		{"GET", "/v1/me/budgets", http.StatusServiceUnavailable},
		{"PUT", "/v1/me/budgets/groceries", http.StatusServiceUnavailable},
		{"GET", "/v1/shared-budgets/B1", http.StatusServiceUnavailable},
		{"GET", "/v1/ws", http.StatusServiceUnavailable},
		{"POST", "/v1/dev/token", http.StatusOK},
		{"GET", "/healthz", http.StatusOK},
		{"GET", "/readyz", http.StatusOK}, // the server's own /readyz says 503 itself
		{"GET", "/", http.StatusOK},
	}
	for _, c := range cases {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(c.method, c.path, nil))
		if rec.Code != c.notReady {
			t.Errorf("not ready: %s %s: %d, want %d", c.method, c.path, rec.Code, c.notReady)
		}
		if c.notReady == http.StatusServiceUnavailable && (rec.Header().Get("Retry-After") == "" || !json.Valid(rec.Body.Bytes())) {
			t.Errorf("not ready: %s %s: no Retry-After or no JSON: %q", c.method, c.path, rec.Body)
		}
	}
	ready = true
	for _, c := range cases {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(c.method, c.path, nil))
		if rec.Code != http.StatusOK {
			t.Errorf("ready: %s %s: %d", c.method, c.path, rec.Code)
		}
	}
}

func TestRecoveryETA(t *testing.T) {
	if eta, ok := recoveryETA(3000, 1000, 2*time.Second); !ok || eta != time.Second {
		t.Errorf("2000 offsets in 2s, 1000 left: %v %v, want 1s", eta, ok)
	}
	if _, ok := recoveryETA(1000, 1000, 2*time.Second); ok {
		t.Error("an ETA while nothing was restored")
	}
}
