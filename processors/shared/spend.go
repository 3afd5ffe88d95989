package shared

import (
	"fmt"
	"slices"
	"time"

	"finstream/processors/budget"
	"finstream/processors/event"
	"finstream/processors/money"
)

// ApplySpend applies the facts of one transaction sent by its user's
// processor. A record whose Seq is at or below the last applied for its
// transaction is a duplicate or stale and changes nothing; otherwise the
// totals move by the difference between what the transaction counted and
// what it counts now, and a tagged spend that may not count is recorded as
// refused.
func (b *Budget) ApplySpend(sp event.SharedSpend) Effects {
	b.init()
	t, seen := b.Txns[sp.TxnID]
	if seen && sp.Seq <= t.Seq {
		return Effects{}
	}
	if !seen {
		t = &Txn{}
		b.Txns[sp.TxnID] = t
	}
	next := *t
	next.UserID, next.Seq, next.LSN, next.SourceTime = sp.UserID, sp.Seq, sp.LSN, sp.SourceTime
	next.Amount, next.Currency, next.Category = sp.AmountMinor, sp.Currency, sp.Category
	next.Merchant, next.Tag, next.PostedAt = sp.Merchant, sp.BudgetTag, sp.PostedAt
	return b.settle(sp.TxnID, t, next)
}

