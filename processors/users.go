package processors

import (
	"errors"
	"time"

	"github.com/lovoo/goka"

	"finstream/processors/budget"
	"finstream/processors/cdc"
	"finstream/processors/event"
	"finstream/topics"
)

// GroupUsers keeps each user's state (categorization rules, spend, budgets)
// keyed by user_id, in finstream-users-table. It is the hot path: one hop
// after re-keying, it categorizes, counts spend, and emits budget updates
// and alerts; finstream.txn.categorized is an output for sinks, not a hop.
// It learns the user's shared-budget memberships from finstream.commands.user;
// the transaction stage reads them (lookup) to decide what each transaction
// offers shared budgets.
const GroupUsers goka.Group = topics.GroupUsers

type users struct {
	cfg *Config
	m   *Metrics
}

func (u *users) define() *goka.GroupGraph {
	return goka.DefineGroup(goka.Group(u.cfg.Topics.GroupUsers),
		input(goka.Stream(u.cfg.Topics.TxnByUser), u.cfg.Codecs.TxnByUser, u.txn),
		userCommands(u.cfg, u.command),
		goka.Output(goka.Stream(u.cfg.Topics.TxnCategorized), u.cfg.Codecs.Categorized),
		goka.Output(goka.Stream(u.cfg.Topics.BudgetUpdates), u.cfg.Codecs.BudgetUpdates),
		goka.Output(goka.Stream(u.cfg.Topics.BudgetAlerts), u.cfg.Codecs.BudgetAlerts),
		goka.Output(goka.Stream(topics.Loop(u.cfg.Topics.GroupNotifications)), tolerant(u.cfg.Codecs.Copilot.NotificationsLoop)),
		goka.Visitor(VisitTick, u.tick),
		dlqOutput(u.cfg),
		goka.Persist(u.cfg.Codecs.UsersTable),
	)
}

func (u *users) state(ctx goka.Context) *budget.State {
	if v, ok := ctx.Value().(budget.State); ok {
		return &v
	}
	return &budget.State{UserID: ctx.Key()}
}

func (u *users) txn(ctx goka.Context, msg any) {
	ch := msg.(cdc.TxnChange)
	s := u.state(ctx)
	eff := s.ApplyTxnFrom(ch, budget.At(ctx.Partition(), ctx.Offset()))
	if ch.Pos.TsMs > 0 {
		u.m.Latency.WithLabelValues(u.cfg.Topics.GroupUsers).Observe(time.Since(time.UnixMilli(ch.Pos.TsMs)).Seconds())
	}
	u.commit(ctx, s, eff)
}

func (u *users) command(ctx goka.Context, msg any) {
	cmd := msg.(event.UserCommand)
	s := u.state(ctx)
	var eff budget.Effects
	var err error
	switch cmd.Kind {
	case event.CmdSetBudget:
		var b *budget.Budget
		b, err = budget.ValidateBudget(cmd.Category, cmd.LimitMinor, cmd.Currency, cmd.Period, cmd.ThresholdsBP, cdc.KnownCurrency)
		if err == nil {
			b.Rollover, b.AnchorDay = cmd.Rollover, cmd.AnchorDay
			if err = budget.ValidateAnchor(b.Period, b.AnchorDay); err == nil {
				eff = s.SetBudget(*b, cmd.IssuedAt)
			}
		}
	case event.CmdDeleteBudget:
		eff = s.DeleteBudget(cmd.Category, cmd.IssuedAt)
	case event.CmdSetTimeZone:
		err = s.SetTimeZone(cmd.TimeZone)
	case event.CmdSetMembership:
		eff, err = s.SetMembership(budget.Membership{BudgetID: cmd.BudgetID, Name: cmd.Name, Role: cmd.Role,
			Category: cmd.Category, Currency: cmd.Currency, Period: cmd.Period, Since: cmd.IssuedAt})
	case event.CmdRemoveMembership:
		s.RemoveMembership(cmd.BudgetID, cmd.IssuedAt)
	case event.CmdInvite:
		s.Invite(budget.Invitation{ID: cmd.InvitationID, BudgetID: cmd.BudgetID, Name: cmd.Name, Role: cmd.Role,
			InvitedBy: cmd.InvitedBy, ExpiresAt: cmd.ExpiresAt}, cmd.IssuedAt)
	case event.CmdUninvite:
		s.Uninvite(cmd.InvitationID)
	case event.CmdDigestOn, event.CmdDigestOff:
		s.SetDigest(cmd.Kind == event.CmdDigestOn)
	default:
		err = errors.New("unknown command kind")
	}
	if err != nil {
		// The API validated the command against the state it saw; the state
		// moved on since. Nothing to apply.
		u.cfg.Logger.Warn("command not applied", "kind", cmd.Kind, "command_id", cmd.CommandID, "err", err)
		return
	}
	u.commit(ctx, s, eff)
}

// commit stores the state and emits the effects of one input. The personal
// budget updates of a transaction's change ride on its categorized record
// too (see carry), so that the insights group needs no second hop for them.
func (u *users) commit(ctx goka.Context, s *budget.State, eff budget.Effects) {
	// Stored even when nothing changed: after a crash between the local
	// store and the changelog, the redelivered input re-writes the changelog.
	// Not stored when the input left nothing in the state (a change that
	// counts nothing: budget.Effects.Unstored), like the insights group's
	// records that never counted: about a third of the simulator's.
	if !eff.Unstored {
		ctx.SetValue(*s)
	}
	resent := carry(eff.ResendCategorized, eff.ResendUpdates)
	for _, c := range eff.ResendCategorized {
		ctx.Emit(goka.Stream(u.cfg.Topics.TxnCategorized), c.UserID, c)
	}
	u.emitUpdates(ctx, eff.ResendUpdates, resent)
	for _, a := range eff.ResendAlerts {
		ctx.Emit(goka.Stream(u.cfg.Topics.BudgetAlerts), a.UserID, a)
	}
	if !eff.Changed() {
		return
	}
	carried := carry(eff.Categorized, eff.Updates)
	for _, c := range eff.Categorized {
		ctx.Emit(goka.Stream(u.cfg.Topics.TxnCategorized), c.UserID, c)
	}
	u.emitUpdates(ctx, eff.Updates, carried)
	for _, a := range eff.Alerts {
		ctx.Emit(goka.Stream(u.cfg.Topics.BudgetAlerts), a.UserID, a)
	}
}

// carried is the header of a budget update that rides on a categorized
// record as well.
var carried = goka.WithCtxEmitHeaders(goka.Headers{event.HeaderCarried: []byte("1")})

// carry attaches the personal updates among ups to the last of cs and
// reports whether it did: then emitUpdates marks them with
// event.HeaderCarried.
func carry(cs []event.Categorized, ups []event.BudgetUpdate) bool {
	if len(cs) == 0 {
		return false
	}
	var personal []event.BudgetUpdate
	for _, up := range ups {
		if carriable(up) {
			personal = append(personal, up)
		}
	}
	cs[len(cs)-1].BudgetUpdates = personal
	return len(personal) > 0
}

func carriable(up event.BudgetUpdate) bool {
	return up.Kind == event.BudgetPersonal && up.UserID != ""
}

func (u *users) emitUpdates(ctx goka.Context, ups []event.BudgetUpdate, carriedOn bool) {
	for _, up := range ups {
		if carriedOn && carriable(up) {
			ctx.Emit(goka.Stream(u.cfg.Topics.BudgetUpdates), up.BudgetID, up, carried)
			continue
		}
		ctx.Emit(goka.Stream(u.cfg.Topics.BudgetUpdates), up.BudgetID, up)
	}
}
