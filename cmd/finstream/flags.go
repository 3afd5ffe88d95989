package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"finstream/api"
	"finstream/processors"
	"finstream/processors/budget"
	"finstream/topics"
)

// options are the flags shared by the subcommands; each registers the ones
// that apply to it.
type options struct {
	dataDir        string
	brokerListen   string
	registryListen string
	listen         string
	brokers        string
	registry       string
	databaseURL    string
	dev            bool
	simulate       float64
	partitions     int
	flush          time.Duration
	logLevel       string
	pushURL        string
	// Ops listener and topic creation (ops.go, topicflags.go).
	opsListen   string
	opsPprof    bool
	replication int
	// groupPrefix is --group-prefix; names, the generation it names, is
	// set by topicsCheck.
	groupPrefix string
	names       topics.Names
	auth        authOptions      // tokens and rate limits (auth.go)
	assistant   assistantOptions // the co-pilot (assistant.go)

	kafkaSecurity // Kafka TLS and SASL, registry auth (kafkasec.go)
	hotStandby    bool
	leveldbKiB    int    // storageFlag
	compression   string // processorFlags
	// clock is the domain clock of run --simulate (simclock.go; nil: the
	// wall clock) and timeScale its speed.
	clock     func() time.Time
	timeScale float64
	tick      time.Duration // processorFlags
	// backfill queues a backfill on the processors of this process (run).
	backfill func(budget.Backfill) error
}

func newFlagSet(name, summary string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("finstream "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: finstream %s [flags]\n\n%s\n\nFlags:\n", name, summary)
		fs.PrintDefaults()
	}
	return fs
}

func (o *options) dataFlags(fs *flag.FlagSet) {
	fs.StringVar(&o.dataDir, "data-dir", "./data", "directory for the embedded broker's log and goka's table storage")
}

func (o *options) brokerFlags(fs *flag.FlagSet) {
	fs.StringVar(&o.brokerListen, "broker-listen", "127.0.0.1:9092", "address the embedded broker listens on for outside Kafka clients")
	fs.StringVar(&o.registryListen, "registry-listen", "127.0.0.1:8081", "address of the in-process schema registry (Confluent REST subset)")
	o.partitionsFlag(fs)
	o.brokerSecFlags(fs)
}

func (o *options) kafkaFlags(fs *flag.FlagSet, defaultBrokers, defaultRegistry string) {
	fs.StringVar(&o.brokers, "brokers", defaultBrokers, "comma-separated Kafka bootstrap brokers (host:port,...)")
	fs.StringVar(&o.registry, "registry", defaultRegistry, "schema registry URL")
	o.kafkaSecFlags(fs)
	o.registryAuthFlags(fs)
}

func (o *options) processorFlags(fs *flag.FlagSet) {
	fs.DurationVar(&o.flush, "flush-interval", 5*time.Millisecond, "Kafka producer flush interval per hop (goka's default is 100ms)")
	fs.BoolVar(&o.hotStandby, "hot-standby", false, "keep the table partitions of other instances up to date on disk, so a takeover needs no restore (more network and disk)")
	fs.StringVar(&o.compression, "compression", "", "codec of the processors' producer batches (changelogs and streams): none, gzip, snappy, lz4 or zstd (default lz4; zstd stored about a third less for ~8% more CPU, but stalls the embedded broker's cleaner: use it on a real Kafka cluster)")
	fs.DurationVar(&o.tick, "tick", time.Minute, "interval of the clock ticks that push period starts and daily digests (run --simulate: at most an hour of simulated time)")
}

// compressionCheck is a setupRole check of --compression.
func (o *options) compressionCheck() error {
	if _, err := processors.ParseCompression(o.compression); err != nil {
		return badConfig("--compression %q: want none, gzip, snappy, lz4 or zstd", o.compression)
	}
	return nil
}

// storageFlag is --leveldb-kib, the memory of each table partition's
// leveldb; def is the role's default (0: goleveldb's).
func (o *options) storageFlag(fs *flag.FlagSet, def int) {
	o.leveldbKiB = def
	fs.Func("leveldb-kib", fmt.Sprintf("KiB of each table partition's leveldb write buffer and, again, of its block cache (0: goleveldb's 4 and 8 MiB); a process opens one leveldb per table partition (default %d)", def), func(v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 1<<20 {
			return fmt.Errorf("want KiB in 0..1048576")
		}
		o.leveldbKiB = n
		return nil
	})
}

func (o *options) apiFlags(fs *flag.FlagSet) {
	fs.StringVar(&o.listen, "listen", "127.0.0.1:8080", "public address of the API, dashboard and WebSocket (the ops surfaces are on --ops-listen)")
	fs.BoolVar(&o.dev, "dev", false, "development mode: POST /v1/dev/token issues tokens; a fixed JWT secret when FINSTREAM_JWT_SECRET is unset")
	fs.StringVar(&o.databaseURL, "database-url", "", "Postgres URL (postgres://user:pass@host/db?sslmode=...): runs the Postgres sink (run) and serves the history endpoints (run, api)")
	fs.StringVar(&o.pushURL, "push-url", "", "push gateway URL: notifications are POSTed there (retried; refused ones go to finstream.dlq)")
	o.auth.tokenFlags(fs)
	o.auth.apiLimitFlags(fs)
	o.assistant.flags(fs)
}

func (o *options) logFlags(fs *flag.FlagSet) {
	fs.StringVar(&o.logLevel, "log-level", "info", "log level: debug, info, warn, error")
}

// parse parses args and rejects positional arguments.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return err
		}
		return configError{err}
	}
	if fs.NArg() > 0 {
		return badConfig("unexpected argument %q", fs.Arg(0))
	}
	return nil
}

func (o *options) logger(stderr io.Writer) (*slog.Logger, error) {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(o.logLevel)); err != nil {
		return nil, badConfig("--log-level %q: want debug, info, warn or error", o.logLevel)
	}
	return slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: lvl})), nil
}

func checkAddr(flagName, addr string) error {
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return badConfig("--%s %q: %v", flagName, addr, err)
	}
	return nil
}

func (o *options) brokerList() ([]string, error) {
	var out []string
	for _, b := range strings.Split(o.brokers, ",") {
		if b = strings.TrimSpace(b); b == "" {
			continue
		}
		if err := checkAddr("brokers", b); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	if len(out) == 0 {
		return nil, badConfig("--brokers is empty")
	}
	return out, nil
}

// secret returns the JWT secret: FINSTREAM_JWT_SECRET, or the dev secret
// with --dev.
func (o *options) secret() ([]byte, error) {
	if s := os.Getenv("FINSTREAM_JWT_SECRET"); s != "" {
		return []byte(s), nil
	}
	if o.dev {
		return []byte(api.DevSecret), nil
	}
	return nil, badConfig("FINSTREAM_JWT_SECRET is not set (or pass --dev for a development secret)")
}

func (o *options) ensureDataDir() (string, error) {
	abs, err := filepath.Abs(o.dataDir)
	if err != nil {
		return "", badConfig("--data-dir %q: %v", o.dataDir, err)
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return "", badConfig("--data-dir %q: %v", o.dataDir, err)
	}
	return abs, nil
}
