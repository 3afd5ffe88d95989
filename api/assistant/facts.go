package assistant

import (
	"context"
	"time"

	"finstream/processors/budget"
	"finstream/processors/category"
	"finstream/processors/event"
	"finstream/processors/goal"
	"finstream/processors/shared"
)

// Reader reads one user's state for the tools. The Assistant calls it
// with the token's subject only; an implementation returns nothing of any
// other user except what that user may read (the shared budgets they take
// part in).
type Reader interface {
	Facts(ctx context.Context, userID string) (*Facts, error)
}

// Facts are what the tools may use to answer one user: read once per
// exchange, so every tool sees the same version.
type Facts struct {
	UserID string
	// Now is the instant the facts were read for (the Assistant's clock).
	Now time.Time
	// Budgets are the personal budgets in their current periods.
	Budgets []budget.View
	// Spending is the spend per category in each Period, whether or not a
	// budget exists; PeriodKeys names each period ("2026-11", "2026-W47").
	Spending   map[Period][]budget.CategorySpend
	PeriodKeys map[Period]string
	// Goals the user owns or takes part in.
	Goals []goal.View
	// Insights are the user's current insights, newest first.
	Insights []event.Insight
	// Shared are the shared budgets the user takes part in.
	Shared []shared.View
	// Recent are the user's latest transactions that counted, newest first.
	Recent []Txn
	// Rules are the user's own merchant categorizations.
	Rules category.Rules
	// Version is the user state's version.
	Version int64
}

// Txn is a recent transaction as the tools show it.
type Txn struct {
	Merchant    string    `json:"merchant"`
	Category    string    `json:"category"`
	AmountMinor int64     `json:"amount_minor"`
	Currency    string    `json:"currency"`
	PostedAt    time.Time `json:"posted_at"`
}

func (f *Facts) budget(cat string) (budget.View, bool) {
	for _, b := range f.Budgets {
		if b.Category == cat {
			return b, true
		}
	}
	return budget.View{}, false
}

// spent is the spend on cat in p (in the first currency with spend).
func (f *Facts) spent(cat string, p Period) (int64, string) {
	for _, s := range f.Spending[p] {
		if s.Category == cat {
			return s.SpentMinor, s.Currency
		}
	}
	return 0, ""
}
