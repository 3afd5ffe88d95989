package processors

import (
	"github.com/lovoo/goka"

	"finstream/processors/budget"
	"finstream/processors/event"
	"finstream/processors/notify"
)

// notifications turns budget alerts, shared-budget alerts, goal milestones
// and high-severity insights into per-recipient notifications on
// finstream.notifications, keyed by the recipient, whose table
// (notify.State) holds their settings and the ids already sent. Shared
// budget updates are keyed by budget_id: their candidates are looped back
// to each recipient.
type notifications struct {
	cfg *Config
	c   *CopilotCodecs
}

func defineNotifications(cfg *Config, c *CopilotCodecs) *goka.GroupGraph {
	p := &notifications{cfg: cfg, c: c}
	return goka.DefineGroup(goka.Group(cfg.Topics.GroupNotifications),
		input(goka.Stream(p.cfg.Topics.BudgetAlerts), cfg.Codecs.BudgetAlerts, p.alert),
		input(goka.Stream(p.cfg.Topics.BudgetUpdates), cfg.Codecs.BudgetUpdates, p.sharedUpdate),
		input(goka.Stream(p.cfg.Topics.GoalEvents), c.GoalEvents, p.goalEvent),
		input(goka.Stream(p.cfg.Topics.Insights), c.Insights, p.insight),
		input(goka.Stream(TopicCommandsNotify), c.NotifyCommands, p.settings),
		loop(c.NotificationsLoop, p.candidate),
		goka.Output(goka.Stream(p.cfg.Topics.Notifications), c.Notifications),
		goka.Output(goka.Stream(cfg.Topics.UserCommandsDerived), cfg.Codecs.CommandsUser),
		dlqOutput(cfg),
		goka.Persist(c.NotificationsTable),
	)
}

func (p *notifications) state(ctx goka.Context) *notify.State {
	if v, ok := ctx.Value().(notify.State); ok {
		return &v
	}
	return &notify.State{UserID: ctx.Key()}
}

func (p *notifications) alert(ctx goka.Context, msg any) {
	a := msg.(event.Alert)
	if a.BudgetID != budget.BudgetID(a.UserID, a.Category) {
		// A shared budget's alert (one per participant): its budget update,
		// which carries every participant's role, notifies them.
		return
	}
	p.admit(ctx, notify.FromAlert(a))
}

// sharedUpdate runs keyed by budget_id: it sends each participant's
// candidate to the participant's key.
func (p *notifications) sharedUpdate(ctx goka.Context, msg any) {
	for _, n := range notify.FromSharedUpdate(msg.(event.BudgetUpdate)) {
		ctx.Loopback(n.UserID, n)
	}
}

func (p *notifications) goalEvent(ctx goka.Context, msg any) {
	p.admit(ctx, notify.FromGoalEvent(msg.(event.GoalEvent)))
}

func (p *notifications) insight(ctx goka.Context, msg any) {
	p.admit(ctx, notify.FromInsight(msg.(event.Insight)))
}

func (p *notifications) candidate(ctx goka.Context, msg any) {
	p.admit(ctx, []event.Notification{msg.(event.Notification)})
}

func (p *notifications) settings(ctx goka.Context, msg any) {
	c := msg.(event.NotificationSettings)
	s := p.state(ctx)
	if _, err := s.SetSettings(c); err != nil {
		p.cfg.Logger.Warn("notification settings not applied", "command_id", c.CommandID, "err", err)
		return
	}
	ctx.SetValue(*s)
	// The users processor sends the digest (it holds the spend): tell it.
	// Sent on every settings command, not only on a change, so that a
	// redelivery after a crash reaches it too; it is idempotent there.
	kind := event.CmdDigestOff
	if s.Settings().Kinds[event.NotifyDailyDigest] {
		kind = event.CmdDigestOn
	}
	ctx.Emit(goka.Stream(p.cfg.Topics.UserCommandsDerived), c.UserID, event.UserCommand{CommandID: c.CommandID + "|digest", UserID: c.UserID, Kind: kind, IssuedAt: c.IssuedAt})
}

// admit passes the candidates addressed to this key through the
// recipient's state and writes those admitted. The state is stored when it
// changed or when this input re-sends what it admitted before (a
// redelivery after a crash between the local store and the changelog
// re-writes the changelog), not for candidates already seen from another
// input (an insight's next version with the same severity): they leave the
// state as it was.
func (p *notifications) admit(ctx goka.Context, candidates []event.Notification) {
	if len(candidates) == 0 {
		return
	}
	s := p.state(ctx)
	from := inputOf(ctx)
	version, sent := s.Version, false
	for _, c := range candidates {
		if c.UserID != ctx.Key() {
			continue
		}
		if n, ok := s.AdmitFrom(c, from); ok {
			ctx.Emit(goka.Stream(p.cfg.Topics.Notifications), n.UserID, n)
			sent = true
		}
	}
	if sent || s.Version != version {
		ctx.SetValue(*s)
	}
}
