package shared

import (
	"slices"
	"time"

	"finstream/processors/budget"
	"finstream/processors/event"
)

// View is a shared budget as GET /v1/shared-budgets/{id} shows it, in the
// period containing the instant it was computed for. RemainingMinor is
// negative when the budget is exceeded; Participants are the current ones
// with their spend in the period and share of it (floor(spent*10000/total)).
type View struct {
	BudgetID       string                   `json:"budget_id"`
	Name           string                   `json:"name"`
	Category       string                   `json:"category"`
	Currency       string                   `json:"currency"`
	Period         string                   `json:"period"`
	PeriodKey      string                   `json:"period_key"`
	PeriodStart    time.Time                `json:"period_start"`
	PeriodEnd      time.Time                `json:"period_end"`
	LimitMinor     int64                    `json:"limit_minor"`
	SpentMinor     int64                    `json:"spent_minor"`
	RemainingMinor int64                    `json:"remaining_minor"`
	UsedBP         int64                    `json:"used_bp"`
	ThresholdsBP   []int64                  `json:"thresholds_bp"`
	CrossedBP      []int64                  `json:"crossed_bp"`
	DaysLeft       int                      `json:"days_left"`
	Version        int64                    `json:"version"`
	Participants   []event.ParticipantSpend `json:"participants"`
}

// View returns the budget in the period containing now.
func (b *Budget) View(now time.Time) View {
	p := b.periodOf(now)
	spent := b.Spend[p.Key]
	used := budget.UsedBP(spent, b.LimitMinor)
	return View{
		BudgetID: b.BudgetID, Name: b.Name, Category: b.Category, Currency: b.Currency,
		Period: string(b.Period), PeriodKey: p.Key, PeriodStart: p.Start, PeriodEnd: p.End,
		LimitMinor: b.LimitMinor, SpentMinor: spent, RemainingMinor: b.LimitMinor - spent, UsedBP: used,
		ThresholdsBP: slices.Clone(b.ThresholdsBP), CrossedBP: budget.Crossed(b.ThresholdsBP, used),
		DaysLeft: p.DaysLeft(now), Version: b.Version, Participants: b.participants(p.Key),
	}
}
