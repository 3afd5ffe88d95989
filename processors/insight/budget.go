package insight

import (
	"strings"
	"time"

	"finstream/processors/event"
	"finstream/processors/period"
)

// ApplyBudget applies a change of a personal budget (a BudgetUpdate of kind
// personal; others are ignored) and returns the insights it changed:
// budget_usage, remaining and runway of the budget's period, computed at
// the update's event time (days left count from that day, in the user's
// time zone).
//
// An update at or below the version already applied for the budget is a
// duplicate or a stale redelivery and changes nothing, unless its event
// time is after every update applied so far: the budget was deleted and
// created again, which restarts its versions. An update of a period before
// the latest one seen (a late transaction) changes nothing either.
func (s *State) ApplyBudget(u event.BudgetUpdate) []event.Insight {
	if u.Kind != event.BudgetPersonal || u.Category == "" || u.LimitMinor <= 0 {
		return nil
	}
	s.init()
	seen := s.Budgets[u.BudgetID]
	if seen != nil {
		fresh := u.Version > seen.Version || (u.Version < seen.Version && u.EventTime.After(seen.MaxEventTime))
		if !fresh || u.PeriodStart.Before(seen.PeriodStart) {
			return nil
		}
	} else {
		seen = &BudgetSeen{}
		s.Budgets[u.BudgetID] = seen
	}
	seen.Version = u.Version
	seen.PeriodStart = u.PeriodStart
	if u.EventTime.After(seen.MaxEventTime) {
		seen.MaxEventTime = u.EventTime
	}
	s.Version++

	loc := s.location()
	p := period.Period{Kind: period.Kind(u.Period), Key: u.PeriodKey, Start: u.PeriodStart.In(loc), End: u.PeriodEnd.In(loc)}
	at := u.EventTime
	var out []event.Insight
	emit := func(in event.Insight, ok bool) {
		if ok {
			out = append(out, in)
		}
	}
	u.UserID = s.UserID
	if u.Deleted { // the budget is gone: so are the insights about it
		for _, kind := range []string{event.InsightBudgetUsage, event.InsightRemaining, event.InsightRunway, event.InsightSafeToSpend} {
			emit(s.clear(ID(s.UserID, kind, u.Category, p.Key), at))
		}
		delete(s.Budgets, u.BudgetID)
		emit(s.overallSafe(u.Currency, at))
		return out
	}
	emit(s.put(budgetUsage(u, p)))
	emit(s.put(remaining(u, p)))
	if in, ok := runway(u, p); ok {
		emit(s.put(in))
	} else {
		emit(s.clear(ID(s.UserID, event.InsightRunway, u.Category, p.Key), at))
	}
	if u.Pace != "" { // updates of earlier builds carry no safe-to-spend
		emit(s.put(safeToSpend(u, p)))
		emit(s.overallSafe(u.Currency, at))
	}
	s.pruneInsights(at)
	return out
}

// safeToSpend: "฿1,450 of your Groceries budget is safe to spend, after
// ฿1,020 of expected recurring payments". Severity warning when the
// expected payments take all that remains, info otherwise.
func safeToSpend(u event.BudgetUpdate, p period.Period) Kept {
	in := budgetInsight(u, p, event.InsightSafeToSpend)
	in.Severity = event.SeverityInfo
	if u.SafeToSpendMinor <= 0 {
		in.Severity = event.SeverityWarning
	}
	in.Data = map[string]int64{"safe_to_spend_minor": u.SafeToSpendMinor, "commitments_minor": u.CommitmentsMinor,
		"remaining_minor": u.RemainingMinor, "days_left": int64(p.DaysLeft(u.EventTime))}
	return in
}

