// Package dashboard serves finstream's live web dashboard at "/": personal
// and shared budgets as progress bars, participants with their
// contributions, and a feed of live updates, all kept current over the
// WebSocket without reload. Assets are embedded; nothing loads from a CDN.
package dashboard

import (
	"embed"
	"io/fs"
	"net/http"
)

//go:embed assets
var assets embed.FS

// Handler serves the dashboard: index.html at "/" and its assets under
// "/assets/". dev tells the page to show the demo-user picker (which uses
// POST /v1/dev/token).
func Handler(dev bool) http.Handler {
	sub, _ := fs.Sub(assets, "assets")
	files := http.FileServerFS(sub)
	mux := http.NewServeMux()
	mux.Handle("GET /assets/", http.StripPrefix("/assets/", files))
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		page, err := fs.ReadFile(sub, "index.html")
		if err != nil {
			http.Error(w, "dashboard missing", http.StatusInternalServerError)
			return
		}
		mode := "prod"
		if dev {
			mode = "dev"
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		_, _ = w.Write([]byte(replaceMode(string(page), mode)))
	})
	return mux
}

func replaceMode(page, mode string) string {
	const marker = `data-mode="prod"`
	for i := 0; i+len(marker) <= len(page); i++ {
		if page[i:i+len(marker)] == marker {
			return page[:i] + `data-mode="` + mode + `"` + page[i+len(marker):]
		}
	}
	return page
}
