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
	// Shared are the transaction facts to send to shared budgets
	// (finstream.shared.spend, key budget id).
	Shared []event.SharedSpend
	// Resend repeats, for a redelivered input that changed nothing, what
	// its transaction last sent to shared budgets (see resendShared). It
	// does not count as a change.
	Resend []event.SharedSpend
	// ResendCategorized repeats the categorized record of a transaction
	// whose exact change (same position) is redelivered: after a crash
	// between storing the state and producing, sinks still get it. They
	// de-duplicate by transaction id and version.
	ResendCategorized []event.Categorized
	// ResendAlerts repeats the alerts of a transaction's change when the
	// very record that made it is delivered again (see Txn.Fired): the first
	// copies may have been lost in a crash. Consumers de-duplicate by
	// alert id.
	ResendAlerts []event.Alert
	// Late says the change was not applied: its transaction, unknown to the
	// state, was posted before the retention horizon (see RetentionMonths).
	Late bool
}

// Changed reports whether the input changed the state.
func (e Effects) Changed() bool {
	return len(e.Categorized)+len(e.Updates)+len(e.Alerts)+len(e.Shared) > 0
}

// counts reports whether a transaction row counts as spend: a POSTED DEBIT.
func counts(row cdc.Txn, deleted bool) bool {
	return !deleted && row.Status == "POSTED" && row.Direction == "DEBIT"
}

// ApplyTxn applies one change of a transaction from a record of unknown
// origin (see ApplyTxnFrom).
func (s *State) ApplyTxn(ch cdc.TxnChange) Effects { return s.ApplyTxnFrom(ch, Input{}) }

// ApplyTxnFrom applies one change of a transaction read from the record in.
// A change at or before the position already applied for that transaction is
// a duplicate or a stale redelivery and changes nothing; otherwise every
// bucket moves by exactly the difference between what the transaction counted
// and what it counts now. A source duplicate (same position, another record)
// re-sends only the categorized record; a redelivery of the record that made
// a change (even one since superseded) also re-sends the alerts it fired.
func (s *State) ApplyTxnFrom(ch cdc.TxnChange, in Input) Effects {
	s.init()
	s.advance(sourceTime(ch.Pos))
	id := ch.Row.ID
	e, seen := s.Txns[id]
	if !seen && s.late(rowTime(ch.Row)) {
		return Effects{Late: true}
	}
	if seen && !ch.Pos.After(e.Pos) {
		eff := Effects{Resend: s.resendShared(e), ResendAlerts: e.firedBy(in)}
		if ch.Pos == e.Pos {
			eff.ResendCategorized = []event.Categorized{s.categorized(e)}
		}
		return eff
	}
	if !seen {
		e = &Txn{}
		s.Txns[id] = e
	}
	e.Pos = ch.Pos
	if ch.Deleted {
		e.Deleted = true
		if !seen || e.Row.ID == "" {
			e.Row = ch.Row
		}
	} else {
		e.Deleted = false
		e.Row = ch.Row
	}
	if e.Row.UserID == "" {
		e.Row.UserID = s.UserID
	}
	if e.Source == "" || (e.Source != string(category.SourceUserRule) && e.Category == category.Other) {
		s.categorize(e)
	}
	eff := s.recount(e, e.Row.ID, e.Row.MerchantName, eventTime(e), sourceTime(ch.Pos))
	if in.Known {
		for _, a := range eff.Alerts {
			e.Fired = append(e.Fired, Fired{In: in, Alert: a})
		}
	}
	return eff
}

// firedBy returns the alerts that the change read from record in fired
// (none for a record of unknown origin).
func (e *Txn) firedBy(in Input) []event.Alert {
	var out []event.Alert
	for _, f := range e.Fired {
		if in.Known && f.In == in {
			out = append(out, f.Alert)
		}
	}
	return out
}

func eventTime(e *Txn) time.Time { return rowTime(e.Row) }

// rowTime is a transaction row's event time: posted_at, else updated_at.
func rowTime(r cdc.Txn) time.Time {
	if !r.PostedAt.IsZero() {
		return r.PostedAt
	}
	return r.UpdatedAt
}

// categorize sets the transaction's category from the user's rules, its MCC
// and its merchant name.
func (s *State) categorize(e *Txn) {
	if e.Row.MerchantName == "" && e.Row.MerchantID == "" && e.Row.MCC == 0 && e.Row.Type == "" {
		return // a delete we never saw the row of: nothing to categorize
	}
	r := category.Categorize(category.Input{
		MCC:          e.Row.MCC,
		MerchantName: e.Row.MerchantName,
		MerchantID:   e.Row.MerchantID,
		Direction:    e.Row.Direction,
		Type:         e.Row.Type,
	}, s.Rules)
	e.Category, e.Source, e.Confidence = r.Category, string(r.Source), r.Confidence
}

