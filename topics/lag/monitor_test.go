package lag_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"

	"finstream/topics/lag"
)

// eventually polls cond every 20 ms until it holds or d passes.
func eventually(t *testing.T, d time.Duration, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(d)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		ok, last := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s; last: %s", d, what, last)
		}
		<-tick.C
	}
}

func group(s lag.Snapshot, name string) (lag.GroupLag, bool) {
	for _, g := range s.Groups {
		if g.Group == name {
			return g, true
		}
	}
	return lag.GroupLag{}, false
}

func produce(t *testing.T, cl *kgo.Client, n int) {
	t.Helper()
	rs := make([]*kgo.Record, n)
	for i := range rs {
		rs[i] = &kgo.Record{Topic: "in", Key: []byte(fmt.Sprint(i)), Value: []byte("v")}
	}
	if err := cl.ProduceSync(context.Background(), rs...).FirstErr(); err != nil {
		t.Fatal(err)
	}
}

// consumer joins group on "in" and, unless stalled, consumes and commits
// every 100 ms until ctx is done.
func consumer(t *testing.T, ctx context.Context, brokers []string, group string, stalled bool) *kgo.Client {
	t.Helper()
	opts := []kgo.Opt{kgo.SeedBrokers(brokers...), kgo.ConsumerGroup(group), kgo.ConsumeTopics("in"),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.AutoCommitInterval(100 * time.Millisecond)}
	if stalled {
		opts = append(opts, kgo.DisableAutoCommit())
	}
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		for ctx.Err() == nil {
			if stalled { // a member that never gets anywhere: heartbeats only
				<-ctx.Done()
				return
			}
			cl.PollFetches(ctx)
		}
	}()
	return cl
}

