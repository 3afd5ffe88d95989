// Command wsbench measures the WebSocket fanout (package wsfanout) at scale:
// it starts a hub in-process with a fake BudgetSource, opens N concurrent
// WebSocket connections over loopback from a child process (the same
// binary with -role client, so the hub's memory is measured alone),
// publishes shared-budget updates at a fixed rate and reports delivery
// latency (event_time → received by the client), connections held, memory
// per idle connection and dropped devices.
//
//	go run ./benchmarks/wsbench                # 10,000 connections, 1,000 updates/s, 30 s
//	go run ./benchmarks/wsbench -conns 2000 -duration 5s
package main

import (
	"flag"
	"fmt"
	"log/slog"
	"os"
	"time"
)

// params are the benchmark's knobs, shared by both roles.
type params struct {
	conns        int
	participants int
	devices      int
	rate         float64
	duration     time.Duration
	queue        int
	dialers      int
	addr         string // client role: the hub's address
}

func (p params) budgets() int { return p.conns / (p.participants * p.devices) }

// args renders the flags a client child needs.
func (p params) args() []string {
	return []string{"-role", "client", "-addr", p.addr,
		"-conns", fmt.Sprint(p.conns), "-participants", fmt.Sprint(p.participants),
		"-devices", fmt.Sprint(p.devices), "-dialers", fmt.Sprint(p.dialers)}
}

// secret signs the benchmark's tokens; both roles know it.
var secret = []byte("wsbench-secret")

func main() {
	var p params
	role := flag.String("role", "server", "server (the benchmark) or client (started by the server)")
	flag.IntVar(&p.conns, "conns", 10000, "WebSocket connections (devices)")
	flag.IntVar(&p.participants, "participants", 4, "participants per shared budget")
	flag.IntVar(&p.devices, "devices", 2, "devices per participant")
	flag.Float64Var(&p.rate, "rate", 1000, "shared-budget updates published per second")
	flag.DurationVar(&p.duration, "duration", 30*time.Second, "how long to publish")
	flag.IntVar(&p.queue, "queue", 256, "per-device queue size (wsfanout.Config.QueueSize)")
	flag.IntVar(&p.dialers, "dialers", 128, "concurrent dials while connecting")
	flag.StringVar(&p.addr, "addr", "", "client role: the hub's host:port")
	flag.Parse()
	if p.conns < 1 || p.participants < 1 || p.devices < 1 || p.conns%(p.participants*p.devices) != 0 {
		fmt.Fprintf(os.Stderr, "wsbench: -conns %d must be a positive multiple of participants×devices (%d)\n", p.conns, p.participants*p.devices)
		os.Exit(2)
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	var err error
	switch *role {
	case "server":
		err = runServer(p, log)
	case "client":
		err = runClients(p)
	default:
		err = fmt.Errorf("unknown -role %q", *role)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "wsbench:", err)
		os.Exit(1)
	}
}

func budgetID(b int) string            { return fmt.Sprintf("BDG-%05d", b) }
func userID(b, participant int) string { return fmt.Sprintf("U-%05d-%d", b, participant) }
