package loadgen

import (
	"fmt"

	"finstream/processors/cdc"
)

// Statuses of the transactions table.
const (
	StatusPending  = "PENDING"
	StatusPosted   = "POSTED"
	StatusReversed = "REVERSED"
	StatusFailed   = "FAILED"
)

// step is one planned change of a transaction after its creation.
type step uint8

const (
	stepPost        step = iota // PENDING → POSTED
	stepPostAmended             // PENDING → POSTED with a corrected amount
	stepAmend                   // amount corrected
	stepReverse                 // POSTED → REVERSED
	stepFail                    // PENDING → FAILED
	stepDelete                  // row deleted
)

// txnState is a transaction with changes still to come.
type txnState struct {
	row      *cdc.Txn // latest row image
	acct     *account
	user     *user // the account's owner, whatever the row's user_id says
	step     int64 // amount rounding of its merchant
	category string
	period   string
	plan     [4]step
	nplan    uint8
	next     uint8
	deleted  bool

	prev    change // the latest change made, for out-of-order redelivery
	hasPrev bool
	held    change // a change held back until the next one is delivered
	hasHeld bool

	// What the pipeline holds after the events delivered so far.
	dSeen    bool
	dPos     cdc.Position
	dContrib int64
}

// change is a transactions change as made, kept for a later delivery.
type change struct {
	op            cdc.Op
	pos           cdc.Position
	before, after *cdc.Txn
	key, value    []byte
}

func changeOf(ev *Event) change {
	return change{ev.Op, ev.Pos, ev.Before, ev.After, ev.Key, ev.Value}
}

// event returns the change as an event of kind k.
func (c *change) event(k Kind) Event {
	return Event{Kind: k, Topic: TopicTransactions, Key: c.key, Value: c.value, Op: c.op, Pos: c.pos, Before: c.before, After: c.after}
}

// dayToDay makes one everyday transaction of a random user at a merchant
// chosen by local hour.
func (g *Generator) dayToDay() {
	u := g.pickUser()
	hour := g.hour
	if u.foreign {
		hour = g.now.In(u.loc).Hour()
	}
	mi := g.w.pickMerchant(g.rng, hour)
	m := &g.w.merchants[mi]
	a := u.checking[0]
	if len(u.checking) > 1 && g.rng.IntN(10) < 3 {
		a = u.checking[1]
	}
	g.createTxn(u, a, mi, amount(g.rng, m), channel(g.rng, m))
	if m.otherBank && g.rng.IntN(10) < 3 {
		fee := &g.w.merchants[g.atmFee]
		g.createTxn(u, a, g.atmFee, amount(g.rng, fee), ChannelATM)
	}
}

func (g *Generator) pickUser() *user {
	for {
		u := &g.w.users[g.rng.IntN(len(g.w.users))]
		if g.rng.Float64() < u.activity {
			return u
		}
	}
}

// payRecurring makes a salary, bill, subscription or own transfer.
func (g *Generator) payRecurring(u *user, b *userRecurring) {
	m := &g.w.merchants[b.merchant]
	amt := b.amount
	if amt == 0 {
		amt = amount(g.rng, m)
	}
	switch b.kind {
	case recPay:
		g.createTxn(u, u.checking[0], b.merchant, amt, channel(g.rng, m))
	case recToSavings, recToGoal:
		to := u.savings
		if b.kind == recToGoal {
			to = u.goal
		}
		g.createTxn(u, u.checking[0], b.merchant, amt, ChannelTransfer)
		g.createTxn(u, to, g.ownCredit, amt, ChannelTransfer)
	case recInterest:
		g.createTxn(u, u.savings, b.merchant, amt, ChannelTransfer)
	}
}

// createTxn sends a new transaction on account a, after the account rows
// it needs, and plans its later changes.
func (g *Generator) createTxn(u *user, a *account, mi int, amt int64, ch string) {
	m := &g.w.merchants[mi]
	nullUser := g.openAccounts(u, a)
	branch := 0
	if m.branches > 1 {
		branch = g.rng.IntN(m.branches)
	}
	name := m.Name
	if m.perBranchN {
		name = g.w.branchNm[mi][branch]
	}
	row := &cdc.Txn{
		ID: g.nextTxnID(), AccountID: a.row.ID, UserID: u.id, Direction: m.Direction, Type: m.Type,
		Status: StatusPosted, AmountMinor: amt, Currency: "THB", MerchantName: name,
		MerchantID: g.w.branchID[mi][branch], MCC: m.MCC, Channel: ch, PostedAt: g.now, UpdatedAt: g.now,
	}
	if nullUser || g.chance(g.cfg.NullUserID) {
		row.UserID = ""
	}
	// Card payments are authorized first and settle later; PromptPay, QR,
	// ATM and transfers are final at once.
	pending := ch == ChannelCard && m.Direction == "DEBIT"
	if pending {
		row.Status = StatusPending
	}
	if m.Direction == "DEBIT" && (m.Type == "PURCHASE" || m.Type == "BILL_PAYMENT") && g.chance(g.cfg.BudgetTags) {
		row.BudgetID = u.budgetID
	}
	ts := &txnState{row: row, acct: a, user: u, step: m.step, category: g.category(row), period: g.period(u, g.now)}
	g.plan(ts, pending)
	g.emitTxn(ts, KindCreate, cdc.OpCreate, nil, row)
	if ts.nplan > 0 {
		g.schedule(g.stepGap(), task{kind: taskStep, ts: ts})
	}
	if g.chance(g.cfg.Snapshots) {
		g.schedule(32+g.rng.IntN(wheelSize-64), task{kind: taskSnapshot, ts: ts})
	}
}

