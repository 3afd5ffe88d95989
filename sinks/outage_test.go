package sinks_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"finstream/api"
	"finstream/sinks"
	"finstream/sinks/pgtest"
	"finstream/topics"
)

// Acceptance 2: Postgres stopped in the middle of a stream and started
// again. While it is away the sink retries, its lag grows and the history
// API answers 503; after it returns the sink catches up, the tables equal
// the source and the API answers 200.
func TestSinkOutage(t *testing.T) {
	ctx := context.Background()
	srv := pgtest.NewServer(t)
	pool := sinks.OpenTestPool(t, srv.URL("postgres"))
	h := sinks.NewHarness(t)
	m := sinks.NewMetrics(prometheus.NewRegistry())
	stop := h.StartSink(pool, sinks.Config{RetryMin: 20 * time.Millisecond, RetryMax: 200 * time.Millisecond,
		LagInterval: 20 * time.Millisecond, Metrics: m, Logger: slog.New(slog.DiscardHandler)})
	const secret = "outage-secret"
	hist, err := api.NewHistory(api.HistoryConfig{Pool: pool, Secret: []byte(secret), Timeout: time.Second,
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	status := func() int {
		r := httptest.NewRequest(http.MethodGet, "/v1/me/transactions?limit=5", nil)
		tok, _ := api.Token([]byte(secret), sinks.SharedMembers[0], time.Now(), time.Hour)
		r.Header.Set("Authorization", "Bearer "+tok)
		w := httptest.NewRecorder()
		hist.ServeHTTP(w, r)
		return w.Code
	}

	src := sinks.GenSource(2, 30, 2000)
	first, second := split(src)
	h.Produce(first)
	h.WaitCaughtUp(sinks.DefaultGroup, 30*time.Second)
	if code := status(); code != http.StatusOK {
		t.Fatalf("history before the outage: %d", code)
	}

	if err := srv.Stop(); err != nil {
		t.Fatal(err)
	}
	h.Produce(second)
	if code := status(); code != http.StatusServiceUnavailable {
		t.Errorf("history while Postgres is away: %d, want 503", code)
	}
	sinks.WaitFor(t, 30*time.Second, "the sink to retry with lag growing", func() bool {
		return value(m.Retries.WithLabelValues("write")) >= 6 && value(m.DBUp) == 0 &&
			value(m.Lag.WithLabelValues(topics.TxnCategorized)) > 0
	})
	t.Logf("while away: lag %v records on %s, %v write retries",
		value(m.Lag.WithLabelValues(topics.TxnCategorized)), topics.TxnCategorized, value(m.Retries.WithLabelValues("write")))

	if err := srv.Start(ctx); err != nil {
		t.Fatal(err)
	}
	h.WaitCaughtUp(sinks.DefaultGroup, 60*time.Second)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	sinks.CheckTables(t, pool, src)
	if code := status(); code != http.StatusOK {
		t.Errorf("history after the outage: %d, want 200", code)
	}
	if value(m.DBUp) != 1 {
		t.Errorf("database_up = %v after catch-up", value(m.DBUp))
	}
}

// split cuts src in two halves, each topic's records in order.
func split(src sinks.Source) (a, b sinks.Source) {
	a = sinks.Source{Txns: src.Txns[:len(src.Txns)/2], Updates: src.Updates[:len(src.Updates)/2], Alerts: src.Alerts[:len(src.Alerts)/2]}
	b = sinks.Source{Txns: src.Txns[len(src.Txns)/2:], Updates: src.Updates[len(src.Updates)/2:], Alerts: src.Alerts[len(src.Alerts)/2:]}
	return a, b
}

func value(c prometheus.Metric) float64 {
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		return -1
	}
	switch {
	case m.Gauge != nil:
		return m.Gauge.GetValue()
	case m.Counter != nil:
		return m.Counter.GetValue()
	}
	return -1
}
