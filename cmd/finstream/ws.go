package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/lovoo/goka"
	"github.com/lovoo/goka/storage"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/twmb/franz-go/pkg/kgo"
	"golang.org/x/sync/errgroup"

	"finstream/processors"
	"finstream/processors/event"
	"finstream/processors/shared"
	"finstream/topics"
	"finstream/wsfanout"
)

// sharedBudgets is the hub's BudgetSource: the shared-budget table's view.
type sharedBudgets struct {
	view *goka.View
	now  func() time.Time
}

// Budget returns the participants and a snapshot of a shared budget.
func (s sharedBudgets) Budget(_ context.Context, id string) (wsfanout.Snapshot, error) {
	v, err := s.view.Get(id)
	if err != nil {
		return wsfanout.Snapshot{}, fmt.Errorf("read shared budget %q: %w", id, err)
	}
	b, ok := v.(shared.Budget)
	if !ok {
		return wsfanout.Snapshot{}, nil
	}
	parts := map[string]string{}
	for u, m := range b.Members {
		if m.Role != "" {
			parts[u] = string(m.Role)
		}
	}
	state, err := json.Marshal(b.View(s.now()))
	return wsfanout.Snapshot{Found: true, Version: b.Version, Participants: parts, State: state}, err
}

// startWS serves the WebSocket fanout: the hub, a tailer of
// finstream.budget.updates and of each user feed (notifications, insights,
// goal events) (each
// instance reads every partition, no consumer group, so several instances
// behind a load balancer all work). The caller mounts the returned hub.
func startWS(ctx context.Context, g *errgroup.Group, brokers []string, c *processors.Codecs, sharedView *goka.View,
	o *options, reg prometheus.Registerer, log *slog.Logger) (*wsfanout.Hub, error) {
	tokens, err := o.tokens(ctx)
	if err != nil {
		return nil, err
	}
	hub, err := wsfanout.New(wsfanout.Config{Tokens: tokens, Limits: &o.auth.ws, Budgets: sharedBudgets{sharedView, time.Now}, Logger: log, Metrics: reg})
	if err != nil {
		return nil, err
	}
	g.Go(func() error { return hub.Run(ctx) })
	g.Go(func() error {
		return wsfanout.Tail(ctx, brokers, o.names.BudgetUpdates, wsfanout.CodecDecoder(c.BudgetUpdates), hub, o.kafka.Opts()...)
	})
	for _, f := range userFeeds(c, o.names) {
		g.Go(func() error { return tailUserFeed(ctx, brokers, o.kafka.Opts(), f, hub, log) })
	}
	return hub, nil
}

// userFeed is a topic whose records go to one user's online devices as
// "notification" messages; Source tells the client what changed
// ("notification", "insight", "goal") so it can refresh that part.
type userFeed struct {
	topic, source string
	codec         goka.Codec
	user          func(v any) string
	// send delivers v to the user's devices. Nil: a "notification" of
	// feedMessage{source, v}.
	send func(hub *wsfanout.Hub, user string, v any) error
}

func userFeeds(c *processors.Codecs, n topics.Names) []userFeed {
	return []userFeed{
		{n.Notifications, "notification", c.Copilot.Notifications, func(v any) string { return v.(event.Notification).UserID }, nil},
		{n.Insights, "insight", c.Copilot.Insights, func(v any) string { return v.(event.Insight).UserID }, nil},
		{n.GoalEvents, "goal", c.Copilot.GoalEvents, func(v any) string { return v.(event.GoalEvent).UserID }, nil},
		assistantFeed(c),
	}
}

// feedMessage is the data of a "notification" message from a user feed.
type feedMessage struct {
	Source string `json:"source"`
	Data   any    `json:"data"`
}

// tailUserFeed pushes every new record of f.topic to its user's online
// devices (no consumer group: each instance reads every partition).
func tailUserFeed(ctx context.Context, brokers []string, opts []kgo.Opt, f userFeed, hub *wsfanout.Hub, log *slog.Logger) error {
	cl, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(brokers...), kgo.ConsumeTopics(f.topic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtEnd()), kgo.FetchMaxWait(time.Second)}, opts...)...)
	if err != nil {
		return fmt.Errorf("tail %s: %w", f.topic, err)
	}
	defer cl.Close()
	for {
		fs := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			return nil
		}
		fs.EachRecord(func(r *kgo.Record) {
			v, err := f.codec.Decode(r.Value)
			if err != nil {
				log.Warn("undecodable record", "topic", f.topic, "partition", r.Partition, "offset", r.Offset, "err", err)
				return
			}
			send := f.send
			if send == nil {
				send = func(hub *wsfanout.Hub, user string, v any) error {
					return hub.Notify(user, feedMessage{Source: f.source, Data: v})
				}
			}
			if err := send(hub, f.user(v), v); err != nil {
				log.Warn("notify", "topic", f.topic, "err", err)
			}
		})
	}
}

func cmdWSFanout(ctx context.Context, args []string, stderr io.Writer) error {
	fs := newFlagSet("wsfanout", "Runs the WebSocket fanout (GET /v1/ws) alone: it tails finstream.budget.updates and\nfinstream.notifications itself, so several instances can run behind a load balancer.", stderr)
	var o options
	o.kafkaFlags(fs, "127.0.0.1:9092", "http://127.0.0.1:8081")
	o.topicFlags(fs)
	o.opsFlags(fs)
	o.logFlags(fs)
	fs.StringVar(&o.listen, "listen", "127.0.0.1:8090", "public address of /v1/ws, /healthz and /readyz (/metrics is on --ops-listen)")
	fs.BoolVar(&o.dev, "dev", false, "use the development JWT secret when FINSTREAM_JWT_SECRET is unset")
	o.auth.tokenFlags(fs)
	o.auth.wsLimitFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	r, err := o.setupRole(ctx, stderr, true, o.listenCheck, o.opsListenCheck, o.topicsCheck, o.secretCheck)
	if err != nil {
		return err
	}
	log, brokers, c, metrics := r.log, r.brokers, r.codecs, r.metrics
	if err := o.ensureTopics(ctx, brokers, log); err != nil {
		return err
	}
	view, err := newView(brokers, &o.kafka, topics.Table(o.names.GroupShared), c.SharedTable, storage.MemoryBuilder(), o.flush)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return view.Run(gctx) })
	hub, err := startWS(gctx, g, brokers, c, view, &o, metrics, log)
	if err != nil {
		return err
	}
	if err := o.serveOps(gctx, g, groupsOpsMux(gctx, g, metrics, viewsReport([]*goka.View{view}), log), log); err != nil {
		return err
	}
	mux := http.NewServeMux()
	probes(mux, view.Recovered)
	mux.Handle("GET /v1/ws", hub)
	serve, err := serveHTTP(gctx, "wsfanout", o.listen, mux, log)
	if err != nil {
		return err
	}
	g.Go(serve)
	if err := g.Wait(); err != nil && ctx.Err() == nil {
		return err
	}
	return nil
}
