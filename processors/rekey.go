package processors

import (
	"errors"

	"github.com/lovoo/goka"
	"github.com/lovoo/goka/codec"

	"finstream/processors/cdc"
	"finstream/topics"
)

// Groups of the stateless re-keying stage. CDC producers partition as they
// like; this stage decodes and validates every CDC record and re-keys it with
// murmur2 onto finstream's own topics. One group per CDC topic, so the two
// external topics need not have the same partition count.
const (
	GroupRekeyTxns     goka.Group = "finstream-rekey-transactions"
	GroupRekeyAccounts goka.Group = "finstream-rekey-accounts"
)

type rekey struct {
	cfg *Config
	m   *Metrics
}

// DefineRekeyTransactions: core.public.transactions → by-id (user_id
// known, or neither user_id nor account_id: the transaction stage may know
// the user) or by-account (user_id null: resolved by the accounts join);
// bad records → DLQ.
func (r *rekey) defineTxns() *goka.GroupGraph {
	return goka.DefineGroup(goka.Group(r.cfg.Topics.GroupRekeyTxns),
		input(goka.Stream(topics.CDCTransactions), new(codec.Bytes), r.txn),
		goka.Output(goka.Stream(r.cfg.Topics.TxnByID), r.cfg.Codecs.TxnByID),
		goka.Output(goka.Stream(r.cfg.Topics.TxnByAccount), r.cfg.Codecs.TxnByAccount),
		dlqOutput(r.cfg),
	)
}

// defineAccounts: core.public.accounts → accounts.by-id; bad records → DLQ.
func (r *rekey) defineAccounts() *goka.GroupGraph {
	return goka.DefineGroup(goka.Group(r.cfg.Topics.GroupRekeyAccounts),
		input(goka.Stream(topics.CDCAccounts), new(codec.Bytes), r.account),
		goka.Output(goka.Stream(r.cfg.Topics.AccountsByID), r.cfg.Codecs.AccountsByID),
		dlqOutput(r.cfg),
	)
}

func (r *rekey) txn(ctx goka.Context, msg any) {
	raw, _ := msg.([]byte)
	ch, err := r.cfg.Codecs.CDC.DecodeTxn(ctx.Context(), raw)
	switch {
	case errors.Is(err, cdc.ErrTombstone):
		return
	case err != nil:
		r.dlq(ctx, raw, err)
	case ch.Row.UserID == "" && ch.Row.AccountID != "":
		ctx.Emit(goka.Stream(r.cfg.Topics.TxnByAccount), ch.Row.AccountID, ch)
	default:
		// With user_id, or a delete whose before image carries only the key
		// (REPLICA IDENTITY DEFAULT): the transaction stage knows its user
		// if it saw the transaction before.
		ctx.Emit(goka.Stream(r.cfg.Topics.TxnByID), ch.Row.ID, ch)
	}
}

func (r *rekey) account(ctx goka.Context, msg any) {
	raw, _ := msg.([]byte)
	ch, err := r.cfg.Codecs.CDC.DecodeAccount(ctx.Context(), raw)
	switch {
	case errors.Is(err, cdc.ErrTombstone):
	case err != nil:
		r.dlq(ctx, raw, err)
	default:
		ctx.Emit(goka.Stream(r.cfg.Topics.AccountsByID), ch.Row.ID, ch)
	}
}

// dlq sends the original bytes to finstream.dlq with the reason and the
// source position in headers, counts it, and lets the pipeline go on.
func (r *rekey) dlq(ctx goka.Context, raw []byte, err error) {
	reason := "invalid"
	var ce *cdc.Error
	if errors.As(err, &ce) && ce.Reason != "" {
		reason = ce.Reason
	}
	sendDLQ(ctx, r.m, r.cfg, raw, reason, err, nil)
}
