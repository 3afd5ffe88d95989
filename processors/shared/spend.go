package shared

import (
	"fmt"
	"slices"
	"time"

	"finstream/processors/budget"
	"finstream/processors/event"
	"finstream/processors/money"
	"finstream/processors/period"
)

// offer is a transaction's facts at one change, as far as a shared budget
// decides on them.
type offer struct {
	UserID     string
	Amount     int64 // its spend (POSTED DEBIT amount, else 0)
	Currency   string
	Category   string
	Tag        string // the budget id it is tagged with
	PostedAt   time.Time
	Merchant   string
	SourceTime time.Time
}

// offers are the facts of a record's transaction before its change (when
// the change before was sent here; else nothing) and now.
func offers(sp event.SharedSpend) (old, next offer) {
	old = offer{UserID: sp.UserID, Amount: sp.BeforeMinor, Currency: sp.BeforeCurrency, Category: sp.BeforeCategory,
		Tag: sp.BeforeTag, PostedAt: sp.BeforePostedAt}
	next = offer{UserID: sp.UserID, Amount: sp.AmountMinor, Currency: sp.Currency, Category: sp.Category,
		Tag: sp.BudgetTag, PostedAt: sp.PostedAt, Merchant: sp.Merchant, SourceTime: sp.SourceTime}
	return old, next
}

// ApplySpend applies one change of a transaction sent by the transaction
// stage (see event.SharedSpend): the totals move by exactly the difference
// between what the facts before counted (if the change before was sent
// here) and what the facts now count, both decided by the same rule
// (evaluate), which no later role change alters for a transaction already
// applied (see setRole). A tagged spend newly refused is shown as a refused
// update. A record whose stage input is at or below the mark of its stream
// and partition was applied before: it changes nothing and re-sends what a
// crash may have lost (see resendSpend).
func (b *Budget) ApplySpend(sp event.SharedSpend) Effects {
	b.init()
	if b.applied(sp) {
		return b.resendSpend(sp)
	}
	b.advance(sp.SourceTime)
	old, next := offers(sp)
	eff, nth := b.settle(sp.TxnID, old, next)
	b.mark(sp)
	b.fired(sp, eff, nth)
	if !sp.SourceTime.IsZero() && sp.AmountMinor > 0 {
		b.LatestPosted = latest(b.LatestPosted, minTime(sp.PostedAt, sp.SourceTime.Add(24*time.Hour)))
	}
	return eff
}

