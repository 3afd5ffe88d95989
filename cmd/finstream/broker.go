package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"

	"finstream/kafkasec"
	"finstream/topics"
)

// The embedded broker's log cleaning. kfake compacts cleanup.policy=compact
// topics and applies retention.ms/retention.bytes only when its cleaner runs:
// every log.cleaner.backoff.ms (default one hour), and only once a topic was
// created or a config altered in this process — after a restart from the
// data dir its ticker never starts. The embedded broker therefore runs its
// own cleaner.
const (
	// DefaultCleanEvery is how often the embedded broker compacts and
	// applies retention. Not more often: kfake rewrites a compacted
	// partition by deleting its segment files before writing the new ones,
	// so a kill -9 inside a pass can lose that partition's log; with the
	// bounded table values a pass takes milliseconds, and every two
	// minutes keeps that window rare while the data dir stays bounded.
	DefaultCleanEvery = 2 * time.Minute
	// DefaultSegmentBytes is the embedded broker's log.segment.bytes
	// (kfake's default is 100 MiB). Retention frees disk a whole segment
	// at a time, so smaller segments keep a partition closer to its
	// retention.bytes.
	DefaultSegmentBytes = 16 << 20
)

// brokerConfig configures the embedded broker.
type brokerConfig struct {
	Dir        string // data dir; the log lives under Dir/kafka
	Addr       string // listen address for outside Kafka clients
	Partitions int    // partitions of every finstream topic
	// CleanEvery is how often compaction and retention run; zero means
	// DefaultCleanEvery.
	CleanEvery time.Duration
	// SegmentBytes is log.segment.bytes; zero means DefaultSegmentBytes.
	SegmentBytes int64
	// Topics are created instead of topics.All(Partitions) when set.
	Topics []topics.Topic
	// Security is the listener's TLS and SASL (nil: plaintext).
	Security *brokerSecurity
}

// embeddedBroker is the kfake cluster with its cleaner. Close stops the
// cleaner, then closes the cluster (which saves its state).
type embeddedBroker struct {
	*kfake.Cluster
	stop context.CancelFunc
	done sync.WaitGroup
	// client is the security the broker's own clients connect with.
	client *kafkasec.Config
}

// startBroker starts the embedded kfake broker persisted under cfg.Dir and
// listening on cfg.Addr, with every finstream topic created (auto-creation
// stays off: kfake does not persist the metadata of auto-created topics), and
// its cleaner running until Close.
func startBroker(ctx context.Context, cfg brokerConfig, log *slog.Logger) (*embeddedBroker, error) {
	if err := checkAddr("broker-listen", cfg.Addr); err != nil {
		return nil, err
	}
	if cfg.CleanEvery <= 0 {
		cfg.CleanEvery = DefaultCleanEvery
	}
	if cfg.SegmentBytes <= 0 {
		cfg.SegmentBytes = DefaultSegmentBytes
	}
	ts := cfg.Topics
	if ts == nil {
		ts = topics.All(int32(cfg.Partitions))
	}
	sec := cfg.Security
	if sec == nil {
		sec = &brokerSecurity{}
	}
	c, err := kfake.NewCluster(append([]kfake.Opt{
		kfake.NumBrokers(1),
		kfake.DataDir(filepath.Join(cfg.Dir, "kafka")),
		kfake.DefaultNumPartitions(cfg.Partitions),
		kfake.BrokerConfigs(map[string]string{"log.segment.bytes": strconv.FormatInt(cfg.SegmentBytes, 10)}),
		kfake.ListenFn(func(network, _ string) (net.Listener, error) { return net.Listen(network, cfg.Addr) }),
	}, sec.opts...)...)
	if err != nil {
		return nil, fmt.Errorf("embedded broker on %s: %w", cfg.Addr, err)
	}
	brokers := c.ListenAddrs()
	if err := topics.EnsureTopics(ctx, brokers, ts, 1, sec.client.Opts()...); err != nil {
		c.Close()
		return nil, err
	}
	if err := topics.FillRetention(ctx, brokers, ts, sec.client.Opts()...); err != nil { // a data dir of an older finstream
		c.Close()
		return nil, err
	}
	cctx, stop := context.WithCancel(context.Background())
	b := &embeddedBroker{Cluster: c, stop: stop, client: &sec.client}
	b.done.Add(1)
	go func() {
		defer b.done.Done()
		clean(cctx, c, cfg.CleanEvery, log)
	}()
	log.Info("embedded broker ready", "listen", brokers[0], "security", sec.client.Protocol(), "data_dir", cfg.Dir, "clean_every", cfg.CleanEvery)
	return b, nil
}

// clean compacts the compacted topics and applies retention on every topic
// each interval until ctx is done. kfake runs this inside its cluster loop,
// so requests wait while it runs: a pass longer than a second is logged as a
// warning.
func clean(ctx context.Context, c *kfake.Cluster, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			start := time.Now()
			c.Compact() // compaction, then retention, on every topic
			level := slog.LevelDebug
			if time.Since(start) > time.Second {
				level = slog.LevelWarn
			}
			log.Log(ctx, level, "embedded broker compacted and applied retention", "took", time.Since(start).Round(time.Millisecond))
		}
	}
}

// Close stops the cleaner and closes the cluster.
func (b *embeddedBroker) Close() {
	b.stop()
	b.done.Wait()
	b.Cluster.Close()
}
