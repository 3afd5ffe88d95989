package main

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/errgroup"
)

// groupsLogEvery is how often logGroups samples the report.
const groupsLogEvery = 2 * time.Second

// logGroups logs every change of a group's readiness, owned partitions or
// recovering partitions (a rebalance, a partition lost or gained, recovery
// starting or ending), and recovery progress with an ETA every 10 s while a
// group recovers, until ctx ends.
func logGroups(ctx context.Context, report groupsReport, log *slog.Logger) error {
	type seen struct {
		st     groupState
		at     time.Time
		logged time.Time
	}
	last := map[string]seen{}
	t := time.NewTicker(groupsLogEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		now := time.Now()
		rctx, cancel := context.WithTimeout(ctx, groupsLogEvery)
		groups := report(rctx)
		cancel()
		for _, g := range groups {
			prev, known := last[g.Group]
			attrs := []any{"group", g.Group, "ready", g.Ready, "partitions", g.Partitions,
				"recovering", g.Recovering, "offsets_behind", g.OffsetsBehind}
			changed := !known || prev.st.Ready != g.Ready || prev.st.Partitions != g.Partitions || prev.st.Recovering != g.Recovering
			switch {
			case changed:
				log.Info("group state changed", attrs...)
				prev.logged = now
			case g.Recovering > 0 && now.Sub(prev.logged) >= 10*time.Second:
				if eta, ok := recoveryETA(prev.st.OffsetsBehind, g.OffsetsBehind, now.Sub(prev.at)); ok {
					attrs = append(attrs, "eta", eta.Round(time.Second))
				}
				log.Info("group recovering", attrs...)
				prev.logged = now
			}
			last[g.Group] = seen{st: g, at: now, logged: prev.logged}
		}
	}
}

// recoveryETA estimates when behind reaches 0 from how much it shrank over
// dt; false while it does not shrink.
func recoveryETA(before, behind int64, dt time.Duration) (time.Duration, bool) {
	done := before - behind
	if done <= 0 || dt <= 0 {
		return 0, false
	}
	return time.Duration(float64(behind) / float64(done) * float64(dt)), true
}

// groupsOpsMux is opsMux of report with logGroups running in g.
func groupsOpsMux(ctx context.Context, g *errgroup.Group, reg *prometheus.Registry, report groupsReport, log *slog.Logger) *http.ServeMux {
	g.Go(func() error { return logGroups(ctx, report, log) })
	return opsMux(reg, report)
}
