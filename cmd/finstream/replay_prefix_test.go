package main

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"

	"finstream/processors/event"
	"finstream/sinks/pgtest"
	"finstream/topics"
)

// A replay as an operator runs it (--group-prefix): beside a running
// deployment (processors, api and sink as processes, under simulated load
// with the source's truth), a second generation of processors, api and
// sink under a prefix reads the same CDC and commands from the start into
// fresh groups, tables and topics, and its sink into a fresh database.
// Then the replay's API and Postgres equal the truth, it fired every
// first-crossing alert id of the running generation, every budget reads
// the same, and the running generation's topics got not one record from it.
func TestGroupPrefixReplaysBesideTheRunningGeneration(t *testing.T) {
	if testing.Short() {
		t.Skip("long system test")
	}
	dbLive, dbReplay := pgtest.NewDatabase(t), pgtest.NewDatabase(t)
	n := &node{t: t, broker: freeAddr(t), registry: freeAddr(t)}
	brk := startRole(t, "broker", false, "--data-dir", t.TempDir(), "--broker-listen", n.broker, "--registry-listen", n.registry)
	brk.waitReady(t)
	kafka := []string{"--brokers", n.broker, "--registry", "http://" + n.registry}
	n.listen = startGeneration(t, kafka, dbLive)

	const users, budgetUsers = 200, 40
	seedCrashBudgets(t, n, budgetUsers)
	sim := startTruthSimulation(t, n.broker, users, 10_000, 4_000)
	want := sim.check(t, n, users, budgetUsers)
	checkPostgresAgainstTruth(t, dbLive, want)
	// The totals are the hot path's; insights and notifications come later.
	waitNoLag(t, n, topics.Default())
	before := derivedEnds(t, n, topics.Default())

	gen, err := topics.Generation("replay1.")
	if err != nil {
		t.Fatal(err)
	}
	r := &node{t: t, broker: n.broker, registry: n.registry, names: gen}
	r.listen = startGeneration(t, append(kafka, "--group-prefix", gen.Prefix), dbReplay)
	checkAgainstTruth(t, r, want, budgetUsers)
	checkPostgresAgainstTruth(t, dbReplay, want)

	live, replay := alertsByID(n), alertsByID(r)
	firsts, transient, reached := 0, 0, 0
	for id, a := range live {
		if !strings.HasSuffix(id, "|1") {
			continue // a repeated crossing depends on arrival order (README)
		}
		b, ok := replay[id]
		if reachedAtEnd(want, a) {
			reached++
		} else if !ok {
			// The period ends under the threshold: the live generation
			// crossed it only for a while, a spend counted before a reversal
			// that the replay counted after it (README, "Replay and alert
			// identity"). A threshold the period's final spend reaches is
			// crossed in every run.
			transient++
			continue
		}
		firsts++
		switch {
		case !ok:
			t.Errorf("alert %s of the running generation not fired by the replay; the running generation's of its period:\n%s\nthe replay's:\n%s",
				id, periodAlerts(live, a), periodAlerts(replay, a))
		case a.UserID != b.UserID || a.BudgetID != b.BudgetID || a.PeriodKey != b.PeriodKey || a.ThresholdBP != b.ThresholdBP:
			t.Errorf("alert %s differs:\n%+v\n%+v", id, a, b)
		}
	}
	for i := 1; i <= budgetUsers; i++ {
		u := fmt.Sprintf("USR-%06d", i)
		if a, b := settledBudgets(t, n, u), settledBudgets(t, r, u); !reflect.DeepEqual(a, b) {
			t.Errorf("%s budgets differ:\nrunning %v\nreplay  %v", u, a, b)
		}
	}
	if after := derivedEnds(t, n, topics.Default()); !reflect.DeepEqual(before, after) {
		t.Errorf("the replay wrote to the running generation's topics: end offsets %v, then %v", before, after)
	}
	if reached == 0 { // the truth's keys are the alerts' (user, period, category)
		t.Fatalf("none of %d first crossings reached by the truth's final spend", firsts)
	}
	t.Logf("replay: %d first-crossing alert ids of the running generation, all fired again; %d more crossed only for a while in the running one; %d and %d alert ids in all",
		firsts, transient, len(live), len(replay))
}

