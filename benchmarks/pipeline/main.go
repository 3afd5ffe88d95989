// Command pipeline measures finstream's processors on the embedded broker:
// end-to-end throughput on a preloaded CDC backlog, the ceiling of a bare
// consumer on the same topic, and the time to restore the users table from
// its changelog. It writes the figures as JSON (-json) and prints a
// Markdown section for benchmarks/RESULTS.md.
//
//	go run ./benchmarks/pipeline -users 100000 -events 1000000
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
	"time"

	"github.com/lovoo/goka"

	"finstream/avro"
	"finstream/benchmarks/loadgen"
	"finstream/processors"
	"finstream/topics"
)

type config struct {
	users, partitions int
	events            int64
	jsonOut, cpuProf  string
	latencyTrace      string
	latencyHeap       string
	latencyCPU        string
	latencySamples    string
	flush             time.Duration
	flushMessages     int
	fetchMin          int
	fetchWait         time.Duration
	compression       string
	storageMemory     int
	keep, memory      bool
	brokerProcess     bool
	latencyFor        time.Duration
	latencyRate       float64
	baselineEvents    int64
	groups            []goka.Group
	inputs            map[string][]string // every running group's input topics (see groupInputs)
	wsClients         int
	wsShare           float64
}

// results are every figure of a run.
type results struct {
	Machine         string      `json:"machine"`
	Date            string      `json:"date"`
	Users           int         `json:"users"`
	Events          int64       `json:"events"`
	Partitions      int         `json:"partitions"`
	PreloadSec      float64     `json:"preload_seconds"`
	PipelineSec     float64     `json:"pipeline_seconds"`
	PipelineEPS     float64     `json:"pipeline_events_per_second"`
	CeilingEPS      float64     `json:"ceiling_events_per_second"`
	CeilingRatio    float64     `json:"pipeline_to_ceiling_ratio"`
	Budgets         int         `json:"budgets"`
	BaselineEPS     float64     `json:"baseline_events_per_second"`
	BaselineEvents  int64       `json:"baseline_events_measured"`
	BaselineRatio   float64     `json:"pipeline_to_baseline_ratio"`
	LatencyRate     float64     `json:"latency_rate_events_per_second"`
	LatencyEmitted  percentiles `json:"latency_cdc_to_budget_update_emitted"`
	LatencyConsumed percentiles `json:"latency_cdc_to_budget_update_consumed"`
	LatencyWS       percentiles `json:"latency_cdc_to_websocket_delivered"`
	WSClients       int         `json:"websocket_clients"`
	RecoverySec     float64     `json:"recovery_seconds"`
	RecoveredKey    int         `json:"recovered_users"`
	Verified        int         `json:"users_verified_against_truth"`
	Mismatches      int         `json:"mismatches"`
	HotPath         bool        `json:"hot_path"`
	stateCost
}

