package budget

import (
	"cmp"
	"fmt"
	"reflect"
	"slices"
	"time"

	"finstream/processors/cdc"
	"finstream/processors/event"
	"finstream/processors/period"
)

// Rules of pace (see PaceOf).
const (
	// PaceMarginBP is how far the share of the limit spent may run ahead of
	// the share of the period elapsed before the pace is too fast.
	PaceMarginBP = 1000
	// PaceMinDay is the first day of a period on which the pace can be too
	// fast (one big purchase on the 1st is not a pace).
	PaceMinDay = 3
	// PaceMinUsedBP is the least share of the limit spent for a too-fast
	// pace.
	PaceMinUsedBP = 2000
)

// MaxBuilders bounds the transactions a budget remembers of its current
// period to explain its alerts: the largest ones.
const MaxBuilders = 8

// PaceOf is the pace of a budget that has used usedBP of its limit at t in
// period p, with the share of the period elapsed by the end of t's day
// (p.ElapsedBP). Rule, after Monzo's: too fast when t is on day PaceMinDay
// or later, usedBP ≥ PaceMinUsedBP and usedBP > elapsed + PaceMarginBP;
// on track otherwise. On 6 November (elapsed 6/30 = 2000 bp) 3,500 of
// 10,000 spent (3500 bp > 3000) is too fast; 3,000 is on track.
func PaceOf(usedBP int64, p period.Period, t time.Time) (pace string, elapsedBP int64) {
	elapsedBP = p.ElapsedBP(t)
	if p.Day(t) >= PaceMinDay && usedBP >= PaceMinUsedBP && usedBP > elapsedBP+PaceMarginBP {
		return event.PaceTooFast, elapsedBP
	}
	return event.PaceOnTrack, elapsedBP
}

// Builders are the largest transactions that count in a budget's current
// period (PeriodKey): at most MaxBuilders, largest first, and Count, how
// many transactions count there in all since the budget tracks them (a
// budget created mid-period does not know the ones before it).
type Builders struct {
	PeriodKey string    `json:"period_key,omitempty"`
	Count     int64     `json:"count,omitempty"`
	Top       []Builder `json:"top,omitempty"`
}

// Builder is one transaction of Builders.
type Builder struct {
	TxnID       string    `json:"txn_id"`
	Merchant    string    `json:"merchant"` // truncated to maxNameLen bytes
	AmountMinor int64     `json:"amount_minor"`
	Source      string    `json:"source"` // of its category
	PostedAt    time.Time `json:"posted_at"`
}

// track moves transaction rec's entry in b's builders of period p: old and
// now are what it counted and counts there. A period older than the one
// tracked is not tracked; a newer one starts afresh.
func (b *Budget) track(rec cdc.TxnChange, p period.Period, old, now int64) {
	bs := &b.Builders
	switch {
	case bs.PeriodKey == p.Key:
	case bs.PeriodKey == "" || bs.PeriodKey < p.Key:
		*bs = Builders{PeriodKey: p.Key}
	default:
		return
	}
	if old > 0 && now <= 0 {
		bs.Count = max(0, bs.Count-1)
	}
	if old <= 0 && now > 0 {
		bs.Count++
	}
	bs.Top = slices.DeleteFunc(bs.Top, func(x Builder) bool { return x.TxnID == rec.Row.ID })
	if now <= 0 {
		return
	}
	name := rec.Row.MerchantName
	if len(name) > maxNameLen {
		name = name[:maxNameLen]
	}
	bs.Top = append(bs.Top, Builder{TxnID: rec.Row.ID, Merchant: name, AmountMinor: now, Source: rec.Source,
		PostedAt: rowTime(rec.Row).Truncate(time.Second).UTC()})
	slices.SortStableFunc(bs.Top, func(x, y Builder) int {
		if c := cmp.Compare(y.AmountMinor, x.AmountMinor); c != 0 {
			return c
		}
		return x.PostedAt.Compare(y.PostedAt)
	})
	if len(bs.Top) > MaxBuilders {
		bs.Top = bs.Top[:MaxBuilders]
	}
}

// RolloverIn is what budget b carries into period p: with Rollover on, the
// unspent remainder of the period before p (limit − spent, never below 0),
// when the budget existed then. One period deep: a carried amount is not
// carried again.
func (s *State) RolloverIn(b *Budget, p period.Period) int64 {
	if !b.Rollover {
		return 0
	}
	prev := s.periodOf(b, p.Start.Add(-time.Hour))
	if b.Since == "" || prev.Key < b.Since || !s.kept(prev.Key) {
		return 0
	}
	return max(0, b.LimitMinor-s.spent(b, prev))
}

// SafeToSpend is what remains of a budget in period p at now minus the
// recurring payments of its category expected from now's day to the end of
// the period (Commitments), floored at 0; it returns the commitments too.
func (s *State) SafeToSpend(b *Budget, p period.Period, remaining int64, now time.Time) (safe, commitments int64) {
	from := now
	if from.Before(p.Start) {
		from = p.Start
	}
	commitments = s.Commitments(b.Category, b.Currency, from, p.End)
	return max(0, remaining-commitments), commitments
}

