package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"finstream/api"
	"finstream/processors"
	"finstream/topics"
	"finstream/wsfanout"
)

// noBudgets is the hub's BudgetSource in the benchmark: the latency phase
// measures personal budgets on user channels only.
type noBudgets struct{}

func (noBudgets) Budget(context.Context, string) (wsfanout.Snapshot, error) {
	return wsfanout.Snapshot{}, nil
}

// wsProbe runs a WebSocket hub tailing finstream.budget.updates, as
// `finstream run` does, with one connected device for each of users, and
// records CDC source time → message received for every budget_update.
type wsProbe struct {
	mu   sync.Mutex
	lat  []time.Duration
	stop func()
}

func startWSProbe(ctx context.Context, brokers []string, codecs *processors.Codecs, users []string) (*wsProbe, error) {
	secret := []byte("bench")
	hub, err := wsfanout.New(wsfanout.Config{Secret: secret, Budgets: noBudgets{}, QueueSize: 4096})
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	p := &wsProbe{stop: cancel}
	go func() { _ = hub.Run(ctx) }()
	go func() {
		_ = wsfanout.Tail(ctx, brokers, topics.BudgetUpdates, wsfanout.CodecDecoder(codecs.BudgetUpdates), hub)
	}()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		cancel()
		return nil, err
	}
	srv := &http.Server{Handler: hub}
	go func() { _ = srv.Serve(ln) }()
	go func() { <-ctx.Done(); _ = srv.Close() }()
	for _, u := range users {
		tok, _ := api.Token(secret, u, time.Now(), time.Hour)
		c, _, err := websocket.DefaultDialer.DialContext(ctx, "ws://"+ln.Addr().String()+"/v1/ws?access_token="+tok, nil)
		if err != nil {
			cancel()
			return nil, fmt.Errorf("dial as %s: %w", u, err)
		}
		go func() {
			defer c.Close()
			go func() { <-ctx.Done(); c.Close() }()
			for {
				_, b, err := c.ReadMessage()
				if err != nil {
					return
				}
				now := time.Now()
				var m struct {
					Type       string    `json:"type"`
					SourceTime time.Time `json:"source_time"`
					TxnID      string    `json:"txn_id"`
				}
				if json.Unmarshal(b, &m) != nil || m.Type != "budget_update" || m.SourceTime.IsZero() || m.TxnID == "" {
					continue
				}
				p.mu.Lock()
				p.lat = append(p.lat, now.Sub(m.SourceTime))
				p.mu.Unlock()
			}
		}()
	}
	return p, nil
}

func (p *wsProbe) result() percentiles {
	p.stop()
	p.mu.Lock()
	defer p.mu.Unlock()
	return summarize(p.lat)
}
