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
	"finstream/processors/budget"
	"finstream/processors/event"
)

// kill -9 of `finstream run` under simulated load, then a restart on the
// same --data-dir: every user's spend equals the sum of the distinct POSTED
// DEBITs the source sent; every threshold the final spend implies has its
// alert (none lost), and an alert found more than once on the topic is the
// same alert delivered again (at-least-once: same id, same content), never a
// second firing computed from other state.
func TestKill9UnderLoadLosesNothingAndCountsNothingTwice(t *testing.T) {
	kill9UnderLoad(t, 200, 40)
}

// The same with deep histories: 20 users with 1,500 transactions each, so
// that every user's state has seen more than a thousand transactions when
// the process is killed and the rest of the stream is checked.
func TestKill9WithDeepHistoriesLosesNothingAndCountsNothingTwice(t *testing.T) {
	kill9UnderLoad(t, 20, 20)
}

func kill9UnderLoad(t *testing.T, users, budgetUsers int) {
	if testing.Short() {
		t.Skip("long end-to-end test")
	}
	n := newNode(t)
	n.start()
	seedCrashBudgets(t, n, budgetUsers)
	sim := startTruthSimulation(t, n.broker, users, 30_000, 4_000)
	// Kill finstream once a third of the stream has been produced.
	waitProduced(t, n, 10_000)
	n.kill()
	n.start()
	sim.check(t, n, users, budgetUsers)
}

// crashLimit is the groceries budget of the crash tests: small, so that
// alerts fire while the stream runs.
const crashLimit = 200_000

// seedCrashBudgets gives the first budgetUsers users a groceries budget of
// crashLimit and waits until every one exists, so that every threshold the
// final spend implies was crossed upward while the stream ran.
func seedCrashBudgets(t *testing.T, n *node, budgetUsers int) {
	t.Helper()
	groceryBudgets(t, n, budgetUsers, crashLimit)
}

// truthSimulation is `finstream simulate` sending count CDC events at rate
// per second with the source's truth written to a file.
type truthSimulation struct {
	cmd       *exec.Cmd
	log       *syncBuffer
	truthPath string
	count     int64
}

func startTruthSimulation(t *testing.T, broker string, users int, count int64, rate int) *truthSimulation {
	t.Helper()
	s := &truthSimulation{log: &syncBuffer{}, truthPath: filepath.Join(t.TempDir(), "truth.json"), count: count}
	s.cmd = exec.Command(binary, "simulate", "--brokers", broker, "--users", fmt.Sprint(users), "--count", fmt.Sprint(count),
		"--rate", fmt.Sprint(rate), "--seed", "42", "--foreign-zone-frac", "0", "--truth-out", s.truthPath)
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.cmd.Process.Kill() })
	return s
}

// waitProduced waits until the CDC transactions topic holds n records.
func waitProduced(t *testing.T, nd *node, n int64) {
	t.Helper()
	adm := kadm.NewClient(nd.client())
	waitFor(t, 60*time.Second, fmt.Sprintf("%d CDC records produced", n), func() (bool, string) {
		ends, err := adm.ListEndOffsets(context.Background(), "core.public.transactions")
		if err != nil {
			return false, err.Error()
		}
		total := int64(0)
		ends.Each(func(o kadm.ListedOffset) { total += o.Offset })
		return total >= n, fmt.Sprint(total)
	})
}

// check waits for the simulation to end and the groups to catch up, then
// checks the API against the truth (every user/period/category total
// exactly), and every alert: none lost, none twice with other content. It
// returns the truth per user, period and category.
func (s *truthSimulation) check(t *testing.T, n *node, users, budgetUsers int) map[string]map[string]map[string]int64 {
	t.Helper()
	sim, simLog, truthPath := s.cmd, s.log, s.truthPath
	if err := sim.Wait(); err != nil {
		t.Fatalf("simulate: %v\n%s", err, simLog)
	}
	truth := readTruth(t, truthPath)
	if truth.Sent() != s.count {
		t.Fatalf("simulate sent %d events, want %d", truth.Sent(), s.count)
	}
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
	checkAgainstTruth(t, n, want, budgetUsers)
	return want
}

