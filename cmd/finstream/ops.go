package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/pprof"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"golang.org/x/sync/errgroup"

	"finstream/api"
	"finstream/kafkasec"
	"finstream/topics"
	"finstream/topics/lag"
)

// defaultOpsListen is where every role serves its ops surfaces.
const defaultOpsListen = "127.0.0.1:8079"

// opsFlags registers --ops-listen. The ops surfaces (/metrics, /v1/ops/lag,
// /ops) are served there and never on the public --listen.
func (o *options) opsFlags(fs *flag.FlagSet) {
	fs.StringVar(&o.opsListen, "ops-listen", defaultOpsListen,
		"address of the ops surfaces: /metrics, /v1/ops/lag and /ops (the lag page) where the role has them, /healthz and /readyz; never on --listen")
	fs.BoolVar(&o.opsPprof, "ops-pprof", false, "also serve Go's runtime profiles (heap, CPU, goroutines) under /debug/pprof/ on --ops-listen")
}

// opsListenCheck is a setupRole check of --ops-listen.
func (o *options) opsListenCheck() error { return checkAddr("ops-listen", o.opsListen) }

// readiness reports whether a role is ready to serve (its tables restored,
// its groups running). Nil means always ready.
type readiness func() bool

// opsMux is the mux of --ops-listen: /metrics of reg, /healthz and /readyz
// (200 once every group and view of report is ready, with the state of
// each; nil report: always ready). It registers finstream_ready (1 while
// /readyz answers 200) and, with a report, the finstream_group_* gauges of
// each group and view with reg. Roles with a lag monitor add /v1/ops/lag
// and /ops (startLag).
func opsMux(reg *prometheus.Registry, report groupsReport) *http.ServeMux {
	var ready readiness
	if report != nil {
		ready = report.allReady
	}
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "finstream_ready",
		Help: "1 when the role is ready (its tables restored, its groups running: /readyz answers 200), 0 while it recovers.",
	}, func() float64 {
		if ready != nil && !ready() {
			return 0
		}
		return 1
	}))
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	if report == nil {
		probes(mux, nil)
		return mux
	}
	reg.MustRegister(newGroupsCollector(report))
	healthz(mux)
	mux.HandleFunc("GET /readyz", readyzHandler(report))
	return mux
}

// healthz adds GET /healthz (the process is up) to mux.
func healthz(mux *http.ServeMux) {
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeProbe(w, http.StatusOK, map[string]string{"status": "ok"})
	})
}

// probes adds GET /healthz and GET /readyz (200 when ready, else 503) to
// mux, in the API's JSON shapes.
func probes(mux *http.ServeMux, ready readiness) {
	healthz(mux)
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		if ready != nil && !ready() {
			writeProbe(w, http.StatusServiceUnavailable, map[string]any{"error": probeError{
				"not_ready", "tables are still being restored or groups are not running yet"}})
			return
		}
		writeProbe(w, http.StatusOK, map[string]string{"status": "ready"})
	})
}

func writeProbe(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// serveOps binds --ops-listen to mux and runs it in g until ctx ends.
// With --ops-pprof it also serves net/http/pprof under /debug/pprof/.
func (o *options) serveOps(ctx context.Context, g *errgroup.Group, mux http.Handler, log *slog.Logger) error {
	if o.opsPprof {
		pm := http.NewServeMux()
		pm.Handle("/", mux)
		pm.HandleFunc("/debug/pprof/", pprof.Index)
		pm.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
		pm.HandleFunc("/debug/pprof/profile", pprof.Profile)
		pm.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
		pm.HandleFunc("/debug/pprof/trace", pprof.Trace)
		mux = pm
	}
	serve, err := serveHTTP(ctx, "ops", o.opsListen, mux, log)
	if err != nil {
		return err
	}
	g.Go(serve)
	return nil
}

// startLag starts a lag monitor of every finstream consumer group of the
// generation n in g and serves it on the ops mux (GET /v1/ops/lag and the
// /ops page).
func startLag(ctx context.Context, g *errgroup.Group, brokers []string, sec *kafkasec.Config, n topics.Names, ops *http.ServeMux, reg prometheus.Registerer, log *slog.Logger) (*lag.Monitor, error) {
	mon, err := lag.NewMonitor(lag.Config{Brokers: brokers, KafkaOptions: sec.Opts(), GroupPrefix: n.Prefix + "finstream-", Registerer: reg, Logger: log})
	if err != nil {
		return nil, fmt.Errorf("lag monitor: %w", err)
	}
	g.Go(func() error { return mon.Run(ctx) })
	api.MountOps(ops.Handle, mon.Snapshot)
	return mon, nil
}
