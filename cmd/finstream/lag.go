package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"finstream/topics/lag"
)

const lagSummary = `Prints the lag of finstream's consumer groups (every group named finstream-*, or
--group) like kafka-consumer-groups --describe, with the lag in seconds and the status
by Burrow's rules (OK, WARN, ERR with the partition status STOP, STALL or REWIND).

The lag in seconds and the status need a history of offsets. By default the command
samples --brokers --samples times, --interval apart (5 samples over 4 s), and evaluates
the status over those samples; --samples 2 is the quickest and the noisiest (any two
samples where a busy partition's lag did not shrink read WARN). With --api it reads
GET /v1/ops/lag from a running finstream's --ops-listen instead, whose monitor has minutes of history
and a 10-sample status window. --watch D reprints every D until interrupted (sampling
the brokers every D); --json prints the snapshot as JSON.`

// cmdLag is `finstream lag`; it writes the table to stdout.
func cmdLag(ctx context.Context, args []string, stderr io.Writer) error {
	return runLag(ctx, args, os.Stdout, stderr)
}

func runLag(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("lag", lagSummary, stderr)
	var o options
	fs.StringVar(&o.brokers, "brokers", "127.0.0.1:9092", "comma-separated Kafka bootstrap brokers (host:port,...)")
	o.kafkaSecFlags(fs)
	api := fs.String("api", "", "URL of a running finstream's ops listener (http://host:port of its --ops-listen): read its /v1/ops/lag instead of sampling the brokers")
	groups := fs.String("group", "", "comma-separated group names to show (default: every finstream-* group, after the --group-prefix)")
	o.groupPrefixFlag(fs)
	samples := fs.Int("samples", 5, "samples taken from --brokers before printing (>= 2); also the status window")
	interval := fs.Duration("interval", time.Second, "time between samples taken from --brokers")
	watch := fs.Duration("watch", 0, "reprint every this long until interrupted (0: print once)")
	asJSON := fs.Bool("json", false, "print the snapshot as JSON (the /v1/ops/lag document)")
	o.logFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	log, err := o.logger(stderr)
	if err != nil {
		return err
	}
	if *interval <= 0 || *watch < 0 || *samples < 2 {
		return badConfig("want --interval > 0, --watch >= 0 and --samples >= 2")
	}
	if err := o.prefixCheck(); err != nil {
		return err
	}
	var only []string
	for _, g := range strings.Split(*groups, ",") {
		if g = strings.TrimSpace(g); g != "" {
			only = append(only, g)
		}
	}
	show := func(s lag.Snapshot) error {
		if len(only) > 0 {
			s.Groups = slices.DeleteFunc(s.Groups, func(g lag.GroupLag) bool { return !slices.Contains(only, g.Group) })
		}
		if *watch > 0 && !*asJSON {
			fmt.Fprintf(stdout, "\n--- %s ---\n", s.SampledAt.Format(time.TimeOnly))
		}
		if *asJSON {
			enc := json.NewEncoder(stdout)
			enc.SetIndent("", "  ")
			return enc.Encode(s)
		}
		return lag.WriteDescribe(stdout, s)
	}
	// next waits d, or returns false when interrupted.
	next := func(d time.Duration) bool {
		select {
		case <-ctx.Done():
			return false
		case <-time.After(d):
			return true
		}
	}

	if *api != "" {
		u, err := url.Parse(*api)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return badConfig("--api %q: want http://host:port", *api)
		}
		for {
			s, err := fetchLag(ctx, strings.TrimRight(*api, "/")+"/v1/ops/lag")
			if err != nil {
				return err
			}
			if err := show(s); err != nil {
				return err
			}
			if *watch == 0 || !next(*watch) {
				return nil
			}
		}
	}

	brokers, err := o.brokerList()
	if err != nil {
		return err
	}
	if err := o.checkKafka(); err != nil {
		return err
	}
	m, err := lag.NewMonitor(lag.Config{Brokers: brokers, KafkaOptions: o.kafka.Opts(), GroupPrefix: o.groupPrefix + "finstream-", Interval: *interval, Window: *samples, Groups: only, Logger: log})
	if err != nil {
		return badConfig("%v", err)
	}
	defer m.Close()
	for i := range *samples {
		if i > 0 && !next(*interval) {
			return nil
		}
		if err := m.Sample(ctx); err != nil {
			return o.kafka.Explain(fmt.Errorf("sample %v: %w", brokers, err))
		}
	}
	for {
		if err := show(m.Snapshot(false)); err != nil {
			return err
		}
		if *watch == 0 || !next(*watch) {
			return nil
		}
		if err := m.Sample(ctx); err != nil {
			return o.kafka.Explain(fmt.Errorf("sample %v: %w", brokers, err))
		}
	}
}

// fetchLag reads the lag snapshot of a running finstream.
func fetchLag(ctx context.Context, u string) (lag.Snapshot, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	var s lag.Snapshot
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return s, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return s, fmt.Errorf("GET %s: %w", u, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return s, fmt.Errorf("GET %s: %s: %s", u, resp.Status, strings.TrimSpace(string(b)))
	}
	if err := json.NewDecoder(resp.Body).Decode(&s); err != nil {
		return s, fmt.Errorf("GET %s: decode: %w", u, err)
	}
	return s, nil
}
