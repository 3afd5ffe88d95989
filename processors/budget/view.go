package budget

import (
	"slices"
	"sort"
	"strings"
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
	// SafeToSpendMinor is RemainingMinor minus CommitmentsMinor, the
	// recurring payments of the category expected before the period ends,
	// floored at 0.
	SafeToSpendMinor int64 `json:"safe_to_spend_minor"`
	CommitmentsMinor int64 `json:"commitments_minor"`
	// Pace is on_track or too_fast (PaceOf), ElapsedBP the share of the
	// period elapsed by the end of today.
	Pace      string `json:"pace"`
	ElapsedBP int64  `json:"elapsed_bp"`
	// Rollover says whether the budget carries its unspent remainder into
	// the next period; RolloverMinor is what it carried into this one.
	Rollover      bool  `json:"rollover"`
	RolloverMinor int64 `json:"rollover_minor"`
	// PeriodAnchorDay is the day monthly periods start on (1: calendar
	// months).
	PeriodAnchorDay int `json:"period_anchor_day"`
}

// Overall is the safe-to-spend of all the user's budgets in one currency:
// the sums of their SafeToSpendMinor, RemainingMinor and CommitmentsMinor.
type Overall struct {
	Currency         string `json:"currency"`
	SafeToSpendMinor int64  `json:"safe_to_spend_minor"`
	RemainingMinor   int64  `json:"remaining_minor"`
	CommitmentsMinor int64  `json:"commitments_minor"`
}

// OverallOf sums views per currency, sorted by currency. A budget over
// its limit adds its negative remainder to RemainingMinor but nothing below
// zero to SafeToSpendMinor.
func OverallOf(views []View) []Overall {
	out := []Overall{}
	for _, v := range views {
		i := slices.IndexFunc(out, func(o Overall) bool { return o.Currency == v.Currency })
		if i < 0 {
			out = append(out, Overall{Currency: v.Currency})
			i = len(out) - 1
		}
		out[i].SafeToSpendMinor += v.SafeToSpendMinor
		out[i].RemainingMinor += v.RemainingMinor
		out[i].CommitmentsMinor += v.CommitmentsMinor
	}
	slices.SortFunc(out, func(a, b Overall) int { return strings.Compare(a.Currency, b.Currency) })
	return out
}

// Views returns every budget of the user in the period containing now,
// sorted by category. RemainingMinor is negative when the budget is exceeded.
func (s *State) Views(now time.Time) []View {
	out := make([]View, 0, len(s.Budgets))
	for _, b := range s.Budgets {
		p := s.periodOf(b, now)
		u := s.update(b, p, now)
		out = append(out, View{
			BudgetID: u.BudgetID, Category: b.Category, Period: string(b.Period),
			PeriodStart: p.Start, PeriodEnd: p.End, Currency: b.Currency,
			LimitMinor: b.LimitMinor, SpentMinor: u.SpentMinor, RemainingMinor: u.RemainingMinor,
			UsedBP: u.UsedBP, ThresholdsBP: u.ThresholdsBP, CrossedBP: u.CrossedBP,
			DaysLeft: p.DaysLeft(now), Version: b.Version,
			SafeToSpendMinor: u.SafeToSpendMinor, CommitmentsMinor: u.CommitmentsMinor, Pace: u.Pace,
			ElapsedBP: p.ElapsedBP(now), Rollover: b.Rollover, RolloverMinor: u.RolloverMinor, PeriodAnchorDay: max(1, b.AnchorDay),
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

// CategorySpend is a user's spend on one category in one currency.
type CategorySpend struct {
	Category   string `json:"category"`
	Currency   string `json:"currency"`
	SpentMinor int64  `json:"spent_minor"`
}

// SpendingIn lists the user's spend per category and currency in the
// period with the given key ("2026-11" or "2026-W47"), sorted.
func (s *State) SpendingIn(periodKey string) []CategorySpend {
	out := []CategorySpend{}
	for k, v := range s.Spend {
		p, cat, cur, ok := splitBucket(k)
		if !ok || p != periodKey || v == 0 {
			continue
		}
		out = append(out, CategorySpend{Category: cat, Currency: cur, SpentMinor: v})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Category != out[j].Category {
			return out[i].Category < out[j].Category
		}
		return out[i].Currency < out[j].Currency
	})
	return out
}

// PeriodKey is the key of the period of kind k containing t for this user.
func (s *State) PeriodKey(k period.Kind, t time.Time) string {
	return period.Of(k, t, s.location()).Key
}

func splitBucket(k string) (periodKey, cat, cur string, ok bool) {
	periodKey, rest, ok1 := strings.Cut(k, "|")
	cat, cur, ok2 := strings.Cut(rest, "|")
	return periodKey, cat, cur, ok1 && ok2
}

// Main is the overall figure of the currency most budgets use (the first
// by name on a tie); false without budgets.
func Main(views []View, all []Overall) (Overall, bool) {
	best, n := -1, 0
	for i, o := range all {
		c := 0
		for _, v := range views {
			if v.Currency == o.Currency {
				c++
			}
		}
		if c > n {
			best, n = i, c
		}
	}
	if best < 0 {
		return Overall{}, false
	}
	return all[best], true
}
