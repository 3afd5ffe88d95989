package processors

import (
	"context"
	"fmt"

	"github.com/lovoo/goka"

	"finstream/avro"
	"finstream/processors/event"
	"finstream/processors/goal"
	"finstream/processors/insight"
	"finstream/processors/notify"
	"finstream/topics"
)

// Groups, tables and topics of insights, goals and notifications. The
// loopback topics are "<group>-loop" (goka's naming); create them with the
// other topics.
const (
	GroupInsights      goka.Group = topics.GroupInsights
	GroupGoals         goka.Group = topics.GroupGoals
	GroupNotifications goka.Group = topics.GroupNotifications

	TableInsights      = string(GroupInsights) + "-table"
	TableGoals         = string(GroupGoals) + "-table"
	TableNotifications = string(GroupNotifications) + "-table"
	LoopInsights       = string(GroupInsights) + "-loop"      // user_id: personal budget updates
	LoopGoals          = string(GroupGoals) + "-loop"         // user_id: goal.Message
	LoopNotifications  = string(GroupNotifications) + "-loop" // user_id: candidate notifications

	TopicCommandsGoals  = topics.CommandsGoals  // user_id: event.GoalCommand
	TopicCommandsNotify = topics.CommandsNotify // user_id: event.NotificationSettings
)

// CopilotCodecs are the codecs of the insights, goals and notifications
// groups: Avro for their topics, compact binary for their tables (see
// each state's Codec), JSON for their loopbacks.
type CopilotCodecs struct {
	Insights       goka.Codec // event.Insight
	GoalEvents     goka.Codec // event.GoalEvent
	Notifications  goka.Codec // event.Notification
	GoalCommands   goka.Codec // event.GoalCommand
	NotifyCommands goka.Codec // event.NotificationSettings

	InsightsTable      goka.Codec // insight.State
	GoalsTable         goka.Codec // goal.State
	NotificationsTable goka.Codec // notify.State

	InsightsLoop      goka.Codec // event.BudgetUpdate
	GoalsLoop         goka.Codec // goal.Message
	NotificationsLoop goka.Codec // event.Notification
}

// NewCopilotCodecs registers the schemas of the insights, goal events,
// notifications and their command topics with reg.
func NewCopilotCodecs(ctx context.Context, reg *avro.Client) (*CopilotCodecs, error) {
	c := &CopilotCodecs{
		InsightsTable:      insight.Codec{},
		GoalsTable:         goal.Codec{},
		NotificationsTable: notify.Codec{},
		InsightsLoop:       avro.JSONCodec[event.BudgetUpdate]{},
		GoalsLoop:          avro.JSONCodec[goal.Message]{},
		NotificationsLoop:  avro.JSONCodec[event.Notification]{},
	}
	for _, r := range []struct {
		dst     *goka.Codec
		subject string
		mk      func(context.Context, *avro.Client, string) (goka.Codec, error)
	}{
		{&c.Insights, topics.ValueSubject(topics.Insights), codecOf[event.Insight]},
		{&c.GoalEvents, topics.ValueSubject(topics.GoalEvents), codecOf[event.GoalEvent]},
		{&c.Notifications, topics.ValueSubject(topics.Notifications), codecOf[event.Notification]},
		{&c.GoalCommands, topics.ValueSubject(TopicCommandsGoals), codecOf[event.GoalCommand]},
		{&c.NotifyCommands, topics.ValueSubject(TopicCommandsNotify), codecOf[event.NotificationSettings]},
	} {
		var err error
		if *r.dst, err = r.mk(ctx, reg, r.subject); err != nil {
			return nil, fmt.Errorf("codec for %s: %w", r.subject, err)
		}
	}
	return c, nil
}

// insights keeps each user's spending statistics (insight.State) keyed by
// user_id and writes every change of an insight to finstream.insights.
// Personal budget updates are keyed by budget_id: the group loops them back
// to their user.
type insights struct {
	cfg *Config
	c   *CopilotCodecs
}

func defineInsights(cfg *Config, c *CopilotCodecs) *goka.GroupGraph {
	p := &insights{cfg: cfg, c: c}
	return goka.DefineGroup(goka.Group(cfg.Topics.GroupInsights),
		input(goka.Stream(p.cfg.Topics.TxnCategorized), cfg.Codecs.Categorized, p.categorized),
		input(goka.Stream(p.cfg.Topics.BudgetUpdates), cfg.Codecs.BudgetUpdates, p.budgetUpdate),
		userCommands(cfg, p.command),
		loop(c.InsightsLoop, p.userBudget),
		goka.Output(goka.Stream(p.cfg.Topics.Insights), c.Insights),
		dlqOutput(cfg),
		goka.Persist(c.InsightsTable),
	)
}

func (p *insights) state(ctx goka.Context) *insight.State {
	if v, ok := ctx.Value().(insight.State); ok {
		return &v
	}
	return &insight.State{UserID: ctx.Key()}
}

func (p *insights) categorized(ctx goka.Context, msg any) {
	c := msg.(event.Categorized)
	s := p.state(ctx)
	known := s.Remembers(c.TxnID)
	version := s.Version
	changed := s.ApplyCategorized(c)
	for _, u := range c.BudgetUpdates {
		changed = append(changed, s.ApplyBudget(u)...)
	}
	if !known && s.Version == version {
		// A record that never counted (pending, zero, beyond the horizon)
		// and moved no budget: nothing of it is in the state, so there is
		// nothing to store.
		return
	}
	p.commit(ctx, s, changed)
}

// budgetUpdate runs keyed by budget_id: it routes personal budgets'
// updates to their user, except those that rode on a categorized record
// (event.HeaderCarried), which categorized applied already.
func (p *insights) budgetUpdate(ctx goka.Context, msg any) {
	if _, dup := ctx.Headers()[event.HeaderCarried]; dup {
		return
	}
	if u := msg.(event.BudgetUpdate); u.Kind == event.BudgetPersonal && u.UserID != "" {
		ctx.Loopback(u.UserID, u)
	}
}

func (p *insights) userBudget(ctx goka.Context, msg any) {
	s := p.state(ctx)
	p.commit(ctx, s, s.ApplyBudget(msg.(event.BudgetUpdate)))
}

func (p *insights) command(ctx goka.Context, msg any) {
	cmd := msg.(event.UserCommand)
	if cmd.Kind != event.CmdSetTimeZone {
		return
	}
	s := p.state(ctx)
	if err := s.SetTimeZone(cmd.TimeZone); err != nil {
		p.cfg.Logger.Warn("time zone not applied to insights", "command_id", cmd.CommandID, "err", err)
		return
	}
	ctx.SetValue(*s)
}

// commit stores the state (always: a redelivered input after a crash
// re-writes the changelog) and writes the insights that changed.
func (p *insights) commit(ctx goka.Context, s *insight.State, changed []event.Insight) {
	ctx.SetValue(*s)
	for _, in := range changed {
		ctx.Emit(goka.Stream(p.cfg.Topics.Insights), in.UserID, in)
	}
}
