package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/lovoo/goka"

	"golang.org/x/sync/errgroup"

	"finstream/api"
	"finstream/avro"
	"finstream/benchmarks/loadgen"
	"finstream/processors"
	"finstream/topics"
)

func cmdRun(ctx context.Context, args []string, stderr io.Writer) error {
	fs := newFlagSet("run", "Runs everything in one process: the embedded broker (unless --brokers), the schema\nregistry (unless --registry), the processors, the API and, with --simulate, CDC traffic.", stderr)
	var o options
	o.dataFlags(fs)
	o.brokerFlags(fs)
	o.kafkaFlags(fs, "", "")
	o.processorFlags(fs)
	o.storageFlag(fs, 256) // every group's and the API's tables in one process
	o.apiFlags(fs)
	o.opsFlags(fs)
	o.replicationFlag(fs)
	o.groupPrefixFlag(fs)
	o.auth.wsLimitFlags(fs)
	o.logFlags(fs)
	var mem memoryLimit
	mem.flag(fs, DefaultRunMemoryLimit)
	fs.Float64Var(&o.simulate, "simulate", 0, "simulate core-banking CDC traffic at this many events per second (0: off)")
	simUsers := fs.Int("simulate-users", 1000, "number of simulated users with --simulate")
	timeScale := fs.Float64("time-scale", 0, "with --simulate: simulated time runs this many times as fast as the wall clock (0: so that each user makes 5 transactions a simulated day; 1: real time)")
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
	if *timeScale < 0 || *timeScale > 1e6 || *simUsers <= 0 {
		return badConfig("--time-scale %v, --simulate-users %d: want a scale in 0..1e6 and users > 0", *timeScale, *simUsers)
	}
	if err := o.topicsCheck(); err != nil {
		return err
	}
	if err := o.compressionCheck(); err != nil {
		return err
	}
	if err := mem.check(); err != nil {
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
	mem.apply(log) // after every check: a bad config is one line
	dataDir, err := o.ensureDataDir()
	if err != nil {
		return err
	}
	var sim loadgen.Config
	var clock *simClock
	if o.simulate > 0 {
		sim = simConfig(o.simulate, *simUsers)
		if *timeScale == 0 {
			*timeScale = autoTimeScale(o.simulate, sim.Users, sim.TxnsPerUserDay)
		}
		if clock, err = newSimClock(dataDir, *timeScale, time.Now()); err != nil {
			return err
		}
		sim.Now, o.clock, o.timeScale = clock.Now, clock.Now, *timeScale
		log.Info(fmt.Sprintf("simulated time ×%.0f", *timeScale), "time_scale", *timeScale, "simulated_now", clock.Now().Format(time.RFC3339),
			"users", sim.Users, "txns_per_user_day", sim.TxnsPerUserDay)
	}

	// The embedded broker, or an external Kafka.
	var brokers []string
	var cluster *embeddedBroker
	if o.brokers == "" {
		bs, err := o.brokerListener()
		if err != nil {
			return err
		}
		if !o.kafkaSet() { // the parts connect as the broker's own clients
			o.kafka = bs.client
		} else if err := o.checkKafka(); err != nil {
			return err
		}
		cluster, err = startBroker(ctx, brokerConfig{Dir: dataDir, Addr: o.brokerListen, Partitions: o.partitions, Security: bs,
			Topics: o.names.All(int32(o.partitions))}, log)
		if err != nil {
			return err
		}
		defer cluster.Close() // saves the broker's state: last to stop
		brokers = cluster.ListenAddrs()
	} else {
		if brokers, err = o.brokerList(); err != nil {
			return err
		}
		if err := o.checkKafka(); err != nil {
			return err
		}
		if err := o.ensureTopics(ctx, brokers, log); err != nil {
			return err
		}
	}

	g, gctx := errgroup.WithContext(ctx)
	if clock != nil {
		g.Go(func() error { return clock.keep(gctx, dataDir, log) })
	}

	// The in-process schema registry, or an external one.
	regURL := o.registry
	if regURL == "" {
		reg, err := avro.NewRegistry(ctx, avro.RegistryConfig{Brokers: brokers, KafkaOptions: o.kafka.Opts(), Logger: log})
		if err != nil {
			return fmt.Errorf("schema registry: %w", err)
		}
		defer reg.Close()
		h, err := o.registryHandler(reg)
		if err != nil {
			return err
		}
		serve, err := serveHTTP(gctx, "schema registry", o.registryListen, h, log)
		if err != nil {
			return err
		}
		g.Go(serve)
		regURL = "http://" + o.registryListen
	}
	regClient, err := o.registryClient(regURL)
	if err != nil {
		return err
	}
	c, err := codecs(ctx, regClient, log)
	if err != nil {
		return err
	}

	metrics := newMetricsRegistry()
	pm := processors.NewMetrics(metrics)

	pool, err := processors.NewPool(processors.Config{
		Brokers: brokers, Kafka: &o.kafka, StorageDir: dataDir, StorageMemory: o.leveldbKiB << 10, Compression: o.compression, FlushInterval: o.flush, Codecs: c, Logger: log, HotStandby: o.hotStandby, Now: o.clock,
		Topics: o.names,
	}, pm, metrics)
	if err != nil {
		return err
	}
	g.Go(func() error { return pool.Run(gctx, func() { log.Info("processors ready") }) })
	g.Go(func() error { return processors.RunTicks(gctx, pool.Current, o.ticks(log, metrics)) })
	bf := startBackfiller(gctx, g, pool.Current, metrics, log)
	o.backfill = bf.Submit

	ap, err := newAPIPart(ctx, brokers, c, dataDir, &o, metrics, log)
	if err != nil {
		return err
	}
	g.Go(func() error { return ap.run(gctx) })
	ops := groupsOpsMux(gctx, g, metrics, processorsReport(pool).and(viewsReport(ap.views)), log)
	mountBackfill(ops, bf)
	if _, err := startLag(gctx, g, brokers, &o.kafka, o.names, ops, metrics, log); err != nil {
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
		sp, err := newSinkPart(ctx, o.databaseURL, so, o.names, brokers, &o.kafka, regClient, metrics, log)
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
		ap.server.SetDetailedSpending(hist)
	} else {
		api.MountHistoryUnavailable(ap.server.Handle)
	}
	if o.pushURL != "" {
		if err := startPush(gctx, g, brokers, &o.kafka, o.names, o.pushURL, c, metrics, log); err != nil {
			return err
		}
	}
	serve, err := serveHTTP(gctx, "api", o.listen, ap.handler(), log)
	if err != nil {
		return err
	}
	g.Go(serve)

	if o.simulate > 0 {
		g.Go(func() error { return seedDemoBudgets(gctx, sim, ap.users, ap.emitters[0], log) })
		g.Go(func() error { return simulate(gctx, brokers, &o.kafka, regClient, sim, log) })
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
	o.registryAuthFlags(fs)
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
	bs, err := o.brokerListener()
	if err != nil {
		return err
	}
	if _, err := o.registryOpts(); err != nil { // a missing password fails before the broker starts
		return err
	}
	cluster, err := startBroker(ctx, brokerConfig{Dir: dataDir, Addr: o.brokerListen, Partitions: o.partitions, Security: bs}, log)
	if err != nil {
		return err
	}
	defer cluster.Close()
	reg, err := avro.NewRegistry(ctx, avro.RegistryConfig{Brokers: cluster.ListenAddrs(), KafkaOptions: bs.client.Opts(), Logger: log})
	if err != nil {
		return fmt.Errorf("schema registry: %w", err)
	}
	defer reg.Close()
	h, err := o.registryHandler(reg)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	serve, err := serveHTTP(gctx, "schema registry", o.registryListen, h, log)
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
	o.storageFlag(fs, 0)
	o.topicFlags(fs)
	o.opsFlags(fs)
	o.logFlags(fs)
	var mem memoryLimit
	mem.flag(fs, "")
	groups := fs.String("groups", "", "comma-separated groups to run (default: all), e.g. finstream-rekey-transactions,finstream-users (without the --group-prefix)")
	if err := parse(fs, args); err != nil {
		return err
	}
	var base []string
	for _, g := range strings.Split(*groups, ",") {
		if g = strings.TrimSpace(g); g != "" {
			if !slices.Contains(topics.Default().ProcessorGroups(), g) {
				return badConfig("--groups: %q is not a finstream processors group (want one of %s)", g, strings.Join(topics.Default().ProcessorGroups(), ","))
			}
			base = append(base, g)
		}
	}
	r, err := o.setupRole(ctx, stderr, true, o.opsListenCheck, o.topicsCheck, o.compressionCheck, mem.check)
	if err != nil {
		return err
	}
	mem.apply(r.log)
	var only []goka.Group
	for _, g := range base {
		only = append(only, goka.Group(o.groupPrefix+g))
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
	pool, err := processors.NewPool(processors.Config{Brokers: r.brokers, Kafka: &o.kafka, HotStandby: o.hotStandby, StorageDir: dataDir, StorageMemory: o.leveldbKiB << 10, Compression: o.compression, FlushInterval: o.flush, Codecs: r.codecs, Logger: log, Groups: only, Topics: o.names}, pm, metrics)
	if err != nil {
		return err
	}
	ops := groupsOpsMux(gctx, g, metrics, processorsReport(pool), log)
	mountBackfill(ops, startBackfiller(gctx, g, pool.Current, metrics, log))
	if err := o.serveOps(gctx, g, ops, log); err != nil {
		return err
	}
	g.Go(func() error { return pool.Run(gctx, func() { log.Info("processors ready") }) })
	g.Go(func() error { return processors.RunTicks(gctx, pool.Current, o.ticks(log, metrics)) })
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
		ap.server.SetDetailedSpending(hist)
	} else {
		api.MountHistoryUnavailable(ap.server.Handle)
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return ap.run(gctx) })
	ops := groupsOpsMux(gctx, g, metrics, viewsReport(ap.views), log)
	if _, err := startLag(gctx, g, brokers, &o.kafka, o.names, ops, metrics, log); err != nil {
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
