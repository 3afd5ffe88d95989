package main

import (
	"bufio"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"finstream/topics"
)

// stateCost is what the state of a run costs: every group table's
// changelog as written (the benchmark's broker does not compact within a
// run), the data dir and the process's peak RSS.
type stateCost struct {
	Tables                 []tableSize `json:"tables,omitempty"`
	ChangelogBytesPerEvent float64     `json:"changelog_bytes_per_event"`
	// StoredChangelogBytesPerEvent is the group tables' segment files on
	// the broker's disk per event: the record batches as the producers
	// sent them (compressed, with their headers), before any compaction.
	StoredChangelogBytesPerEvent float64 `json:"stored_changelog_bytes_per_event"`
	DataDirBytes                 int64   `json:"data_dir_bytes_after_pipeline"`
	PeakRSSBytes                 int64   `json:"peak_rss_bytes"`
	// BrokerPeakRSSBytes is the broker's own process (-broker-process); 0 when it
	// runs in the benchmark's and PeakRSSBytes includes it.
	BrokerPeakRSSBytes int64 `json:"broker_peak_rss_bytes,omitempty"`
}

// tableSize is one group table's changelog: every record from its start to
// its end offsets.
type tableSize struct {
	Topic         string  `json:"topic"`
	Records       int64   `json:"records"`
	AvgValueBytes float64 `json:"avg_value_bytes"`
	MaxValueBytes int     `json:"max_value_bytes"`
	ValueBytes    int64   `json:"value_bytes"`
	TotalBytes    int64   `json:"total_bytes"` // keys and values
}

// tableTopics are the group tables finstream creates, sorted.
func tableTopics() []string {
	var ts []string
	for _, t := range topics.All(0) {
		if strings.HasSuffix(t.Name, "-table") {
			ts = append(ts, t.Name)
		}
	}
	sort.Strings(ts)
	return ts
}

// measureTables reads every record of every group table and returns their
// sizes and the changelog bytes (keys and values of all tables) per event.
func measureTables(ctx context.Context, brokers []string, events int64) ([]tableSize, float64, error) {
	var sizes []tableSize
	var total int64
	for _, topic := range tableTopics() {
		s, err := measureTable(ctx, brokers, topic)
		if err != nil {
			return nil, 0, fmt.Errorf("read %s: %w", topic, err)
		}
		sizes = append(sizes, s)
		total += s.TotalBytes
	}
	return sizes, float64(total) / float64(events), nil
}

func measureTable(ctx context.Context, brokers []string, topic string) (tableSize, error) {
	s := tableSize{Topic: topic}
	admCl, err := kgo.NewClient(kgo.SeedBrokers(brokers...))
	if err != nil {
		return s, err
	}
	adm := kadm.NewClient(admCl)
	starts, err := adm.ListStartOffsets(ctx, topic)
	if err == nil {
		var ends kadm.ListedOffsets
		if ends, err = adm.ListEndOffsets(ctx, topic); err == nil {
			err = readRange(ctx, brokers, topic, starts, ends, &s)
		}
	}
	admCl.Close()
	if s.Records > 0 {
		s.AvgValueBytes = float64(s.ValueBytes) / float64(s.Records)
	}
	return s, err
}

// readRange consumes topic from starts to ends, partition by partition, into s.
func readRange(ctx context.Context, brokers []string, topic string, starts, ends kadm.ListedOffsets, s *tableSize) error {
	from := map[int32]kgo.Offset{}
	left := map[int32]int64{} // partition → end offset still to reach
	ends.Each(func(o kadm.ListedOffset) {
		st, _ := starts.Lookup(o.Topic, o.Partition)
		if o.Offset > st.Offset {
			from[o.Partition] = kgo.NewOffset().At(st.Offset)
			left[o.Partition] = o.Offset
		}
	})
	if len(left) == 0 {
		return nil
	}
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...),
		kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{topic: from}),
		kgo.FetchMaxBytes(64<<20), kgo.FetchMaxPartitionBytes(16<<20))
	if err != nil {
		return err
	}
	defer cl.Close()
	for len(left) > 0 {
		fetches := cl.PollFetches(ctx)
		if err := fetches.Err0(); err != nil {
			return err
		}
		var ferr error
		fetches.EachError(func(_ string, _ int32, err error) { ferr = err })
		if ferr != nil {
			return ferr
		}
		fetches.EachRecord(func(r *kgo.Record) {
			s.Records++
			s.ValueBytes += int64(len(r.Value))
			s.TotalBytes += int64(len(r.Key) + len(r.Value))
			s.MaxValueBytes = max(s.MaxValueBytes, len(r.Value))
			if end, ok := left[r.Partition]; ok && r.Offset >= end-1 {
				delete(left, r.Partition)
			}
		})
	}
	return nil
}

// dirBytes is the size of every regular file under dir.
func dirBytes(dir string) (int64, error) {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) {
				return nil // removed while walking (a rolled or compacted segment)
			}
			return err
		}
		if d.Type().IsRegular() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n, err
}

// peakRSS is the process's peak resident set size (VmHWM) in bytes.
func peakRSS() (int64, error) { return peakRSSOf("/proc/self/status") }

// peakRSSOf reads VmHWM from a /proc/<pid>/status file.
func peakRSSOf(status string) (int64, error) {
	f, err := os.Open(status)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("no VmHWM in %s", status)
}

// measureState fills r's table sizes, changelog bytes per event and data-dir
// size; run calls it after the pipeline phase.
func measureState(ctx context.Context, brokers []string, dir string, r *results) error {
	fmt.Fprintln(os.Stderr, "state cost: reading every group table's changelog...")
	tables, perEvent, err := measureTables(ctx, brokers, r.Events)
	if err != nil {
		return err
	}
	r.Tables, r.ChangelogBytesPerEvent = tables, perEvent
	var stored int64
	parts, err := os.ReadDir(filepath.Join(dir, "kafka", "partitions"))
	if err != nil {
		return err
	}
	for _, p := range parts { // kfake names a partition's dir "<topic>-<n>"
		if i := strings.LastIndexByte(p.Name(), '-'); i > 0 && strings.HasSuffix(p.Name()[:i], "-table") {
			n, err := dirBytes(filepath.Join(dir, "kafka", "partitions", p.Name()))
			if err != nil {
				return err
			}
			stored += n
		}
	}
	r.StoredChangelogBytesPerEvent = float64(stored) / float64(r.Events)
	r.DataDirBytes, err = dirBytes(dir)
	return err
}