func main() {
	var c config
	flag.IntVar(&c.users, "users", 100_000, "simulated users")
	flag.Int64Var(&c.events, "events", 1_000_000, "CDC events to preload")
	flag.IntVar(&c.partitions, "partitions", 8, "partitions per topic")
	flag.DurationVar(&c.flush, "flush-interval", 5*time.Millisecond, "producer flush interval of the processors")
	flag.IntVar(&c.storageMemory, "leveldb-memory", 0, "bytes of each table partition's leveldb write buffer and block cache (0: goleveldb's defaults)")
	flag.StringVar(&c.compression, "compression", "", "producer batch codec of the processors: none, gzip, snappy, lz4 or zstd (default: processors.DefaultCompression)")
	flag.IntVar(&c.fetchMin, "fetch-min", 0, "bytes the broker gathers before it answers a processor's fetch (0: sarama's 1)")
	flag.DurationVar(&c.fetchWait, "fetch-wait", 0, "longest the broker holds a processor's fetch for -fetch-min (0: sarama's 500ms)")
	flag.IntVar(&c.flushMessages, "flush-messages", 0, "records that make the processors' producer send before the flush interval (0: none)")
	flag.StringVar(&c.jsonOut, "json", "benchmarks/pipeline/results.json", "write the figures here")
	flag.StringVar(&c.cpuProf, "cpuprofile", "", "write a CPU profile of the pipeline phase here")
	flag.StringVar(&c.latencySamples, "latency-samples", "", "write every budget update's times of the latency phase here (CSV)")
	flag.StringVar(&c.latencyHeap, "latency-heap", "", "write a heap profile at the end of the latency phase here")
	flag.StringVar(&c.latencyCPU, "latency-cpuprofile", "", "write a CPU profile of the latency phase here (the processors in real time, the load generator and the devices)")
	flag.StringVar(&c.latencyTrace, "latency-trace", "", "write an execution trace of the latency phase here (go tool trace)")
	flag.BoolVar(&c.keep, "keep", false, "keep the temporary data directory")
	flag.DurationVar(&c.latencyFor, "latency-duration", 20*time.Second, "how long the latency phase produces at half the measured rate")
	flag.Float64Var(&c.latencyRate, "latency-rate", 0, "events/s of the latency phase (0: half the measured throughput)")
	flag.Int64Var(&c.baselineEvents, "baseline-events", 100_000, "events the baseline consumes (it is slow; a sample is enough for the ratio)")
	flag.BoolVar(&c.brokerProcess, "broker-process", false, "run the embedded broker in a child process of its own, not in the processors' heap")
	serve := flag.String("serve-broker", "", "(internal, for -broker-process) serve an embedded broker on this data dir until stdin closes")
	flag.BoolVar(&c.memory, "memory-tables", false, "keep goka tables in memory instead of leveldb")
	flag.IntVar(&c.wsClients, "ws-clients", 1000, "WebSocket devices (one per user) connected during the latency phase")
	flag.Float64Var(&c.wsShare, "ws-min-share", 0, "connect at least this share of the users (0.05: one in twenty), so that at many users enough of the latency phase's updates reach a device")
	hot := flag.Bool("hot-path", false, "run only the groups between CDC and budget updates (re-key, accounts, users, shared), not insights, goals and notifications")
	reportTo := flag.String("report", "", "only render this Markdown file (benchmarks/RESULTS.md) from benchmarks/pipeline/results-{all,hot}.json, the sweep and the before runs")
	var sw sweepConfig
	sw.flags()
	flag.Parse()
	if *serve != "" {
		if err := serveBroker(*serve); err != nil {
			fmt.Fprintln(os.Stderr, "pipeline: broker:", err)
			os.Exit(1)
		}
		return
	}
	if c.wsShare < 0 || c.wsShare > 1 {
		fmt.Fprintf(os.Stderr, "pipeline: -ws-min-share %v: want a share from 0 to 1\n", c.wsShare)
		os.Exit(2)
	}
	if *reportTo != "" {
		if err := report(*reportTo, map[string]string{"all": "benchmarks/pipeline/results-all.json", "hot": "benchmarks/pipeline/results-hot.json"}, sw); err != nil {
			fmt.Fprintln(os.Stderr, "pipeline:", err)
			os.Exit(1)
		}
		return
	}
	if *hot {
		c.groups = []goka.Group{processors.GroupRekeyTxns, processors.GroupRekeyAccounts, processors.GroupAccounts, processors.GroupTxns, processors.GroupUsers, processors.GroupShared}
	}
	if sw.users != "" {
		if err := sweep(sw, c.events); err != nil {
			fmt.Fprintln(os.Stderr, "pipeline:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(c); err != nil {
		fmt.Fprintln(os.Stderr, "pipeline:", err)
		os.Exit(1)
	}
}

func run(c config) error {
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	dir, err := os.MkdirTemp("", "finstream-bench")
	if err != nil {
		return err
	}
	if !c.keep {
		defer os.RemoveAll(dir)
	}
	bk, err := startBroker(filepath.Join(dir, "kafka"), c.brokerProcess)
	if err != nil {
		return err
	}
	defer bk.close()
	brokers := bk.addrs
	if err := topics.EnsureTopics(ctx, brokers, topics.All(int32(c.partitions)), 1); err != nil {
		return err
	}
	reg, err := avro.NewRegistry(ctx, avro.RegistryConfig{Brokers: brokers, Logger: log})
	if err != nil {
		return err
	}
	defer reg.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	go func() { _ = http.Serve(ln, reg) }()
	regClient, err := avro.NewClient("http://" + ln.Addr().String())
	if err != nil {
		return err
	}

	r := results{Machine: fmt.Sprintf("%s/%s, %d cores", runtime.GOOS, runtime.GOARCH, runtime.NumCPU()),
		Date: time.Now().UTC().Format(time.RFC3339), Users: c.users, Events: c.events, Partitions: c.partitions, HotPath: c.groups != nil}

	codecs, err := processors.NewCodecs(ctx, regClient)
	if err != nil {
		return err
	}
	c.inputs = groupInputs(codecs, c.groups)
	storageDir := filepath.Join(dir, "goka")
	if c.memory {
		storageDir = ""
	}

	fmt.Fprintf(os.Stderr, "budgets: 4 per user for %d users...\n", c.users)
	world, err := loadgen.NewGenerator(simConfig(c), nil, categorize)
	if err != nil {
		return err
	}
	if r.Budgets, err = seedBudgets(ctx, brokers, codecs, world.Users()); err != nil {
		return err
	}
	if _, stop, err := runProcessors(ctx, brokers, codecs, storageDir, c, log); err != nil {
		return err
	} else if err := stop(); err != nil {
		return err
	}

	fmt.Fprintf(os.Stderr, "preloading %d CDC events for %d users...\n", c.events, c.users)
	t0 := time.Now()
	truth, err := preload(ctx, brokers, c)
	if err != nil {
		return err
	}
	r.PreloadSec = time.Since(t0).Seconds()

	fmt.Fprintln(os.Stderr, "ceiling: a bare consumer of the CDC topics...")
	if r.CeilingEPS, err = ceiling(ctx, brokers); err != nil {
		return err
	}

	fmt.Fprintln(os.Stderr, "baseline: consumer group + Postgres optimistic-lock UPDATE per event...")
	if r.BaselineEPS, r.BaselineEvents, err = baseline(ctx, brokers, c, c.baselineEvents); err != nil {
		return err
	}

	fmt.Fprintln(os.Stderr, "pipeline: processors on the backlog until every group has caught up...")
	stopCPU, err := profile(c.cpuProf, pprof.StartCPUProfile, pprof.StopCPUProfile)
	if err != nil {
		return err
	}
	secs, stop, err := runProcessors(ctx, brokers, codecs, storageDir, c, log)
	if err := stopCPU(); err != nil {
		return err
	}
	if err != nil {
		return err
	}
	r.PipelineSec = secs
	r.PipelineEPS = float64(c.events) / r.PipelineSec
	r.CeilingRatio = r.PipelineEPS / r.CeilingEPS
	r.BaselineRatio = r.PipelineEPS / r.BaselineEPS

	if err := stop(); err != nil {
		return err
	}
	if err := measureState(ctx, brokers, dir, &r); err != nil {
		return err
	}

	fmt.Fprintln(os.Stderr, "recovery: restoring finstream-users-table from its changelog...")
	states, rsecs, err := recovery(ctx, brokers, regClient, c)
	if err != nil {
		return err
	}
	r.RecoverySec, r.RecoveredKey = rsecs, len(states)
	r.Verified, r.Mismatches = verify(states, truth)

	rate := r.PipelineEPS / 2
	if c.latencyRate > 0 {
		rate = c.latencyRate
	}
	fmt.Fprintf(os.Stderr, "latency: %.0f events/s for %s...\n", rate, c.latencyFor)
	r.LatencyRate = rate
	if _, stop, err = runProcessors(ctx, brokers, codecs, storageDir, c, log); err != nil {
		return err
	}
	var wsUsers []string
	devices := max(c.wsClients, int(math.Ceil(c.wsShare*float64(c.users))))
	for i, u := range world.Users() {
		if i == devices {
			break
		}
		wsUsers = append(wsUsers, u.ID)
	}
	probe, err := startWSProbe(ctx, brokers, codecs, wsUsers)
	if err != nil {
		return err
	}
	running := make(chan error)
	stopTrace, err := profile(c.latencyTrace, trace.Start, trace.Stop)
	if err != nil {
		return err
	}
	stopLatencyCPU, err := profile(c.latencyCPU, pprof.StartCPUProfile, pprof.StopCPUProfile)
	if err != nil {
		stopTrace()
		return err
	}
	r.LatencyEmitted, r.LatencyConsumed, err = latency(ctx, brokers, regClient, c, rate, c.latencyFor, running)
	if err := errors.Join(stopTrace(), stopLatencyCPU()); err != nil {
		return err
	}
	if err != nil {
		return err
	}
	if c.latencyHeap != "" { // what the GC marks while the processors run
		if err := writeHeapProfile(c.latencyHeap); err != nil {
			return err
		}
	}
	r.LatencyWS, r.WSClients = probe.result(), len(wsUsers)
	if err := stop(); err != nil {
		return err
	}
	if r.PeakRSSBytes, err = peakRSS(); err != nil {
		return err
	}
	if r.BrokerPeakRSSBytes, err = bk.peakRSS(); err != nil {
		return err
	}

	b, _ := json.MarshalIndent(r, "", "  ")
	if err := os.WriteFile(c.jsonOut, append(b, '\n'), 0o644); err != nil {
		return err
	}
	fmt.Println(string(b))
	if r.Mismatches > 0 {
		return fmt.Errorf("%d users differ from the source's truth", r.Mismatches)
	}
	return nil
}

// profile starts writing a profile (a CPU profile, an execution trace) to
// path, and returns what stops it and closes the file. An empty path
// profiles nothing.
func profile(path string, start func(io.Writer) error, stop func()) (func() error, error) {
	if path == "" {
		return func() error { return nil }, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := start(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() error { stop(); return f.Close() }, nil
}

func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	runtime.GC() // the profile shows the heap as of the last GC
	if err := pprof.WriteHeapProfile(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