// reachedAtEnd says whether the truth's final spend of a's user, period and
// category reaches a's threshold of a's limit.
func reachedAtEnd(want map[string]map[string]map[string]int64, a event.Alert) bool {
	return want[a.UserID][a.PeriodKey][a.Category]*10_000 >= a.ThresholdBP*a.LimitMinor
}

// startGeneration starts processors, api and sink with args (the Kafka
// flags and any --group-prefix), the sink into dbURL, waits until they are
// ready and returns the API's address.
func startGeneration(t *testing.T, args []string, dbURL string) string {
	t.Helper()
	ps := []*roleProc{
		startRole(t, "processors", false, append(args, "--data-dir", t.TempDir())...),
		startRole(t, "api", true, append(args, "--dev", "--rate-user", "-1", "--rate-ip", "-1")...),
		startRole(t, "sink", false, append(args, "--database-url", dbURL)...),
	}
	for _, p := range ps {
		p.waitReady(t)
	}
	return ps[1].public
}

// derivedEnds are the end offsets of the topics the generation g writes
// (every one but the shared inputs), by topic.
func derivedEnds(t *testing.T, n *node, g topics.Names) map[string]int64 {
	t.Helper()
	inputs := map[string]bool{topics.CDCTransactions: true, topics.CDCAccounts: true, topics.CommandsTxn: true, topics.CommandsUser: true,
		topics.CommandsShared: true, topics.CommandsGoals: true, topics.CommandsNotify: true, topics.AssistantAudit: true, topics.Schemas: true}
	var names []string
	for _, tp := range g.All(0) {
		if !inputs[tp.Name] {
			names = append(names, tp.Name)
		}
	}
	ends, err := kadm.NewClient(n.client()).ListEndOffsets(context.Background(), names...)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	ends.Each(func(o kadm.ListedOffset) { out[o.Topic] += o.Offset })
	return out
}

// waitNoLag waits until every processor group of g has read and committed
// all of its input, twice in a row: the generation has no more of its own
// to write.
func waitNoLag(t *testing.T, n *node, g topics.Names) {
	t.Helper()
	adm := kadm.NewClient(n.client())
	still := 0
	waitFor(t, 60*time.Second, "no lag in "+g.Prefix+"'s groups", func() (bool, string) {
		lags, err := adm.Lag(context.Background(), g.ProcessorGroups()...)
		if err == nil {
			err = lags.Error()
		}
		if err != nil {
			still = 0
			return false, err.Error()
		}
		var total int64
		lags.Each(func(l kadm.DescribedGroupLag) { total += l.Lag.Total() })
		if total > 0 {
			still = 0
			return false, fmt.Sprintf("%d records behind", total)
		}
		still++
		return still >= 2, "no lag"
	})
}

// alertsByID are n's alerts by id (copies of one id have the same content:
// checkAgainstTruth checks it).
func alertsByID(n *node) map[string]event.Alert {
	out := map[string]event.Alert{}
	for _, a := range n.alerts() {
		out[a.AlertID] = a
	}
	return out
}

// periodAlerts lists the alerts of as in a's user, budget and period.
func periodAlerts(as map[string]event.Alert, a event.Alert) string {
	var out []string
	for id, b := range as {
		if b.UserID == a.UserID && b.BudgetID == a.BudgetID && b.PeriodKey == a.PeriodKey {
			out = append(out, fmt.Sprintf("  %s used %d txn %s at %s", id, b.UsedBP, b.TxnID, b.EventTime.Format(time.RFC3339)))
		}
	}
	slices.Sort(out)
	return strings.Join(out, "\n")
}
