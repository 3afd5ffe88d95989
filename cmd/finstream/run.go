package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/lovoo/goka"

	"golang.org/x/sync/errgroup"

	"finstream/api"
	"finstream/avro"
	"finstream/processors"
)

func cmdRun(ctx context.Context, args []string, stderr io.Writer) error {
	fs := newFlagSet("run", "Runs everything in one process: the embedded broker (unless --brokers), the schema\nregistry (unless --registry), the processors, the API and, with --simulate, CDC traffic.", stderr)
	var o options
	o.dataFlags(fs)
	o.brokerFlags(fs)
	o.kafkaFlags(fs, "", "")
	o.processorFlags(fs)
	o.apiFlags(fs)
	o.opsFlags(fs)
	o.replicationFlag(fs)
	o.auth.wsLimitFlags(fs)
	o.logFlags(fs)
	fs.Float64Var(&o.simulate, "simulate", 0, "simulate core-banking CDC traffic at this many events per second (0: off)")
	simUsers := fs.Int("simulate-users", 1000, "number of simulated users with --simulate")
	var so sinkOptions
	so.flags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	log, err := o.logger(stderr)
	if err != nil {
		return err
	}
	if o.simulate < 0 {
		return badConfig("--simulate %v: want a rate >= 0", o.simulate)
	}
	if err := o.topicsCheck(); err != nil {
		return err
	}
	for name, addr := range map[string]string{"listen": o.listen, "registry-listen": o.registryListen, "ops-listen": o.opsListen} {
		if err := checkAddr(name, addr); err != nil {
			return err
		}
	}
	if err := o.secretCheck(); err != nil {
		return err
	}
	if err := o.assistantCheck(); err != nil {
		return err
	}
	dataDir, err := o.ensureDataDir()
	if err != nil {
		return err
	}

	// The embedded broker, or an external Kafka.
	var brokers []string
	var cluster *embeddedBroker
	if o.brokers == "" {
		cluster, err = startBroker(ctx, brokerConfig{Dir: dataDir, Addr: o.brokerListen, Partitions: o.partitions}, log)
		if err != nil {
			return err
		}
		defer cluster.Close() // saves the broker's state: last to stop
		brokers = cluster.ListenAddrs()
	} else {
		if brokers, err = o.brokerList(); err != nil {
			return err
		}
		if err := o.ensureTopics(ctx, brokers, log); err != nil {
			return err
		}
	}

	g, gctx := errgroup.WithContext(ctx)

	// The in-process schema registry, or an external one.
	regURL := o.registry
	if regURL == "" {
		reg, err := avro.NewRegistry(ctx, avro.RegistryConfig{Brokers: brokers, Logger: log})
		if err != nil {
			return fmt.Errorf("schema registry: %w", err)
		}
		defer reg.Close()
		serve, err := serveHTTP(gctx, "schema registry", o.registryListen, reg, log)
		if err != nil {
			return err
		}
		g.Go(serve)
		regURL = "http://" + o.registryListen
	}
	regClient, err := registryClient(regURL)
	if err != nil {
		return err
	}
	c, err := codecs(ctx, regClient, log)
	if err != nil {
		return err
	}

	metrics := newMetricsRegistry()
	pm := processors.NewMetrics(metrics)

	procs, err := processors.New(processors.Config{
		Brokers: brokers, StorageDir: dataDir, FlushInterval: o.flush, Codecs: c, Logger: log,
	}, pm)
	if err != nil {
		return err
	}
	g.Go(func() error { return processors.RunProcessors(gctx, procs, func() { log.Info("processors ready") }) })

	ap, err := newAPIPart(ctx, brokers, c, dataDir, &o, metrics, log)
	if err != nil {
		return err
	}
	g.Go(func() error { return ap.run(gctx) })
	ops := groupsOpsMux(gctx, g, metrics, processorsReport(procs).and(viewsReport(ap.views)), log)
	if _, err := startLag(gctx, g, brokers, ops, metrics, log); err != nil {
		return err
	}
	if err := o.serveOps(gctx, g, ops, log); err != nil {
		return err
	}
	hub, err := startWS(gctx, g, brokers, c, ap.shared, &o, metrics, log)
	if err != nil {
		return err
	}
	ap.server.Handle("GET /v1/ws", hub)
	if o.databaseURL != "" {
		sp, err := newSinkPart(ctx, o.databaseURL, so, brokers, regClient, metrics, log)
		if err != nil {
			return err
		}
		defer sp.pool.Close()
		g.Go(func() error { return sp.sink.Run(gctx) })
		hist, err := sp.history(ap.gate, log)
		if err != nil {
			return err
		}
		hist.Mount(ap.server.Handle)
	} else {
		api.MountHistoryUnavailable(ap.server.Handle)
	}
	if o.pushURL != "" {
		if err := startPush(gctx, g, brokers, o.pushURL, c, metrics, log); err != nil {
			return err
		}
	}
	serve, err := serveHTTP(gctx, "api", o.listen, ap.handler(), log)
	if err != nil {
		return err
	}
	g.Go(serve)

	if o.simulate > 0 {
		sim := simConfig(o.simulate, *simUsers)
		g.Go(func() error { return seedDemoBudgets(gctx, sim, ap.users, ap.emitters[0], log) })
		g.Go(func() error { return simulate(gctx, brokers, regClient, sim, log) })
	}
	log.Info("finstream running", "api", "http://"+o.listen, "ops", "http://"+o.opsListen, "brokers", brokers, "registry", regURL, "simulate", o.simulate)
	err = g.Wait()
	if ctx.Err() != nil {
		log.Info("finstream stopped")
		return nil
	}
	return err
}

