package api

import (
	"net/http"
	"strconv"
	"time"

	"finstream/processors/budget"
)

// Read-your-writes. A command's 202 says min_version, the version the state
// named by applies_to (a GET route) will have at least once the command is
// applied, and every GET that answers a version accepts
// ?min_version=N&wait=D: it waits up to D (at most MaxWait) until the
// version read is at least N. When the wait ends first it answers the
// current state, 200, with the header StaleHeader: true.
//
// min_version is computed by applying the command, with the processor's own
// logic, to the private copy of the state the API checked it against: a
// command that changes nothing there (the same budget again) says the
// version read, which is already there. It assumes that copy is current: a
// command of the same resource still in flight when the API read it can
// make the processor apply this one as a no-op, or reject it, and then the
// version never comes; the wait ends with the stale marking, never hangs.

// userStatePath is the applies_to of the user state's commands; GET
// /v1/me/spending, /v1/me/invitations and /v1/me/shared-budgets answer the
// same version.
const userStatePath = "/v1/me/budgets"

// MaxWait bounds ?wait=.
const MaxWait = 5 * time.Second

// StaleHeader is set to "true" on a GET answered before the version asked
// for by ?min_version= was reached.
const StaleHeader = "X-Finstream-Stale"

// pollFirst and pollMax bound the interval between two reads of a view
// while waiting for a version: goka views tell no one of changes.
const (
	pollFirst = 2 * time.Millisecond
	pollMax   = 25 * time.Millisecond
)

// minVersion is what a command's 202 adds to its body: nil when the API
// cannot say (the command applies to another resource's state).
type minVersion struct {
	Version   int64
	AppliesTo string
}

// add puts min_version and applies_to into a 202 body.
func (m *minVersion) add(body map[string]any) {
	if m != nil {
		body["min_version"], body["applies_to"] = m.Version, m.AppliesTo
	}
}

// versionAfter is the version a state read at version before will have at
// least once a command is applied, when applying it to a copy gave after:
// before+1 when it changed something, else before.
func versionAfter(appliesTo string, before, after int64) *minVersion {
	v := before
	if after > before {
		v = before + 1
	}
	return &minVersion{Version: v, AppliesTo: appliesTo}
}

// waitParams parses ?min_version=N&wait=D (Go durations such as 2s or
// 500ms; 0 to MaxWait). Without min_version nothing is waited for. An
// invalid value answers 400 bad_min_version or bad_wait.
func waitParams(w http.ResponseWriter, r *http.Request) (want int64, wait time.Duration, ok bool) {
	q := r.URL.Query()
	if s := q.Get("min_version"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 {
			writeError(w, http.StatusBadRequest, "bad_min_version", "min_version must be an integer >= 0")
			return 0, 0, false
		}
		want = n
	}
	if s := q.Get("wait"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d < 0 || d > MaxWait {
			writeError(w, http.StatusBadRequest, "bad_wait", "wait must be a duration from 0s to "+MaxWait.String()+", such as 2s or 500ms")
			return 0, 0, false
		}
		wait = d
	}
	return want, wait, true
}

// readAt reads with read until the version it returns reaches the
// request's ?min_version, or ?wait ends (then it sets StaleHeader), or the
// request ends. It answers 400 on invalid parameters and 503 through
// unavailable when read fails; ok reports whether the caller answers.
func readAt[T any](w http.ResponseWriter, r *http.Request, unavailable func(http.ResponseWriter, error), read func() (T, int64, error)) (v T, ok bool) {
	want, wait, ok := waitParams(w, r)
	if !ok {
		return v, false
	}
	// The wall clock, not Config.Now: the wait bounds how long this request
	// is held, and the domain clock runs faster under run --simulate.
	deadline := time.Now().Add(wait)
	for interval := pollFirst; ; interval = min(2*interval, pollMax) {
		v, version, err := read()
		if err != nil {
			unavailable(w, err)
			return v, false
		}
		if version >= want {
			return v, true
		}
		left := time.Until(deadline)
		if left <= 0 || r.Context().Err() != nil {
			w.Header().Set(StaleHeader, "true")
			return v, true
		}
		t := time.NewTimer(min(interval, left))
		select {
		case <-t.C:
		case <-r.Context().Done():
		}
		t.Stop()
	}
}

// userStateAt reads the user's state, waiting for ?min_version (readAt).
func (s *Server) userStateAt(w http.ResponseWriter, r *http.Request, user string) (*budget.State, bool) {
	return readAt(w, r, s.unavailable, func() (*budget.State, int64, error) {
		st, err := s.state(user)
		if err != nil {
			return nil, 0, err
		}
		return st, st.Version, nil
	})
}
