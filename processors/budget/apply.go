package budget

import (
	"fmt"
	"sort"
	"time"

	"finstream/processors/category"
	"finstream/processors/cdc"
	"finstream/processors/event"
	"finstream/processors/period"
)

// Effects are what one applied input changed: records to write downstream.
// An input that changed nothing (a duplicate, a stale redelivery) has no
// effects and State.Version is unchanged.
type Effects struct {
	Categorized []event.Categorized
	Updates     []event.BudgetUpdate
	Alerts      []event.Alert
	// Shared are the shared-budget records of the transaction stage's
	// records (SharedSpends), filled by Book only: the processors send them
	// from the stage.
	Shared []event.SharedSpend
	// ResendCategorized repeats the categorized record of a transaction
	// whose exact change (same position) is redelivered: after a crash
	// between storing the state and producing, sinks still get it. They
	// de-duplicate by transaction id and version.
	ResendCategorized []event.Categorized
	// ResendUpdates repeats, for a redelivered input, the current state of
	// the budget periods its record moved (see resendUpdates).
	ResendUpdates []event.BudgetUpdate
	// ResendAlerts repeats the alerts of a transaction's change when the
	// very record that made it is delivered again (see Txn.Fired): the first
	// copies may have been lost in a crash. Consumers de-duplicate by
	// alert id.
	ResendAlerts []event.Alert
	// Late says the change was not applied: its transaction, unknown to the
	// state, was posted before the retention horizon (see RetentionMonths).
	Late bool
	// Unstored says the input left nothing in the state to store: a
	// transaction's change that counted nothing before and counts nothing
	// now (a pending payment, a credit, a failed one). Only its categorized
	// record is written; a redelivery of it writes that record again and
	// still counts nothing, so it needs no mark of the duplicate guard.
	Unstored bool
}

// Changed reports whether the input changed the state.
func (e Effects) Changed() bool {
	return len(e.Categorized)+len(e.Updates)+len(e.Alerts) > 0
}

// counts reports whether a transaction row counts as spend: a POSTED DEBIT.
func counts(row cdc.Txn, deleted bool) bool {
	return !deleted && row.Status == "POSTED" && row.Direction == "DEBIT"
}

// ApplyTxn applies one by-user record from a record of unknown origin (see
// ApplyTxnFrom).
func (s *State) ApplyTxn(rec cdc.TxnChange) Effects { return s.ApplyTxnFrom(rec, Input{}) }

// ApplyTxnFrom applies one finstream.txn.by-user record, made by the
// transaction stage (Ledger): every bucket moves by exactly the difference
// between what the transaction counted (rec.Counted) and counts now
// (rec.Counts). A record the state already applied (its stage input at or
// below the mark of that stream and partition: see Marks) changes nothing
// and repeats its outputs: the categorized record and the alerts it fired. in (this processor's own input) is not needed by
// the guard: a re-sent record arrives at another offset.
func (s *State) ApplyTxnFrom(rec cdc.TxnChange, in Input) Effects {
	_ = in
	s.init()
	moved := s.advance(sourceTime(rec.Pos))
	if s.applied(rec) {
		eff := Effects{
			ResendCategorized: []event.Categorized{s.categorized(rec)},
			ResendUpdates:     s.resendUpdates(rec),
		}
		if i := s.seen(rec.Row.ID, rec.Seq); i >= 0 {
			eff.ResendAlerts, _ = decodeAlerts(s.Recent[i].Alerts, s.UserID, rec.Row.ID) // written by remember
			s.reexplain(eff.ResendAlerts)
		}
		return eff
	}
	if rec.Counted.Amount == 0 && rec.Counts.Amount == 0 && rec.Op != OpRecategorize && !moved {
		// Nothing to count, learn or mark (see Effects.Unstored).
		return Effects{Categorized: []event.Categorized{s.categorized(rec)}, Unstored: true}
	}
	if rec.Op == OpRecategorize && rec.Source == string(category.SourceUserRule) {
		if key := category.MerchantKey(rec.Row.MerchantID, rec.Row.MerchantName); key != "" {
			s.learn(key, rec.Category)
		}
	}
	at := rowTime(rec.Row)
	src := sourceTime(rec.Pos)
	if rec.Op == OpRecategorize {
		src = time.Time{} // a command, not a CDC change
	}
	eff := s.recount(rec, at, src)
	s.observe(rec)
	s.mark(rec)
	if len(eff.Alerts) > 0 {
		s.remember(Seen{TxnID: rec.Row.ID, Seq: rec.Seq, Alerts: encodeAlerts(s.UserID, eff.Alerts)})
	}
	return eff
}

