package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"finstream/processors"
	"finstream/sinks/pgtest"
	"finstream/topics"
)

// The deployment as an operator runs it: broker, two processors instances,
// api, wsfanout and the Postgres sink, each its own process. Simulated load
// with the source's truth; one processors instance is killed with kill -9
// mid-stream, the other takes over its partitions, and the killed one is
// restarted on its data dir. Then every user/period/category total equals
// the truth in the API and in Postgres (transactions and budgets), and no
// alert id appears twice with different content. The times from the kill
// to the takeover and to lag 0 are logged.
func TestRolesAsProcessesSurviveKill9OfAProcessorsInstance(t *testing.T) {
	if testing.Short() {
		t.Skip("long system test")
	}
	dbURL := pgtest.NewDatabase(t)
	n := &node{t: t, broker: freeAddr(t), registry: freeAddr(t)}
	brk := startRole(t, "broker", false, "--data-dir", t.TempDir(), "--broker-listen", n.broker, "--registry-listen", n.registry)
	brk.waitReady(t)
	kafka := []string{"--brokers", n.broker, "--registry", "http://" + n.registry}

	dirs := []string{t.TempDir(), t.TempDir()}
	p1 := startRole(t, "processors", false, append(kafka, "--data-dir", dirs[0])...)
	p2 := startRole(t, "processors", false, append(kafka, "--data-dir", dirs[1])...)
	apiRole := startRole(t, "api", true, append(kafka, "--dev", "--rate-user", "-1", "--rate-ip", "-1")...)
	ws := startRole(t, "wsfanout", true, append(kafka, "--dev")...)
	sink := startRole(t, "sink", false, append(kafka, "--database-url", dbURL)...)
	for _, p := range []*roleProc{p1, p2, apiRole, ws, sink} {
		p.waitReady(t)
	}
	n.listen = apiRole.public
	// Both instances share every group: each owns part of the partitions.
	waitFor(t, 90*time.Second, "both processors instances own partitions of every group", func() (bool, string) {
		a, b := ownedPartitions(p1.ops), ownedPartitions(p2.ops)
		for _, g := range []string{string(processors.GroupUsers), string(processors.GroupTxns)} {
			if a[g] == 0 || b[g] == 0 || a[g]+b[g] != int(topics.DefaultPartitions) {
				return false, fmt.Sprintf("%s: %d + %d", g, a[g], b[g])
			}
		}
		return true, ""
	})

	const users, budgetUsers = 200, 40
	seedCrashBudgets(t, n, budgetUsers)
	sim := startTruthSimulation(t, n.broker, users, 30_000, 4_000)
	waitProduced(t, n, 10_000)
	killed := time.Now()
	p1.kill()
	waitFor(t, 120*time.Second, "the survivor owns every partition", func() (bool, string) {
		owned := ownedPartitions(p2.ops)
		for _, g := range []string{string(processors.GroupUsers), string(processors.GroupTxns), string(processors.GroupAccounts)} {
			if owned[g] != int(topics.DefaultPartitions) {
				return false, fmt.Sprintf("%s: %d", g, owned[g])
			}
		}
		return true, ""
	})
	t.Logf("takeover: the survivor owned every partition %.1fs after the kill", time.Since(killed).Seconds())
	p1 = startRole(t, "processors", false, append(kafka, "--data-dir", dirs[0])...)
	p1.waitReady(t)

	want := sim.check(t, n, users, budgetUsers)
	t.Logf("lag 0: every group caught up %.1fs after the kill", time.Since(killed).Seconds())
	checkPostgresAgainstTruth(t, dbURL, want)
}

// ownedPartitions is, per group, the partitions a role's ops /readyz says it
// owns (0 when it does not answer).
func ownedPartitions(ops string) map[string]int {
	out := map[string]int{}
	resp, err := http.Get("http://" + ops + "/readyz")
	if err != nil {
		return out
	}
	defer resp.Body.Close()
	var b readyzBody
	if json.NewDecoder(resp.Body).Decode(&b) != nil {
		return out
	}
	for _, g := range b.Groups {
		out[g.Group] = g.Partitions
	}
	return out
}

// kill sends SIGKILL (a crash) and waits for the process to end; the
// cleanup's SIGTERM then finds it gone.
func (p *roleProc) kill() {
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	err := <-p.exited
	p.exited <- err
}

// checkPostgresAgainstTruth waits until the sink's transactions table
// holds, per user, month (Asia/Bangkok) and category, exactly the truth's
// spend, and every groceries budget's latest row its month's truth.
func checkPostgresAgainstTruth(t *testing.T, dbURL string, want map[string]map[string]map[string]int64) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	monthly := map[string]int64{} // user|month|category
	for u, periods := range want {
		for p, cats := range periods {
			if len(p) != len("2026-11") {
				continue
			}
			for c, v := range cats {
				if v != 0 {
					monthly[u+"|"+p+"|"+c] = v
				}
			}
		}
	}
	var diffs []string
	waitFor(t, 60*time.Second, "Postgres equals the truth", func() (bool, string) {
		diffs = diffs[:0]
		got := map[string]int64{}
		rows, err := conn.Query(ctx, `SELECT user_id, to_char(posted_at AT TIME ZONE 'Asia/Bangkok', 'YYYY-MM'), category, sum(spend_minor)
			FROM transactions GROUP BY 1, 2, 3 HAVING sum(spend_minor) <> 0`)
		if err != nil {
			return false, err.Error()
		}
		for rows.Next() {
			var u, p, c string
			var v int64
			if err := rows.Scan(&u, &p, &c, &v); err != nil {
				return false, err.Error()
			}
			got[u+"|"+p+"|"+c] = v
		}
		if err := rows.Err(); err != nil {
			return false, err.Error()
		}
		for k, v := range monthly {
			if got[k] != v {
				diffs = append(diffs, fmt.Sprintf("transactions %s: %d, truth %d", k, got[k], v))
			}
		}
		for k, v := range got {
			if _, ok := monthly[k]; !ok {
				diffs = append(diffs, fmt.Sprintf("transactions %s: %d, truth 0", k, v))
			}
		}
		brows, err := conn.Query(ctx, `SELECT user_id, period_key, spent_minor FROM budgets WHERE kind = 'personal' AND category = 'groceries'`)
		if err != nil {
			return false, err.Error()
		}
		budgets := 0
		for brows.Next() {
			var u, p string
			var v int64
			if err := brows.Scan(&u, &p, &v); err != nil {
				return false, err.Error()
			}
			budgets++
			if v != monthly[u+"|"+p+"|groceries"] {
				diffs = append(diffs, fmt.Sprintf("budget %s:groceries %s: %d, truth %d", u, p, v, monthly[u+"|"+p+"|groceries"]))
			}
		}
		if err := brows.Err(); err != nil {
			return false, err.Error()
		}
		if budgets == 0 {
			return false, "no budget row yet"
		}
		if len(diffs) > 0 {
			return false, fmt.Sprintf("%d differences, first %s", len(diffs), diffs[0])
		}
		return true, fmt.Sprintf("%d totals and %d budgets", len(monthly), budgets)
	})
	t.Logf("Postgres: %d user/month/category totals equal the truth", len(monthly))
}
