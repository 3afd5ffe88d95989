package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/lovoo/goka"
	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/errgroup"

	"finstream/api"
	"finstream/processors"
	"finstream/processors/budget"
)

// startBackfiller runs the backfiller of procs in g.
func startBackfiller(ctx context.Context, g *errgroup.Group, procs func() []*goka.Processor, reg prometheus.Registerer, log *slog.Logger) *processors.Backfiller {
	bf := processors.NewBackfiller(procs, processors.NewBackfillMetrics(reg), log)
	g.Go(func() error { return bf.Run(ctx) })
	return bf
}

// mountBackfill serves POST /v1/ops/recategorize on the ops mux.
func mountBackfill(ops *http.ServeMux, bf *processors.Backfiller) {
	ops.Handle("POST /v1/ops/recategorize", api.OpsRecategorize(func(ctx context.Context, spec budget.Backfill) (int64, int64, error) {
		res, err := bf.Do(ctx, spec)
		return res.Visited, res.Moved, err
	}))
}

func cmdRecategorize(ctx context.Context, args []string, stderr io.Writer) error {
	fs := newFlagSet("recategorize", "Re-categorizes the retained transactions after a change of the MCC or merchant rules (a new\nbuild), or moves one user's transactions of one merchant: it asks every processors instance\n(their --ops-listen) to visit its partitions of the transaction stage, and prints what each did.", stderr)
	opsURLs := fs.String("ops", "http://127.0.0.1:8079", "comma-separated ops URLs of every processors instance (or of finstream run)")
	var spec budget.Backfill
	fs.StringVar(&spec.UserID, "user", "", "only this user's transactions")
	fs.StringVar(&spec.Merchant, "merchant", "", "only this merchant (its key: the merchant_id, or the normalized name)")
	fs.StringVar(&spec.Category, "category", "", "move the matching transactions to this category as the user's choice (needs --user and --merchant); empty: apply the current rules")
	timeout := fs.Duration("timeout", time.Hour, "give up after this long")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := spec.Validate(); err != nil {
		return badConfig("%v", err)
	}
	body, _ := json.Marshal(spec)
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	var total [2]int64
	for _, u := range strings.Split(*opsURLs, ",") {
		u = strings.TrimRight(strings.TrimSpace(u), "/")
		start := time.Now()
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, u+"/v1/ops/recategorize", bytes.NewReader(body))
		if err != nil {
			return badConfig("--ops %q: %v", u, err)
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return fmt.Errorf("recategorize on %s: %w", u, err)
		}
		var out struct {
			Visited, Moved int64
			Error          *struct{ Code, Message string }
		}
		err = json.NewDecoder(resp.Body).Decode(&out)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			msg := resp.Status
			if out.Error != nil {
				msg = out.Error.Message
			}
			return fmt.Errorf("recategorize on %s: %s", u, msg)
		}
		total[0], total[1] = total[0]+out.Visited, total[1]+out.Moved
		fmt.Fprintf(stderr, "%s: visited %d transactions, moved %d (%s)\n", u, out.Visited, out.Moved, time.Since(start).Round(time.Millisecond))
	}
	fmt.Fprintf(stderr, "total: visited %d, moved %d\n", total[0], total[1])
	return nil
}