// TestMonitorLiveBroker runs the Monitor on kfake over TCP with three
// consumer groups: one keeps up (OK), one consumed everything then left
// (its lag grows with production: STOP, group ERR), one is a member that
// never moves (STALL, group ERR). A group without the prefix is ignored.
func TestMonitorLiveBroker(t *testing.T) {
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(2, "in"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	brokers := c.ListenAddrs()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	prod, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.DefaultProduceTopic("in"))
	if err != nil {
		t.Fatal(err)
	}
	defer prod.Close()
	produce(t, prod, 100)

	// The group that stops: consume all 100, commit, leave.
	quitter, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.ConsumerGroup("finstream-test-stop"),
		kgo.ConsumeTopics("in"), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.DisableAutoCommit())
	if err != nil {
		t.Fatal(err)
	}
	for got := 0; got < 100; {
		fs := quitter.PollFetches(ctx)
		if err := fs.Err0(); err != nil {
			t.Fatal(err)
		}
		got += fs.NumRecords()
	}
	if err := quitter.CommitUncommittedOffsets(ctx); err != nil {
		t.Fatal(err)
	}
	quitter.Close()

	live := consumer(t, ctx, brokers, "finstream-test-live", false)
	defer live.Close()
	stall := consumer(t, ctx, brokers, "finstream-test-stall", true)
	defer stall.Close()
	other := consumer(t, ctx, brokers, "not-ours", false)
	defer other.Close()

	reg := prometheus.NewRegistry()
	m, err := lag.NewMonitor(lag.Config{Brokers: brokers, Window: 3, Registerer: reg})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	// A groupless tailer that read 3 records of partition 0 and stays there.
	if err := m.AddTailer(lag.Tailer{Name: "finstream-test-tailer", Positions: func() map[string]map[int32]int64 {
		return map[string]map[int32]int64{"in": {0: 3}}
	}}); err != nil {
		t.Fatal(err)
	}
	sample := func() lag.Snapshot {
		t.Helper()
		if err := m.Sample(ctx); err != nil {
			t.Fatal(err)
		}
		return m.Snapshot(false)
	}

	var stopLags []int64
	for round := range 5 {
		produce(t, prod, 10)
		// Sample until the live group has caught up with this round.
		eventually(t, 15*time.Second, "the live group to catch up", func() (bool, string) {
			g, ok := group(sample(), "finstream-test-live")
			return ok && g.LagMessages == 0 && len(g.Partitions) == 2, fmt.Sprintf("%+v", g)
		})
		g, _ := group(m.Snapshot(false), "finstream-test-stop")
		if g.LagMessages != int64(10*(round+1)) {
			t.Errorf("round %d: stopped group lag %d, want %d", round, g.LagMessages, 10*(round+1))
		}
		stopLags = append(stopLags, g.LagMessages)
	}
	s := sample()
	if _, ok := group(s, "not-ours"); ok {
		t.Error("a group without the finstream- prefix is watched")
	}
	liveG, _ := group(s, "finstream-test-live")
	if liveG.Status != lag.OK || liveG.Members != 1 || liveG.Partitions[0].ConsumerID == "" {
		t.Errorf("live group: %+v", liveG)
	}
	stopG, _ := group(s, "finstream-test-stop")
	if stopG.Status != lag.Err || stopG.Reason != lag.Stop || stopG.Members != 0 {
		t.Errorf("stopped group: status %s reason %s members %d, want ERR STOP 0 (lags %v)", stopG.Status, stopG.Reason, stopG.Members, stopLags)
	}
	if stopG.LagSeconds <= 0 {
		t.Errorf("stopped group lag seconds %v, want > 0", stopG.LagSeconds)
	}
	tailer, _ := group(s, "finstream-test-tailer")
	if tailer.Kind != lag.KindTailer || len(tailer.Partitions) != 1 || tailer.Partitions[0].CurrentOffset != 3 ||
		tailer.LagMessages == 0 || tailer.Reason != lag.Stall {
		t.Errorf("tailer: %+v", tailer)
	}
	eventually(t, 15*time.Second, "the stalled member to be STALL", func() (bool, string) {
		g, _ := group(sample(), "finstream-test-stall")
		return g.Status == lag.Err && g.Reason == lag.Stall, fmt.Sprintf("%+v", g)
	})

	gauges := gather(t, reg)
	for key, want := range map[string]float64{
		`finstream_consumer_status{group="finstream-test-live",status="OK"}`:                    1,
		`finstream_consumer_status{group="finstream-test-live",status="ERR"}`:                   0,
		`finstream_consumer_status{group="finstream-test-stop",status="ERR"}`:                   1,
		`finstream_consumer_status{group="finstream-test-stop",status="OK"}`:                    0,
		`finstream_consumer_status{group="finstream-test-stall",status="ERR"}`:                  1,
		`finstream_consumer_partitions{group="finstream-test-stop",status="STOP"}`:              2,
		`finstream_consumer_lag_messages{group="finstream-test-stop",partition="0",topic="in"}`: float64(stopG.Partitions[0].LagMessages),
	} {
		if got, ok := gauges[key]; !ok || got != want {
			t.Errorf("%s = %v (present %v), want %v", key, got, ok, want)
		}
	}
	n := 0
	for key := range gauges {
		if strings.HasPrefix(key, "finstream_consumer_lag_messages{") {
			n++
		}
	}
	if n != 7 {
		t.Errorf("%d lag_messages series, want 3 groups x 2 partitions + the tailer's 1", n)
	}
}

// gather returns every gauge of reg as `name{label="value",...}` → value,
// labels sorted by name as Prometheus does.
func gather(t *testing.T, reg *prometheus.Registry) map[string]float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, mf := range mfs {
		for _, mt := range mf.GetMetric() {
			var ls []string
			for _, l := range mt.GetLabel() {
				ls = append(ls, fmt.Sprintf("%s=%q", l.GetName(), l.GetValue()))
			}
			if g := mt.GetGauge(); g != nil {
				out[mf.GetName()+"{"+strings.Join(ls, ",")+"}"] = g.GetValue()
			}
		}
	}
	return out
}
