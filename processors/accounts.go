package processors

import (
	"fmt"

	"github.com/lovoo/goka"

	"finstream/processors/accountjoin"
	"finstream/processors/cdc"
	"finstream/topics"
)

// GroupAccounts resolves transactions without user_id from the accounts
// table, keyed by account id. Its table is finstream-accounts-table.
const GroupAccounts goka.Group = topics.GroupAccounts

type accounts struct {
	cfg *Config
	m   *Metrics
}

func (a *accounts) define() *goka.GroupGraph {
	return goka.DefineGroup(goka.Group(a.cfg.Topics.GroupAccounts),
		input(goka.Stream(a.cfg.Topics.AccountsByID), a.cfg.Codecs.AccountsByID, a.account),
		input(goka.Stream(a.cfg.Topics.TxnByAccount), a.cfg.Codecs.TxnByAccount, a.txn),
		goka.Output(goka.Stream(a.cfg.Topics.TxnByID), a.cfg.Codecs.TxnByID),
		dlqOutput(a.cfg),
		goka.Persist(a.cfg.Codecs.AccountsTable),
	)
}

func (a *accounts) state(ctx goka.Context) accountjoin.State {
	if v, ok := ctx.Value().(accountjoin.State); ok {
		return v
	}
	return accountjoin.State{}
}

func (a *accounts) account(ctx goka.Context, msg any) {
	s := a.state(ctx)
	released := s.ApplyAccount(msg.(cdc.AccountChange))
	ctx.SetValue(s)
	for _, ch := range released {
		ctx.Emit(goka.Stream(a.cfg.Topics.TxnByID), ch.Row.ID, ch)
	}
}

func (a *accounts) txn(ctx goka.Context, msg any) {
	s := a.state(ctx)
	if s.Full() {
		why := fmt.Errorf("%d transactions already wait for this account, whose row has not arrived", accountjoin.MaxWaiting)
		a.m.DLQ.WithLabelValues("account_unknown", string(ctx.Topic())).Inc()
		raw, err := a.cfg.Codecs.TxnByAccount.Encode(msg)
		if err != nil {
			a.cfg.Logger.Warn("change not sent to the DLQ", "reason", "account_unknown", "err", err)
			return
		}
		ctx.Emit(goka.Stream(a.cfg.Topics.DLQ), ctx.Key(), raw, goka.WithCtxEmitHeaders(DLQHeaders("account_unknown", why, string(ctx.Topic()), ctx.Partition(), ctx.Offset())))
		return
	}
	ch, ok := s.ApplyTxn(msg.(cdc.TxnChange))
	if ok {
		ctx.Emit(goka.Stream(a.cfg.Topics.TxnByID), ch.Row.ID, ch)
		return
	}
	ctx.SetValue(s) // waits for its account
}
