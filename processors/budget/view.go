package budget

import (
	"sort"
	"time"

	"finstream/processors/period"
)

// View is a budget as GET /v1/me/budgets shows it, in the period containing
// the instant it was computed for.
type View struct {
	BudgetID       string    `json:"budget_id"`
	Category       string    `json:"category"`
	Period         string    `json:"period"`
	PeriodStart    time.Time `json:"period_start"`
	PeriodEnd      time.Time `json:"period_end"`
	Currency       string    `json:"currency"`
	LimitMinor     int64     `json:"limit_minor"`
	SpentMinor     int64     `json:"spent_minor"`
	RemainingMinor int64     `json:"remaining_minor"`
	UsedBP         int64     `json:"used_bp"`
	ThresholdsBP   []int64   `json:"thresholds_bp"`
	CrossedBP      []int64   `json:"crossed_bp"`
	DaysLeft       int       `json:"days_left"`
	Version        int64     `json:"version"`
}

// Views returns every budget of the user in the period containing now,
// sorted by category. RemainingMinor is negative when the budget is exceeded.
func (s *State) Views(now time.Time) []View {
	loc := s.location()
	out := make([]View, 0, len(s.Budgets))
	for _, b := range s.Budgets {
		p := period.Of(b.Period, now, loc)
		u := s.update(b, p, now)
		out = append(out, View{
			BudgetID: u.BudgetID, Category: b.Category, Period: string(b.Period),
			PeriodStart: p.Start, PeriodEnd: p.End, Currency: b.Currency,
			LimitMinor: b.LimitMinor, SpentMinor: u.SpentMinor, RemainingMinor: u.RemainingMinor,
			UsedBP: u.UsedBP, ThresholdsBP: u.ThresholdsBP, CrossedBP: u.CrossedBP,
			DaysLeft: p.DaysLeft(now), Version: b.Version,
		})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Category < out[j].Category })
	return out
}

// SpentIn is the user's spend on a category in a currency in the period of
// kind k containing at, whether or not a budget exists.
func (s *State) SpentIn(cat, currency string, k period.Kind, at time.Time) int64 {
	return s.Spend[bucket(period.Of(k, at, s.location()).Key, cat, currency)]
}
