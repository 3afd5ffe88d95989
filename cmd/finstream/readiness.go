package main

import (
	"context"
	"net/http"
	"sort"
	"time"

	"github.com/lovoo/goka"
	"github.com/prometheus/client_golang/prometheus"

	"finstream/processors"
)

// groupState is what /readyz on the ops listener says about one goka
// processor group or view of this instance.
type groupState struct {
	// Group is the processor group, or "view:<table>" for a view.
	Group string `json:"group"`
	Ready bool   `json:"ready"`
	// Partitions are the partitions this instance owns (a view: all).
	Partitions int `json:"partitions"`
	// Recovering are those still restoring their table from its changelog.
	Recovering int `json:"recovering"`
	// OffsetsBehind is the changelog still to restore plus, for a group,
	// the input records not processed yet, over the owned partitions.
	OffsetsBehind int64 `json:"offsets_behind"`
	// Standby are the partitions of other instances this one keeps up to
	// date (--hot-standby): not owned, not counted above.
	Standby int `json:"standby,omitempty"`
}

// passive is goka's run mode of a hot-standby partition (its
// runModePassive, unexported).
const passive goka.PPRunMode = 1

// groupsReport returns the state of every group and view the role runs.
type groupsReport func(ctx context.Context) []groupState

// processorsReport reports procs.
func processorsReport(pool *processors.Pool) groupsReport {
	return func(ctx context.Context) []groupState {
		procs, down := pool.Current(), pool.Down()
		out := make([]groupState, 0, len(procs))
		for _, p := range procs {
			st := groupState{Group: string(p.Graph().Group()), Ready: p.Recovered() && !down}
			for _, pp := range p.StatsWithContext(ctx).Group {
				if ts := pp.TableStats; ts != nil && ts.RunMode == passive {
					st.Standby++
					continue
				}
				st.Partitions++
				if ts := pp.TableStats; ts != nil {
					st.addTable(ts)
				}
				for _, in := range pp.Input {
					st.OffsetsBehind += max(0, in.OffsetLag)
				}
			}
			out = append(out, st)
		}
		return out
	}
}

// viewsReport reports views.
func viewsReport(views []*goka.View) groupsReport {
	return func(ctx context.Context) []groupState {
		out := make([]groupState, 0, len(views))
		for _, v := range views {
			st := groupState{Group: "view:" + v.Topic(), Ready: v.Recovered()}
			for _, ts := range v.Stats(ctx).Partitions {
				st.Partitions++
				st.addTable(ts)
			}
			out = append(out, st)
		}
		return out
	}
}

func (st *groupState) addTable(ts *goka.TableStats) {
	if ts.Status == goka.PartitionRecovering || ts.Status == goka.PartitionPreparing {
		st.Recovering++
		if r := ts.Recovery; r != nil {
			st.OffsetsBehind += max(0, r.Hwm-r.Offset)
		}
	}
}

// and reports r and o.
func (r groupsReport) and(o groupsReport) groupsReport {
	return func(ctx context.Context) []groupState { return append(r(ctx), o(ctx)...) }
}

// allReady is the readiness of a report: every group and view ready.
func (r groupsReport) allReady() bool {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	for _, g := range r(ctx) {
		if !g.Ready {
			return false
		}
	}
	return true
}

// readyzBody is the ops listener's /readyz document.
type readyzBody struct {
	Status string       `json:"status"` // ready | recovering
	Groups []groupState `json:"groups"`
	Error  *probeError  `json:"error,omitempty"`
}

type probeError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// readyzHandler answers 200 when every group and view is ready, else 503,
// with the state of each.
func readyzHandler(report groupsReport) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		groups := report(ctx)
		sort.Slice(groups, func(i, j int) bool { return groups[i].Group < groups[j].Group })
		body := readyzBody{Status: "ready", Groups: groups}
		code := http.StatusOK
		for _, g := range groups {
			if !g.Ready {
				code = http.StatusServiceUnavailable
				body.Status = "recovering"
				body.Error = &probeError{"not_ready", g.Group + " is not ready: " + "tables are still being restored or partitions are not assigned yet"}
				break
			}
		}
		writeProbe(w, code, body)
	}
}

// groupsCollector exports a report on every scrape: per group (or
// "view:<table>"), bounded labels.
type groupsCollector struct {
	report                                groupsReport
	ready, partitions, recovering, behind *prometheus.Desc
}

func newGroupsCollector(report groupsReport) groupsCollector {
	d := func(name, help string) *prometheus.Desc {
		return prometheus.NewDesc(name, help, []string{"group"}, nil)
	}
	return groupsCollector{report: report,
		ready:      d("finstream_group_ready", "1 when the group (or view:<table>) of this instance runs with its tables restored."),
		partitions: d("finstream_group_partitions", "Partitions of the group this instance owns (a view: all)."),
		recovering: d("finstream_group_recovering_partitions", "Owned partitions still restoring their table from its changelog."),
		behind:     d("finstream_group_offsets_behind", "Changelog offsets still to restore plus input records not processed yet, over the owned partitions."),
	}
}

func (c groupsCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.ready, c.partitions, c.recovering, c.behind} {
		ch <- d
	}
}

func (c groupsCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	for _, g := range c.report(ctx) {
		ready := 0.0
		if g.Ready {
			ready = 1
		}
		ch <- prometheus.MustNewConstMetric(c.ready, prometheus.GaugeValue, ready, g.Group)
		ch <- prometheus.MustNewConstMetric(c.partitions, prometheus.GaugeValue, float64(g.Partitions), g.Group)
		ch <- prometheus.MustNewConstMetric(c.recovering, prometheus.GaugeValue, float64(g.Recovering), g.Group)
		ch <- prometheus.MustNewConstMetric(c.behind, prometheus.GaugeValue, float64(g.OffsetsBehind), g.Group)
	}
}
