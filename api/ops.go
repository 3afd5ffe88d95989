package api

import (
	"embed"
	"io/fs"
	"net/http"
	"strconv"

	"finstream/topics/lag"
)

// web holds the /ops page: plain HTML, CSS and JS, no CDN.
//
//go:embed web
var web embed.FS

// LagSnapshot returns the latest consumer-lag snapshot, with each group's
// recent history when withHistory; (*lag.Monitor).Snapshot is one.
type LagSnapshot func(withHistory bool) lag.Snapshot

// MountOps mounts the ops routes with handle (a ServeMux's Handle): GET
// /v1/ops/lag (OpsLag) and the /ops page (OpsPage). They need no token, like
// /metrics, so cmd/ mounts them on the ops listener (--ops-listen), never on
// the Server of the public listener.
func MountOps(handle func(pattern string, h http.Handler), snapshot LagSnapshot) {
	handle("GET /v1/ops/lag", OpsLag(snapshot))
	page := OpsPage()
	handle("GET /ops", page)
	handle("GET /ops/", page)
}

// OpsLag serves GET /v1/ops/lag: the snapshot as JSON (see lag.Snapshot).
// With ?history=1 (or true) each group carries its recent samples, which the
// /ops page asks for once to fill its charts.
func OpsLag(snapshot LagSnapshot) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		withHistory := false
		if v := r.URL.Query().Get("history"); v != "" {
			b, err := strconv.ParseBool(v)
			if err != nil {
				writeError(w, http.StatusBadRequest, "invalid", "history: want true or false")
				return
			}
			withHistory = b
		}
		w.Header().Set("Cache-Control", "no-store")
		writeJSON(w, http.StatusOK, snapshot(withHistory))
	})
}

// opsFiles maps the page's paths to its embedded files.
var opsFiles = map[string]string{
	"/ops":         "ops.html",
	"/ops/":        "ops.html",
	"/ops/ops.js":  "ops.js",
	"/ops/ops.css": "ops.css",
}

// OpsPage serves the /ops page (live lag and throughput charts per group,
// polling /v1/ops/lag every second) and its assets under /ops/.
func OpsPage() http.Handler {
	sub, err := fs.Sub(web, "web")
	if err != nil {
		panic(err) // the embedded directory is there at compile time
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name, ok := opsFiles[r.URL.Path]
		if !ok {
			writeError(w, http.StatusNotFound, "not_found", "no such page: "+r.URL.Path)
			return
		}
		w.Header().Set("Cache-Control", "no-cache")
		http.ServeFileFS(w, r, sub, name)
	})
}
