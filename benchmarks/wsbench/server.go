package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"finstream/processors/event"
	"finstream/wsfanout"
)

// fakeBudgets is the BudgetSource: budget b has participants U-b-0..U-b-{n-1}
// at version 0.
type fakeBudgets struct{ p params }

func (f fakeBudgets) Budget(_ context.Context, id string) (wsfanout.Snapshot, error) {
	b, err := strconv.Atoi(strings.TrimPrefix(id, "BDG-"))
	if err != nil || b < 0 || b >= f.p.budgets() {
		return wsfanout.Snapshot{}, nil
	}
	parts := make(map[string]string, f.p.participants)
	for i := range f.p.participants {
		parts[userID(b, i)] = "contributor"
	}
	return wsfanout.Snapshot{Found: true, Participants: parts, State: json.RawMessage(`{}`)}, nil
}

func runServer(p params, log *slog.Logger) error {
	limit, err := raiseFileLimit(uint64(p.conns) + 4096)
	if err != nil {
		return err
	}
	reg := prometheus.NewRegistry()
	hub, err := wsfanout.New(wsfanout.Config{Secret: secret, Budgets: fakeBudgets{p}, QueueSize: p.queue, Logger: log, Metrics: reg})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle("GET /v1/ws", hub)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: time.Minute}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	ran := make(chan error, 1)
	go func() { ran <- hub.Run(ctx) }()
	p.addr = ln.Addr().String()
	base := measureMemory()

	exe, err := os.Executable()
	if err != nil {
		return err
	}
	child := exec.Command(exe, p.args()...)
	child.Stderr = os.Stderr
	toChild, err := child.StdinPipe()
	if err != nil {
		return err
	}
	fromChild, err := child.StdoutPipe()
	if err != nil {
		return err
	}
	dialStart := time.Now()
	if err := child.Start(); err != nil {
		return fmt.Errorf("start clients: %w", err)
	}
	defer func() { _ = child.Process.Kill(); _ = child.Wait() }()
	reports := json.NewDecoder(bufio.NewReader(fromChild))
	var ready report
	if err := reports.Decode(&ready); err != nil {
		return fmt.Errorf("clients: %w", err)
	}
	dialTime := time.Since(dialStart)
	for deadline := time.Now().Add(30 * time.Second); metric(reg, "finstream_ws_connections") < float64(ready.Conns); {
		if time.Now().After(deadline) {
			return fmt.Errorf("hub holds %v connections, clients opened %d", metric(reg, "finstream_ws_connections"), ready.Conns)
		}
		time.Sleep(10 * time.Millisecond)
	}
	idle := measureMemory()
	held := metric(reg, "finstream_ws_connections")

	cpu0 := cpuTime(syscall.RUSAGE_SELF)
	t0 := time.Now()
	published := publish(hub, p)
	pubTime := time.Since(t0)
	fmt.Fprintf(toChild, "DONE %d\n", published)
	var res report
	if err := reports.Decode(&res); err != nil {
		return fmt.Errorf("clients: %w", err)
	}
	serverCPU := cpuTime(syscall.RUSAGE_SELF) - cpu0
	drops := metric(reg, "finstream_ws_slow_consumer_drops_total")
	heldAfter := metric(reg, "finstream_ws_connections")

	// Graceful shutdown: every connection gets 1001.
	t1 := time.Now()
	stop()
	<-ran
	shutdown := time.Since(t1)
	_ = toChild.Close()

	n := float64(held)
	fmt.Printf("wsbench: %d connections (%d budgets × %d participants × %d devices), %.0f updates/s for %s, queue %d\n",
		p.conns, p.budgets(), p.participants, p.devices, p.rate, p.duration, p.queue)
	fmt.Printf("machine: %d CPUs (GOMAXPROCS %d), %s, RLIMIT_NOFILE %d\n", runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version(), limit)
	fmt.Printf("connect: %d opened, %d failed, in %s; hub holds %.0f\n", ready.Conns, ready.Failed, dialTime.Round(time.Millisecond), held)
	fmt.Printf("idle hub memory per connection: heap %.1f KB, heap+stacks %.1f KB, RSS %.1f KB (goroutines %d → %d)\n",
		kb(idle.HeapInuse-base.HeapInuse, n), kb(idle.HeapInuse+idle.StackInuse-base.HeapInuse-base.StackInuse, n),
		kb(idle.RSS-base.RSS, n), base.Goroutines, idle.Goroutines)
	fmt.Printf("client process per connection: heap+stacks %.1f KB\n", kb(ready.Mem.HeapInuse+ready.Mem.StackInuse, n))
	fmt.Printf("published: %d updates in %s (%.0f/s); deliveries expected %d, received %d, missing %d (on %d devices)\n",
		published, pubTime.Round(time.Millisecond), float64(published)/pubTime.Seconds(), res.Expected, res.Received, res.Missing, res.Short)
	fmt.Printf("delivery latency (event_time → received by client, %d samples): p50 %s  p90 %s  p99 %s  p99.9 %s  max %s\n",
		res.Count, us(res.P50), us(res.P90), us(res.P99), us(res.P999), us(res.Max))
	fmt.Printf("dropped devices: %.0f slow-consumer closes; %d client connections ended during the run %v; hub holds %.0f after\n",
		drops, res.Closed, res.CloseCodes, heldAfter)
	fmt.Printf("CPU during publish+drain: hub process %.2f cores, client process %.2f cores\n",
		serverCPU.Seconds()/time.Since(t0).Seconds(), res.CPU.Seconds()/res.Span.Seconds())
	fmt.Printf("graceful shutdown of %.0f connections (close 1001): %s\n", heldAfter, shutdown.Round(time.Millisecond))
	return nil
}

