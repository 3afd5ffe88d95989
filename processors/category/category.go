package category

import "slices"

// Category slugs. A transaction carries exactly one of them.
const (
	Groceries     = "groceries"
	Dining        = "dining"
	Transport     = "transport"
	Shopping      = "shopping"
	Bills         = "bills"
	Entertainment = "entertainment"
	Health        = "health"
	Travel        = "travel"
	Education     = "education"
	Subscriptions = "subscriptions"
	Transfers     = "transfers"
	Cash          = "cash"
	Fees          = "fees"
	Income        = "income"
	Other         = "other"
)

// slugs lists every slug in the documented order. Read-only.
var slugs = [...]string{
	Groceries, Dining, Transport, Shopping, Bills, Entertainment, Health, Travel,
	Education, Subscriptions, Transfers, Cash, Fees, Income, Other,
}

// All returns every slug in the documented order (groceries … other).
// The caller owns the returned slice.
func All() []string { return slices.Clone(slugs[:]) }

// Valid reports whether slug is one of the category slugs. It is case-sensitive:
// slugs are lower-case.
func Valid(slug string) bool {
	for _, s := range slugs {
		if s == slug {
			return true
		}
	}
	return false
}

// Source says which evidence decided a Result.
type Source string

// Sources, strongest first.
const (
	// SourceUserRule: the user's own correction for this merchant.
	SourceUserRule Source = "user_rule"
	// SourceMCC: the ISO 18245 merchant category code.
	SourceMCC Source = "mcc"
	// SourceMerchant: a keyword rule on the normalized merchant name.
	SourceMerchant Source = "merchant"
	// SourceFallback: nothing about the merchant was known. The category then comes
	// from the transaction type (fees, income, cash, transfers, bills) or is Other.
	SourceFallback Source = "fallback"
)

// Input is what Categorize looks at. It mirrors the fields of a core-banking
// transaction row; the zero value of each field means "unknown".
type Input struct {
	// MCC is the ISO 18245 merchant category code; 0 (or anything outside
	// 1..9999) means none.
	MCC int
	// MerchantName is the name as the acquirer sent it, in any case and with any
	// punctuation, branch or store numbers.
	MerchantName string
	// MerchantID is the acquirer's merchant id, "" when absent.
	MerchantID string
	// Direction is DEBIT or CREDIT (compared case-insensitively).
	Direction string
	// Type is PURCHASE, TRANSFER, REFUND, FEE, INTEREST, DEPOSIT, WITHDRAWAL or
	// BILL_PAYMENT (compared case-insensitively).
	Type string
}

// Result is the category of one transaction with the evidence behind it.
type Result struct {
	// Category is always a valid slug.
	Category string `json:"category"`
	// Confidence is in (0, 1]: 1 for a user rule, the MCC's specificity for an MCC,
	// about 0.7 for a brand keyword and 0.5 for a generic word, 0.2 for the final
	// fallback.
	Confidence float64 `json:"confidence"`
	// Source says which evidence decided Category.
	Source Source `json:"source"`
	// Detailed is the detailed category, a code of the taxonomy under
	// Category (see Taxonomy): from the MCC or the merchant keyword that
	// decided, else Generic(Category) — always so for a user rule.
	Detailed string `json:"detailed_category"`
}

// Level returns the confidence level of the result (LevelOf(Confidence)).
func (r Result) Level() Level { return LevelOf(r.Confidence) }

// Rules are a user's own corrections: MerchantKey → category slug. A rule whose
// slug is not Valid is ignored. Categorize only reads the map.
type Rules map[string]string
