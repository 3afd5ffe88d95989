package processors

import (
	"errors"
	"fmt"
	"log/slog"
	"math"
	"path/filepath"
	"time"

	"github.com/IBM/sarama"
	"github.com/lovoo/goka"
	"github.com/lovoo/goka/storage"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/rcrowley/go-metrics"
	"github.com/syndtr/goleveldb/leveldb/filter"
	"github.com/syndtr/goleveldb/leveldb/opt"

	"finstream/kafkasec"
	"finstream/topics"
)

// Config configures finstream's processors. cmd/ builds it from flags.
// Every topic, table and loop must exist before Run (topics.EnsureTopics
// creates them): goka is told to create none.
type Config struct {
	// Brokers to connect to. Required.
	Brokers []string
	// Kafka is the TLS and SASL of every Kafka client (nil: plaintext).
	Kafka *kafkasec.Config
	// StorageDir holds goka's local table storage (leveldb). "" keeps tables
	// in memory (they are then restored from their changelog at each start).
	StorageDir string
	// StorageMemory is the memory of each table partition's leveldb: its
	// write buffer and again its block cache (StorageBuilder). Zero keeps
	// goleveldb's defaults. Measured 2026-12-02 (benchmarks/RESULTS.md,
	// "Producer compression and leveldb memory"): 1 MiB cut peak RSS by
	// 30–48 % and events/s by about 9 %.
	StorageMemory int
	// FlushInterval is the producer's linger. Zero means 5ms: goka's default
	// of 100ms per hop dominates end-to-end latency. Measured 2026-12-02
	// (benchmarks/RESULTS.md, "Producer flush and Avro allocations"): 1 and
	// 2 ms bought no events/s (1 ms cost 6 % more CPU); 10 ms gave about
	// 10 % more events/s and 8 % less CPU but CDC→WebSocket p99 up to
	// 119 ms, over the ~100 ms bound; so 5 ms stays.
	FlushInterval time.Duration
	// FlushMessages, when positive, also sends the producer's batch as soon
	// as it holds this many records, before FlushInterval has passed
	// (sarama's Producer.Flush.Messages). Zero means no such trigger: 64
	// measured no better than none (same CPU, p99 no lower).
	FlushMessages int
	// FetchMinBytes and FetchMaxWait are the consumers' fetch: the broker
	// answers a fetch once it has FetchMinBytes for it, or after
	// FetchMaxWait (sarama's Consumer.Fetch.Min and Consumer.MaxWaitTime).
	// Zero keeps sarama's defaults, 1 byte and 500 ms: in real time, an
	// answer for every few records. Measured 2026-12-03 (benchmarks/RESULTS.md,
	// "Real time costs twice the backlog"): 1 MiB and 10 ms cut the CPU per
	// event of real-time traffic by 5–14 % and raised the median
	// CDC→WebSocket latency by about 15 ms, so the defaults stay.
	FetchMinBytes int
	FetchMaxWait  time.Duration
	// Compression is the codec of the processors' producer batches (every
	// table changelog and stream they write): "none", "gzip", "snappy",
	// "lz4" or "zstd". "" means DefaultCompression.
	Compression string
	// Codecs of the internal topics. Required.
	Codecs *Codecs
	// Now is the clock for command timestamps (default time.Now). Transaction
	// logic uses event time only.
	Now func() time.Time
	// Logger (default slog.Default()).
	Logger *slog.Logger
	// Metrics registers the processors' metrics (nil: not registered).
	Metrics prometheus.Registerer
	// Groups limits which groups run (empty: all), so roles can split the
	// topology across processes and benchmarks can measure a subset.
	Groups []goka.Group
	// MaxMessageBytes is the largest record the processors produce (key,
	// value and headers as sarama counts them). Zero means the producer's
	// Producer.MaxMessageBytes (1 MiB). A larger output goes to the DLQ.
	MaxMessageBytes int
	// MaxStateBytes caps every table value. Zero means DefaultMaxStateBytes.
	// A larger value is refused: not stored, reported in the DLQ and the
	// finstream_values_refused_total metric.
	MaxStateBytes int
	// HotStandby keeps the table partitions an instance does not own up to
	// date in its storage (goka.WithHotStandby, with WithRecoverAhead), so
	// that taking them over after another instance died needs no restore,
	// only the changelog written since. It costs reading every table's
	// changelog in every instance, and disk for every partition; it needs
	// StorageDir (in-memory tables are rebuilt at each generation).
	HotStandby bool
	// Topics names the groups, tables and topics of the generation the
	// processors run (zero: topics.Default(); --group-prefix builds
	// another with topics.Generation).
	Topics topics.Names
	// Options are appended to every processor's options (tests: goka.WithTester).
	Options []goka.ProcessorOption
}

