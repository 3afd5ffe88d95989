package insight

import (
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
// A record at or below the version applied for a transaction among the
// Recent ones is a duplicate or a stale redelivery and changes nothing; a
// newer one moves every statistic by the difference with what the
// transaction counted (a reversal takes the amount out, a recategorization
// moves it between categories). A change of a transaction no longer among
// the Recent ones counts as its first, except a reversal (a later version
// of a DEBIT, REVERSED), which takes out the amount its row says it
// counted. A transaction posted before the horizon (HorizonMonths before
// the latest month) is ignored.
func (s *State) ApplyCategorized(c event.Categorized) []event.Insight {
	s.init()
	loc := s.location()
	prev := s.recent(c.TxnID)
	if prev != nil && c.Version <= prev.Version {
		return nil
	}
	amount := c.SpendMinor
	if c.Deleted || amount < 0 {
		amount = 0
	}
	now := Counted{
		Amount: amount, Category: c.Category, Currency: c.Currency, Name: c.MerchantName,
		Merchant: category.MerchantKey(c.MerchantID, c.MerchantName), PostedAt: c.PostedAt.Truncate(time.Minute),
	}
	if now.Category == "" {
		now.Category = category.Other
	}
	var old Counted // what the transaction counted before: nothing by default
	switch {
	case prev != nil:
		old = prev.Counted
	case c.Version > 1 && c.Status == "REVERSED" && c.Direction == "DEBIT" && c.AmountMinor > 0:
		old = now
		old.Amount = c.AmountMinor
	}
	month := period.Of(period.Monthly, c.PostedAt, loc).Key
	if old.Amount == 0 && (amount == 0 || s.beforeHorizon(month)) {
		return nil // never counted: nothing to remember
	}
	s.Version++
	if old.Amount > 0 {
		s.count(old, -1)
		s.forget(old)
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
		s.learn(now)
		if s.LatestMonth == "" || month > s.LatestMonth {
			s.LatestMonth = month
			s.prune()
		}
		if s.FirstMonth == "" || month < s.FirstMonth {
			s.FirstMonth = month
		}
	}
	s.remember(c.TxnID, c.Version, now)

	// Spike of every category the change touched, in the latest month.
	type catKey struct{ cat, cur string }
	cats := []catKey{{now.Category, now.Currency}}
	merchants := []catKey{{now.Merchant, now.Currency}}
	if old.Amount > 0 {
		cats = append(cats, catKey{old.Category, old.Currency})
		merchants = append(merchants, catKey{old.Merchant, old.Currency})
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

// count adds (sign +1) or removes (−1) t's amount to its day's spend; a
// month before the horizon is not kept, and a day never goes below zero.
func (s *State) count(t Counted, sign int64) {
	if t.Amount == 0 {
		return
	}
	lt := t.PostedAt.In(s.location())
	month := period.Of(period.Monthly, lt, lt.Location()).Key
	if s.beforeHorizon(month) {
		return
	}
	key := month + "|" + t.Category + "|" + t.Currency
	c := s.Curves[key]
	if c == nil {
		if sign < 0 {
			return
		}
		c = &Curve{}
		s.Curves[key] = c
	}
	c.Daily[lt.Day()-1] = max(0, c.Daily[lt.Day()-1]+sign*t.Amount)
	if sign > 0 && lt.Day() > s.LastDay[month] {
		s.LastDay[month] = lt.Day()
	}
}

// learn adds t's amount to the histories of its category and merchant.
func (s *State) learn(t Counted) {
	e := Entry{Amount: t.Amount, At: t.PostedAt}
	ck := t.Category + "|" + t.Currency
	if s.Categories[ck] == nil {
		s.Categories[ck] = &History{}
	}
	s.Categories[ck].add(e, HistoryLen)
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
	h.add(e, MerchantLen)
	if len(s.Merchants) > MaxMerchants {
		s.evictMerchant(mk)
	}
}

// evictMerchant forgets the merchant with the fewest amounts, then the one
// seen least recently, then the first by key; never keep, the one just
// seen.
func (s *State) evictMerchant(keep string) {
	var victim string
	for k, h := range s.Merchants {
		if k == keep {
			continue
		}
		if victim == "" {
			victim = k
			continue
		}
		v := s.Merchants[victim]
		switch {
		case len(h.Entries) != len(v.Entries):
			if len(h.Entries) < len(v.Entries) {
				victim = k
			}
		case !h.last().Equal(v.last()):
			if h.last().Before(v.last()) {
				victim = k
			}
		case k < victim:
			victim = k
		}
	}
	delete(s.Merchants, victim)
}

// forget removes t's amount from the histories it is in.
func (s *State) forget(t Counted) {
	e := Entry{Amount: t.Amount, At: t.PostedAt}
	if h := s.Categories[t.Category+"|"+t.Currency]; h != nil {
		h.remove(e)
	}
	if h := s.Merchants[t.Merchant+"|"+t.Currency]; h != nil {
		h.remove(e)
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

// prune forgets the curves before the horizon.
func (s *State) prune() {
	h := s.horizon()
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
}

// calendarDate is t's date in loc as midnight UTC, for day arithmetic.
func calendarDate(t time.Time, loc *time.Location) time.Time { return period.Date(t, loc) }

// addMonth is the same day of the next month, clipped to its last day.
func addMonth(d time.Time) time.Time { return period.AddMonth(d) }
