package budget

import (
	"fmt"

	"finstream/processors/category"
)

// Backfill says which retained transactions to re-categorize, and how. It
// runs over the transaction stage's ledgers (one per transaction id, kept
// for RetentionMonths), never over the users' aggregates: every moved
// transaction is a by-user record carrying what it counted before and
// counts now, so the users state moves the spend between categories and
// evaluates its budgets' thresholds as for any change (each threshold
// fires at most once per period).
type Backfill struct {
	// UserID limits it to one user's transactions ("" for every user).
	UserID string `json:"user_id,omitempty"`
	// Merchant limits it to one merchant (category.MerchantKey; "" for
	// every merchant).
	Merchant string `json:"merchant,omitempty"`
	// Category, when set, moves every matching transaction there as the
	// user's own choice (the "all from this merchant" answer). Empty: each
	// is categorized again by the current MCC and merchant rules and the
	// user's own rules (after a change of the rules); a transaction the
	// user categorized themselves keeps that.
	Category string `json:"category,omitempty"`
}

// Validate checks the spec: a category move needs a user and a merchant.
func (b Backfill) Validate() error {
	switch {
	case b.Category != "" && !category.Valid(b.Category):
		return fmt.Errorf("%w: unknown category %q", ErrInvalid, b.Category)
	case b.Category != "" && (b.UserID == "" || b.Merchant == ""):
		return fmt.Errorf("%w: moving transactions to a category needs a user and a merchant", ErrInvalid)
	}
	return nil
}

// Backfill applies spec to the transaction with the user's rules r (r
// belongs to the ledger's user): it returns the by-user record of the
// move, or nothing when the transaction does not match or is already
// where spec puts it. Idempotent: the same spec again moves nothing.
func (l *Ledger) Backfill(spec Backfill, r Rules) Outcome {
	if !l.Known() {
		return Outcome{}
	}
	prev := l.Last()
	row := prev.Row
	switch {
	case prev.Deleted || prev.Category == "":
		return Outcome{}
	case spec.UserID != "" && row.UserID != spec.UserID:
		return Outcome{}
	case spec.Merchant != "" && category.MerchantKey(row.MerchantID, row.MerchantName) != spec.Merchant:
		return Outcome{}
	}
	res := category.Result{Category: spec.Category, Source: category.SourceUserRule, Confidence: 1}
	if spec.Category == "" {
		if prev.Source == string(category.SourceUserRule) {
			return Outcome{} // the user's own choice stays
		}
		res = category.Categorize(category.Input{MCC: row.MCC, MerchantName: row.MerchantName, MerchantID: row.MerchantID,
			Direction: row.Direction, Type: row.Type}, r.Rules)
	}
	if res.Category == prev.Category && string(res.Source) == prev.Source && category.DetailedFor(res.Category, res.Detailed) == prev.Detailed {
		return Outcome{}
	}
	return l.move(res, Input{}, r)
}