func cmdBroker(ctx context.Context, args []string, stderr io.Writer) error {
	fs := newFlagSet("broker", "Runs the embedded Kafka-protocol broker (kfake, persisted under --data-dir) with\nevery finstream topic created, and the in-process schema registry.", stderr)
	var o options
	o.dataFlags(fs)
	o.brokerFlags(fs)
	o.opsFlags(fs)
	o.logFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	log, err := o.logger(stderr)
	if err != nil {
		return err
	}
	for name, addr := range map[string]string{"registry-listen": o.registryListen, "ops-listen": o.opsListen} {
		if err := checkAddr(name, addr); err != nil {
			return err
		}
	}
	dataDir, err := o.ensureDataDir()
	if err != nil {
		return err
	}
	cluster, err := startBroker(ctx, brokerConfig{Dir: dataDir, Addr: o.brokerListen, Partitions: o.partitions}, log)
	if err != nil {
		return err
	}
	defer cluster.Close()
	reg, err := avro.NewRegistry(ctx, avro.RegistryConfig{Brokers: cluster.ListenAddrs(), Logger: log})
	if err != nil {
		return fmt.Errorf("schema registry: %w", err)
	}
	defer reg.Close()
	g, gctx := errgroup.WithContext(ctx)
	serve, err := serveHTTP(gctx, "schema registry", o.registryListen, reg, log)
	if err != nil {
		return err
	}
	g.Go(serve)
	if err := o.serveOps(gctx, g, opsMux(newMetricsRegistry(), nil), log); err != nil {
		return err
	}
	return g.Wait()
}

func cmdProcessors(ctx context.Context, args []string, stderr io.Writer) error {
	fs := newFlagSet("processors", "Runs finstream's goka processors against --brokers.", stderr)
	var o options
	o.dataFlags(fs)
	o.kafkaFlags(fs, "127.0.0.1:9092", "http://127.0.0.1:8081")
	o.processorFlags(fs)
	o.topicFlags(fs)
	o.opsFlags(fs)
	o.logFlags(fs)
	groups := fs.String("groups", "", "comma-separated groups to run (default: all), e.g. finstream-rekey-transactions,finstream-users")
	if err := parse(fs, args); err != nil {
		return err
	}
	var only []goka.Group
	for _, g := range strings.Split(*groups, ",") {
		if g = strings.TrimSpace(g); g != "" {
			if !strings.HasPrefix(g, "finstream-") {
				return badConfig("--groups: %q is not a finstream group", g)
			}
			only = append(only, goka.Group(g))
		}
	}
	r, err := o.setupRole(ctx, stderr, true, o.opsListenCheck, o.topicsCheck)
	if err != nil {
		return err
	}
	log, metrics := r.log, r.metrics
	dataDir, err := o.ensureDataDir()
	if err != nil {
		return err
	}
	if err := o.ensureTopics(ctx, r.brokers, log); err != nil {
		return err
	}
	pm := processors.NewMetrics(metrics)
	g, gctx := errgroup.WithContext(ctx)
	procs, err := processors.New(processors.Config{Brokers: r.brokers, StorageDir: dataDir, FlushInterval: o.flush, Codecs: r.codecs, Logger: log, Groups: only}, pm)
	if err != nil {
		return err
	}
	if err := o.serveOps(gctx, g, groupsOpsMux(gctx, g, metrics, processorsReport(procs), log), log); err != nil {
		return err
	}
	g.Go(func() error { return processors.RunProcessors(gctx, procs, func() { log.Info("processors ready") }) })
	if err := g.Wait(); err != nil && ctx.Err() == nil {
		return err
	}
	return nil
}

func cmdAPI(ctx context.Context, args []string, stderr io.Writer) error {
	fs := newFlagSet("api", "Runs the REST API (reads from the users table view, commands to Kafka).", stderr)
	var o options
	o.kafkaFlags(fs, "127.0.0.1:9092", "http://127.0.0.1:8081")
	o.apiFlags(fs)
	o.topicFlags(fs)
	o.opsFlags(fs)
	o.logFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	r, err := o.setupRole(ctx, stderr, true, o.listenCheck, o.opsListenCheck, o.topicsCheck, o.secretCheck, o.assistantCheck)
	if err != nil {
		return err
	}
	log, brokers, c, metrics := r.log, r.brokers, r.codecs, r.metrics
	if err := o.ensureTopics(ctx, brokers, log); err != nil {
		return err
	}
	ap, err := newAPIPart(ctx, brokers, c, "", &o, metrics, log)
	if err != nil {
		return err
	}
	if o.databaseURL != "" {
		hist, pool, err := openHistory(ctx, o.databaseURL, 0, ap.gate, log)
		if err != nil {
			return err
		}
		defer pool.Close()
		hist.Mount(ap.server.Handle)
	} else {
		api.MountHistoryUnavailable(ap.server.Handle)
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return ap.run(gctx) })
	ops := groupsOpsMux(gctx, g, metrics, viewsReport(ap.views), log)
	if _, err := startLag(gctx, g, brokers, ops, metrics, log); err != nil {
		return err
	}
	if err := o.serveOps(gctx, g, ops, log); err != nil {
		return err
	}
	serve, err := serveHTTP(gctx, "api", o.listen, ap.handler(), log)
	if err != nil {
		return err
	}
	g.Go(serve)
	if err := g.Wait(); err != nil && ctx.Err() == nil {
		return err
	}
	return nil
}
