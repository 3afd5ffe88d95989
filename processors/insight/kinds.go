package insight

import (
	"time"

	"finstream/processors/event"
	"finstream/processors/period"
)

// spike compares a category's spend in the latest month through its latest
// day d with the average of the previous 3 months through the same day of
// month (clipped to their length): baseline = (C1+C2+C3)/3. It fires when
// spend ≥ 1.5 × baseline, i.e. 2·S ≥ C1+C2+C3, the baseline is not zero,
// and the user has been seen since the third previous month. Severity
// warning, critical from 3×.
func (s *State) spike(cat, cur string, at time.Time) (event.Insight, bool) {
	loc := s.location()
	p, ok := period.ParseKey(s.LatestMonth, loc)
	if !ok {
		return event.Insight{}, false
	}
	subject := cat + ":" + cur
	id := ID(s.UserID, event.InsightSpike, subject, p.Key)
	d := s.LastDay[p.Key]
	spent := s.Curves[p.Key+"|"+cat+"|"+cur].cumulative(d)
	var sum int64
	var oldest string
	for i := 1; i <= 3; i++ {
		pm := period.Of(period.Monthly, p.Start.AddDate(0, -i, 0), loc)
		dd := min(d, pm.DaysLeft(pm.Start))
		sum += s.Curves[pm.Key+"|"+cat+"|"+cur].cumulative(dd)
		oldest = pm.Key
	}
	known := s.FirstMonth != "" && s.FirstMonth <= oldest
	if !known || sum <= 0 || spent <= 0 || 2*spent < sum {
		return s.clear(id, at)
	}
	ratio := spent * 30000 / sum
	in := Kept{
		Kind: event.InsightSpike, Subject: subject, PeriodKey: p.Key, Currency: cur,
		Severity: event.SeverityWarning, ExpiresAt: p.End, EventTime: at,
		Data: map[string]int64{"spent_minor": spent, "baseline_minor": sum / 3, "ratio_bp": ratio, "day": int64(d)},
	}
	if ratio >= 30000 {
		in.Severity = event.SeverityCritical
	}
	return s.put(in)
}

// unusual judges transaction txnID (t, not in the histories) against the
// user's recent amounts at its merchant, or, with fewer than MinHistory
// there, in its category (see the function unusual for the rule). Severity
// warning, critical from 5× the median. A transaction that no longer counts
// clears its insight.
func (s *State) unusual(txnID string, t Counted) (event.Insight, bool) {
	id := ID(s.UserID, event.InsightUnusual, txnID, "")
	if t.Amount <= 0 {
		return s.clear(id, t.PostedAt)
	}
	basis := ""
	var xs []int64
	if h := s.Merchants[t.Merchant+"|"+t.Currency]; h != nil && t.Merchant != "" {
		xs = h.amounts()
	}
	if len(xs) < MinHistory {
		xs = nil
		if h := s.Categories[t.Category+"|"+t.Currency]; h != nil {
			xs = h.amounts()
		}
		basis = t.Category
	}
	med, madFloor, z100, ok := unusual(xs, t.Amount)
	if !ok {
		return s.clear(id, t.PostedAt)
	}
	in := Kept{
		Kind: event.InsightUnusual, Subject: txnID, Currency: t.Currency, Name: t.Name, Basis: basis,
		Severity: event.SeverityWarning, ExpiresAt: t.PostedAt.AddDate(0, 0, 7), EventTime: t.PostedAt,
		Data: map[string]int64{
			"amount_minor": t.Amount, "median_minor": med, "mad_minor": madFloor,
			"z_x100": z100, "ratio_bp": t.Amount * 10000 / med, "history_n": int64(len(xs)),
		},
	}
	if t.Amount >= 5*med {
		in.Severity = event.SeverityCritical
	}
	return s.put(in)
}

// recurring looks for a regular payment at a merchant: walking back from
// its latest transaction, each earlier one continues the chain while its
// amount is within ±10% of the latest and the gap to the next matches one
// cadence, weekly (7 ± 1 days) or monthly (the same day of the next month,
// clipped to its end, ± 3 days). With MinOccurrences in the chain it is a
// subscription, next expected one cadence after the latest. A chain that
// no longer holds clears the insight.
func (s *State) recurring(merchant, cur string, at time.Time) (event.Insight, bool) {
	loc := s.location()
	subject := merchant + ":" + cur
	id := ID(s.UserID, event.InsightRecurring, subject, "")
	h := s.Merchants[merchant+"|"+cur]
	if h == nil || len(h.Entries) < MinOccurrences {
		return s.clear(id, at)
	}
	es := h.Entries
	last := es[len(es)-1]
	cadence, count := 0, 1
	for i := len(es) - 2; i >= 0; i-- {
		diff := es[i].Amount - last.Amount
		if diff < 0 {
			diff = -diff
		}
		if diff*10 > last.Amount {
			break
		}
		c := gap(calendarDate(es[i].At, loc), calendarDate(es[i+1].At, loc))
		if c == 0 || (cadence != 0 && c != cadence) {
			break
		}
		cadence = c
		count++
	}
	if count < MinOccurrences {
		return s.clear(id, at)
	}
	lastDay := calendarDate(last.At, loc)
	next, tolerance := lastDay.AddDate(0, 0, 7), 1
	if cadence == 30 {
		next, tolerance = addMonth(lastDay), 3
	}
	nextLocal := time.Date(next.Year(), next.Month(), next.Day(), 0, 0, 0, 0, loc)
	in := Kept{
		Kind: event.InsightRecurring, Subject: subject, Currency: cur, Name: h.Name,
		Severity: event.SeverityInfo, Date: next.Format(time.DateOnly),
		ExpiresAt: nextLocal.AddDate(0, 0, tolerance+1), EventTime: at,
		Data: map[string]int64{"amount_minor": last.Amount, "count": int64(count), "cadence_days": int64(cadence)},
	}
	return s.put(in)
}

// gap is the cadence two consecutive payment dates match (period.Cadence):
// 7, 30 or 0.
func gap(a, b time.Time) int { return period.Cadence(a, b) }
