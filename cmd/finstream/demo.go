package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/lovoo/goka"

	"finstream/benchmarks/loadgen"
	"finstream/processors/budget"
	"finstream/processors/event"
)

// demoBudgets are the budgets `run --simulate` gives every simulated user
// who has none on that category yet, so the demo shows budgets and alerts.
var demoBudgets = []struct {
	category string
	limit    int64 // satang
}{
	{"groceries", 400_000}, {"dining", 300_000}, {"transport", 150_000},
	{"shopping", 500_000}, {"subscriptions", 80_000},
}

// seedDemoBudgets waits for the users view to be recovered, then sends a
// set_budget command for each demo budget a simulated user lacks. A budget
// the user changed through the API is left as it is.
func seedDemoBudgets(ctx context.Context, cfg loadgen.Config, view *goka.View, em *goka.Emitter, log *slog.Logger) error {
	g, err := loadgen.NewGenerator(cfg, nil, categorize)
	if err != nil {
		return fmt.Errorf("demo budgets: %w", err)
	}
	select {
	case <-ctx.Done():
		return nil
	case <-view.WaitRunning():
	}
	sent := 0
	for _, u := range g.Users() {
		v, err := view.Get(u.ID)
		if err != nil {
			return fmt.Errorf("demo budgets: %w", err)
		}
		st, _ := v.(budget.State)
		for _, b := range demoBudgets {
			if _, ok := st.Budgets[b.category]; ok {
				continue
			}
			cmd := event.UserCommand{CommandID: "demo-" + u.ID + "-" + b.category, UserID: u.ID, Kind: event.CmdSetBudget,
				Category: b.category, LimitMinor: b.limit, Currency: "THB", Period: "monthly", ThresholdsBP: budget.DefaultThresholdsBP, IssuedAt: cfg.Now()}
			if _, err := em.Emit(u.ID, cmd); err != nil {
				return fmt.Errorf("demo budgets: %w", err)
			}
			sent++
		}
		if ctx.Err() != nil {
			return nil
		}
	}
	log.Info("demo budgets sent", "commands", sent, "users", len(g.Users()))
	return nil
}