// applied reports whether the record's stage input is at or below the mark
// of its stream and partition. A record without a mark (not from the
// stage) is never taken for a duplicate.
func (s *State) applied(rec cdc.TxnChange) bool {
	return s.Marks.Applied(rec.MarkStream, rec.MarkPartition, rec.MarkOffset)
}

func (s *State) mark(rec cdc.TxnChange) {
	s.Marks.Advance(rec.MarkStream, rec.MarkPartition, rec.MarkOffset)
}

// seen returns the index in Recent of (txnID, seq), or -1.
func (s *State) seen(txnID string, seq int64) int {
	for i, r := range s.Recent {
		if r.Seq == seq && r.TxnID == txnID {
			return i
		}
	}
	return -1
}

func (s *State) remember(r Seen) {
	s.Recent = append(s.Recent, r)
	if n := len(s.Recent); n > keepRecent {
		s.Recent = append([]Seen(nil), s.Recent[n-keepRecent:]...)
	}
}

// maxRules bounds the user's own rules: the oldest-learned rule goes first
// (Go maps have no order, so the rule learned first by name order goes; a
// user with this many corrections is rare).
const maxRules = 256

func (s *State) learn(key, cat string) {
	if _, ok := s.Rules[key]; !ok && len(s.Rules) >= maxRules {
		for k := range s.Rules {
			delete(s.Rules, k)
			break
		}
	}
	s.Rules[key] = cat
}

func eventTime(rec cdc.TxnChange) time.Time { return rowTime(rec.Row) }

// rowTime is a transaction row's event time: posted_at, else updated_at.
func rowTime(r cdc.Txn) time.Time {
	if !r.PostedAt.IsZero() {
		return r.PostedAt
	}
	return r.UpdatedAt
}

// recount moves the buckets from rec.Counted to rec.Counts and returns the
// effects, attributed to the record's transaction at event time at.
// source is the CDC source time of the change (zero for a command).
func (s *State) recount(rec cdc.TxnChange, at, source time.Time) Effects {
	old, now := contributions(rec)
	s.Version++
	list := s.affected(old, now) // with their usage before moving spend
	s.add(old, -1)
	s.add(now, +1)

	eff := Effects{Categorized: []event.Categorized{s.categorized(rec)}}
	for _, a := range list {
		b := a.b
		delta := s.in(now, b, a.p) - s.in(old, b, a.p)
		used := UsedBP(s.spent(b, a.p), s.limitIn(b, a.p))
		if delta == 0 {
			continue
		}
		b.Version = s.Version
		b.track(rec, a.p, s.in(old, b, a.p), s.in(now, b, a.p))
		u := s.update(b, a.p, at)
		u.TxnID, u.Merchant, u.AmountMinor = rec.Row.ID, rec.Row.MerchantName, delta
		u.SourceTime = source
		crossed, nth := s.Drops.Move(PeriodDropKey(b.Category, a.p.Key), b.ThresholdsBP, a.used, used)
		u.ThresholdCrossedBP = append(u.ThresholdCrossedBP, crossed...)
		// Alerts highest threshold first: a notifier that keeps one
		// notification per purchase keeps the most severe.
		for i := len(crossed) - 1; i >= 0; i-- {
			eff.Alerts = append(eff.Alerts, s.alert(b, a.p, crossed[i], nth[i], u, at))
		}
		if u.Pace == event.PaceTooFast && a.p.Key > b.PaceAlerted && delta > 0 {
			// Once per period; a late transaction of a period before the
			// last one alerted does not alert its pace.
			b.PaceAlerted = a.p.Key
			eff.Alerts = append(eff.Alerts, s.alert(b, a.p, 0, 0, u, at))
		}
		u.Alert = len(u.ThresholdCrossedBP) > 0
		eff.Updates = append(eff.Updates, u)
	}
	return eff
}

