package insight

import (
	"maps"
	"slices"
	"strings"
	"time"

	"finstream/processors/category"
	"finstream/processors/event"
	"finstream/processors/period"
)

// ApplyCategorized applies one categorized transaction (a record of
// finstream.txn.categorized) and returns the insights it changed: the
// unusual_transaction of this transaction, the spike of its category in the
// latest month, and the recurring payment of its merchant.
//
// SpendMinor is what the transaction counts now (0 unless a POSTED DEBIT).
// A record at or below the version already applied for the transaction is a
// duplicate or a stale redelivery and changes nothing; a newer one moves
// every statistic by the difference (a reversal takes the amount out, a
// recategorization moves it between categories). A transaction posted
// before the horizon (HorizonMonths before the latest month) is ignored.
func (s *State) ApplyCategorized(c event.Categorized) []event.Insight {
	s.init()
	loc := s.location()
	prev := s.Txns[c.TxnID]
	if prev != nil && c.Version <= prev.Version {
		return nil
	}
	amount := c.SpendMinor
	if c.Deleted || amount < 0 {
		amount = 0
	}
	month := period.Of(period.Monthly, c.PostedAt, loc).Key
	if prev == nil && (amount == 0 || s.beforeHorizon(month)) {
		return nil // never counted: nothing to remember
	}
	now := &Txn{
		Version: c.Version, Amount: amount, Category: c.Category, Currency: c.Currency,
		Merchant: category.MerchantKey(c.MerchantID, c.MerchantName), Name: c.MerchantName, PostedAt: c.PostedAt,
	}
	if now.Category == "" {
		now.Category = category.Other
	}
	s.Version++
	if prev != nil && prev.Amount > 0 {
		s.count(prev, -1)
		s.forget(c.TxnID, prev)
	}
	var out []event.Insight
	emit := func(in event.Insight, ok bool) {
		if ok {
			out = append(out, in)
		}
	}
	emit(s.unusual(c.TxnID, now))
	if now.Amount > 0 {
		s.count(now, +1)
		s.remember(c.TxnID, now)
		if s.LatestMonth == "" || month > s.LatestMonth {
			s.LatestMonth = month
			s.prune()
		}
		if s.FirstMonth == "" || month < s.FirstMonth {
			s.FirstMonth = month
		}
	}
	s.Txns[c.TxnID] = now

	// Spike of every category the change touched, in the latest month.
	type catKey struct{ cat, cur string }
	cats := []catKey{{now.Category, now.Currency}}
	merchants := []catKey{{now.Merchant, now.Currency}}
	if prev != nil && prev.Amount > 0 {
		cats = append(cats, catKey{prev.Category, prev.Currency})
		merchants = append(merchants, catKey{prev.Merchant, prev.Currency})
	}
	for i, k := range cats {
		if i == 0 || k != cats[0] {
			emit(s.spike(k.cat, k.cur, c.PostedAt))
		}
	}
	for i, k := range merchants {
		if k.cat != "" && (i == 0 || k != merchants[0]) {
			emit(s.recurring(k.cat, k.cur, c.PostedAt))
		}
	}
	s.pruneInsights(c.PostedAt)
	return out
}

// count adds (sign +1) or removes (−1) t's amount to its day's spend.
func (s *State) count(t *Txn, sign int64) {
	if t.Amount == 0 {
		return
	}
	lt := t.PostedAt.In(s.location())
	month := period.Of(period.Monthly, lt, lt.Location()).Key
	key := month + "|" + t.Category + "|" + t.Currency
	c := s.Curves[key]
	if c == nil {
		c = &Curve{}
		s.Curves[key] = c
	}
	c.Daily[lt.Day()-1] += sign * t.Amount
	if sign > 0 && lt.Day() > s.LastDay[month] {
		s.LastDay[month] = lt.Day()
	}
}

func (s *State) remember(id string, t *Txn) {
	e := Entry{TxnID: id, Amount: t.Amount, At: t.PostedAt}
	ck := t.Category + "|" + t.Currency
	if s.Categories[ck] == nil {
		s.Categories[ck] = &History{}
	}
	s.Categories[ck].add(e)
	if t.Merchant == "" {
		return
	}
	mk := t.Merchant + "|" + t.Currency
	h := s.Merchants[mk]
	if h == nil {
		h = &History{}
		s.Merchants[mk] = h
	}
	h.Name = t.Name
	h.add(e)
	if len(s.Merchants) > MaxMerchants {
		keys := slices.Collect(maps.Keys(s.Merchants))
		slices.SortFunc(keys, func(a, b string) int {
			if c := s.Merchants[a].last().Compare(s.Merchants[b].last()); c != 0 {
				return c
			}
			return strings.Compare(a, b)
		})
		delete(s.Merchants, keys[0])
	}
}

func (s *State) forget(id string, t *Txn) {
	if h := s.Categories[t.Category+"|"+t.Currency]; h != nil {
		h.remove(id)
	}
	if h := s.Merchants[t.Merchant+"|"+t.Currency]; h != nil {
		h.remove(id)
	}
}

// horizon is the earliest month kept.
func (s *State) horizon() string {
	loc := s.location()
	p, ok := period.ParseKey(s.LatestMonth, loc)
	if !ok {
		return ""
	}
	return period.Of(period.Monthly, p.Start.AddDate(0, -HorizonMonths, 0), loc).Key
}

func (s *State) beforeHorizon(month string) bool {
	h := s.horizon()
	return h != "" && month < h
}

// prune forgets the curves and transactions before the horizon.
func (s *State) prune() {
	h := s.horizon()
	loc := s.location()
	for k := range s.Curves {
		if m, _, _ := strings.Cut(k, "|"); m < h {
			delete(s.Curves, k)
		}
	}
	for m := range s.LastDay {
		if m < h {
			delete(s.LastDay, m)
		}
	}
	for id, t := range s.Txns {
		if period.Of(period.Monthly, t.PostedAt, loc).Key < h {
			delete(s.Txns, id)
		}
	}
}

// calendarDate is t's date in loc as midnight UTC, for day arithmetic.
func calendarDate(t time.Time, loc *time.Location) time.Time {
	lt := t.In(loc)
	return time.Date(lt.Year(), lt.Month(), lt.Day(), 0, 0, 0, 0, time.UTC)
}

// addMonth is the same day of the next month, clipped to its last day.
func addMonth(d time.Time) time.Time {
	first := time.Date(d.Year(), d.Month()+1, 1, 0, 0, 0, 0, d.Location())
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(d.Day(), last), 0, 0, 0, 0, d.Location())
}

func daysBetween(a, b time.Time) int64 {
	return int64(b.Sub(a).Hours() / 24)
}
