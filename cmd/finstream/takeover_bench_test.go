package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os/exec"
	"testing"
	"time"

	"finstream/topics"
)

// BenchmarkTakeover measures the failover of the processors role: two
// instances share every group over tables preloaded with simulated CDC; one
// is killed (SIGKILL); the survivor's /readyz is polled until it owns every
// partition of every group (s/assigned) and serves them, recovered
// (s/ready). With --hot-standby the survivor kept the dead member's table
// partitions up to date, so it restores only what was written since; the
// metric behind-records is the most it reported behind during the takeover
// (changelog still to restore plus inputs not processed). Figures, not
// assertions:
//
//	go test -run '^$' -bench Takeover -benchtime 1x ./cmd/finstream
func BenchmarkTakeover(b *testing.B) {
	for _, hot := range []bool{false, true} {
		b.Run(fmt.Sprintf("hot-standby=%v", hot), func(b *testing.B) {
			for range b.N {
				assigned, ready, restored := takeover(b, hot)
				b.ReportMetric(assigned.Seconds(), "s/assigned")
				b.ReportMetric(ready.Seconds(), "s/ready")
				b.ReportMetric(float64(restored), "behind-records")
			}
		})
	}
}

func takeover(b *testing.B, hot bool) (assigned, ready time.Duration, restored int64) {
	b.StopTimer()
	brokerAddr, regAddr := freeAddr(b), freeAddr(b)
	brk := startRole(b, "broker", false, "--data-dir", b.TempDir(), "--broker-listen", brokerAddr, "--registry-listen", regAddr)
	brk.waitReady(b)
	if out, err := exec.Command(binary, "simulate", "--brokers", brokerAddr, "--users", "3000", "--count", "40000",
		"--rate", "0", "--seed", "1").CombinedOutput(); err != nil {
		b.Fatalf("simulate: %v\n%s", err, out)
	}
	args := []string{"--brokers", brokerAddr, "--registry", "http://" + regAddr}
	if hot {
		args = append(args, "--hot-standby")
	}
	p1 := startRole(b, "processors", false, append(args, "--data-dir", b.TempDir())...)
	p2 := startRole(b, "processors", false, append(args, "--data-dir", b.TempDir())...)
	// Both own half of every group and have processed every input.
	waitFor(b, 5*time.Minute, "two instances sharing every group, caught up", func() (bool, string) {
		for _, p := range []*roleProc{p1, p2} {
			gs, err := readyz(p)
			if err != nil {
				return false, err.Error()
			}
			for _, g := range gs {
				if !g.Ready || g.Partitions != int(topics.DefaultPartitions)/2 || g.OffsetsBehind > 0 {
					return false, fmt.Sprintf("%s %+v", p.ops, g)
				}
			}
		}
		return true, ""
	})
	b.StartTimer()
	killed := time.Now()
	if err := p1.cmd.Process.Kill(); err != nil {
		b.Fatal(err)
	}
	waitFor(b, 5*time.Minute, "the survivor owns and serves every partition", func() (bool, string) {
		gs, err := readyz(p2)
		if err != nil {
			return false, err.Error()
		}
		all, done := true, true
		for _, g := range gs {
			if g.Partitions != int(topics.DefaultPartitions) {
				all = false
			}
			if !g.Ready || g.Recovering > 0 {
				done = false
			}
			restored = max(restored, g.OffsetsBehind)
		}
		if all && assigned == 0 {
			assigned = time.Since(killed)
		}
		return all && done, fmt.Sprint(gs)
	})
	ready = time.Since(killed)
	b.StopTimer()
	b.Logf("hot standby %v: every partition assigned %.1fs and served %.1fs after the kill; at most %d records behind",
		hot, assigned.Seconds(), ready.Seconds(), restored)
	return assigned, ready, restored
}

// readyz is the groups of a role's /readyz.
func readyz(p *roleProc) ([]groupState, error) {
	resp, err := readyzClient.Get("http://" + p.ops + "/readyz")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var body readyzBody
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return nil, err
	}
	return body.Groups, nil
}

var readyzClient = &http.Client{Timeout: 2 * time.Second}