// evaluate decides what an offer counts: the amount and its period key, or
// why a tagged spend is refused. A spend counts when it is tagged with this
// budget, or untagged and in the budget's category, in the budget's
// currency, by a user whose role at posted_at has spend right, posted within
// the retention window.
func (b *Budget) evaluate(o offer) (counted int64, key, refused string) {
	tagged := o.Tag == b.BudgetID
	if o.Amount <= 0 || (o.Tag != "" && !tagged) || (!tagged && (b.Category == "" || o.Category != b.Category)) {
		return 0, "", ""
	}
	role := b.roleAt(o.UserID, o.PostedAt)
	switch {
	case !role.CanSpend() && !tagged:
		return 0, "", ""
	case role == "":
		return 0, "", RefusedNotParticipant
	case role == Viewer:
		return 0, "", RefusedViewer
	case o.Currency != b.Currency:
		if tagged {
			return 0, "", RefusedCurrency
		}
		return 0, "", ""
	}
	p := b.periodOf(o.PostedAt)
	if !b.kept(p, keepPeriods(b.Period)) {
		return 0, "", ""
	}
	return o.Amount, p.Key, ""
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// settle moves the totals from what offer old counted to what next counts
// and returns the updates and alerts, attributed to transaction id, and for
// each update the n-th crossing of each threshold it crossed.
func (b *Budget) settle(id string, old, next offer) (Effects, [][]int64) {
	was, oldKey, oldRefused := b.evaluate(old)
	now, key, refused := b.evaluate(next)
	newlyRefused := refused != "" && (refused != oldRefused || next.Amount != old.Amount)

	type affected struct {
		key  string
		used int64
	}
	var list []affected
	for _, k := range []string{oldKey, key} {
		if k != "" && !slices.ContainsFunc(list, func(a affected) bool { return a.key == k }) {
			list = append(list, affected{k, budget.UsedBP(b.Spend[k], b.LimitMinor)})
		}
	}
	b.move(oldKey, old.UserID, -was)
	b.move(key, next.UserID, now)

	var eff Effects
	var nths [][]int64
	at := next.PostedAt
	for _, a := range list {
		delta := amountIn(now, key, a.key) - amountIn(was, oldKey, a.key)
		if delta == 0 {
			continue
		}
		b.Version++
		u := b.update(a.key, at)
		u.UserID, u.TxnID, u.Merchant, u.AmountMinor = next.UserID, id, next.Merchant, delta
		u.SourceTime = next.SourceTime
		crossed, nth := b.Drops.Move(a.key, b.ThresholdsBP, a.used, u.UsedBP)
		u.ThresholdCrossedBP = append(u.ThresholdCrossedBP, crossed...)
		for i, th := range crossed {
			eff.Alerts = append(eff.Alerts, b.alerts(u, th, nth[i])...)
		}
		u.Alert = len(u.ThresholdCrossedBP) > 0
		eff.Updates = append(eff.Updates, u)
		nths = append(nths, nth)
	}
	if newlyRefused {
		b.Version++
		u := b.update(b.periodOf(at).Key, at)
		u.UserID, u.TxnID, u.Merchant, u.AmountMinor = next.UserID, id, next.Merchant, next.Amount
		u.SourceTime = next.SourceTime
		u.Refused, u.RefusedReason = true, refused
		eff.Updates = append(eff.Updates, u)
		nths = append(nths, nil)
	}
	return eff, nths
}

func amountIn(amount int64, key, in string) int64 {
	if key != in {
		return 0
	}
	return amount
}

// move adds amount to the period's total and, within the last
// keepContribPeriods periods, to the user's contribution.
func (b *Budget) move(key, user string, amount int64) {
	if key == "" || amount == 0 {
		return
	}
	add(b.Spend, key, amount)
	if p, ok := period.ParseKey(key, b.location()); ok && b.kept(p, keepContribPeriods) {
		add(b.Contrib, contribKey(key, user), amount)
	}
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

// alerts are one Alert per current participant for threshold th crossed
// the nth time in its period by update u (nth 0: an earlier build's alert,
// whose id named the transaction).
func (b *Budget) alerts(u event.BudgetUpdate, th, nth int64) []event.Alert {
	days := int64(b.periodByKey(u.PeriodKey, u.EventTime).DaysLeft(u.EventTime))
	text := AlertText(u.UserID, u.Merchant, u.AmountMinor, b.Name, u.UsedBP, u.RemainingMinor, b.Currency, days)
	var out []event.Alert
	for _, p := range u.Participants {
		out = append(out, event.Alert{
			AlertID: AlertID(b.BudgetID, u.PeriodKey, th, nth, u.TxnID, p.UserID),
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

// AlertID is a shared-budget alert's id: budget, period, threshold, the
// n-th crossing of that threshold in that period, and recipient. It does not
// name the transaction that crossed, which depends on arrival order; nth 0
// is an alert an earlier build fired and kept in Fired, whose id named
// txnID instead.
func AlertID(budgetID, periodKey string, thresholdBP, nth int64, txnID, recipient string) string {
	if nth == 0 {
		return fmt.Sprintf("%s|%s|%d|%s|%s", budgetID, periodKey, thresholdBP, txnID, recipient)
	}
	return fmt.Sprintf("%s|%s|%d|%d|%s", budgetID, periodKey, thresholdBP, nth, recipient)
}