// publish sends shared-budget updates round-robin over the budgets at
// p.rate for p.duration; each update's event_time is when it was due, so a
// late publisher shows up as latency.
func publish(hub *wsfanout.Hub, p params) int {
	nb := p.budgets()
	parts := make([][]event.ParticipantSpend, nb)
	for b := range parts {
		for i := range p.participants {
			parts[b] = append(parts[b], event.ParticipantSpend{UserID: userID(b, i), Role: "contributor", SpentMinor: 325000, ShareBP: 2500})
		}
	}
	versions := make([]int64, nb)
	interval := time.Duration(float64(time.Second) / p.rate)
	start := time.Now()
	n := 0
	for ; ; n++ {
		due := start.Add(time.Duration(n) * interval)
		if due.Sub(start) >= p.duration {
			return n
		}
		if d := time.Until(due); d > 0 {
			time.Sleep(d)
		}
		b := n % nb
		versions[b]++
		hub.Publish(event.BudgetUpdate{Kind: event.BudgetShared, BudgetID: budgetID(b), Name: "Household Groceries",
			Participants: parts[b], UserID: parts[b][n%p.participants].UserID, Category: "groceries", Currency: "THB",
			LimitMinor: 1600000, SpentMinor: 1530000, RemainingMinor: 70000, UsedBP: 9562, ThresholdsBP: []int64{5000, 8000, 9000, 10000},
			CrossedBP: []int64{5000, 8000, 9000}, ThresholdCrossedBP: []int64{9000}, Alert: true, Version: versions[b],
			TxnID: fmt.Sprintf("TXN-%08d", n), Merchant: "Tesco Lotus", AmountMinor: 180000, EventTime: due})
	}
}

// metric reads a gauge or counter without labels from reg.
func metric(reg *prometheus.Registry, name string) float64 {
	mfs, _ := reg.Gather()
	for _, mf := range mfs {
		if mf.GetName() == name && len(mf.GetMetric()) > 0 {
			m := mf.GetMetric()[0]
			return m.GetGauge().GetValue() + m.GetCounter().GetValue()
		}
	}
	return 0
}

func kb(bytes uint64, n float64) float64 {
	if int64(bytes) < 0 || n == 0 {
		return 0
	}
	return float64(bytes) / 1024 / n
}

func us(v int64) string { return (time.Duration(v) * time.Microsecond).String() }
