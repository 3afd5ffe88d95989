package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"time"

	"github.com/lovoo/goka"
	"github.com/lovoo/goka/storage"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/twmb/franz-go/pkg/kgo"
	"golang.org/x/sync/errgroup"

	"finstream/api"
	"finstream/api/dashboard"
	"finstream/avro"
	"finstream/kafkasec"
	"finstream/processors"
	"finstream/processors/event"
	"finstream/sinks/pushgw"
	"finstream/topics"
)

// serveHTTP serves h on addr until ctx is cancelled, then shuts down within
// 10 seconds. The listener is bound before it returns, so a bad or busy
// address fails at once.
func serveHTTP(ctx context.Context, name, addr string, h http.Handler, log *slog.Logger) (run func() error, err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("%s listen %s: %w", name, addr, err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	log.Info(name+" listening", "addr", ln.Addr().String())
	return func() error {
		errc := make(chan error, 1)
		go func() { errc <- srv.Serve(ln) }()
		select {
		case err := <-errc:
			return fmt.Errorf("%s: %w", name, err)
		case <-ctx.Done():
		}
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err := srv.Shutdown(sctx)
		if e := <-errc; e != nil && !errors.Is(e, http.ErrServerClosed) && err == nil {
			err = e
		}
		return err
	}, nil
}

// codecs registers the internal schemas, retrying while the registry starts.
func codecs(ctx context.Context, reg *avro.Client, log *slog.Logger) (*processors.Codecs, error) {
	for attempt := 1; ; attempt++ {
		c, err := processors.NewCodecs(ctx, reg)
		if err == nil {
			return c, nil
		}
		if refused := registryRefused(err); refused != nil {
			return nil, refused
		}
		if attempt >= 30 || ctx.Err() != nil {
			return nil, fmt.Errorf("register schemas: %w", err)
		}
		log.Warn("schema registry not reachable yet, retrying", "err", err)
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
}

// apiPart is the API over views of the users and shared tables and
// emitters of user and shared commands.
type apiPart struct {
	views    []*goka.View
	emitters []*goka.Emitter
	users    *goka.View
	shared   *goka.View
	server   *api.Server
	ready    readiness // every view has recovered
	gate     *api.Gate // the Server's: mount History with it
	asst     *api.Assistant
}

// run runs the views until ctx ends; emitters are finished on return.
func (p *apiPart) run(ctx context.Context) error {
	defer func() {
		p.asst.Close() // escalations in flight first
		for _, e := range p.emitters {
			_ = e.Finish()
		}
	}()
	g, gctx := errgroup.WithContext(ctx)
	for _, v := range p.views {
		g.Go(func() error { return v.Run(gctx) })
	}
	return g.Wait()
}

func newView(brokers []string, sec *kafkasec.Config, table string, codec goka.Codec, sb storage.Builder, flush time.Duration) (*goka.View, error) {
	v, err := goka.NewView(brokers, goka.Table(table), codec,
		goka.WithViewHasher(topics.Hasher()),
		goka.WithViewStorageBuilder(sb),
		goka.WithViewConsumerSaramaBuilder(goka.SaramaConsumerBuilderWithConfig(sec.Sarama(processors.SaramaConfig(flush)))),
		goka.WithViewTopicManagerBuilder(processors.TopicManagerBuilder(sec.Sarama(processors.SaramaConfig(flush)))),
		goka.WithViewAutoReconnect(),
	)
	if err != nil {
		return nil, fmt.Errorf("view of %s: %w", table, err)
	}
	return v, nil
}

func newEmitter(brokers []string, sec *kafkasec.Config, topic string, codec goka.Codec) (*goka.Emitter, error) {
	em, err := goka.NewEmitter(brokers, goka.Stream(topic), codec,
		goka.WithEmitterHasher(topics.Hasher()),
		goka.WithEmitterProducerBuilder(goka.ProducerBuilderWithConfig(sec.Sarama(processors.SaramaConfig(time.Millisecond)))),
		goka.WithEmitterTopicManagerBuilder(processors.TopicManagerBuilder(sec.Sarama(processors.SaramaConfig(time.Millisecond)))),
	)
	if err != nil {
		return nil, fmt.Errorf("emitter of %s: %w", topic, err)
	}
	return em, nil
}

func newAPIPart(ctx context.Context, brokers []string, c *processors.Codecs, dataDir string, o *options, gather *prometheus.Registry, log *slog.Logger) (*apiPart, error) {
	gate, err := o.gate(ctx, gather)
	if err != nil {
		return nil, err
	}
	sb := storage.MemoryBuilder()
	if dataDir != "" {
		sb = processors.StorageBuilder(filepath.Join(dataDir, "goka-views"), o.leveldbKiB<<10)
	}
	p := &apiPart{gate: gate}
	cc, n := c.Copilot, o.names
	var insightsView, goalsView, notifyView, accountsView, txnsView, alertsView, memoryView *goka.View
	for _, v := range []struct {
		dst   **goka.View
		table string
		codec goka.Codec
	}{
		{&p.users, topics.Table(n.GroupUsers), c.UsersTable},
		{&p.shared, topics.Table(n.GroupShared), c.SharedTable},
		{&insightsView, topics.Table(n.GroupInsights), cc.InsightsTable},
		{&goalsView, topics.Table(n.GroupGoals), cc.GoalsTable},
		{&notifyView, topics.Table(n.GroupNotifications), cc.NotificationsTable},
		{&accountsView, topics.Table(n.GroupAccounts), c.AccountsTable},
		{&txnsView, topics.Table(n.GroupTxns), c.TxnsTable},
		{&alertsView, topics.Table(n.GroupAlerts), c.AlertsTable},
		{&memoryView, topics.Table(n.GroupAssistant), c.AssistantTable},
	} {
		if *v.dst, err = newView(brokers, &o.kafka, v.table, v.codec, sb, o.flush); err != nil {
			return nil, err
		}
	}
	p.views = []*goka.View{p.users, p.shared, insightsView, goalsView, notifyView, accountsView, txnsView, alertsView, memoryView}
	p.ready = func() bool {
		for _, v := range p.views {
			if !v.Recovered() {
				return false
			}
		}
		return true
	}
	var userCmds, sharedCmds, goalCmds, notifyCmds, txnCmds *goka.Emitter
	for _, e := range []struct {
		dst   **goka.Emitter
		topic string
		codec goka.Codec
	}{
		{&userCmds, topics.CommandsUser, c.CommandsUser},
		{&sharedCmds, topics.CommandsShared, c.SharedCommands},
		{&goalCmds, topics.CommandsGoals, cc.GoalCommands},
		{&notifyCmds, topics.CommandsNotify, cc.NotifyCommands},
		{&txnCmds, topics.CommandsTxn, c.CommandsTxn},
	} {
		if *e.dst, err = newEmitter(brokers, &o.kafka, e.topic, e.codec); err != nil {
			return nil, err
		}
	}
	p.emitters = []*goka.Emitter{userCmds, sharedCmds, goalCmds, notifyCmds, txnCmds}
	p.server, err = api.New(api.Config{
		Users: p.users, Commands: userCmds, Shared: p.shared, SharedCommands: sharedCmds,
		Txns: txnsView, TxnCommands: txnCmds, Backfill: o.backfill,
		Gate: gate, Dev: o.dev, Logger: log, Ready: p.ready, Now: o.clock, TimeScale: o.timeScale,
	})
	if err != nil {
		return nil, err
	}
	copilot, err := api.NewCopilot(api.CopilotConfig{Gate: gate, Insights: insightsView, Goals: goalsView,
		Notifications: notifyView, Accounts: accountsView, Alerts: alertsView, GoalCommands: goalCmds, NotifyCommands: notifyCmds, Logger: log, Now: o.clock})
	if err != nil {
		return nil, err
	}
	copilot.Mount(p.server.Handle)
	if p.asst, err = p.newAssistant(brokers, c, o, gate, goalsView, insightsView, memoryView, gather, log); err != nil {
		return nil, err
	}
	p.asst.Mount(p.server.Handle)
	dash := dashboard.Handler(o.dev)
	p.server.Handle("GET /{$}", dash)
	p.server.Handle("GET /assets/", dash)
	return p, nil
}

// startPush delivers finstream.notifications to the push gateway at url:
// HTTP POST with retries; offsets are committed only after delivery, and
// what the gateway refuses goes to finstream.dlq with the reason.
func startPush(ctx context.Context, g *errgroup.Group, brokers []string, sec *kafkasec.Config, n topics.Names, url string, c *processors.Codecs, reg prometheus.Registerer, log *slog.Logger) error {
	sender, err := pushgw.New(pushgw.Config{URL: url, Metrics: pushgw.NewMetrics(reg), Logger: log})
	if err != nil {
		return badConfig("--push-url: %v", err)
	}
	cl, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(brokers...), kgo.ConsumerGroup(n.GroupPush),
		kgo.ConsumeTopics(n.Notifications), kgo.DisableAutoCommit(), kgo.BlockRebalanceOnPoll(),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.SessionTimeout(processors.SessionTimeout), kgo.HeartbeatInterval(processors.HeartbeatInterval)}, sec.Opts()...)...)
	if err != nil {
		return fmt.Errorf("push consumer: %w", err)
	}
	decode := func(b []byte) (event.Notification, error) {
		v, err := c.Copilot.Notifications.Decode(b)
		if err != nil {
			return event.Notification{}, err
		}
		return v.(event.Notification), nil
	}
	dlq := func(ctx context.Context, r *kgo.Record, reason string) error {
		h := processors.DLQHeaders(reason, fmt.Errorf("push gateway: %s", reason), r.Topic, r.Partition, r.Offset)
		rec := &kgo.Record{Topic: n.DLQ, Key: r.Key, Value: r.Value}
		for k, v := range h {
			rec.Headers = append(rec.Headers, kgo.RecordHeader{Key: k, Value: v})
		}
		return cl.ProduceSync(ctx, rec).FirstErr()
	}
	g.Go(func() error {
		defer cl.Close()
		return pushgw.Consume(ctx, cl, sender, decode, dlq)
	})
	return nil
}
