package loadgen

import (
	"math"
	"math/rand/v2"
	"time"
)

// Recurring payments: salaries, bills and subscriptions paid on a fixed day
// of the month (1..28, as billers do), at a time of day fixed per user.

type recurringKind uint8

const (
	recPay       recurringKind = iota // on the user's main checking account
	recToSavings                      // checking → savings, two transactions
	recToGoal                         // checking → goal account, two transactions
	recInterest                       // credit on the savings account
)

type recurringSpec struct {
	merchant, direction string
	share               float64 // fraction of users with it (cumulative within a group)
	dayLo, dayHi        int
	hourLo, hourHi      int
	months              uint16 // bit m: paid in month m; 0: every month
	oneMonth            bool   // paid once a year, in a month drawn per user
	fixed               bool   // the amount is drawn once per user (a plan, a salary)
	skewLow             bool   // fixed amounts lean to the low end (salaries)
	kind                recurringKind
}

// userRecurring is one recurring payment of one user.
type userRecurring struct {
	merchant int
	kind     recurringKind
	months   uint16
	minute   int   // minute of the day it is paid, in the billing zone
	amount   int64 // 0: drawn on every payment
}

type dueRef struct {
	u    *user
	bill int
}

// dueTxn is a recurring payment due at an instant.
type dueTxn struct {
	at   time.Time
	u    *user
	bill *userRecurring
}

func months(ms ...time.Month) uint16 {
	var b uint16
	for _, m := range ms {
		b |= 1 << m
	}
	return b
}

// recurringGroups lists the recurring payments; a user has at most one
// payment of each group (one electricity authority, one mobile operator).
func recurringGroups() [][]recurringSpec {
	const d, c = "DEBIT", "CREDIT"
	employers := []string{"Siam Cement Group", "CP ALL", "PTT", "Central Retail", "Kasikornbank",
		"Advanced Info Service", "Thai Beverage", "Bangkok Dusit Medical Services", "Minor International",
		"Comptroller General's Department"}
	var payroll []recurringSpec
	for _, e := range employers {
		payroll = append(payroll, recurringSpec{merchant: "Payroll " + e, direction: c, share: 0.92 / float64(len(employers)),
			dayLo: 25, dayHi: 28, hourLo: 0, hourHi: 5, fixed: true, skewLow: true})
	}
	bill := func(name string, share float64) recurringSpec {
		return recurringSpec{merchant: name, direction: d, share: share, dayLo: 5, dayHi: 20, hourLo: 6, hourHi: 10}
	}
	sub := func(name string, share float64) recurringSpec {
		return recurringSpec{merchant: name, direction: d, share: share, dayLo: 1, dayHi: 28, hourLo: 0, hourHi: 24, fixed: true}
	}
	return [][]recurringSpec{
		payroll,
		{bill("Metropolitan Electricity Authority (MEA)", 0.7), bill("Provincial Electricity Authority (PEA)", 0.25)},
		{bill("Metropolitan Waterworks Authority (MWA)", 0.6), bill("Provincial Waterworks Authority (PWA)", 0.25)},
		{sub("AIS", 0.45), sub("True Move H", 0.35), sub("dtac", 0.15)},
		{sub("3BB", 0.2), sub("AIS Fibre", 0.2)},
		{sub("Netflix", 0.45)},
		{sub("Spotify", 0.3)},
		{sub("YouTube Premium", 0.25)},
		{sub("Jetts Fitness", 0.12)},
		{sub("AIA Thailand", 0.15)},
		{{merchant: "Chulalongkorn University", direction: d, share: 0.06, dayLo: 10, dayHi: 15, hourLo: 9, hourHi: 16,
			months: months(time.January, time.August), fixed: true}},
		{{merchant: "SMS alert service fee", direction: d, share: 0.2, dayLo: 1, dayHi: 1, hourLo: 1, hourHi: 3, fixed: true}},
		{{merchant: "Debit card annual fee", direction: d, share: 0.8, dayLo: 1, dayHi: 28, hourLo: 1, hourHi: 3, oneMonth: true, fixed: true}},
		{{merchant: "Transfer to own savings", direction: d, share: 0.6, dayLo: 25, dayHi: 28, hourLo: 8, hourHi: 22,
			fixed: true, kind: recToSavings}},
		{{merchant: "Transfer to savings goal", direction: d, share: 1, dayLo: 1, dayHi: 28, hourLo: 8, hourHi: 22,
			fixed: true, kind: recToGoal}},
		{{merchant: "Savings interest", direction: c, share: 1, dayLo: 20, dayHi: 20, hourLo: 0, hourHi: 2,
			months: months(time.June, time.December), kind: recInterest}},
	}
}

// assignRecurring draws u's recurring payments and indexes them by day.
func (w *world) assignRecurring(u *user, groups [][]recurringSpec, rng *rand.Rand) {
	for _, group := range groups {
		x := rng.Float64()
		for i := range group {
			s := &group[i]
			if x >= s.share {
				x -= s.share
				continue
			}
			if (s.kind == recToSavings || s.kind == recInterest) && u.savings == nil || s.kind == recToGoal && u.goal == nil {
				break
			}
			w.assign(u, s, rng)
			break
		}
	}
}

func (w *world) assign(u *user, s *recurringSpec, rng *rand.Rand) {
	m := w.merchant(s.merchant, s.direction)
	r := userRecurring{merchant: m, kind: s.kind, months: s.months,
		minute: s.hourLo*60 + rng.IntN((s.hourHi-s.hourLo)*60)}
	if s.oneMonth {
		r.months = months(time.Month(1 + rng.IntN(12)))
	}
	if s.fixed {
		mc := &w.merchants[m]
		if s.skewLow {
			lo, hi := math.Log(float64(mc.MinMinor)), math.Log(float64(mc.MaxMinor))
			f := rng.Float64()
			r.amount = roundTo(int64(math.Exp(lo+f*f*(hi-lo))), mc.step, mc.MinMinor)
		} else {
			r.amount = amount(rng, mc)
		}
	}
	day := s.dayLo + rng.IntN(s.dayHi-s.dayLo+1)
	u.bills = append(u.bills, r)
	w.byDay[day] = append(w.byDay[day], dueRef{u: u, bill: len(u.bills) - 1})
}

// dueOn appends the payments due on the day starting at midnight (in the
// billing zone), at or after notBefore, in no particular order.
func (w *world) dueOn(midnight, notBefore time.Time, out []dueTxn) []dueTxn {
	day := midnight.Day()
	if day >= len(w.byDay) {
		return out
	}
	month := midnight.Month()
	for _, ref := range w.byDay[day] {
		b := &ref.u.bills[ref.bill]
		if b.months != 0 && b.months&(1<<month) == 0 {
			continue
		}
		at := midnight.Add(time.Duration(b.minute) * time.Minute)
		if at.Before(notBefore) {
			continue
		}
		out = append(out, dueTxn{at: at, u: ref.u, bill: b})
	}
	return out
}