// checkAgainstTruth waits until n's groups have caught up, then checks its
// API against want (every user/period/category total exactly), and every
// alert: none lost, none twice with other content.
func checkAgainstTruth(t *testing.T, n *node, want map[string]map[string]map[string]int64, budgetUsers int) {
	t.Helper()
	const limit = crashLimit
	n.caughtUp(120 * time.Second)
	// The API reads goka views of the tables, which follow the changelogs
	// a little behind the groups: wait, with a deadline, until every total
	// equals the truth; a total that never does is reported.
	type diff struct {
		u, p, c        string
		pipeline, want int64
	}
	mismatches := func() (checked int, diffs []diff) {
		for u, periods := range want {
			for p, cats := range periods {
				got := spendingOf(t, n, u, p)
				for c, v := range cats {
					if got[c] != v {
						diffs = append(diffs, diff{u, p, c, got[c], v})
					}
					checked++
				}
				for c, v := range got {
					if _, ok := cats[c]; !ok {
						diffs = append(diffs, diff{u, p, c, v, 0})
					}
				}
			}
		}
		return checked, diffs
	}
	deadline := time.Now().Add(30 * time.Second)
	checked, diffs := mismatches()
	for len(diffs) > 0 && time.Now().Before(deadline) {
		checked, diffs = mismatches()
	}
	t.Logf("checked %d user/period/category totals against the source's truth", checked)
	if len(diffs) > 0 {
		short := map[string]bool{}
		for _, d := range diffs {
			short[d.u] = true
		}
		table := n.tableSpend(short)
		for _, d := range diffs {
			t.Errorf("%s %s %s: pipeline %d (its table %d), source %d", d.u, d.p, d.c, d.pipeline, table[d.u+"|"+d.p+"|"+d.c], d.want)
		}
		t.Log(n.diagnose(diffs[0].u))
	}

	alerts := n.alerts()
	if len(alerts) == 0 {
		t.Fatal("no alert fired: the test budgets are too large to exercise alerts")
	}
	byID := map[string]event.Alert{}
	copies := 0
	fired := map[string]bool{} // user|period|threshold
	for _, a := range alerts {
		if first, ok := byID[a.AlertID]; ok {
			copies++
			if !first.EventTime.Equal(a.EventTime) {
				t.Errorf("alert %s: event times %v and %v", a.AlertID, first.EventTime, a.EventTime)
			}
			a.EventTime = first.EventTime
			if !budget.SameAlert(a, first) {
				t.Errorf("alert %s found twice with different content:\n%+v\n%+v", a.AlertID, first, a)
			}
			continue
		}
		byID[a.AlertID] = a
		fired[a.UserID+"|"+a.PeriodKey+"|"+fmt.Sprint(a.ThresholdBP)] = true
	}
	// No alert lost: spend starts at 0 under every budget, so each threshold
	// at or below the final usage was crossed upward at least once.
	expected, lost := 0, map[string]bool{}
	for i := 1; i <= budgetUsers; i++ {
		u := fmt.Sprintf("USR-%06d", i)
		for p, cats := range want[u] {
			if len(p) != len("2026-11") { // monthly budgets: weeks do not matter
				continue
			}
			used := cats["groceries"] * 10_000 / limit
			for _, th := range []int64{5000, 8000, 9000, 10000} {
				if used < th {
					continue
				}
				expected++
				if !fired[u+"|"+p+"|"+fmt.Sprint(th)] {
					t.Errorf("%s %s: spend reached %d bp but no %d alert fired", u, p, used, th)
					lost[u] = true
				}
			}
		}
	}
	for u := range lost {
		t.Log(n.budgetHistory(u + ":groceries"))
		t.Log(n.userTrail(u))
	}
	if expected == 0 {
		t.Fatal("no budget reached a threshold: the no-loss check checked nothing")
	}
	t.Logf("%d alerts: %d distinct, %d delivered again after the crash; %d thresholds implied by the truth, all fired",
		len(alerts), len(byID), copies, expected)
}

// groceryBudgets creates a groceries budget of limit for USR-000001 to
// USR-<users> and waits until every one exists, before their first spend
// (so that every threshold the final spend implies is crossed upward while
// the stream runs).
func groceryBudgets(t *testing.T, n *node, users int, limit int64) {
	t.Helper()
	for i := 1; i <= users; i++ {
		u := fmt.Sprintf("USR-%06d", i)
		if code, _ := n.call("PUT", "/v1/me/budgets/groceries", u, fmt.Sprintf(`{"limit_minor":%d,"currency":"THB"}`, limit)); code != 202 {
			t.Fatalf("PUT budget for %s: %d", u, code)
		}
	}
	for i := 1; i <= users; i++ {
		waitBudget(t, n, fmt.Sprintf("USR-%06d", i), "groceries", func(b map[string]any) bool { return b["limit_minor"] == float64(limit) })
	}
}

// readTruth reads the ground truth `simulate --truth-out` wrote.
func readTruth(t *testing.T, path string) *loadgen.Truth {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	truth, err := loadgen.ReadTruth(f)
	if err != nil {
		t.Fatal(err)
	}
	return truth
}

// spendingOf is GET /v1/me/spending?period=p of user, by category.
func spendingOf(t *testing.T, n *node, user, p string) map[string]int64 {
	t.Helper()
	code, body := n.call("GET", "/v1/me/spending?period="+p, user, "")
	if code != 200 {
		t.Fatalf("GET spending %s %s: %d %v", user, p, code, body)
	}
	got := map[string]int64{}
	for _, s := range body["spending"].([]any) {
		m := s.(map[string]any)
		got[m["category"].(string)] += int64(m["spent_minor"].(float64))
	}
	return got
}
