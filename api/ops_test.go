package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/lovoo/goka"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"

	"finstream/api"
	"finstream/api/browsertest"
	"finstream/processors/processorstest"
	"finstream/topics"
	"finstream/topics/lag"
)

// opsServer serves the ops routes of snapshot as the ops listener does.
func opsServer(t *testing.T, snapshot api.LagSnapshot) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	api.MountOps(mux.Handle, snapshot)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// The public API server answers 404 for the ops surfaces: they are served on
// the ops listener only.
func TestPublicServerHasNoOpsSurfaces(t *testing.T) {
	h := processorstest.Start(t)
	view, err := goka.NewView(nil, goka.Table(topics.TableUsers), h.Codecs.UsersTable, goka.WithViewTester(h.Tester))
	if err != nil {
		t.Fatal(err)
	}
	em, err := goka.NewEmitter(nil, goka.Stream(topics.CommandsUser), h.Codecs.CommandsUser, goka.WithEmitterTester(h.Tester))
	if err != nil {
		t.Fatal(err)
	}
	s, err := api.New(api.Config{Users: view, Commands: em, Secret: []byte(secret), Ready: func() bool { return true }})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	for _, path := range []string{"/metrics", "/v1/ops/lag", "/ops", "/ops/ops.js"} {
		if resp, body := get(t, srv.URL+path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("public GET %s: %s %s, want 404", path, resp.Status, body)
		}
	}
	for _, path := range []string{"/healthz", "/readyz"} {
		if resp, body := get(t, srv.URL+path); resp.StatusCode != http.StatusOK {
			t.Errorf("public GET %s: %s %s, want 200", path, resp.Status, body)
		}
	}
}

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestOpsLag(t *testing.T) {
	sampled := time.Date(2026, 11, 19, 5, 0, 0, 0, time.UTC)
	fixed := func(withHistory bool) lag.Snapshot {
		g := lag.GroupLag{Group: "finstream-users", Kind: lag.KindGroup, State: "Stable", Members: 1, Status: lag.Err, Reason: lag.Stall,
			LagMessages: 42, LagSeconds: 3.5, Topics: []string{topics.TxnByUser},
			Partitions: []lag.PartitionLag{{Topic: topics.TxnByUser, Partition: 3, CurrentOffset: 10, LogEndOffset: 52, LagMessages: 42,
				LagSeconds: 3.5, Estimate: lag.Interpolated, Status: lag.Stall, ConsumerID: "m-1", Host: "10.0.0.1"}}}
		if withHistory {
			g.History = []lag.GroupPoint{{Time: sampled, LagMessages: 42, LagSeconds: 3.5, Status: lag.Err}}
		}
		return lag.Snapshot{SampledAt: sampled, IntervalSeconds: 1, Window: 10, Groups: []lag.GroupLag{g}}
	}
	srv := opsServer(t, fixed)

	resp, body := get(t, srv.URL+"/v1/ops/lag")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("GET /v1/ops/lag: %s %s", resp.Status, body)
	}
	var out struct {
		SampledAt time.Time `json:"sampled_at"`
		Window    int       `json:"window"`
		Groups    []map[string]any
	}
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatal(err)
	}
	if !out.SampledAt.Equal(sampled) || out.Window != 10 || len(out.Groups) != 1 {
		t.Fatalf("body %s", body)
	}
	g := out.Groups[0]
	for k, want := range map[string]any{"group": "finstream-users", "status": "ERR", "reason": "STALL", "lag_messages": 42.0, "lag_seconds": 3.5, "kind": "group"} {
		if g[k] != want {
			t.Errorf("%s = %v, want %v", k, g[k], want)
		}
	}
	if _, ok := g["history"]; ok {
		t.Error("history without ?history=1")
	}
	p := jget[map[string]any](t, g, "partitions", 0)
	for k, want := range map[string]any{"topic": topics.TxnByUser, "partition": 3.0, "current_offset": 10.0, "log_end_offset": 52.0,
		"lag_messages": 42.0, "status": "STALL", "estimate": "interpolated"} {
		if p[k] != want {
			t.Errorf("partition %s = %v, want %v", k, p[k], want)
		}
	}

	if _, body := get(t, srv.URL+"/v1/ops/lag?history=1"); !strings.Contains(body, `"history":[{"t":"2026-11-19T05:00:00Z"`) {
		t.Errorf("?history=1: %s", body)
	}
	if resp, body := get(t, srv.URL+"/v1/ops/lag?history=maybe"); resp.StatusCode != 400 || !strings.Contains(body, `"code":"invalid"`) {
		t.Errorf("?history=maybe: %s %s", resp.Status, body)
	}
}

