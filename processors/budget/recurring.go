package budget

import (
	"slices"
	"time"

	"finstream/processors/category"
	"finstream/processors/cdc"
	"finstream/processors/period"
)

// Bounds of the recurring-payment memory of a user (State.Recurring).
const (
	// MaxRecurring bounds the merchants tracked. Beyond it the merchant
	// with the shortest chain goes first, the one paid least recently among
	// those: a subscription outlives one-off visits.
	MaxRecurring = 16
	// MinRecurring is the chain length (payments at one cadence, each
	// within ±10% of the one before) from which a merchant's next payments
	// are expected.
	MinRecurring = 3
	// maxNameLen bounds a merchant name kept in the state, in bytes.
	maxNameLen = 32
)

// Recurring is what the state keeps of one merchant the user pays: the
// chain of its latest payments at one cadence. It is derived from event
// time only (posted_at), in the order the records come: a replay rebuilds
// it exactly.
type Recurring struct {
	Merchant    string    `json:"merchant"` // merchant key (category.MerchantKey)
	Name        string    `json:"name"`     // merchant name as sent, truncated
	Category    string    `json:"category"`
	Currency    string    `json:"currency"`
	AmountMinor int64     `json:"amount_minor"` // latest payment
	Cadence     int       `json:"cadence"`      // period.CadenceWeekly, CadenceMonthly, 0 while unknown
	Count       int       `json:"count"`        // payments in the chain
	Last        time.Time `json:"last"`         // posted_at of the latest, to the second
}

// Regular reports whether the merchant's next payments are expected.
func (r *Recurring) Regular() bool { return r.Count >= MinRecurring && r.Cadence != 0 }

// observe feeds the detector a record: a new payment (a transaction that
// did not count and counts now) extends or restarts its merchant's chain;
// a recategorization by the user moves the merchant to the new category.
// Rule: a payment continues the chain when it is on a later day than the
// latest, its amount is within ±10% of the latest's and the gap matches
// the chain's cadence (period.Cadence: weekly 6..8 days, monthly the same
// day of the next month ± 3); otherwise the chain restarts at it. A payment
// on or before the latest's day changes nothing (out of order, or a second
// one the same day). Reversals do not shorten a chain.
func (s *State) observe(rec cdc.TxnChange) {
	row := rec.Row
	key := category.MerchantKey(row.MerchantID, row.MerchantName)
	if key == "" {
		return
	}
	i := slices.IndexFunc(s.Recurring, func(r Recurring) bool { return r.Merchant == key && r.Currency == row.Currency })
	if rec.Op == OpRecategorize {
		if i >= 0 && rec.Counts.Amount > 0 {
			s.Recurring[i].Category = rec.Category
		}
		return
	}
	if rec.Counted.Amount != 0 || rec.Counts.Amount <= 0 {
		return
	}
	at := rowTime(row).Truncate(time.Second).UTC()
	name := row.MerchantName
	if len(name) > maxNameLen {
		name = name[:maxNameLen]
	}
	now := Recurring{Merchant: key, Name: name, Category: rec.Category, Currency: row.Currency,
		AmountMinor: rec.Counts.Amount, Count: 1, Last: at}
	if i < 0 {
		if len(s.Recurring) < MaxRecurring {
			s.Recurring = append(s.Recurring, now)
		} else {
			s.Recurring[s.worstRecurring()] = now // in place: the value is decoded at capacity
		}
		return
	}
	r := &s.Recurring[i]
	loc := s.location()
	last, day := period.Date(r.Last, loc), period.Date(at, loc)
	if !day.After(last) {
		return
	}
	diff := now.AmountMinor - r.AmountMinor
	if diff < 0 {
		diff = -diff
	}
	if c := period.Cadence(last, day); c != 0 && (r.Cadence == 0 || r.Cadence == c) && diff*10 <= r.AmountMinor {
		now.Count, now.Cadence = r.Count+1, c
	}
	*r = now
}

// worstRecurring is the merchant to forget for a new one: the shortest
// chain, paid least recently among those.
func (s *State) worstRecurring() int {
	worst := 0
	for i, r := range s.Recurring {
		if w := s.Recurring[worst]; r.Count < w.Count || (r.Count == w.Count && r.Last.Before(w.Last)) {
			worst = i
		}
	}
	return worst
}

// Commitments is the sum of the recurring payments of category cat in
// currency cur expected on the days from now's day up to end (exclusive),
// in the user's zone. A regular merchant's payments are expected every
// cadence after its latest; one due up to period.Tolerance days before
// now's day that has not come yet counts as due today.
func (s *State) Commitments(cat, cur string, now, end time.Time) int64 {
	loc := s.location()
	today, stop := period.Date(now, loc), period.Date(end, loc) // periods end at midnight
	var sum int64
	for _, r := range s.Recurring {
		if !r.Regular() || r.Category != cat || r.Currency != cur {
			continue
		}
		for due := period.Next(period.Date(r.Last, loc), r.Cadence); due.Before(stop); due = period.Next(due, r.Cadence) {
			if !due.Before(today) || period.DaysBetween(due, today) <= int64(period.Tolerance(r.Cadence)) {
				sum += r.AmountMinor
			}
		}
	}
	return sum
}
