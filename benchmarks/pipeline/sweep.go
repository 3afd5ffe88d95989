package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// sweepConfig is the history sweep: the pipeline at several user counts with
// a fixed event count, so events per user (a user's history) grows.
type sweepConfig struct {
	users     string // comma-separated user counts; empty: no sweep
	dir       string // one JSON per point
	report    string // Markdown file rendered afterwards
	beforeDir string // JSON of the runs before the change, rendered beside
}

var sweepFlags = map[string]bool{"sweep-users": true, "sweep-dir": true, "sweep-report": true, "before-dir": true}

func (s *sweepConfig) flags() {
	flag.StringVar(&s.users, "sweep-users", "", "history sweep: run the pipeline once per user count (comma-separated, e.g. 100000,10000,1000,500) with -events each, every run a fresh process and temp dir")
	flag.StringVar(&s.dir, "sweep-dir", "benchmarks/pipeline/sweep", "the sweep writes one JSON per point here")
	flag.StringVar(&s.report, "sweep-report", "benchmarks/RESULTS.md", "after the sweep, render this Markdown file (as -report does)")
	flag.StringVar(&s.beforeDir, "before-dir", "benchmarks/pipeline/before", "JSON of runs before the change, reported beside the sweep")
}

// pointFiles are the flags naming an output file of a run: each point of a
// sweep writes its own, the user count in its name.
var pointFiles = map[string]bool{"cpuprofile": true, "latency-samples": true, "latency-trace": true, "latency-heap": true, "latency-cpuprofile": true}

// sweep runs this binary once per user count, with every other flag as
// given, so each point has its own process (its own peak RSS) and temp dir.
func sweep(s sweepConfig, events int64) error {
	var args []string
	perPoint := map[string]string{} // output files: one per point
	hot := false
	flag.Visit(func(f *flag.Flag) {
		switch {
		case pointFiles[f.Name]:
			perPoint[f.Name] = f.Value.String()
		case !sweepFlags[f.Name] && f.Name != "users" && f.Name != "json":
			args = append(args, "-"+f.Name+"="+f.Value.String())
		}
		hot = hot || (f.Name == "hot-path" && f.Value.String() == "true")
	})
	if err := os.MkdirAll(s.dir, 0o755); err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	for _, u := range strings.Split(s.users, ",") {
		users, err := strconv.Atoi(strings.TrimSpace(u))
		if err != nil || users < 1 {
			return fmt.Errorf("-sweep-users: %q is not a user count", u)
		}
		out := filepath.Join(s.dir, pointName(hot, users))
		fmt.Fprintf(os.Stderr, "sweep: %d users, %d events (%d per user) → %s\n", users, events, events/int64(users), out)
		point := append(slices.Clone(args), "-users="+strconv.Itoa(users), "-json="+out)
		for name, path := range perPoint { // samples.csv → samples-users-500.csv
			ext := filepath.Ext(path)
			point = append(point, fmt.Sprintf("-%s=%s-users-%d%s", name, strings.TrimSuffix(path, ext), users, ext))
		}
		cmd := exec.Command(self, point...)
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("sweep point %d users: %w", users, err)
		}
	}
	return report(s.report, map[string]string{"all": "benchmarks/pipeline/results-all.json", "hot": "benchmarks/pipeline/results-hot.json"}, s)
}

func pointName(hot bool, users int) string {
	if hot {
		return fmt.Sprintf("hot-users-%d.json", users)
	}
	return fmt.Sprintf("all-users-%d.json", users)
}

// readPoints reads every run JSON in dir, every group first, then by events
// per user.
func readPoints(dir string) ([]results, error) {
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	var rs []results
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var r results
		if err := json.Unmarshal(raw, &r); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		if strings.HasPrefix(filepath.Base(f), "hot-") {
			r.HotPath = true // the runs before the change did not record it
		}
		rs = append(rs, r)
	}
	sort.SliceStable(rs, func(i, j int) bool {
		if rs[i].HotPath != rs[j].HotPath {
			return !rs[i].HotPath
		}
		return rs[i].Events*int64(rs[j].Users) < rs[j].Events*int64(rs[i].Users)
	})
	return rs, nil
}

// sweepTable writes the points as one Markdown table; a table's column
// shows avg / max value bytes, for the tables any point wrote to.
func sweepTable(b *strings.Builder, rs []results) {
	var cols []string
	for _, t := range tableTopics() {
		for _, r := range rs {
			if sizeOf(r, t).Records > 0 {
				cols = append(cols, t)
				break
			}
		}
	}
	b.WriteString("| groups | users | events | events/user | events/s |")
	for _, t := range cols {
		fmt.Fprintf(b, " %s avg / max B |", strings.TrimSuffix(strings.TrimPrefix(t, "finstream-"), "-table"))
	}
	b.WriteString(" changelog B/event, records / stored | CDC→WebSocket p50 / p99 ms (rate) | restore users s | peak RSS MiB | data dir MiB |\n|---|---|---|---|---|")
	b.WriteString(strings.Repeat("---|", len(cols)+5) + "\n")
	for _, r := range rs {
		groups := "all"
		if r.HotPath {
			groups = "hot path"
		}
		fmt.Fprintf(b, "| %s | %d | %d | %d | %.0f |", groups, r.Users, r.Events, r.Events/int64(r.Users), r.PipelineEPS)
		for _, t := range cols {
			if s := sizeOf(r, t); s.Records > 0 {
				fmt.Fprintf(b, " %.0f / %d |", s.AvgValueBytes, s.MaxValueBytes)
			} else {
				b.WriteString(" – |")
			}
		}
		fmt.Fprintf(b, " %.0f / %.0f | %.0f / %.0f (%.0f/s) | %.1f | %d | %d |\n", r.ChangelogBytesPerEvent, r.StoredChangelogBytesPerEvent,
			r.LatencyWS.P50, r.LatencyWS.P99, r.LatencyRate, r.RecoverySec, r.PeakRSSBytes>>20, r.DataDirBytes>>20)
	}
	b.WriteString("\n")
}

func sizeOf(r results, topic string) tableSize {
	for _, t := range r.Tables {
		if t.Topic == topic {
			return t
		}
	}
	return tableSize{}
}

// history writes the sections "History sweep" and "Before" for the points
// that exist.
func history(b *strings.Builder, s sweepConfig) error {
	for _, sec := range []struct{ dir, title, note string }{
		{s.dir, "History sweep", "`make bench` runs `go run ./benchmarks/pipeline -sweep-users 100000,10000,1000,500 -events 1000000` (every group; each point a fresh process and temp dir; latency phase at half the measured rate). " +
			"Value sizes are read from each group table's changelog from start to end after the pipeline phase (the broker does not compact within a run), so changelog B/event counts every table write (records: keys and values as read; stored: the tables' segment files, the batches as the producers sent them, compressed); the data dir is measured after the pipeline phase, peak RSS (VmHWM) at the end of the run.\n\n"},
		{s.beforeDir, "Before (commit 9472c02)", ""},
	} {
		rs, err := readPoints(sec.dir)
		if err != nil {
			return err
		}
		if len(rs) == 0 {
			continue
		}
		fmt.Fprintf(b, "## %s\n\n%s", sec.title, sec.note)
		if note, err := os.ReadFile(filepath.Join(sec.dir, "README.md")); err == nil {
			b.Write(note)
			b.WriteString("\n")
		}
		sweepTable(b, rs)
	}
	return nil
}