// overallSafe sums the current safe_to_spend insights of the budgets in
// currency cur into one (subject "all:<currency>", expiring with the first
// of them); none left clears it.
func (s *State) overallSafe(cur string, at time.Time) (event.Insight, bool) {
	all := Kept{Kind: event.InsightSafeToSpend, Subject: event.SubjectAll, Currency: cur, Severity: event.SeverityInfo, EventTime: at,
		Data: map[string]int64{"safe_to_spend_minor": 0, "commitments_minor": 0, "remaining_minor": 0, "budgets": 0}}
	for _, k := range s.Insights {
		if k.Kind != event.InsightSafeToSpend || strings.HasPrefix(k.Subject, event.SubjectAll+":") || k.Currency != cur || !at.Before(k.ExpiresAt) {
			continue
		}
		for _, f := range []string{"safe_to_spend_minor", "commitments_minor", "remaining_minor"} {
			all.Data[f] += k.Data[f]
		}
		all.Data["budgets"]++
		if all.ExpiresAt.IsZero() || k.ExpiresAt.Before(all.ExpiresAt) {
			all.ExpiresAt = k.ExpiresAt
		}
	}
	if all.Data["budgets"] == 0 {
		return s.clear(ID(s.UserID, event.InsightSafeToSpend, event.SubjectAll+":"+cur, ""), at)
	}
	all.Subject = event.SubjectAll + ":" + cur
	return s.put(all)
}

func budgetInsight(u event.BudgetUpdate, p period.Period, kind string) Kept {
	return Kept{Kind: kind, Subject: u.Category, PeriodKey: p.Key, Currency: u.Currency, ExpiresAt: p.End, EventTime: u.EventTime}
}

// budgetUsage: "93.75% of your Groceries budget used". Severity info below
// 80%, warning from 80%, critical from 100%.
func budgetUsage(u event.BudgetUpdate, p period.Period) Kept {
	in := budgetInsight(u, p, event.InsightBudgetUsage)
	in.Severity = event.SeverityInfo
	switch {
	case u.UsedBP >= 10000:
		in.Severity = event.SeverityCritical
	case u.UsedBP >= 8000:
		in.Severity = event.SeverityWarning
	}
	in.Data = map[string]int64{"used_bp": u.UsedBP, "spent_minor": u.SpentMinor, "limit_minor": u.LimitMinor}
	return in
}

// remaining: "฿1,000 left for 12 days" (days left from the event's day,
// that day included), or "฿1,000 over budget with 11 days left". Severity
// critical when nothing is left, warning when less is left than the
// pro-rata share of the limit for the days left (remaining/limit < days
// left/period days), info otherwise.
func remaining(u event.BudgetUpdate, p period.Period) Kept {
	in := budgetInsight(u, p, event.InsightRemaining)
	days := int64(p.DaysLeft(u.EventTime))
	total := int64(p.DaysLeft(p.Start))
	rem := u.LimitMinor - u.SpentMinor
	in.Severity = event.SeverityInfo
	switch {
	case rem <= 0:
		in.Severity = event.SeverityCritical
	case rem*total < u.LimitMinor*days:
		in.Severity = event.SeverityWarning
	}
	in.Data = map[string]int64{"remaining_minor": rem, "days_left": days}
	if days > 0 && rem > 0 {
		in.Data["daily_allowance_minor"] = rem / days
	}
	return in
}

// runway: at the period's average daily spend so far (spent over the days
// elapsed, the event's day included), the budget runs out at the end of day
// k = ceil(limit·elapsed/spent) of the period. It fires when k is before
// the period's last day and something is still left: "At this rate you run
// out in 2 days (21 Nov 2026)". Severity critical within 3 days, else
// warning.
func runway(u event.BudgetUpdate, p period.Period) (Kept, bool) {
	days := int64(p.DaysLeft(u.EventTime))
	total := int64(p.DaysLeft(p.Start))
	rem := u.LimitMinor - u.SpentMinor
	if days <= 0 || u.SpentMinor <= 0 || rem <= 0 || u.EventTime.Before(p.Start) {
		return Kept{}, false
	}
	elapsed := total - days + 1
	k := (u.LimitMinor*elapsed + u.SpentMinor - 1) / u.SpentMinor
	if k >= total {
		return Kept{}, false
	}
	in := budgetInsight(u, p, event.InsightRunway)
	inDays := k - elapsed
	in.Severity = event.SeverityWarning
	if inDays <= 3 {
		in.Severity = event.SeverityCritical
	}
	in.Date = p.Start.AddDate(0, 0, int(k-1)).Format(time.DateOnly)
	in.Data = map[string]int64{
		"avg_daily_minor": u.SpentMinor / elapsed, "days_elapsed": elapsed, "period_days": total,
		"run_out_day": k, "run_out_in_days": inDays,
	}
	return in, true
}