// affected is a budget period a contribution moves, with its usage.
type affected struct {
	b    *Budget
	p    period.Period
	used int64
}

// affected lists the budget periods that contributions old and now fall
// in, with their usage now.
func (s *State) affected(old, now counted) []affected {
	loc := s.location()
	var list []affected
	for _, c := range []counted{old, now} {
		b := s.Budgets[c.Category]
		if c.Amount == 0 || b == nil || b.Currency != c.Currency {
			continue
		}
		p, ok := period.ParseKey(s.key(c, b), loc)
		if !ok {
			continue
		}
		if len(list) == 1 && list[0].b == b && list[0].p.Key == p.Key {
			continue
		}
		list = append(list, affected{b, p, UsedBP(s.spent(b, p), s.limitIn(b, p))})
	}
	return list
}

// counted is a contribution with the event time of the row it comes from
// (for the pay-months of anchored budgets, which the transaction stage
// does not bucket).
type counted struct {
	Contribution
	At time.Time
}

// contributions are what the record's transaction counted (with the time
// of the row it replaces) and counts now.
func contributions(rec cdc.TxnChange) (old, now counted) {
	old, now = counted{Contribution: rec.Counted}, counted{Contribution: rec.Counts, At: rowTime(rec.Row)}
	if rec.Prev != nil {
		old.At = rowTime(*rec.Prev)
	}
	return old, now
}

// resendUpdates are, for a record applied before, the current updates of
// the budget periods it moved, attributed to it: after a crash in which its
// updates were lost, the projections still get the latest state (sinks
// keep the highest version; devices ignore a version they have).
func (s *State) resendUpdates(rec cdc.TxnChange) []event.BudgetUpdate {
	var out []event.BudgetUpdate
	old, now := contributions(rec)
	for _, a := range s.affected(old, now) {
		delta := s.in(now, a.b, a.p) - s.in(old, a.b, a.p)
		if delta == 0 {
			continue
		}
		u := s.update(a.b, a.p, rowTime(rec.Row))
		u.TxnID, u.Merchant, u.AmountMinor = rec.Row.ID, rec.Row.MerchantName, delta
		out = append(out, u)
	}
	return out
}

// key is the bucket period key of c for budget b: its ISO week, its
// pay-month for an anchored budget, else its calendar month.
func (s *State) key(c counted, b *Budget) string {
	switch {
	case b.Period == period.Weekly:
		return c.Week
	case b.AnchorDay > 1 && !c.At.IsZero():
		return period.Anchored(b.AnchorDay, c.At, s.location()).Key
	}
	return c.Month
}

// in is the amount c adds to budget b in period p.
func (s *State) in(c counted, b *Budget, p period.Period) int64 {
	if c.Amount == 0 || c.Category != b.Category || c.Currency != b.Currency || s.key(c, b) != p.Key {
		return 0
	}
	if b.Period == period.Monthly && b.AnchorDay > 1 && c.At.Before(s.anchorSince(b.AnchorDay)) {
		return 0 // posted before its pay-months were counted
	}
	return c.Amount
}

// add moves c's buckets by sign: its calendar month, its ISO week and its
// pay-month of every anchor day the user's budgets use.
func (s *State) add(c counted, sign int64) {
	if c.Amount == 0 {
		return
	}
	keys := []string{c.Month, c.Week}
	for _, a := range s.anchors() {
		if !c.At.IsZero() && !c.At.Before(a.since) {
			keys = append(keys, period.Anchored(a.day, c.At, s.location()).Key)
		}
	}
	for _, k := range keys {
		if !s.kept(k) {
			continue // a period retention has already forgotten
		}
		key := bucket(k, c.Category, c.Currency)
		s.Spend[key] += sign * c.Amount
		if s.Spend[key] == 0 {
			delete(s.Spend, key)
		}
	}
}

