package processors

import (
	"fmt"

	"github.com/lovoo/goka"

	"finstream/processors/cdc"
	"finstream/processors/event"
	"finstream/processors/goal"
)

// goals keeps each user's savings goals (goal.State) keyed by user_id and
// writes their changes and milestones to finstream.goal.events, one record
// per participant. GOAL account rows (keyed by account id), memberships of
// shared goals and participants' movements into a shared goal's account
// travel to the right user over the group's loopback.
type goals struct {
	cfg *Config
	c   *CopilotCodecs
}

func defineGoals(cfg *Config, c *CopilotCodecs) *goka.GroupGraph {
	p := &goals{cfg: cfg, c: c}
	return goka.DefineGroup(goka.Group(cfg.Topics.GroupGoals),
		input(goka.Stream(p.cfg.Topics.TxnByUser), cfg.Codecs.TxnByUser, p.txn),
		input(goka.Stream(p.cfg.Topics.AccountsByID), cfg.Codecs.AccountsByID, p.account),
		input(goka.Stream(TopicCommandsGoals), c.GoalCommands, p.command),
		userCommands(cfg, p.userCommand),
		loop(c.GoalsLoop, p.message),
		goka.Output(goka.Stream(p.cfg.Topics.GoalEvents), c.GoalEvents),
		dlqOutput(cfg),
		goka.Persist(c.GoalsTable),
	)
}

func (p *goals) state(ctx goka.Context) *goal.State {
	if v, ok := ctx.Value().(goal.State); ok {
		return &v
	}
	return &goal.State{UserID: ctx.Key()}
}

func (p *goals) txn(ctx goka.Context, msg any) {
	s := p.state(ctx)
	p.commit(ctx, s, s.ApplyTxnFrom(msg.(cdc.TxnChange), inputOf(ctx)))
}

// inputOf names the input record of ctx ("topic/partition/offset"), by
// which a state recognizes the redelivery of a record it already applied.
func inputOf(ctx goka.Context) string {
	return fmt.Sprintf("%s/%d/%d", ctx.Topic(), ctx.Partition(), ctx.Offset())
}

// account runs keyed by account id: it routes GOAL accounts to their user.
func (p *goals) account(ctx goka.Context, msg any) {
	ch := msg.(cdc.AccountChange)
	if ch.Row.Type == "GOAL" && ch.Row.GoalID != "" && ch.Row.UserID != "" {
		ctx.Loopback(ch.Row.UserID, goal.Message{Account: &ch})
	}
}

func (p *goals) message(ctx goka.Context, msg any) {
	s := p.state(ctx)
	p.commit(ctx, s, s.Apply(msg.(goal.Message), inputOf(ctx)))
}

func (p *goals) command(ctx goka.Context, msg any) {
	cmd := msg.(event.GoalCommand)
	s := p.state(ctx)
	eff, err := s.Command(cmd, cdc.KnownCurrency)
	if err != nil {
		// The API validated the command against the state it saw; the state
		// moved on since. Nothing to apply.
		p.cfg.Logger.Warn("goal command not applied", "kind", cmd.Kind, "command_id", cmd.CommandID, "err", err)
		return
	}
	p.commit(ctx, s, eff)
}

func (p *goals) userCommand(ctx goka.Context, msg any) {
	cmd := msg.(event.UserCommand)
	if cmd.Kind != event.CmdSetTimeZone {
		return
	}
	s := p.state(ctx)
	if err := s.SetTimeZone(cmd.TimeZone); err == nil {
		ctx.SetValue(*s)
	}
}

// commit stores the state and writes the effects of one input: goal events
// keyed by their recipient, forwards over the loopback.
func (p *goals) commit(ctx goka.Context, s *goal.State, eff goal.Effects) {
	if eff.Untouched {
		return // nothing of this input is in the state: no write, no changelog record
	}
	ctx.SetValue(*s)
	for _, ev := range eff.Events {
		ctx.Emit(goka.Stream(p.cfg.Topics.GoalEvents), ev.UserID, ev)
	}
	for _, f := range eff.Forwards {
		ctx.Loopback(f.To, f.Msg)
	}
}
