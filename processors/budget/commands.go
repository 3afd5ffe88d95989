package budget

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"finstream/processors/category"
	"finstream/processors/event"
	"finstream/processors/period"
)

// Validation errors of commands. The API maps them to 422/404.
var (
	ErrInvalid  = errors.New("invalid")
	ErrNotFound = errors.New("not found")
)

// ValidateBudget checks a budget's settings and fills defaults: period
// monthly, thresholds DefaultThresholdsBP (sorted, unique, 1..100000).
func ValidateBudget(cat string, limit int64, currency string, kind string, thresholds []int64, knownCurrency func(string) bool) (*Budget, error) {
	if !category.Valid(cat) {
		return nil, fmt.Errorf("%w: unknown category %q", ErrInvalid, cat)
	}
	if limit <= 0 {
		return nil, fmt.Errorf("%w: limit_minor must be > 0", ErrInvalid)
	}
	if !knownCurrency(currency) {
		return nil, fmt.Errorf("%w: unknown currency %q", ErrInvalid, currency)
	}
	k := period.Kind(kind)
	if kind == "" {
		k = period.Monthly
	}
	if !k.Valid() {
		return nil, fmt.Errorf("%w: period must be monthly or weekly, not %q", ErrInvalid, kind)
	}
	ts := DefaultThresholdsBP
	if len(thresholds) > 0 {
		ts = sortedThresholds(thresholds)
		for i, t := range ts {
			if t <= 0 || t > 100000 {
				return nil, fmt.Errorf("%w: threshold %d bp out of range 1..100000", ErrInvalid, t)
			}
			if i > 0 && ts[i-1] == t {
				return nil, fmt.Errorf("%w: threshold %d bp repeated", ErrInvalid, t)
			}
		}
	}
	return &Budget{Category: cat, Period: k, Currency: currency, LimitMinor: limit, ThresholdsBP: append([]int64{}, ts...)}, nil
}

// SetBudget creates or replaces the budget on b.Category. Spend already in
// the period counts at once; thresholds it has already reached are shown as
// crossed without an alert (nothing crossed them: the limit moved).
func (s *State) SetBudget(b Budget, at time.Time) Effects {
	s.init()
	old := s.Budgets[b.Category]
	if old != nil {
		if old.Period == b.Period && old.Currency == b.Currency && old.LimitMinor == b.LimitMinor && equal(old.ThresholdsBP, b.ThresholdsBP) && old.Rollover == b.Rollover && old.AnchorDay == b.AnchorDay {
			return Effects{} // the same command again
		}
	}
	p := s.periodOf(&b, at)
	b.Since = p.Key
	sameBudget := old != nil && old.Period == b.Period && old.Currency == b.Currency && old.AnchorDay == b.AnchorDay
	var oldUsed int64
	if sameBudget {
		oldUsed = UsedBP(s.spent(old, p), s.limitIn(old, p))
		// The same budget with new settings: it keeps its history.
		b.Since, b.PaceAlerted, b.Builders = old.Since, old.PaceAlerted, old.Builders
	}
	if b.AnchorDay > 1 {
		b.AnchorSince = at
		if old != nil && old.AnchorDay == b.AnchorDay {
			b.AnchorSince = old.AnchorSince
		}
	}
	// Budget versions come from the user's state version, which only grows:
	// a budget deleted and created again never reuses a version.
	s.Version++
	b.Version = s.Version
	s.replaced(old, &b)
	s.Budgets[b.Category] = &b
	b.PushedPeriod = p.Key // this update is the period's push (tick.go)
	u := s.update(&b, p, at)
	eff := Effects{}
	// A threshold the period's spend already reaches under the new
	// settings, and did not under the old ones, is crossed now. So the
	// first crossings do not depend on whether a transaction reached the
	// state before or after the command (a replay reads both from the
	// start): either way each fires once, with the same id.
	for _, t := range b.ThresholdsBP {
		if u.UsedBP < t || sameBudget && oldUsed >= t && slices.Contains(old.ThresholdsBP, t) {
			continue
		}
		u.ThresholdCrossedBP = append(u.ThresholdCrossedBP, t)
	}
	u.Alert = len(u.ThresholdCrossedBP) > 0
	key := PeriodDropKey(b.Category, p.Key)
	for i := len(u.ThresholdCrossedBP) - 1; i >= 0; i-- { // highest first, as recount
		t := u.ThresholdCrossedBP[i]
		eff.Alerts = append(eff.Alerts, s.alert(&b, p, t, s.Drops.count(key, t)+1, u, at))
	}
	eff.Updates = []event.BudgetUpdate{u}
	return eff
}

// DeleteBudget removes the budget on cat (spend keeps being tracked) and
// reports it as a last update with Deleted set, at a new version.
func (s *State) DeleteBudget(cat string, at time.Time) Effects {
	s.init()
	b, ok := s.Budgets[cat]
	if !ok {
		return Effects{}
	}
	s.replaced(b, nil)
	delete(s.Budgets, cat)
	s.Version++
	b.Version = s.Version
	u := s.update(b, s.periodOf(b, at), at)
	u.Deleted = true
	return Effects{Updates: []event.BudgetUpdate{u}}
}

// SetTimeZone changes the user's time zone. Transactions from then on
// count in the periods of the new zone; spend already counted stays in the
// periods it was counted in (the state keeps no transactions to re-bucket),
// and a later change of such a transaction moves exactly what it counted.
func (s *State) SetTimeZone(name string) error {
	s.init()
	if _, err := period.Zone(name); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if name == s.TimeZone {
		return nil
	}
	s.TimeZone = name
	s.Version++
	return nil
}

func equal(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// replaced counts as drops the thresholds budget old had reached in its
// periods with spend that budget now (nil: deleted) no longer reaches: a
// later crossing of one is a new alert, not the one already fired.
func (s *State) replaced(old, now *Budget) {
	if old == nil {
		return
	}
	loc := s.location()
	for k, spent := range s.Spend {
		pk, cat, cur, ok := splitBucket(k)
		if !ok || cat != old.Category || cur != old.Currency {
			continue
		}
		if p, ok := period.ParseKey(pk, loc); !ok || p.Kind != old.Period {
			continue
		}
		var still func(int64) bool
		if now != nil && now.Period == old.Period {
			nowUsed := UsedBP(s.Spend[bucket(pk, now.Category, now.Currency)], now.LimitMinor)
			still = func(t int64) bool { return slices.Contains(now.ThresholdsBP, t) && nowUsed >= t }
		}
		s.Drops.Reached(PeriodDropKey(old.Category, pk), old.ThresholdsBP, UsedBP(spent, old.LimitMinor), still)
	}
}
