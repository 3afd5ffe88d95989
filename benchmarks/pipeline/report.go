package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// The generated part of benchmarks/RESULTS.md lies between these lines.
// The rest of the file is the measurements written by hand (A/Bs,
// profiles, what was tried), which a new report keeps.
const (
	generatedBegin = "<!-- make bench writes from here to the end mark; the rest of this file is kept -->"
	generatedEnd   = "<!-- make bench: end of its part -->"
)

// report renders the generated part of benchmarks/RESULTS.md from the JSON
// of the runs that exist: every group ("all"), the hot path only ("hot"),
// the history sweep and the runs before it. An existing file with the
// marks keeps everything outside them; without a file, or marks, it is
// written anew, the analysis (benchmarks/ANALYSIS.md) at its end.
func report(path string, runs map[string]string, sw sweepConfig) error {
	var b strings.Builder
	commit, _ := exec.Command("git", "rev-parse", "--short", "HEAD").Output()
	fmt.Fprintf(&b, "Produced by `make bench` (`go run ./benchmarks/pipeline` twice, then `-report`) at commit `%s`.\n", strings.TrimSpace(string(commit)))
	fmt.Fprintf(&b, "The WebSocket fanout at 10,000 connections and the Postgres sink have their own runs: "+
		"[wsbench/RESULTS.md](wsbench/RESULTS.md) and [pgsink/RESULTS.md](pgsink/RESULTS.md).\n\n")
	order := []struct{ key, title, cmd string }{
		{"all", "Every processor group (re-key, accounts, users, shared, insights, goals, notifications)", "go run ./benchmarks/pipeline -users 100000 -events 1000000 -json benchmarks/pipeline/results-all.json"},
		{"hot", "Hot path only (re-key, accounts, users, shared: CDC → budget update)", "go run ./benchmarks/pipeline -hot-path -users 100000 -events 1000000 -json benchmarks/pipeline/results-hot.json"},
	}
	for _, o := range order {
		raw, err := os.ReadFile(runs[o.key])
		if err != nil {
			continue
		}
		var r results
		if err := json.Unmarshal(raw, &r); err != nil {
			return fmt.Errorf("%s: %w", runs[o.key], err)
		}
		fmt.Fprintf(&b, "## %s\n\n`%s`  \n%s, %s; %d users, %d CDC events (Debezium JSON, every anomaly of the simulator), %d partitions, %d budgets.\n\n",
			o.title, o.cmd, r.Machine, r.Date, r.Users, r.Events, r.Partitions, r.Budgets)
		fmt.Fprintf(&b, "| measurement | figure | target |\n|---|---|---|\n")
		fmt.Fprintf(&b, "| 1. pipeline throughput, preloaded backlog until every group caught up | **%.0f events/s** (%.1f s) | ≥ 100,000 events/s: %s |\n",
			r.PipelineEPS, r.PipelineSec, verdict(r.PipelineEPS >= 100_000, fmt.Sprintf("missed by %.1f×", 100_000/r.PipelineEPS)))
		fmt.Fprintf(&b, "| 2. latency at %.0f events/s: CDC source time → budget update emitted | p50 %.0f ms, p99 %.0f ms, p999 %.0f ms (n=%d) | |\n",
			r.LatencyRate, r.LatencyEmitted.P50, r.LatencyEmitted.P99, r.LatencyEmitted.P999, r.LatencyEmitted.N)
		fmt.Fprintf(&b, "| 2. … → budget update read by a consumer | p50 %.0f ms, p99 %.0f ms, p999 %.0f ms | |\n",
			r.LatencyConsumed.P50, r.LatencyConsumed.P99, r.LatencyConsumed.P999)
		fmt.Fprintf(&b, "| 2. … → WebSocket delivered (%d devices) | p50 %.0f ms, p99 %.0f ms, p999 %.0f ms (n=%d) | p99 ≤ 50 ms: %s |\n",
			r.WSClients, r.LatencyWS.P50, r.LatencyWS.P99, r.LatencyWS.P999, r.LatencyWS.N, verdict(r.LatencyWS.P99 <= 50, fmt.Sprintf("missed by %.0f ms", r.LatencyWS.P99-50)))
		fmt.Fprintf(&b, "| 3. baseline (consumer group + Postgres optimistic-lock UPDATE per event), %d events | %.0f events/s; finstream / baseline = **%.2f×** | ≥ 20×: %s |\n",
			r.BaselineEvents, r.BaselineEPS, r.BaselineRatio, verdict(r.BaselineRatio >= 20, "missed"))
		fmt.Fprintf(&b, "| 4. ceiling (bare consumer of the CDC topics) | %.0f events/s; finstream / ceiling = **%.1f%%** | ≥ 30%%: %s |\n",
			r.CeilingEPS, 100*r.CeilingRatio, verdict(r.CeilingRatio >= 0.30, "missed"))
		fmt.Fprintf(&b, "| 5. recovery: restore finstream-users-table from its changelog | %.1f s for %d users | |\n",
			r.RecoverySec, r.RecoveredKey)
		fmt.Fprintf(&b, "| correctness: every user's spend vs the simulator's truth | %d users checked, %d mismatches | 0 |\n\n",
			r.Verified, r.Mismatches)
	}
	if err := history(&b, sw); err != nil {
		return err
	}
	if old, err := os.ReadFile(path); err == nil {
		if out, ok := spliceGenerated(old, b.String()); ok {
			return os.WriteFile(path, out, 0o644)
		}
	}
	var out bytes.Buffer
	out.WriteString("# finstream benchmarks\n\n")
	out.Write(wrapGenerated(b.String()))
	if analysis, err := os.ReadFile("benchmarks/ANALYSIS.md"); err == nil {
		out.WriteString("\n")
		out.Write(analysis)
	}
	return os.WriteFile(path, out.Bytes(), 0o644)
}

func wrapGenerated(gen string) []byte {
	return []byte(generatedBegin + "\n" + gen + generatedEnd + "\n")
}

// spliceGenerated puts gen between the marks of old, and reports false
// when old has no such pair.
func spliceGenerated(old []byte, gen string) ([]byte, bool) {
	i := bytes.Index(old, []byte(generatedBegin))
	if i < 0 {
		return nil, false
	}
	j := bytes.Index(old[i:], []byte(generatedEnd))
	if j < 0 {
		return nil, false
	}
	j += i + len(generatedEnd)
	if j < len(old) && old[j] == '\n' {
		j++
	}
	var out bytes.Buffer
	out.Write(old[:i])
	out.Write(wrapGenerated(gen))
	out.Write(old[j:])
	return out.Bytes(), true
}

func verdict(ok bool, miss string) string {
	if ok {
		return "met"
	}
	return miss
}