// reevaluate settles again every known transaction of user, after a change
// of their role, in transaction id order.
func (b *Budget) reevaluate(user string) Effects {
	var ids []string
	for id, t := range b.Txns {
		if t.UserID == user {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	var eff Effects
	for _, id := range ids {
		t := b.Txns[id]
		eff.add(b.settle(id, t, *t))
	}
	return eff
}

// evaluate decides what a transaction with facts t counts: the amount and
// its period key, or why a tagged spend is refused.
func (b *Budget) evaluate(t Txn) (counted int64, key, refused string) {
	tagged := t.Tag == b.BudgetID
	if t.Amount <= 0 || (t.Tag != "" && !tagged) || (!tagged && (b.Category == "" || t.Category != b.Category)) {
		return 0, "", ""
	}
	role := b.roleAt(t.UserID, t.PostedAt)
	switch {
	case !role.CanSpend() && !tagged:
		return 0, "", ""
	case role == "":
		return 0, "", RefusedNotParticipant
	case role == Viewer:
		return 0, "", RefusedViewer
	case t.Currency != b.Currency:
		if tagged {
			return 0, "", RefusedCurrency
		}
		return 0, "", ""
	}
	return t.Amount, b.periodOf(t.PostedAt).Key, ""
}

// settle replaces the transaction t (stored under id) by next, moving the
// totals by the difference and returning the updates and alerts.
func (b *Budget) settle(id string, t *Txn, next Txn) Effects {
	counted, key, refused := b.evaluate(next)
	next.Counted, next.PeriodKey, next.Refused = counted, key, refused
	old := *t
	newlyRefused := refused != "" && (refused != old.Refused || next.Amount != old.Amount)

	type affected struct {
		key  string
		used int64
	}
	var list []affected
	for _, k := range []string{old.PeriodKey, key} {
		if k != "" && !slices.ContainsFunc(list, func(a affected) bool { return a.key == k }) {
			list = append(list, affected{k, budget.UsedBP(b.Spend[k], b.LimitMinor)})
		}
	}
	b.move(old.PeriodKey, old.UserID, -old.Counted)
	b.move(key, next.UserID, counted)
	*t = next

	var eff Effects
	at := next.PostedAt
	for _, a := range list {
		delta := amountIn(counted, key, a.key) - amountIn(old.Counted, old.PeriodKey, a.key)
		if delta == 0 {
			continue
		}
		b.Version++
		u := b.update(a.key, at)
		u.UserID, u.TxnID, u.Merchant, u.AmountMinor = next.UserID, id, next.Merchant, delta
		u.SourceTime = next.SourceTime
		for _, th := range b.ThresholdsBP {
			if a.used < th && u.UsedBP >= th {
				u.ThresholdCrossedBP = append(u.ThresholdCrossedBP, th)
				eff.Alerts = append(eff.Alerts, b.alerts(u, th)...)
			}
		}
		u.Alert = len(u.ThresholdCrossedBP) > 0
		eff.Updates = append(eff.Updates, u)
	}
	if newlyRefused {
		b.Version++
		u := b.update(b.periodOf(at).Key, at)
		u.UserID, u.TxnID, u.Merchant, u.AmountMinor = next.UserID, id, next.Merchant, next.Amount
		u.SourceTime = next.SourceTime
		u.Refused, u.RefusedReason = true, refused
		eff.Updates = append(eff.Updates, u)
	}
	return eff
}

func amountIn(amount int64, key, in string) int64 {
	if key != in {
		return 0
	}
	return amount
}

// move adds amount to the period's total and the user's contribution.
func (b *Budget) move(key, user string, amount int64) {
	if key == "" || amount == 0 {
		return
	}
	add(b.Spend, key, amount)
	add(b.Contrib, contribKey(key, user), amount)
}

func add(m map[string]int64, k string, v int64) {
	m[k] += v
	if m[k] == 0 {
		delete(m, k)
	}
}

// update is the budget's state in the period with the given key as a
// BudgetUpdate at event time at, without attribution.
func (b *Budget) update(key string, at time.Time) event.BudgetUpdate {
	p := b.periodByKey(key, at)
	spent := b.Spend[key]
	used := budget.UsedBP(spent, b.LimitMinor)
	return event.BudgetUpdate{
		Kind: event.BudgetShared, BudgetID: b.BudgetID, Name: b.Name, Category: b.Category,
		Period: string(b.Period), PeriodKey: p.Key, PeriodStart: p.Start, PeriodEnd: p.End,
		Currency: b.Currency, LimitMinor: b.LimitMinor, SpentMinor: spent, RemainingMinor: b.LimitMinor - spent,
		UsedBP: used, ThresholdsBP: slices.Clone(b.ThresholdsBP), CrossedBP: budget.Crossed(b.ThresholdsBP, used),
		ThresholdCrossedBP: []int64{}, Version: b.Version, EventTime: at,
		Participants: b.participants(key),
	}
}

// alerts are one Alert per current participant for threshold th crossed by
// update u.
func (b *Budget) alerts(u event.BudgetUpdate, th int64) []event.Alert {
	days := int64(b.periodByKey(u.PeriodKey, u.EventTime).DaysLeft(u.EventTime))
	text := AlertText(u.UserID, u.Merchant, u.AmountMinor, b.Name, u.UsedBP, u.RemainingMinor, b.Currency, days)
	var out []event.Alert
	for _, p := range u.Participants {
		out = append(out, event.Alert{
			AlertID: fmt.Sprintf("%s|%s|%d|%s|%s", b.BudgetID, u.PeriodKey, th, u.TxnID, p.UserID),
			UserID:  p.UserID, BudgetID: b.BudgetID, Category: b.Category, PeriodKey: u.PeriodKey,
			ThresholdBP: th, UsedBP: u.UsedBP, SpentMinor: u.SpentMinor, LimitMinor: u.LimitMinor,
			RemainingMinor: u.RemainingMinor, Currency: b.Currency, DaysLeft: days,
			TxnID: u.TxnID, Merchant: u.Merchant, Text: text, EventTime: u.EventTime,
		})
	}
	return out
}

// AlertText is the line of a shared-budget alert: "USR-B spent ฿1,800 at
// Tesco Lotus: 95.62% of Household Groceries used, ฿700 left for 12 days".
func AlertText(who, merchant string, amount int64, name string, usedBP, remaining int64, currency string, daysLeft int64) string {
	at := ""
	if merchant != "" {
		at = " at " + merchant
	}
	days := fmt.Sprintf("%d days", daysLeft)
	if daysLeft == 1 {
		days = "1 day"
	}
	head := fmt.Sprintf("%s spent %s%s: %s of %s used", who, money.Format(amount, currency), at, money.Percent(usedBP), name)
	if remaining < 0 {
		return fmt.Sprintf("%s, %s over with %s left", head, money.Format(-remaining, currency), days)
	}
	return fmt.Sprintf("%s, %s left for %s", head, money.Format(remaining, currency), days)
}
