package main

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"finstream/avro"
	"finstream/processors/budget"
	"finstream/processors/cdc"
	"finstream/processors/event"
	"finstream/topics"
)

// readAll returns every record of a topic.
func (n *node) readAll(topic string) []*kgo.Record {
	n.t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(n.broker), kgo.ConsumeTopics(topic), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		n.t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var out []*kgo.Record
	idle := 0
	for idle < 3 && ctx.Err() == nil {
		pctx, pc := context.WithTimeout(ctx, 500*time.Millisecond)
		fs := cl.PollFetches(pctx)
		pc()
		if fs.NumRecords() == 0 {
			idle++
		}
		fs.EachRecord(func(r *kgo.Record) { out = append(out, r) })
	}
	return out
}

// diagnose tells at which stage a user's transactions went missing: the
// CDC source, finstream.txn.by-user, or finstream.txn.categorized.
func (n *node) diagnose(user string) string {
	ctx := context.Background()
	reg, err := avro.NewClient("http://" + n.registry)
	if err != nil {
		return err.Error()
	}
	dec := cdc.NewDecoder(reg)
	accounts := map[string]string{}
	for _, r := range n.readAll(topics.CDCAccounts) {
		if ch, err := dec.DecodeAccount(ctx, r.Value); err == nil {
			accounts[ch.Row.ID] = ch.Row.UserID
		}
	}
	type seen struct {
		cdc, byAccount, byUser, categorized int
		nullUser                            bool
	}
	txns := map[string]*seen{}
	get := func(id string) *seen {
		if txns[id] == nil {
			txns[id] = &seen{}
		}
		return txns[id]
	}
	for _, r := range n.readAll(topics.CDCTransactions) {
		ch, err := dec.DecodeTxn(ctx, r.Value)
		if err != nil {
			continue
		}
		u := ch.Row.UserID
		if u == "" {
			u = accounts[ch.Row.AccountID]
		}
		if u == user {
			get(ch.Row.ID).cdc++
			get(ch.Row.ID).nullUser = ch.Row.UserID == ""
		}
	}
	byAccount, _ := avro.NewCodec[cdc.TxnChange](ctx, reg, topics.TxnByAccount+"-value")
	for _, r := range n.readAll(topics.TxnByAccount) {
		if ch, err := byAccount.DecodeValue(r.Value); err == nil && accounts[ch.Row.AccountID] == user {
			get(ch.Row.ID).byAccount++
		}
	}
	byUser, _ := avro.NewCodec[cdc.TxnChange](ctx, reg, topics.TxnByUser+"-value")
	for _, r := range n.readAll(topics.TxnByUser) {
		if string(r.Key) != user {
			continue
		}
		if ch, err := byUser.DecodeValue(r.Value); err == nil {
			get(ch.Row.ID).byUser++
		}
	}
	catCodec, _ := avro.NewCodec[event.Categorized](ctx, reg, topics.TxnCategorized+"-value")
	for _, r := range n.readAll(topics.TxnCategorized) {
		if string(r.Key) != user {
			continue
		}
		if c, err := catCodec.DecodeValue(r.Value); err == nil {
			get(c.TxnID).categorized++
		}
	}
	var lines []string
	for id, s := range txns {
		if s.byUser < s.cdc || s.categorized == 0 {
			lines = append(lines, fmt.Sprintf("%s: cdc %d (user_id null: %v), by-account %d, by-user %d, categorized %d",
				id, s.cdc, s.nullUser, s.byAccount, s.byUser, s.categorized))
		}
	}
	sort.Strings(lines)
	return fmt.Sprintf("%d transactions of %s; short ones:\n%s", len(txns), user, strings.Join(lines, "\n"))
}

// budgetHistory lists the updates of a personal budget in the order they
// were written, one line each (version, spend, usage, crossings, cause).
func (n *node) budgetHistory(budgetID string) string {
	ctx := context.Background()
	reg, err := avro.NewClient("http://" + n.registry)
	if err != nil {
		return err.Error()
	}
	codec, err := avro.NewCodec[event.BudgetUpdate](ctx, reg, topics.BudgetUpdates+"-value")
	if err != nil {
		return err.Error()
	}
	var lines []string
	for _, r := range n.readAll(topics.BudgetUpdates) {
		if string(r.Key) != budgetID {
			continue
		}
		u, err := codec.DecodeValue(r.Value)
		if err != nil {
			lines = append(lines, err.Error())
			continue
		}
		lines = append(lines, fmt.Sprintf("@%d/%d v%d %s spent %d used %d crossed %v now %v txn %s %+d",
			r.Partition, r.Offset, u.Version, u.PeriodKey, u.SpentMinor, u.UsedBP, u.CrossedBP, u.ThresholdCrossedBP, u.TxnID, u.AmountMinor))
	}
	return fmt.Sprintf("updates of %s:\n%s", budgetID, strings.Join(lines, "\n"))
}

// userTrail lists, in topic order, a user's records on finstream.txn.by-user
// and finstream.txn.categorized and its alerts: where a lost effect went.
func (n *node) userTrail(user string) string {
	ctx := context.Background()
	reg, err := avro.NewClient("http://" + n.registry)
	if err != nil {
		return err.Error()
	}
	var lines []string
	byUser, _ := avro.NewCodec[cdc.TxnChange](ctx, reg, topics.TxnByUser+"-value")
	for _, r := range n.readAll(topics.TxnByUser) {
		if string(r.Key) != user {
			continue
		}
		if ch, err := byUser.DecodeValue(r.Value); err == nil {
			lines = append(lines, fmt.Sprintf("by-user @%d/%d %s lsn %d %s %s %d %s %s", r.Partition, r.Offset, ch.Row.ID, ch.Pos.LSN, ch.Row.Status, ch.Row.Direction, ch.Row.AmountMinor, ch.Row.MerchantName, ch.Row.PostedAt.Format(time.RFC3339)))
		}
	}
	catCodec, _ := avro.NewCodec[event.Categorized](ctx, reg, topics.TxnCategorized+"-value")
	for _, r := range n.readAll(topics.TxnCategorized) {
		if string(r.Key) != user {
			continue
		}
		if c, err := catCodec.DecodeValue(r.Value); err == nil {
			lines = append(lines, fmt.Sprintf("categorized @%d/%d %s lsn %d v%d %s spend %d", r.Partition, r.Offset, c.TxnID, c.LSN, c.Version, c.Category, c.SpendMinor))
		}
	}
	for _, a := range n.alerts() {
		if a.UserID == user {
			lines = append(lines, "alert "+a.AlertID)
		}
	}
	return strings.Join(lines, "\n")
}

// tableSpend returns, from the latest value of each listed user in the
// finstream-users-table changelog, the spend per "user|period|category": what
// the processor stored, to tell a short table from a view behind it.
func (n *node) tableSpend(users map[string]bool) map[string]int64 {
	latest := map[string][]byte{}
	for _, r := range n.readAll(topics.TableUsers) {
		if users[string(r.Key)] {
			latest[string(r.Key)] = r.Value
		}
	}
	out := map[string]int64{}
	for u, v := range latest {
		var s budget.State
		if err := s.UnmarshalBinary(v); err != nil {
			n.t.Logf("decode %s: %v", u, err)
			continue
		}
		for k, minor := range s.Spend {
			parts := strings.SplitN(k, "|", 3)
			if len(parts) == 3 {
				out[u+"|"+parts[0]+"|"+parts[1]] += minor
			}
		}
	}
	return out
}
