package main

import (
	"net/http"
	"strings"
)

// notReadyRetryAfter is the Retry-After of a 503 while the views restore.
const notReadyRetryAfter = "5"

// handler is the API's public handler: the server, except that every /v1/
// route but POST /v1/dev/token answers 503 (code not_ready, with
// Retry-After) while a view is still restoring, rather than partial or empty
// data, or a command authorized against a state not restored yet.
func (p *apiPart) handler() http.Handler {
	return readyGuard(p.server, p.ready)
}

func readyGuard(h http.Handler, ready readiness) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		guarded := strings.HasPrefix(r.URL.Path, "/v1/") && !(r.Method == http.MethodPost && r.URL.Path == "/v1/dev/token")
		if guarded && !ready() {
			w.Header().Set("Retry-After", notReadyRetryAfter)
			writeProbe(w, http.StatusServiceUnavailable, map[string]any{"error": probeError{
				"not_ready", "the API is restoring its tables; retry shortly"}})
			return
		}
		h.ServeHTTP(w, r)
	})
}
