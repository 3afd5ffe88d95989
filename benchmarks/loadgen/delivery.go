package loadgen

import (
	"fmt"

	"finstream/processors/cdc"
)

// Delivery: the order in which changes reach the topic, with the anomalies
// of a real CDC pipeline, and the ground-truth effect of each delivery.

type taskKind uint8

const (
	taskStep            taskKind = iota // the transaction's next planned change
	taskRedeliver                       // send ev again (duplicate, out of order)
	taskSnapshot                        // replay the transaction's row as op r
	taskAccount                         // send a late account's row
	taskAccountSnapshot                 // replay an account row as op r
)

// task is work scheduled for a later tick.
type task struct {
	kind taskKind
	ts   *txnState
	acct *account
	ev   Event
}

// schedule runs t after gap ticks (0 < gap < wheelSize), or at once.
func (g *Generator) schedule(gap int, t task) {
	if gap <= 0 {
		g.runTask(&t)
		return
	}
	slot := &g.wheel[(g.tick+int64(gap))%wheelSize]
	*slot = append(*slot, t)
}

// runTasks runs the tasks due at this tick, in the order they were scheduled.
func (g *Generator) runTasks() {
	slot := &g.wheel[g.tick%wheelSize]
	tasks := *slot
	for i := range tasks {
		g.runTask(&tasks[i])
	}
	clear(tasks)
	*slot = tasks[:0]
}

func (g *Generator) runTask(t *task) {
	switch t.kind {
	case taskStep:
		g.runStep(t.ts)
	case taskRedeliver:
		if t.ts == nil { // an account row: no effect of its own
			t.ev.fx, t.ev.more = effect{}, nil
			g.out = append(g.out, t.ev)
			return
		}
		g.deliver(t.ts, t.ev)
	case taskSnapshot:
		// A deleted row is not in a snapshot; a held change would make the
		// snapshot show a state the topic has not carried yet.
		if t.ts.deleted || t.ts.hasHeld {
			return
		}
		pos := g.nextPos()
		ev := Event{Kind: KindSnapshot, Topic: TopicTransactions, Op: cdc.OpSnapshot, Pos: pos, After: t.ts.row}
		if !g.encodeTxn(&ev) {
			return
		}
		g.deliver(t.ts, ev)
	case taskAccount:
		g.emitAccount(t.acct, KindLateAccount, cdc.OpCreate)
	case taskAccountSnapshot:
		g.emitAccount(t.acct, KindSnapshot, cdc.OpSnapshot)
	}
}

func (g *Generator) encodeTxn(ev *Event) bool {
	if g.enc == nil {
		return true
	}
	var err error
	if ev.Key, ev.Value, err = g.enc.EncodeTxn(ev.Op, ev.Before, ev.After, ev.Pos); err != nil {
		g.fail(fmt.Errorf("encode %s of transaction %s: %w", ev.Op, ev.TxnID(), err))
		return false
	}
	return true
}

// emitTxn makes a new change of a transaction at a new position and
// delivers it, possibly out of order or twice.
func (g *Generator) emitTxn(ts *txnState, kind Kind, op cdc.Op, before, after *cdc.Txn) {
	ev := Event{Kind: kind, Topic: TopicTransactions, Op: op, Pos: g.nextPos(), Before: before, After: after}
	if !g.encodeTxn(&ev) {
		return
	}
	ooo := g.cfg.OutOfOrder / 2
	if ts.next < ts.nplan && !ts.hasHeld && ts.acct.sent && g.chance(ooo) {
		// Hold it back: the row's next change overtakes it. (Not while the
		// account row waits for its transactions to come first.)
		ts.held, ts.hasHeld = changeOf(&ev), true
	} else {
		g.deliver(ts, ev)
		switch {
		case ts.hasHeld:
			h := ts.held.event(KindOutOfOrder)
			ts.held, ts.hasHeld = change{}, false
			g.deliver(ts, h)
		case ts.hasPrev && g.chance(ooo):
			g.schedule(g.rng.IntN(16), task{kind: taskRedeliver, ts: ts, ev: ts.prev.event(KindOutOfOrder)})
		}
		if g.chance(g.cfg.Duplicates) {
			d := ev
			d.Kind = KindDuplicate
			g.schedule(g.rng.IntN(8), task{kind: taskRedeliver, ts: ts, ev: d})
		}
	}
	ts.prev, ts.hasPrev = changeOf(&ev), true
	if op == cdc.OpDelete && g.cfg.Tombstones {
		g.out = append(g.out, Event{Kind: KindTombstone, Topic: TopicTransactions, Key: ev.Key})
	}
}

// deliver appends ev to the stream with its effect on the ground truth,
// computed by the contract's rules: per transaction the change at the
// greatest position wins; it counts as spend while it is a POSTED DEBIT
// that is not deleted.
//
// A transaction with user_id null on an account whose row has not been
// delivered cannot be attributed yet: its effect waits for the account row.
func (g *Generator) deliver(ts *txnState, ev Event) {
	ev.fx, ev.more = effect{}, nil
	if !ts.dSeen || newer(ev.Pos, ts.dPos) {
		c := contribution(&ev)
		if d := c - ts.dContrib; d != 0 {
			fx := effect{user: ts.user.id, category: ts.category, period: ts.period, delta: d}
			if ts.row.UserID == "" && !ts.acct.sent {
				ts.acct.deferred = append(ts.acct.deferred, fx)
			} else {
				ev.fx = fx
			}
		}
		ts.dSeen, ts.dPos, ts.dContrib = true, ev.Pos, c
	}
	g.out = append(g.out, ev)
}

// contribution is what a transactions change counts as spend.
func contribution(ev *Event) int64 {
	r := ev.After
	if ev.Op == cdc.OpDelete || r == nil || r.Status != StatusPosted || r.Direction != "DEBIT" {
		return 0
	}
	return r.AmountMinor
}
