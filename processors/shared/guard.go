package shared

import (
	"strings"
	"time"

	"finstream/processors/budget"
	"finstream/processors/event"
	"finstream/processors/period"
)

// applied reports whether the record was applied before: all records of a
// budget reach one partition of finstream.shared.spend in the order the
// stage read its inputs (see compact.Marks).
func (b *Budget) applied(sp event.SharedSpend) bool {
	return b.Marks.Applied(sp.MarkStream, sp.MarkPartition, sp.MarkOffset)
}

func (b *Budget) mark(sp event.SharedSpend) {
	b.Marks.Advance(sp.MarkStream, sp.MarkPartition, sp.MarkOffset)
}

// fired remembers the alerts a spend fired, the last keepFired; nth are
// the crossings of each update's thresholds (settle).
func (b *Budget) fired(sp event.SharedSpend, eff Effects, nth [][]int64) {
	for i, u := range eff.Updates {
		if len(u.ThresholdCrossedBP) == 0 {
			continue
		}
		f := Fired{TxnID: sp.TxnID, Seq: sp.Seq, PeriodKey: u.PeriodKey, UserID: u.UserID, Merchant: u.Merchant,
			Amount: u.AmountMinor, Spent: u.SpentMinor, Limit: u.LimitMinor, EventTime: u.EventTime, Thresholds: u.ThresholdCrossedBP}
		f.Nth = nth[i]
		for _, p := range u.Participants {
			f.Recipients = append(f.Recipients, p.UserID)
		}
		b.Fired = append(b.Fired, f)
	}
	if n := len(b.Fired); n > keepFired {
		b.Fired = append([]Fired(nil), b.Fired[n-keepFired:]...)
	}
}

// resendSpend is what a record applied before sends again: the budget's
// current update of the periods it moved (after a crash in which its
// update was lost, projections still get the latest state; they keep the
// highest version), and the alerts it fired, with their ids, when it is one
// of the last keepFired that fired.
func (b *Budget) resendSpend(sp event.SharedSpend) Effects {
	var eff Effects
	old, next := offers(sp)
	was, oldKey, _ := b.evaluate(old)
	now, key, _ := b.evaluate(next)
	for _, k := range []string{oldKey, key} {
		if delta := amountIn(now, key, k) - amountIn(was, oldKey, k); k != "" && delta != 0 && (len(eff.Updates) == 0 || eff.Updates[0].PeriodKey != k) {
			u := b.update(k, sp.PostedAt)
			u.UserID, u.TxnID, u.Merchant, u.AmountMinor = sp.UserID, sp.TxnID, sp.Merchant, delta
			eff.Updates = append(eff.Updates, u)
		}
	}
	for _, f := range b.Fired {
		if f.TxnID != sp.TxnID || f.Seq != sp.Seq {
			continue
		}
		u := event.BudgetUpdate{PeriodKey: f.PeriodKey, UserID: f.UserID, Merchant: f.Merchant, AmountMinor: f.Amount,
			SpentMinor: f.Spent, LimitMinor: f.Limit, RemainingMinor: f.Limit - f.Spent, EventTime: f.EventTime, TxnID: f.TxnID}
		u.UsedBP = budget.UsedBP(f.Spent, f.Limit)
		for _, id := range f.Recipients {
			u.Participants = append(u.Participants, event.ParticipantSpend{UserID: id})
		}
		for i, th := range f.Thresholds {
			var nth int64 // 0: an earlier build's, which kept none
			if i < len(f.Nth) {
				nth = f.Nth[i]
			}
			eff.Alerts = append(eff.Alerts, b.alerts(u, th, nth)...)
		}
	}
	return eff
}

// keepPeriods is how many periods of spend a budget keeps: 13 months (the
// contract's window) or 10 ISO weeks.
func keepPeriods(k period.Kind) int {
	if k == period.Weekly {
		return 10
	}
	return 13
}

// kept reports whether period p is among the last n periods of the
// retention window, which ends with the period of Latest (every period is
// kept while Latest is unknown).
func (b *Budget) kept(p period.Period, n int) bool {
	if b.Latest.IsZero() {
		return true
	}
	last := b.periodOf(b.Latest).Start
	if b.Period == period.Weekly {
		return !p.Start.Before(last.AddDate(0, 0, -7*(n-1)))
	}
	return !p.Start.Before(last.AddDate(0, -(n - 1), 0))
}

// advance moves the retention window's clock to CDC source time src and
// forgets the spend of periods that left it.
func (b *Budget) advance(src time.Time) {
	if !src.After(b.Latest) {
		return
	}
	b.Latest = src
	loc := b.location()
	for k := range b.Spend {
		if p, ok := period.ParseKey(k, loc); ok && !b.kept(p, keepPeriods(b.Period)) {
			delete(b.Spend, k)
		}
	}
	for k := range b.Contrib {
		key, _, _ := strings.Cut(k, "|")
		if p, ok := period.ParseKey(key, loc); ok && !b.kept(p, keepContribPeriods) {
			delete(b.Contrib, k)
		}
	}
	b.Drops.Forget(func(k string) bool {
		p, ok := period.ParseKey(k, loc)
		return ok && !b.kept(p, keepPeriods(b.Period))
	})
}