// plan draws the changes a transaction will go through after creation.
func (g *Generator) plan(ts *txnState, pending bool) {
	add := func(s step) { ts.plan[ts.nplan] = s; ts.nplan++ }
	rev, amend, del := g.chance(g.cfg.Reversals), g.chance(g.cfg.AmountChanges), g.chance(g.cfg.Deletes)
	if pending {
		switch {
		case rev && g.rng.IntN(2) == 0:
			add(stepFail)
			rev, amend = false, false
		case amend && g.rng.IntN(2) == 0:
			add(stepPostAmended)
			amend = false
		default:
			add(stepPost)
		}
	}
	if amend {
		add(stepAmend)
	}
	if rev {
		add(stepReverse)
	}
	if del {
		add(stepDelete)
	}
}

// stepGap is how many ticks a transaction's next change comes after the
// previous one: mostly soon, sometimes much later.
func (g *Generator) stepGap() int {
	gap := 1 + g.rng.IntN(64)
	if g.rng.IntN(4) == 0 {
		gap += g.rng.IntN(wheelSize - 128)
	}
	return gap
}

// runStep makes a transaction's next planned change.
func (g *Generator) runStep(ts *txnState) {
	s := ts.plan[ts.next]
	ts.next++
	old := ts.row
	if s == stepDelete {
		ts.deleted = true
		g.emitTxn(ts, KindDelete, cdc.OpDelete, old, nil)
		return
	}
	nr := *old
	nr.UpdatedAt = g.now
	var kind Kind
	switch s {
	case stepPost:
		nr.Status, kind = StatusPosted, KindPost
	case stepPostAmended:
		nr.Status, nr.AmountMinor, kind = StatusPosted, g.amend(old.AmountMinor, ts.step), KindAmountChange
	case stepAmend:
		nr.AmountMinor, kind = g.amend(old.AmountMinor, ts.step), KindAmountChange
	case stepReverse:
		nr.Status, kind = StatusReversed, KindReverse
	case stepFail:
		nr.Status, kind = StatusFailed, KindFail
	}
	ts.row = &nr
	g.emitTxn(ts, kind, cdc.OpUpdate, old, &nr)
	if ts.next < ts.nplan {
		g.schedule(g.stepGap(), task{kind: taskStep, ts: ts})
	}
}

// amend corrects an amount by 5-20 %, mostly up (a tip, the final fuel
// amount), keeping it a multiple of step and different from v.
func (g *Generator) amend(v, step int64) int64 {
	d := v * int64(5+g.rng.IntN(16)) / 100
	if g.rng.IntN(10) < 3 {
		d = -d
	}
	n := roundTo(v+d, step, 1)
	if n == v {
		n = v + max(step, 1)
	}
	return n
}

// openAccounts sends the account rows a transaction on a needs first: at a
// user's first transaction, every one of the user's accounts that is not
// late. It reports whether a is late and not sent yet: the transaction
// then carries user_id null so the pipeline must wait for the account, whose
// row is sent up to wheelSize/2 ticks after its first transaction.
func (g *Generator) openAccounts(u *user, a *account) bool {
	if !u.opened {
		u.opened = true
		for _, x := range u.accounts() {
			if !x.late {
				g.emitAccount(x, KindAccount, cdc.OpSnapshot)
			}
		}
	}
	if a.sent {
		return false
	}
	if !a.scheduled {
		a.scheduled = true
		g.schedule(1+g.rng.IntN(wheelSize/2), task{kind: taskAccount, acct: a})
	}
	return true
}

func (g *Generator) emitAccount(a *account, kind Kind, op cdc.Op) {
	a.sent = true
	pos := g.nextPos()
	ev := Event{Kind: kind, Topic: TopicAccounts, Op: op, Pos: pos, Account: &a.row}
	if g.enc != nil {
		var err error
		if ev.Key, ev.Value, err = g.enc.EncodeAccount(op, nil, &a.row, pos); err != nil {
			g.fail(fmt.Errorf("encode %s of account %s: %w", op, a.row.ID, err))
			return
		}
	}
	ev.more, a.deferred = a.deferred, nil
	g.out = append(g.out, ev)
	if g.chance(g.cfg.Duplicates) {
		ev.Kind = KindDuplicate
		g.schedule(g.rng.IntN(8), task{kind: taskRedeliver, ev: ev})
	}
	if kind != KindSnapshot && g.chance(g.cfg.Snapshots) {
		g.schedule(32+g.rng.IntN(wheelSize-64), task{kind: taskAccountSnapshot, acct: a})
	}
}
