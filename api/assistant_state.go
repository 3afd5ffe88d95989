package api

import (
	"context"
	"fmt"
	"slices"

	"finstream/api/assistant"
	"finstream/processors/budget"
	"finstream/processors/category"
	"finstream/processors/insight"
	"finstream/processors/period"
)

// stateReader is the assistant's Reader over the goka views: it reads the
// user's own keys (and the shared budgets and goals the user takes part
// in, as GET /v1/me/shared-budgets and /v1/me/goals do).
type stateReader struct{ cfg *AssistantConfig }

// Facts reads everything the tools may use for user.
func (r *stateReader) Facts(_ context.Context, user string) (*assistant.Facts, error) {
	now := r.cfg.Now()
	st, err := read[budget.State](r.cfg.Users, user)
	if err != nil {
		return nil, fmt.Errorf("read user %q: %w", user, err)
	}
	f := &assistant.Facts{UserID: user, Now: now, Budgets: st.Views(now), Rules: category.Rules(st.Rules), Version: st.Version,
		Spending: map[assistant.Period][]budget.CategorySpend{}, PeriodKeys: map[assistant.Period]string{}}
	loc := period.ZoneOrDefault(st.TimeZone)
	for _, p := range assistant.Periods {
		k, at := period.Monthly, now
		if p == assistant.ThisWeek || p == assistant.LastWeek {
			k = period.Weekly
		}
		if p == assistant.LastMonth || p == assistant.LastWeek {
			at = period.Of(k, now, loc).Start.Add(-1) // the instant before this period
		}
		key := period.Of(k, at, loc).Key
		f.PeriodKeys[p], f.Spending[p] = key, st.SpendingIn(key)
	}
	if r.cfg.Shared != nil {
		ms, err := sharedMemberships(r.cfg.Shared, &st, user, now)
		if err != nil {
			return nil, err
		}
		for _, m := range ms {
			f.Shared = append(f.Shared, m.View)
		}
	}
	if r.cfg.Goals != nil {
		if f.Goals, _, err = userGoals(r.cfg.Goals, user, now); err != nil {
			return nil, err
		}
	}
	if r.cfg.Insights != nil {
		in, err := read[insight.State](r.cfg.Insights, user)
		if err != nil {
			return nil, err
		}
		f.Insights = in.Current(now)
		f.Recent = recentTxns(&in)
	}
	return f, nil
}

// recentTxns are the transactions the insights state remembers that still
// count, newest first, with their merchants' names where known.
func recentTxns(in *insight.State) []assistant.Txn {
	out := []assistant.Txn{}
	for _, a := range slices.Backward(in.Recent) {
		if a.Amount == 0 {
			continue
		}
		name := a.Merchant
		if h := in.Merchants[a.Merchant+"|"+a.Currency]; h != nil && h.Name != "" {
			name = h.Name
		}
		out = append(out, assistant.Txn{Merchant: name, Category: a.Category, AmountMinor: a.Amount, Currency: a.Currency, PostedAt: a.PostedAt})
	}
	return out
}
