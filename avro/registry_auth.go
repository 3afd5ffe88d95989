package avro

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
)

// codeUnauthorized is Confluent's error code of a request without valid
// credentials.
const codeUnauthorized = 40101

// RequireBasicAuth serves h only to requests with HTTP basic auth user and
// password (as Confluent's registry with basic authentication), answering
// 401 with a Confluent error otherwise. The comparison takes constant time.
func RequireBasicAuth(h http.Handler, user, password string) http.Handler {
	want := sha256.Sum256([]byte(user + "\x00" + password))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, p, ok := r.BasicAuth()
		got := sha256.Sum256([]byte(u + "\x00" + p))
		if !ok || subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
			w.Header().Set("WWW-Authenticate", `Basic realm="schema registry"`)
			writeError(w, http.StatusUnauthorized, codeUnauthorized, "Unauthorized")
			return
		}
		h.ServeHTTP(w, r)
	})
}