func TestOpsPageAssets(t *testing.T) {
	srv := opsServer(t, func(bool) lag.Snapshot { return lag.Snapshot{} })
	for _, tt := range []struct{ path, ctype, contains string }{
		{"/ops", "text/html; charset=utf-8", `<script src="/ops/ops.js">`},
		{"/ops/ops.js", "text/javascript; charset=utf-8", "/v1/ops/lag"},
		{"/ops/ops.css", "text/css; charset=utf-8", ".group"},
	} {
		resp, body := get(t, srv.URL+tt.path)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != tt.ctype || !strings.Contains(body, tt.contains) {
			t.Errorf("GET %s: %s %q, %d bytes", tt.path, resp.Status, resp.Header.Get("Content-Type"), len(body))
		}
		if strings.Contains(body, "http://") || strings.Contains(body, "https://") {
			t.Errorf("%s refers to an outside URL: no CDN", tt.path)
		}
	}
	if resp, _ := get(t, srv.URL+"/ops/nope.js"); resp.StatusCode != 404 {
		t.Errorf("/ops/nope.js: %s", resp.Status)
	}
}

// TestOpsPageInChromium loads /ops in headless Chromium against a live
// embedded broker and Monitor: one group keeps up with steady traffic, one
// consumed and left. It waits for both rows and their charts, checks the
// statuses the page shows, and saves a screenshot (.artifacts/ops.png).
func TestOpsPageInChromium(t *testing.T) {
	bctx := browsertest.New(t)
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(4, topics.CDCTransactions, topics.TxnByUser))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	brokers := c.ListenAddrs()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	prod, err := kgo.NewClient(kgo.SeedBrokers(brokers...))
	if err != nil {
		t.Fatal(err)
	}
	defer prod.Close()
	// finstream-users reads 300 records, commits, and leaves.
	for i := range 300 {
		prod.Produce(ctx, &kgo.Record{Topic: topics.TxnByUser, Key: []byte(fmt.Sprint(i)), Value: []byte("v")}, nil)
	}
	if err := prod.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	gone, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.ConsumerGroup(topics.GroupUsers), kgo.ConsumeTopics(topics.TxnByUser),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.DisableAutoCommit())
	if err != nil {
		t.Fatal(err)
	}
	for n := 0; n < 300; {
		n += gone.PollFetches(ctx).NumRecords()
	}
	if err := gone.CommitUncommittedOffsets(ctx); err != nil {
		t.Fatal(err)
	}
	gone.Close()
	// finstream-rekey-transactions keeps up with ~400 records/s on both topics.
	live, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.ConsumerGroup("finstream-rekey-transactions"),
		kgo.ConsumeTopics(topics.CDCTransactions), kgo.AutoCommitInterval(100*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	go func() {
		for ctx.Err() == nil {
			live.PollFetches(ctx)
		}
	}()
	go func() {
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for i := 0; ctx.Err() == nil; i++ {
			for _, topic := range []string{topics.CDCTransactions, topics.TxnByUser} {
				prod.Produce(ctx, &kgo.Record{Topic: topic, Key: []byte(fmt.Sprint(i)), Value: []byte("v")}, nil)
			}
			select {
			case <-ctx.Done():
			case <-tick.C:
			}
		}
	}()

	m, err := lag.NewMonitor(lag.Config{Brokers: brokers, Interval: 250 * time.Millisecond, Window: 5})
	if err != nil {
		t.Fatal(err)
	}
	monDone := make(chan error, 1)
	go func() { monDone <- m.Run(ctx) }()
	defer func() { cancel(); <-monDone }()
	srv := opsServer(t, m.Snapshot)

	// The page: both rows, charts drawn with a few points, statuses shown.
	wctx, wcancel := context.WithTimeout(bctx, 60*time.Second)
	defer wcancel()
	if err := chromedp.Do(wctx, chromedp.Navigate(srv.URL+"/ops")); err != nil {
		t.Fatal(err)
	}
	const ready = `(() => {
		const row = (g) => document.querySelector('section.group[data-group="' + g + '"]');
		const live = row("finstream-rekey-transactions"), gone = row("finstream-users");
		if (!live || !gone) return false;
		const pts = (r) => Math.min(...[...r.querySelectorAll("canvas")].map((c) => +(c.dataset.points || 0)));
		return pts(live) >= 3 && pts(gone) >= 3 && live.dataset.status === "OK" && gone.dataset.status === "ERR";
	})()`
	if _, err := chromedp.Run(wctx, chromedp.Poll[bool](ready, chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(45*time.Second))); err != nil {
		s := m.Snapshot(false)
		browsertest.Screenshot(t, bctx, "ops-failed")
		t.Fatalf("the /ops page did not show both groups: %v; snapshot %+v", err, s.Groups)
	}
	badge, err := chromedp.Run(wctx, chromedp.Text(`section.group[data-group="finstream-users"] .badge`))
	if err != nil || badge != "ERR · STOP" {
		t.Errorf("finstream-users badge %q (%v), want ERR · STOP", badge, err)
	}
	// Open the partition tables for the artifact.
	if _, err := chromedp.Run(wctx, chromedp.Evaluate[any](`document.querySelectorAll("details").forEach((d) => d.open = true)`)); err != nil {
		t.Fatal(err)
	}
	path := browsertest.Screenshot(t, bctx, "ops")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() < 1000 || b.Dy() < 400 {
		t.Errorf("screenshot is %v", b)
	}
}
