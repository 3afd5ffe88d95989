package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"

	"finstream/benchmarks/loadgen"
)

// kill -9 of `finstream run` under simulated load, then a restart on the
// same --data-dir: every user's spend equals the sum of the distinct POSTED
// DEBITs the source sent, and no alert fires twice.
func TestKill9UnderLoadLosesNothingAndCountsNothingTwice(t *testing.T) {
	if testing.Short() {
		t.Skip("long end-to-end test")
	}
	n := newNode(t)
	n.start()
	const users = 200
	// Small budgets, so that alerts fire while the stream runs.
	for i := 1; i <= 40; i++ {
		u := fmt.Sprintf("USR-%06d", i)
		if code, _ := n.call("PUT", "/v1/me/budgets/groceries", u, `{"limit_minor":200000,"currency":"THB"}`); code != 202 {
			t.Fatalf("PUT budget for %s: %d", u, code)
		}
	}
	truthPath := filepath.Join(t.TempDir(), "truth.json")
	sim := exec.Command(binary, "simulate", "--brokers", n.broker, "--users", fmt.Sprint(users), "--count", "30000",
		"--rate", "4000", "--seed", "42", "--foreign-zone-frac", "0", "--truth-out", truthPath)
	simLog := &syncBuffer{}
	sim.Stdout, sim.Stderr = simLog, simLog
	if err := sim.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sim.Process.Kill() })

	// Kill finstream once a third of the stream has been produced.
	adm := kadm.NewClient(n.client())
	waitFor(t, 60*time.Second, "10,000 CDC records produced", func() (bool, string) {
		ends, err := adm.ListEndOffsets(context.Background(), "core.public.transactions")
		if err != nil {
			return false, err.Error()
		}
		total := int64(0)
		ends.Each(func(o kadm.ListedOffset) { total += o.Offset })
		return total >= 10_000, fmt.Sprint(total)
	})
	n.kill()
	n.start()

	if err := sim.Wait(); err != nil {
		t.Fatalf("simulate: %v\n%s", err, simLog)
	}
	f, err := os.Open(truthPath)
	if err != nil {
		t.Fatal(err)
	}
	truth, err := loadgen.ReadTruth(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if truth.Sent() != 30000 {
		t.Fatalf("simulate sent %d events, want 30000", truth.Sent())
	}
	n.caughtUp(120 * time.Second)

	// Every user's spend per period and category equals the truth exactly.
	want := map[string]map[string]map[string]int64{}
	truth.Each(func(u, p, c string, v int64) {
		if want[u] == nil {
			want[u] = map[string]map[string]int64{}
		}
		if want[u][p] == nil {
			want[u][p] = map[string]int64{}
		}
		want[u][p][c] = v
	})
	if len(want) < users/2 {
		t.Fatalf("truth covers only %d users", len(want))
	}
	checked, bad := 0, ""
	for u, periods := range want {
		for p, cats := range periods {
			code, body := n.call("GET", "/v1/me/spending?period="+p, u, "")
			if code != 200 {
				t.Fatalf("GET spending %s %s: %d %v", u, p, code, body)
			}
			got := map[string]int64{}
			for _, s := range body["spending"].([]any) {
				m := s.(map[string]any)
				got[m["category"].(string)] += int64(m["spent_minor"].(float64))
			}
			for c, v := range cats {
				if got[c] != v {
					t.Errorf("%s %s %s: pipeline %d, source %d", u, p, c, got[c], v)
					bad = u
				}
				checked++
			}
			for c, v := range got {
				if _, ok := cats[c]; !ok {
					t.Errorf("%s %s %s: pipeline %d, source sent none", u, p, c, v)
				}
			}
		}
	}
	t.Logf("checked %d user/period/category totals against the source's truth", checked)
	if t.Failed() {
		if bad != "" {
			t.Log(n.diagnose(bad))
		}
	}

	seen := map[string]int{}
	alerts := n.alerts()
	for _, a := range alerts {
		seen[a.AlertID]++
	}
	for id, c := range seen {
		if c > 1 {
			t.Errorf("alert %s fired %d times", id, c)
		}
	}
	if len(alerts) == 0 {
		t.Fatal("no alert fired: the test budgets are too large to exercise alerts")
	}
	t.Logf("%d alerts, all distinct", len(alerts))
}