func (s *State) categorized(rec cdc.TxnChange) event.Categorized {
	r := rec.Row
	return event.Categorized{
		TxnID: r.ID, UserID: s.UserID, AccountID: r.AccountID, Direction: r.Direction,
		Type: r.Type, Status: r.Status, AmountMinor: r.AmountMinor, SpendMinor: rec.Counts.Amount,
		Currency: r.Currency, MerchantName: r.MerchantName, MerchantID: r.MerchantID,
		MCC: r.MCC, Channel: r.Channel, BudgetID: r.BudgetID, Category: rec.Category,
		Confidence: rec.Confidence, Source: rec.Source, Deleted: rec.Deleted,
		PostedAt: r.PostedAt, LSN: rec.Pos.LSN, Version: rec.Seq,
		DetailedCategory: category.DetailedFor(rec.Category, rec.Detailed),
		ConfidenceLevel:  string(category.LevelOf(rec.Confidence)),
	}
}

// update is the current state of budget b in period p as a BudgetUpdate.
// RemainingMinor and UsedBP count against the limit plus what rolled over;
// SafeToSpendMinor and Pace are as of at.
func (s *State) update(b *Budget, p period.Period, at time.Time) event.BudgetUpdate {
	spent := s.spent(b, p)
	carry := s.RolloverIn(b, p)
	limit := b.LimitMinor + carry // limitIn
	used := UsedBP(spent, limit)
	u := event.BudgetUpdate{
		Kind: event.BudgetPersonal, BudgetID: BudgetID(s.UserID, b.Category), UserID: s.UserID, Category: b.Category,
		Period: string(b.Period), PeriodKey: p.Key, PeriodStart: p.Start, PeriodEnd: p.End,
		Currency: b.Currency, LimitMinor: b.LimitMinor, SpentMinor: spent,
		RemainingMinor: limit - spent, UsedBP: used, RolloverMinor: carry,
		ThresholdsBP: append([]int64{}, b.ThresholdsBP...), CrossedBP: Crossed(b.ThresholdsBP, used),
		ThresholdCrossedBP: []int64{}, Version: b.Version, EventTime: at,
	}
	u.SafeToSpendMinor, u.CommitmentsMinor = s.SafeToSpend(b, p, u.RemainingMinor, at)
	u.Pace, _ = PaceOf(used, p, at)
	return u
}

func (s *State) alert(b *Budget, p period.Period, t, nth int64, u event.BudgetUpdate, at time.Time) event.Alert {
	days := int64(p.DaysLeft(at))
	a := event.Alert{
		AlertID: AlertID(s.UserID, b.Category, p.Key, t, nth),
		UserID:  s.UserID, BudgetID: u.BudgetID, Category: b.Category, PeriodKey: p.Key,
		ThresholdBP: t, UsedBP: u.UsedBP, SpentMinor: u.SpentMinor, LimitMinor: u.LimitMinor,
		RemainingMinor: u.RemainingMinor, Currency: b.Currency, DaysLeft: days,
		TxnID: u.TxnID, Merchant: u.Merchant, EventTime: at,
		Text: AlertText(b.Category, u.UsedBP, u.RemainingMinor, b.Currency, days),
		Kind: event.AlertThreshold, Explanation: s.explain(b, p, t, u),
	}
	if t == 0 { // the pace alert
		a.Kind, a.AlertID, a.Text = event.AlertPace, paceAlertID(s.UserID, b.Category, p.Key), PaceText(b.Category, u.UsedBP, a.Explanation.ElapsedBP)
	}
	return a
}

// paceAlertID is the id of a budget's pace alert of a period (one at most).
func paceAlertID(user, cat, periodKey string) string {
	return user + "|" + cat + "|" + periodKey + "|pace"
}

func sortedThresholds(ts []int64) []int64 {
	out := append([]int64{}, ts...)
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// sourceTime is the source commit time of a CDC position (zero if unknown).
func sourceTime(p cdc.Position) time.Time {
	if p.TsMs <= 0 {
		return time.Time{}
	}
	return time.UnixMilli(p.TsMs).UTC()
}

// legacyAlertID is the id of an alert an earlier build fired and kept in
// the duplicate guard without its id: user|category|period|threshold|txn.
func legacyAlertID(user, cat, periodKey string, threshold int64, txnID string) string {
	return fmt.Sprintf("%s|%s|%s|%d|%s", user, cat, periodKey, threshold, txnID)
}
