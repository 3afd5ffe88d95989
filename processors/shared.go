package processors

import (
	"time"

	"errors"

	"github.com/lovoo/goka"

	"finstream/processors/cdc"
	"finstream/processors/event"
	"finstream/processors/shared"
	"finstream/topics"
)

// GroupShared keeps each shared (household) budget keyed by budget_id in
// finstream-shared-table (value shared.Budget, binary). It applies the API's
// commands (finstream.commands.shared) and the spend the users group routes
// to it (finstream.shared.spend), and writes budget updates (Kind "shared")
// and alerts, and membership commands to the members' user states
// (finstream.commands.user), which route their spending here.
const GroupShared goka.Group = topics.GroupShared

type sharedBudgets struct {
	cfg *Config
}

func (g *sharedBudgets) define() *goka.GroupGraph {
	return goka.DefineGroup(goka.Group(g.cfg.Topics.GroupShared),
		input(goka.Stream(topics.CommandsShared), g.cfg.Codecs.SharedCommands, g.command),
		input(goka.Stream(g.cfg.Topics.SharedSpend), g.cfg.Codecs.SharedSpend, g.spend),
		goka.Output(goka.Stream(g.cfg.Topics.BudgetUpdates), g.cfg.Codecs.BudgetUpdates),
		goka.Output(goka.Stream(g.cfg.Topics.BudgetAlerts), g.cfg.Codecs.BudgetAlerts),
		goka.Output(goka.Stream(g.cfg.Topics.UserCommandsDerived), g.cfg.Codecs.CommandsUser),
		goka.Visitor(VisitTick, g.tick),
		dlqOutput(g.cfg),
		goka.Persist(g.cfg.Codecs.SharedTable),
	)
}

// budget is the stored budget of the key, nil when there is none.
func (g *sharedBudgets) budget(ctx goka.Context) *shared.Budget {
	if v, ok := ctx.Value().(shared.Budget); ok {
		return &v
	}
	return nil
}

func (g *sharedBudgets) command(ctx goka.Context, msg any) {
	cmd := msg.(event.SharedCommand)
	b := g.budget(ctx)
	var eff shared.Effects
	var err error
	switch {
	case b == nil && cmd.Kind == event.CmdSharedCreate:
		cmd.BudgetID = ctx.Key()
		b, eff, err = shared.Create(cmd, cdc.KnownCurrency)
	case b == nil:
		err = errors.New("no such shared budget")
	default:
		eff, err = b.Apply(cmd)
	}
	if err != nil {
		// The API authorized the command against the state it saw; the
		// state moved on since (or the command raced another). Nothing to apply.
		g.cfg.Logger.Warn("shared command not applied", "kind", cmd.Kind, "budget_id", ctx.Key(), "command_id", cmd.CommandID, "err", err)
		return
	}
	g.commit(ctx, b, eff)
}

func (g *sharedBudgets) spend(ctx goka.Context, msg any) {
	b := g.budget(ctx)
	if b == nil {
		// Tagged with an id no shared budget has: nothing to count.
		return
	}
	g.commit(ctx, b, b.ApplySpend(msg.(event.SharedSpend)))
}

// commit stores the budget and writes the effects of one input. The budget
// is stored even when nothing changed: after a crash between the local store
// and the changelog, the redelivered input re-writes the changelog.
func (g *sharedBudgets) commit(ctx goka.Context, b *shared.Budget, eff shared.Effects) {
	ctx.SetValue(*b)
	for _, u := range eff.Updates {
		ctx.Emit(goka.Stream(g.cfg.Topics.BudgetUpdates), u.BudgetID, u)
	}
	for _, a := range eff.Alerts {
		ctx.Emit(goka.Stream(g.cfg.Topics.BudgetAlerts), a.UserID, a)
	}
	for _, c := range eff.Members {
		ctx.Emit(goka.Stream(g.cfg.Topics.UserCommandsDerived), c.UserID, c)
	}
}

// tick is the visit callback of a clock tick (ticks.go): a shared budget's
// period start reaches every participant's devices without traffic.
func (g *sharedBudgets) tick(ctx goka.Context, meta any) {
	now, ok := meta.(time.Time)
	b := g.budget(ctx)
	if !ok || b == nil {
		return
	}
	if eff, changed := b.Tick(now); changed {
		g.commit(ctx, b, eff)
	}
}