// Consumer-group timing of every goka processor (SaramaConfig), tuned for
// a fast takeover: a dead member is noticed after SessionTimeout without a
// heartbeat, and the survivors learn of the rebalance within
// HeartbeatInterval. RebalanceTimeout is how long the coordinator waits for
// the members to rejoin (it must cover a member's cleanup: stopping its
// partitions and committing).
const (
	SessionTimeout    = 6 * time.Second // Kafka's group.min.session.timeout.ms (kfake's too)
	HeartbeatInterval = 2 * time.Second
	RebalanceTimeout  = 30 * time.Second
)

// DefaultMaxStateBytes is the default cap of a table value: every value
// is bounded by design (DESIGN.md, "State cost"; the largest measured is
// under 10 KiB), so a value this large is a fault, not a busy user.
const DefaultMaxStateBytes = 256 << 10

// Validate checks the configuration and fills defaults.
func (c *Config) Validate() error {
	if len(c.Brokers) == 0 && len(c.Options) == 0 {
		return errors.New("processors: no brokers")
	}
	if c.Codecs == nil {
		return errors.New("processors: no codecs")
	}
	if c.HotStandby && c.StorageDir == "" {
		return errors.New("processors: hot standby needs a storage dir")
	}
	c.Topics = c.Topics.OrDefault()
	if c.FlushInterval <= 0 {
		c.FlushInterval = 5 * time.Millisecond
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.MaxMessageBytes <= 0 {
		c.MaxMessageBytes = SaramaConfig(c.FlushInterval).Producer.MaxMessageBytes
	}
	if c.MaxStateBytes <= 0 {
		c.MaxStateBytes = DefaultMaxStateBytes
	}
	if c.FetchMinBytes > math.MaxInt32 || c.FetchMinBytes < 0 {
		return fmt.Errorf("processors: fetch min bytes %d: want 0 to %d", c.FetchMinBytes, math.MaxInt32)
	}
	if _, err := ParseCompression(c.Compression); err != nil {
		return fmt.Errorf("processors: compression: %w", err)
	}
	c.Codecs = c.Codecs.passingEncoded() // a no-op for NewCodecs' codecs
	return nil
}

// sarama's go-metrics meters and histograms (per broker and topic) are
// never read here: nil metrics spare their memory and CPU.
func init() { metrics.UseNilMetrics = true }

// DefaultCompression is the producer's batch codec. Measured 2026-12-02
// (benchmarks/RESULTS.md, "Producer compression and leveldb memory"): at
// 2,000 events per user lz4 stores the changelogs in 2.5× fewer bytes than
// none for no measurable CPU, zstd in 3.9× for about 8 % more CPU. zstd
// is not the default because of the embedded broker: kfake's cleaner
// decompresses every batch of a compacted topic on every pass, inside its
// request loop, and with zstd's decoders a pass over run's small batches
// took 3–9 s and allocated GBs (benchmarks/compaction). On a real Kafka
// cluster, --compression zstd is the better choice.
var DefaultCompression = sarama.CompressionLZ4

// ParseCompression is the codec named by s ("none", "gzip", "snappy",
// "lz4" or "zstd"); "" is DefaultCompression.
func ParseCompression(s string) (sarama.CompressionCodec, error) {
	if s == "" {
		return DefaultCompression, nil
	}
	var cc sarama.CompressionCodec
	err := cc.UnmarshalText([]byte(s))
	return cc, err
}

// SaramaConfig is the Kafka client configuration of finstream's goka
// processors, views and emitters: a recent protocol version, new groups start
// at the oldest offset (nothing produced before a first start is missed),
// and a short producer flush interval.
func SaramaConfig(flush time.Duration) *sarama.Config {
	c := goka.DefaultConfig()
	c.Version = sarama.V3_6_0_0
	c.Consumer.Offsets.Initial = sarama.OffsetOldest
	c.Producer.Flush.Frequency = flush
	c.Producer.Compression = DefaultCompression
	c.Producer.RequiredAcks = sarama.WaitForAll
	c.Metadata.RefreshFrequency = time.Minute
	c.Consumer.Group.Session.Timeout = SessionTimeout
	c.Consumer.Group.Heartbeat.Interval = HeartbeatInterval
	c.Consumer.Group.Rebalance.Timeout = RebalanceTimeout
	// A join or sync refused during a rebalance is retried soon (sarama
	// waits 2s, 4 times), as often within about the same window.
	c.Consumer.Group.Rebalance.Retry.Backoff = 250 * time.Millisecond
	c.Consumer.Group.Rebalance.Retry.Max = 32
	return c
}

// TopicManagerBuilder is the topic manager of finstream's processors,
// views and emitters: on sc (with its TLS and SASL), creating no topic.
func TopicManagerBuilder(sc *sarama.Config) goka.TopicManagerBuilder {
	tm := goka.NewTopicManagerConfig()
	tm.NoCreate = true
	return goka.TopicManagerBuilderWithConfig(sc, tm)
}

// sarama is SaramaConfig with the Kafka security applied.
func (c *Config) sarama() *sarama.Config {
	sc := SaramaConfig(c.FlushInterval)
	sc.Producer.Flush.Messages = c.FlushMessages
	if c.FetchMinBytes > 0 {
		sc.Consumer.Fetch.Min = int32(c.FetchMinBytes)
	}
	if c.FetchMaxWait > 0 {
		sc.Consumer.MaxWaitTime = c.FetchMaxWait
	}
	if cc, err := ParseCompression(c.Compression); err == nil { // Validate reports the error
		sc.Producer.Compression = cc
	}
	return c.Kafka.Sarama(sc)
}

func (c *Config) options(group goka.Group) []goka.ProcessorOption {
	// goka never creates a topic: it would create tables and loops with its
	// own replication and retention (a table with replication 1 on a cluster
	// whose min.insync.replicas is 2 refuses every write). The caller creates
	// every table and loop first with topics.EnsureTopics (cmd/ does, with
	// --replication-factor), and a missing one fails the processor's start
	// with its name.
	opts := []goka.ProcessorOption{
		goka.WithHasher(topics.Hasher()),
		goka.WithProducerBuilder(goka.ProducerBuilderWithConfig(c.sarama())),
		goka.WithConsumerGroupBuilder(orderedCommits(goka.ConsumerGroupBuilderWithConfig(c.sarama()))),
		goka.WithConsumerSaramaBuilder(goka.SaramaConsumerBuilderWithConfig(c.sarama())),
		goka.WithTopicManagerBuilder(TopicManagerBuilder(c.sarama())),
		goka.WithLogger(gokaLogger{c.Logger.With("group", string(group))}),
	}
	if c.HotStandby {
		opts = append(opts, goka.WithHotStandby(), goka.WithRecoverAhead())
	}
	if c.StorageDir != "" {
		dir := filepath.Join(c.StorageDir, "goka")
		if string(group) == c.Topics.GroupTxns {
			// Its lookup of finstream-users-table must not share the users
			// group's leveldb directory of that topic.
			dir = filepath.Join(c.StorageDir, "goka-"+string(group))
		}
		opts = append(opts, goka.WithStorageBuilder(StorageBuilder(dir, c.StorageMemory)))
	} else {
		opts = append(opts, goka.WithStorageBuilder(storage.MemoryBuilder()))
	}
	return append(opts, c.Options...)
}

// StorageBuilder is the leveldb storage of goka's tables and views under
// dir, one database per topic partition. mem is each database's write
// buffer and, again, its block cache; zero or less keeps goleveldb's
// defaults (4 MiB and 8 MiB), about 12 MiB for each of the hundreds of
// table partitions a process opens.
//
// Every table has a bloom filter (10 bits a key, ~1 % false positives), as
// RocksDB under Kafka Streams does: the transaction stage reads its table
// for every new transaction id, a key that is not there, and without a
// filter goleveldb looks for it in every level-0 file and in each level.
// Measured 2026-12-03 (benchmarks/RESULTS.md, "Bloom filters"): at 1,000,000
// transactions, p99 CDC → WebSocket 671 → 214 ms at the same rate.
//
// Seek-triggered compactions are off (as in RocksDB, which dropped them):
// goleveldb otherwise compacts a level-0 file into level 1 once lookups
// have passed through it about 100 times. After a restart every database
// starts with such a file (its journal, flushed on open), and the first
// seconds of traffic set off that compaction in every table partition at
// once. Measured 2026-12-03 (benchmarks/RESULTS.md, "The start of the
// latency phase"): about 40 compactions in the first 3 s, and CDC → update
// emitted up to 1 s meanwhile.
//
// A running table writes down its changelog offset every OffsetEvery, not
// after every record (lazyOffsets).
func StorageBuilder(dir string, mem int) storage.Builder {
	return lazyOffsetBuilder(storage.BuilderWithOptions(dir, storageOptions(mem)), OffsetEvery)
}

// storageOptions are StorageBuilder's goleveldb options: the bloom filter,
// no seek-triggered compactions, and mem as write buffer and block cache
// when positive.
func storageOptions(mem int) *opt.Options {
	o := &opt.Options{Filter: filter.NewBloomFilter(10), DisableSeeksCompaction: true}
	if mem > 0 {
		o.WriteBuffer, o.BlockCacheCapacity = mem, mem
	}
	return o
}

// gokaLogger sends goka's informational logs to slog at debug level.
type gokaLogger struct{ l *slog.Logger }

func (g gokaLogger) Print(args ...any)   { g.l.Debug(fmt.Sprint(args...)) }
func (g gokaLogger) Println(args ...any) { g.l.Debug(fmt.Sprint(args...)) }
func (g gokaLogger) Printf(format string, args ...any) {
	g.l.Debug(fmt.Sprintf(format, args...))
}
