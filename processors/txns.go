package processors

import (
	"errors"
	"fmt"

	"github.com/lovoo/goka"

	"finstream/processors/budget"
	"finstream/processors/cdc"
	"finstream/processors/event"
	"finstream/topics"
)

// GroupTxns is the transaction stage: per-transaction memory
// (budget.Ledger) in finstream-txns-table, keyed by transaction id. It
// compares every change's CDC position with the last applied one, decides
// the category (with the user's rules, looked up in finstream-users-table)
// and sends finstream.txn.by-user records that carry what the transaction
// counted before and counts now, so that the users group holds aggregates
// only. Recategorizations (finstream.commands.txn) come here too.
const GroupTxns goka.Group = topics.GroupTxns

type txns struct {
	cfg *Config
	m   *Metrics
}

func (t *txns) define() *goka.GroupGraph {
	return goka.DefineGroup(goka.Group(t.cfg.Topics.GroupTxns),
		input(goka.Stream(t.cfg.Topics.TxnByID), t.cfg.Codecs.TxnByID, t.change),
		input(goka.Stream(topics.CommandsTxn), t.cfg.Codecs.CommandsTxn, t.command),
		goka.Lookup(goka.GroupTable(goka.Group(t.cfg.Topics.GroupUsers)), t.cfg.Codecs.usersRules()),
		goka.Output(goka.Stream(t.cfg.Topics.TxnByUser), t.cfg.Codecs.TxnByUser),
		goka.Output(goka.Stream(t.cfg.Topics.SharedSpend), t.cfg.Codecs.SharedSpend),
		goka.Visitor(VisitBackfill, t.backfill),
		dlqOutput(t.cfg),
		goka.Persist(t.cfg.Codecs.TxnsTable),
	)
}

func (t *txns) ledger(ctx goka.Context) *budget.Ledger {
	if v, ok := ctx.Value().(budget.Ledger); ok {
		return &v
	}
	return &budget.Ledger{}
}

// rules looks up the user's rules, zone and shared-budget memberships (zero
// Rules for "" or a user the users table does not know yet).
func (t *txns) rules(ctx goka.Context, userID string) budget.Rules {
	if userID == "" {
		return budget.Rules{}
	}
	// The lookup's codec (Codecs.UsersRules) decodes only these.
	if s, ok := ctx.Lookup(goka.GroupTable(goka.Group(t.cfg.Topics.GroupUsers)), userID).(budget.State); ok {
		return budget.Rules{UserID: userID, TimeZone: s.TimeZone, Rules: s.Rules, Memberships: s.Memberships}
	}
	return budget.Rules{UserID: userID}
}

func (t *txns) change(ctx goka.Context, msg any) {
	ch := msg.(cdc.TxnChange)
	l := t.ledger(ctx)
	user := ch.Row.UserID
	if user == "" {
		user = l.UserID()
	}
	out := l.ApplyChange(ch, budget.InStream(budget.StreamChanges, ctx.Partition(), ctx.Offset()), t.rules(ctx, user))
	switch {
	case out.Late:
		why := fmt.Errorf("transaction posted before the retention horizon (%d months) and unknown to the state", budget.RetentionMonths)
		t.dlq(ctx, ch, "late", why)
		if l.Known() {
			ctx.Delete()
		}
		return
	case out.Unroutable:
		why := errors.New("change carries neither user_id nor account_id and the transaction is unknown (set REPLICA IDENTITY FULL on the transactions table)")
		t.dlq(ctx, ch, "unroutable", why)
		return
	}
	t.commit(ctx, l, out.Records)
}

// commit stores the ledger and sends the records of one input: to the
// user, and to every shared budget the transaction offered spend to before
// or offers now. The ledger is stored even for a redelivery: after a crash
// between the local store and the changelog, this re-writes the changelog.
func (t *txns) commit(ctx goka.Context, l *budget.Ledger, recs []cdc.TxnChange) {
	ctx.SetValue(*l)
	for _, rec := range recs {
		ctx.Emit(goka.Stream(t.cfg.Topics.TxnByUser), rec.Row.UserID, rec)
		for _, sp := range budget.SharedSpends(rec) {
			ctx.Emit(goka.Stream(t.cfg.Topics.SharedSpend), sp.BudgetID, sp)
		}
	}
}

func (t *txns) command(ctx goka.Context, msg any) {
	cmd := msg.(event.UserCommand)
	if cmd.Kind != event.CmdRecategorize {
		t.cfg.Logger.Warn("command not applied", "kind", cmd.Kind, "command_id", cmd.CommandID, "err", "not a transaction command")
		return
	}
	l := t.ledger(ctx)
	out, err := l.Recategorize(cmd.UserID, cmd.Category, budget.InStream(budget.StreamCommands, ctx.Partition(), ctx.Offset()), t.rules(ctx, cmd.UserID))
	if err != nil {
		// The API checked the command against the state it saw.
		t.cfg.Logger.Warn("command not applied", "kind", cmd.Kind, "command_id", cmd.CommandID, "err", err)
		return
	}
	t.commit(ctx, l, out.Records)
}

// dlq sends a change that is not applied to finstream.dlq, as its
// finstream.txn.by-id record, so that it is visible rather than dropped.
func (t *txns) dlq(ctx goka.Context, ch cdc.TxnChange, reason string, why error) {
	raw, err := t.cfg.Codecs.TxnByID.Encode(ch)
	if err != nil {
		t.m.DLQ.WithLabelValues(reason, string(ctx.Topic())).Inc()
		t.cfg.Logger.Warn("change not sent to the DLQ", "reason", reason, "err", err)
		return
	}
	sendDLQ(ctx, t.m, t.cfg, raw, reason, why, nil)
}
