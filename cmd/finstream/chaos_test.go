package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"syscall"
	"testing"
	"time"

	"finstream/sinks/pgtest"
)

// chaosRole is a role process that the chaos test kills and restarts on
// the same addresses and data dir.
type chaosRole struct {
	name, ops, listen string
	args              []string
	p                 *roleProc
}

func (r *chaosRole) start(t *testing.T) {
	t.Helper()
	r.p = startRoleAt(t, r.name, r.ops, r.listen, r.args...)
}

// exitedByItself reports an exit nobody asked for, with the log's last
// problems.
func (r *chaosRole) exitedByItself() (bool, string) {
	select {
	case err := <-r.p.exited:
		r.p.exited <- err
		log := r.p.log.String()
		if len(log) > 3000 {
			log = log[len(log)-3000:]
		}
		return true, fmt.Sprintf("%v\n%s", err, log)
	default:
		return false, ""
	}
}

// Chaos under load (issue "Hardening", item 8): every role its own
// process; while simulated traffic with the source's truth runs, 20 kill -9
// of random roles (each restarted at once), Postgres stopped for 60 s and
// the broker restarted. No role exits by itself, and afterwards every
// user/period/category total equals the truth in the API and in Postgres,
// no alert is lost, and an alert id seen twice has the same content.
func TestChaosKillsPostgresOutageAndBrokerRestartUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("long system test")
	}
	pg := pgtest.NewServer(t)
	dbURL := pg.URL("postgres")
	n := &node{t: t, broker: freeAddr(t), registry: freeAddr(t)}
	brokerRole := &chaosRole{name: "broker", ops: freeAddr(t),
		args: []string{"--data-dir", t.TempDir(), "--broker-listen", n.broker, "--registry-listen", n.registry}}
	brokerRole.start(t)
	brokerRole.p.waitReady(t)
	kafka := []string{"--brokers", n.broker, "--registry", "http://" + n.registry}
	roles := []*chaosRole{
		{name: "processors", args: append(append([]string{}, kafka...), "--data-dir", t.TempDir())},
		{name: "processors", args: append(append([]string{}, kafka...), "--data-dir", t.TempDir())},
		{name: "api", listen: freeAddr(t), args: append(append([]string{}, kafka...), "--dev", "--rate-user", "-1", "--rate-ip", "-1")},
		{name: "wsfanout", listen: freeAddr(t), args: append(append([]string{}, kafka...), "--dev")},
		{name: "sink", args: append(append([]string{}, kafka...), "--database-url", dbURL)},
	}
	for _, r := range roles {
		r.ops = freeAddr(t)
		r.start(t)
	}
	for _, r := range roles {
		r.p.waitReady(t)
	}
	n.listen = roles[2].listen

	const users, budgetUsers = 200, 40
	seedCrashBudgets(t, n, budgetUsers)
	// 40,000 events at 400/s: the chaos below happens within the stream.
	sim := startTruthSimulation(t, n.broker, users, 40_000, 400)
	start := time.Now()
	at := func(d time.Duration) { time.Sleep(time.Until(start.Add(d))) } // the schedule of the chaos, not a wait for a condition

	rnd := rand.New(rand.NewPCG(42, 11))
	var kills []string
	pgStopped, pgStarted, brokerRestarted := false, false, false
	for i := 0; i < 20; i++ {
		at(time.Duration(i+1) * 4 * time.Second)
		for _, r := range append([]*chaosRole{brokerRole}, roles...) {
			if died, log := r.exitedByItself(); died {
				t.Fatalf("%s exited by itself during the chaos:\n%s", r.name, log)
			}
		}
		switch elapsed := time.Since(start); {
		case !pgStopped && elapsed >= 8*time.Second:
			if err := pg.Stop(); err != nil {
				t.Fatal(err)
			}
			pgStopped = true
			t.Logf("%5.1fs Postgres stopped", elapsed.Seconds())
		case pgStopped && !pgStarted && elapsed >= 68*time.Second:
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			err := pg.Start(ctx)
			cancel()
			if err != nil {
				t.Fatal(err)
			}
			pgStarted = true
			t.Logf("%5.1fs Postgres started", elapsed.Seconds())
		}
		if !brokerRestarted && i == 10 {
			if _, err := brokerRole.p.stop(30 * time.Second); err != nil {
				t.Fatalf("broker: %v", err)
			}
			brokerRole.start(t)
			brokerRestarted = true
			t.Logf("%5.1fs broker restarted", time.Since(start).Seconds())
		}
		r := roles[rnd.IntN(len(roles))]
		r.p.kill()
		r.start(t)
		kills = append(kills, r.name)
	}
	if !pgStarted {
		at(68 * time.Second)
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := pg.Start(ctx); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("20 kill -9: %s", strings.Join(kills, ", "))
	for _, r := range append([]*chaosRole{brokerRole}, roles...) {
		r.p.waitReady(t)
	}
	want := sim.check(t, n, users, budgetUsers)
	checkPostgresAgainstTruth(t, dbURL, want)
	for _, r := range append([]*chaosRole{brokerRole}, roles...) {
		if died, log := r.exitedByItself(); died {
			t.Errorf("%s exited by itself:\n%s", r.name, log)
		}
	}
	// Stopped as an operator stops them: the clients, then the broker.
	for _, r := range append(roles, brokerRole) {
		took, err := r.p.stop(30 * time.Second)
		if err != nil {
			t.Errorf("%s: %v", r.name, err)
		}
		t.Logf("%s stopped in %.1fs after SIGTERM", r.name, took.Seconds())
	}
}

// stop sends SIGTERM and waits up to d for the process to exit.
func (p *roleProc) stop(d time.Duration) (time.Duration, error) {
	start := time.Now()
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-p.exited:
		p.exited <- err
		if err != nil {
			return time.Since(start), fmt.Errorf("exit after SIGTERM: %v", err)
		}
		return time.Since(start), nil
	case <-time.After(d):
		return d, fmt.Errorf("did not stop within %s of SIGTERM", d)
	}
}
