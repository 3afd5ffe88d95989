package wsfanout

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/prometheus/client_golang/prometheus"

	"finstream/api"
)

// FuzzClientMessage sends arbitrary client messages over a real WebSocket
// to a running hub. Whatever a message holds, the connection stays open and
// in order: a ping sent after it is answered with a pong, and every frame
// the server sends before is a JSON object with a type. Only a message over
// maxMessageSize ends it, with close code 1009.
func FuzzClientMessage(f *testing.F) {
	b := &budgets{}
	b.set("BDG-1", 3, map[string]string{"USR-1": "owner"})
	hub, err := New(Config{Secret: secret, Budgets: b, Metrics: prometheus.NewRegistry(),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		f.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /v1/ws", hub)
	srv := httptest.NewServer(mux)
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan error, 1)
	go func() { ran <- hub.Run(ctx) }()
	f.Cleanup(func() {
		cancel()
		<-ran
		srv.Close()
	})
	tok, err := api.Token(secret, "USR-1", time.Now(), time.Hour)
	if err != nil {
		f.Fatal(err)
	}
	url := "ws" + strings.TrimPrefix(srv.URL, "http") + "/v1/ws"
	var ws *websocket.Conn
	f.Cleanup(func() {
		if ws != nil {
			_ = ws.Close()
		}
	})

	for _, s := range []string{
		`{"type":"ping"}`,
		`{"type":"subscribe","channel":"budget:BDG-1","since_version":0}`,
		`{"type":"subscribe","channel":"budget:BDG-1","since_version":-9223372036854775808}`,
		`{"type":"subscribe","channel":"user:USR-2"}`,
		`{"type":"unsubscribe","channel":"budget:BDG-1"}`,
		`{"type":"unsubscribe","channel":"user:USR-1"}`,
		`{"type":"subscribe","channel":"budget:"}`,
		`{"type":"dance"}`,
		`{"type":"subscribe","since_version":1e400}`,
		`[1,2]`, `null`, ``, `{"type":`,
	} {
		f.Add([]byte(s))
	}
	f.Add([]byte(`{"type":"ping","channel":"` + strings.Repeat("x", maxMessageSize) + `"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if ws == nil {
			var err error
			if ws, _, err = websocket.DefaultDialer.Dial(url, http.Header{"Authorization": {"Bearer " + tok}}); err != nil {
				t.Fatalf("dial: %v", err)
			}
		}
		deadline := time.Now().Add(10 * time.Second)
		_ = ws.SetWriteDeadline(deadline)
		_ = ws.SetReadDeadline(deadline)
		if err := ws.WriteMessage(websocket.TextMessage, data); err != nil {
			t.Fatalf("write %q: %v", data, err)
		}
		if len(data) > maxMessageSize {
			// The one input that ends the connection, by design: frames
			// queued before it may still arrive, then the close.
			defer func() { _ = ws.Close(); ws = nil }()
			for {
				if _, _, err := ws.ReadMessage(); err != nil {
					if !websocket.IsCloseError(err, websocket.CloseMessageTooBig) {
						t.Fatalf("a message of %d bytes: %v, want close 1009", len(data), err)
					}
					return
				}
			}
		}
		if err := ws.WriteMessage(websocket.TextMessage, []byte(`{"type":"ping"}`)); err != nil {
			t.Fatalf("write ping after %q: %v", data, err)
		}
		for {
			_, frame, err := ws.ReadMessage()
			if err != nil {
				ws = nil
				t.Fatalf("after %q the connection ended: %v", data, err)
			}
			var m struct {
				Type string `json:"type"`
			}
			if err := json.Unmarshal(frame, &m); err != nil || m.Type == "" {
				t.Fatalf("after %q the server sent %q", data, frame)
			}
			if m.Type == TypePong {
				return
			}
		}
	})
}