// recount moves e's contribution to what it counts now and returns the
// effects, attributed to txnID and merchant at event time at.
// source is the CDC source time of the change being applied (zero for a
// command).
func (s *State) recount(e *Txn, txnID, merchant string, at, source time.Time) Effects {
	loc := s.location()
	old := e.Counted
	var now Contribution
	if counts(e.Row, e.Deleted) && e.Category != "" {
		now = Contribution{
			Amount:   e.Row.AmountMinor,
			Category: e.Category,
			Currency: e.Row.Currency,
			Month:    period.Of(period.Monthly, e.Row.PostedAt, loc).Key,
			Week:     period.Of(period.Weekly, e.Row.PostedAt, loc).Key,
		}
	}
	s.Version++
	e.Version++
	e.Counted = now

	// Find the affected budget periods and their usage before moving spend.
	type affected struct {
		b    *Budget
		p    period.Period
		used int64
	}
	var list []affected
	for _, c := range []Contribution{old, now} {
		b := s.Budgets[c.Category]
		if c.Amount == 0 || b == nil || b.Currency != c.Currency {
			continue
		}
		p, ok := period.ParseKey(c.key(b.Period), loc)
		if !ok {
			continue
		}
		if len(list) == 1 && list[0].b == b && list[0].p.Key == p.Key {
			continue
		}
		list = append(list, affected{b, p, UsedBP(s.spent(b, p), b.LimitMinor)})
	}
	s.add(old, -1)
	s.add(now, +1)

	eff := Effects{Categorized: []event.Categorized{s.categorized(e)}}
	for _, a := range list {
		b := a.b
		delta := now.in(b, a.p) - old.in(b, a.p)
		used := UsedBP(s.spent(b, a.p), b.LimitMinor)
		if delta == 0 {
			continue
		}
		b.Version = s.Version
		u := s.update(b, a.p, at)
		u.TxnID, u.Merchant, u.AmountMinor = txnID, merchant, delta
		u.SourceTime = source
		for _, t := range b.ThresholdsBP {
			if a.used < t && used >= t {
				u.ThresholdCrossedBP = append(u.ThresholdCrossedBP, t)
			}
		}
		// Alerts highest threshold first: a notifier that keeps one
		// notification per purchase keeps the most severe.
		for i := len(u.ThresholdCrossedBP) - 1; i >= 0; i-- {
			eff.Alerts = append(eff.Alerts, s.alert(b, a.p, u.ThresholdCrossedBP[i], u, at))
		}
		u.Alert = len(u.ThresholdCrossedBP) > 0
		eff.Updates = append(eff.Updates, u)
	}
	eff.Shared = s.route(e)
	return eff
}

// key is the bucket period key of c for a budget period kind.
func (c Contribution) key(k period.Kind) string {
	if k == period.Weekly {
		return c.Week
	}
	return c.Month
}

// in is the amount c adds to budget b in period p.
func (c Contribution) in(b *Budget, p period.Period) int64 {
	if c.Category != b.Category || c.Currency != b.Currency || c.key(b.Period) != p.Key {
		return 0
	}
	return c.Amount
}

func (s *State) add(c Contribution, sign int64) {
	if c.Amount == 0 {
		return
	}
	for _, k := range []string{c.Month, c.Week} {
		key := bucket(k, c.Category, c.Currency)
		s.Spend[key] += sign * c.Amount
		if s.Spend[key] == 0 {
			delete(s.Spend, key)
		}
	}
}

func (s *State) categorized(e *Txn) event.Categorized {
	r := e.Row
	return event.Categorized{
		TxnID: r.ID, UserID: s.UserID, AccountID: r.AccountID, Direction: r.Direction,
		Type: r.Type, Status: r.Status, AmountMinor: r.AmountMinor, SpendMinor: e.Counted.Amount,
		Currency: r.Currency, MerchantName: r.MerchantName, MerchantID: r.MerchantID,
		MCC: r.MCC, Channel: r.Channel, BudgetID: r.BudgetID, Category: e.Category,
		Confidence: e.Confidence, Source: e.Source, Deleted: e.Deleted,
		PostedAt: r.PostedAt, LSN: e.Pos.LSN, Version: e.Version,
	}
}

// update is the current state of budget b in period p as a BudgetUpdate.
func (s *State) update(b *Budget, p period.Period, at time.Time) event.BudgetUpdate {
	spent := s.spent(b, p)
	used := UsedBP(spent, b.LimitMinor)
	return event.BudgetUpdate{
		Kind: event.BudgetPersonal, BudgetID: BudgetID(s.UserID, b.Category), UserID: s.UserID, Category: b.Category,
		Period: string(b.Period), PeriodKey: p.Key, PeriodStart: p.Start, PeriodEnd: p.End,
		Currency: b.Currency, LimitMinor: b.LimitMinor, SpentMinor: spent,
		RemainingMinor: b.LimitMinor - spent, UsedBP: used,
		ThresholdsBP: append([]int64{}, b.ThresholdsBP...), CrossedBP: Crossed(b.ThresholdsBP, used),
		ThresholdCrossedBP: []int64{}, Version: b.Version, EventTime: at,
	}
}

func (s *State) alert(b *Budget, p period.Period, t int64, u event.BudgetUpdate, at time.Time) event.Alert {
	days := int64(p.DaysLeft(at))
	return event.Alert{
		AlertID: fmt.Sprintf("%s|%s|%s|%d|%s", s.UserID, b.Category, p.Key, t, u.TxnID),
		UserID:  s.UserID, BudgetID: u.BudgetID, Category: b.Category, PeriodKey: p.Key,
		ThresholdBP: t, UsedBP: u.UsedBP, SpentMinor: u.SpentMinor, LimitMinor: u.LimitMinor,
		RemainingMinor: u.RemainingMinor, Currency: b.Currency, DaysLeft: days,
		TxnID: u.TxnID, Merchant: u.Merchant, EventTime: at,
		Text: AlertText(b.Category, u.UsedBP, u.RemainingMinor, b.Currency, days),
	}
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