// explain is the explanation of an alert of b in period p: its builders
// (the largest transactions applied to the period so far, which built its
// spend), the threshold, the pace at the alert's time and the rule that
// fired.
func (s *State) explain(b *Budget, p period.Period, thresholdBP int64, u event.BudgetUpdate) *event.Explanation {
	pace, elapsed := PaceOf(u.UsedBP, p, u.EventTime)
	x := &event.Explanation{Transactions: []event.ExplainedTxn{}, ThresholdBP: thresholdBP, Pace: pace, ElapsedBP: elapsed}
	if b.Builders.PeriodKey == p.Key {
		for _, t := range b.Builders.Top {
			x.Transactions = append(x.Transactions, event.ExplainedTxn{TxnID: t.TxnID, Merchant: t.Merchant,
				AmountMinor: t.AmountMinor, Category: b.Category, Source: t.Source, PostedAt: t.PostedAt})
		}
		x.Count = max(b.Builders.Count, int64(len(x.Transactions)))
	}
	x.Truncated = x.Count > int64(len(x.Transactions))
	if thresholdBP > 0 {
		x.Rule = fmt.Sprintf("threshold: spend reached %d bp of the limit (used %d bp ≥ %d bp)", thresholdBP, u.UsedBP, thresholdBP)
	} else {
		x.Rule = fmt.Sprintf("pace: used %d bp of the limit with %d bp of the period elapsed (more than %d bp ahead, from day %d, at least %d bp used)",
			u.UsedBP, elapsed, PaceMarginBP, PaceMinDay, PaceMinUsedBP)
	}
	return x
}

// reexplain fills the explanations and pace texts of re-sent alerts (the
// duplicate guard keeps their facts only) from the budgets' current
// builders: the same as the first copy's unless transactions of the
// period were applied in between (its transactions and count may differ
// then; every other field is the alert's own). The first copy is the one
// consumers keep (they de-duplicate by alert id).
func (s *State) reexplain(alerts []event.Alert) {
	loc := s.location()
	for i := range alerts {
		a := &alerts[i]
		b := s.Budgets[a.Category]
		p, ok := period.ParseKey(a.PeriodKey, loc)
		if b == nil || !ok {
			continue
		}
		u := event.BudgetUpdate{UsedBP: a.UsedBP, EventTime: a.EventTime}
		a.Explanation = s.explain(b, p, a.ThresholdBP, u)
		if a.Kind == event.AlertPace {
			a.Text = PaceText(a.Category, a.UsedBP, a.Explanation.ElapsedBP)
		}
	}
}

// periodOf is budget b's period containing t: a pay-month for an anchored
// budget, else its calendar month or ISO week.
func (s *State) periodOf(b *Budget, t time.Time) period.Period {
	return period.OfBudget(b.Period, b.AnchorDay, t, s.location())
}

// limitIn is what budget b may spend in period p: its limit and what
// rolled over into p.
func (s *State) limitIn(b *Budget, p period.Period) int64 { return b.LimitMinor + s.RolloverIn(b, p) }

// anchor is an anchor day the user's budgets use and since when its
// pay-months are counted (the earliest AnchorSince of those budgets).
type anchor struct {
	day   int
	since time.Time
}

// anchors are the anchor days of the user's anchored budgets, whose
// pay-months the state buckets spend in (besides calendar months and ISO
// weeks). A pay-month counts the transactions posted from when a budget
// took that anchor day: the state keeps no transactions to count the
// earlier ones, and a reversal of one of those moves nothing there either,
// since the rule depends on its posting time only.
func (s *State) anchors() []anchor {
	var out []anchor
	for _, b := range s.Budgets {
		if b.Period != period.Monthly || b.AnchorDay < 2 {
			continue
		}
		i := slices.IndexFunc(out, func(a anchor) bool { return a.day == b.AnchorDay })
		if i < 0 {
			out = append(out, anchor{b.AnchorDay, b.AnchorSince})
		} else if b.AnchorSince.Before(out[i].since) {
			out[i].since = b.AnchorSince
		}
	}
	slices.SortFunc(out, func(a, b anchor) int { return cmp.Compare(a.day, b.day) })
	return out
}

// anchorSince is since when the pay-months of anchor day day are counted.
func (s *State) anchorSince(day int) time.Time {
	for _, a := range s.anchors() {
		if a.day == day {
			return a.since
		}
	}
	return time.Time{}
}

// ValidateAnchor checks a budget's period_anchor_day: 0 or 1 (calendar
// months), or 2..period.MaxAnchorDay for a monthly budget.
func ValidateAnchor(kind period.Kind, day int) error {
	switch {
	case day == 0 || day == 1:
		return nil
	case day < 0 || day > period.MaxAnchorDay:
		return fmt.Errorf("%w: period_anchor_day must be 1..%d", ErrInvalid, period.MaxAnchorDay)
	case kind != period.Monthly:
		return fmt.Errorf("%w: only a monthly budget takes a period_anchor_day", ErrInvalid)
	}
	return nil
}

// SameAlert reports whether a and b are copies of one alert as its
// consumers may get them: equal in every field (event times as instants),
// and in the explanation in everything but its transactions and count,
// which a copy re-sent after a crash takes from the budget's current state
// (reexplain).
func SameAlert(a, b event.Alert) bool {
	if !a.EventTime.Equal(b.EventTime) || (a.Explanation == nil) != (b.Explanation == nil) {
		return false
	}
	if a.Explanation != nil {
		x, y := *a.Explanation, *b.Explanation
		x.Transactions, y.Transactions, x.Count, y.Count, x.Truncated, y.Truncated = nil, nil, 0, 0, false, false
		if !reflect.DeepEqual(x, y) {
			return false
		}
	}
	a.Explanation, b.Explanation = nil, nil
	a.EventTime, b.EventTime = time.Time{}, time.Time{}
	return a == b
}
