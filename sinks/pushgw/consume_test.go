package pushgw

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"

	"finstream/processors/event"
)

const topic, group = "finstream.notifications", "finstream-push"

// waitFor polls cond until it holds or d passes.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		<-tick.C
	}
}

// committed is the group's committed offsets summed over partitions, and
// the topic's end offsets summed.
func committed(t *testing.T, adm *kadm.Client) (got, end int64) {
	t.Helper()
	ctx := context.Background()
	offs, err := adm.FetchOffsets(ctx, group)
	if err != nil {
		t.Fatal(err)
	}
	ends, err := adm.ListEndOffsets(ctx, topic)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []int32{0, 1} {
		if o, ok := offs.Lookup(topic, p); ok && o.Err == nil {
			got += o.At
		}
		if e, ok := ends.Lookup(topic, p); ok {
			end += e.Offset
		}
	}
	return got, end
}

// The gateway is down while a consumer runs and is stopped; no
// notification is committed. A new consumer of the group delivers everything once the
// gateway is back, in order per user, and commits to the end.
func TestConsumeCommitsOnlyDelivered(t *testing.T) {
	cluster, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(2, topic))
	if err != nil {
		t.Fatal(err)
	}
	defer cluster.Close()
	seeds := kgo.SeedBrokers(cluster.ListenAddrs()...)
	prod, err := kgo.NewClient(seeds, kgo.DefaultProduceTopic(topic))
	if err != nil {
		t.Fatal(err)
	}
	defer prod.Close()
	// An undecodable record, first of its partition, goes to the DLQ at
	// once and is committed: it does not wait for the gateway.
	if err := prod.ProduceSync(context.Background(), &kgo.Record{Key: []byte("USR-9"), Value: []byte("not json")}).FirstErr(); err != nil {
		t.Fatal(err)
	}
	var sent []event.Notification
	for i := range 4 {
		for _, u := range []string{"USR-1", "USR-2", "USR-3"} {
			n := notification(u, i)
			b, _ := json.Marshal(n)
			if err := prod.ProduceSync(context.Background(), &kgo.Record{Key: []byte(u), Value: b}).FirstErr(); err != nil {
				t.Fatal(err)
			}
			sent = append(sent, n)
		}
	}
	adm := kadm.NewClient(prod)

	gw := newGateway(1 << 30) // down
	srv := httptest.NewServer(gw)
	defer srv.Close()
	s := sender(t, srv.URL, &dlq{reasons: map[string]string{}})
	decode := func(b []byte) (event.Notification, error) {
		var n event.Notification
		return n, json.Unmarshal(b, &n)
	}
	var bad, refused []string // dlq runs on Consume's goroutine, read after it returned
	onBad := func(_ context.Context, r *kgo.Record, reason string) error {
		switch {
		case strings.HasPrefix(reason, "decode notification: "):
			bad = append(bad, string(r.Key))
		case strings.Contains(reason, "refused with 400"):
			var n event.Notification
			_ = json.Unmarshal(r.Value, &n)
			refused = append(refused, n.NotificationID)
		}
		return nil
	}
	gw.refuse[sent[4].NotificationID] = true // the gateway does not know USR-2's device for this one
	run := func() (cancel func() error) {
		cl, err := kgo.NewClient(seeds, kgo.ConsumerGroup(group), kgo.ConsumeTopics(topic), kgo.DisableAutoCommit(),
			kgo.BlockRebalanceOnPoll(), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.FetchMaxWait(50*time.Millisecond))
		if err != nil {
			t.Fatal(err)
		}
		ctx, stop := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- Consume(ctx, cl, s, decode, onBad) }()
		return func() error {
			stop()
			err := <-done
			cl.Close()
			return err
		}
	}

	stop := run()
	waitFor(t, 10*time.Second, "attempts while the gateway is down", func() bool {
		gw.mu.Lock()
		defer gw.mu.Unlock()
		return len(gw.requests) >= 10
	})
	if err := stop(); err != nil {
		t.Fatalf("Consume: %v", err)
	}
	if got, _ := committed(t, adm); got != 1 {
		t.Fatalf("committed %d offsets while nothing was delivered, want 1 (the DLQ'd record)", got)
	}

	gw.mu.Lock()
	gw.failFirst = 0 // back up
	gw.mu.Unlock()
	stop = run()
	waitFor(t, 10*time.Second, "every offset committed", func() bool {
		got, end := committed(t, adm)
		return got == end
	})
	if err := stop(); err != nil {
		t.Fatalf("Consume: %v", err)
	}
	gw.mu.Lock()
	defer gw.mu.Unlock()
	for _, u := range []string{"USR-1", "USR-2", "USR-3"} {
		var want []string
		for _, n := range sent {
			if n.UserID == u && n.NotificationID != sent[4].NotificationID {
				want = append(want, n.NotificationID)
			}
		}
		if got := gw.shown[u]; strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s was shown %v, want %v", u, got, want)
		}
	}
	for key, n := range gw.accepted {
		if n != 1 {
			t.Errorf("%s accepted %d times", key, n)
		}
	}
	if len(bad) != 1 || bad[0] != "USR-9" || len(refused) != 1 || refused[0] != sent[4].NotificationID {
		t.Errorf("DLQ got undecodable %v, refused %v", bad, refused)
	}
}
