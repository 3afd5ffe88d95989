package category

import "strings"

const (
	userRuleConfidence    = 1.0
	billPaymentConfidence = 0.5
	fallbackConfidence    = 0.2
)

// typeRule maps a core-banking transaction type, optionally restricted to one
// direction, to a category.
type typeRule struct {
	Type       string
	Direction  string // "" matches either direction
	Slug       string
	Confidence float64
	Detailed   string // "" for the slug's generic code
}

// typeRules decide a transaction whose MCC says nothing about a merchant (no
// MCC, an MCC that maps to Other, or a money-movement MCC that maps to Cash or
// Transfers). They come before merchant-name keywords: the type is a fact
// recorded by core banking, a name match is a guess, and the counterparty of a
// transfer is often a person or a wallet whose name looks like a shop.
var typeRules = [...]typeRule{
	{"FEE", "", Fees, 0.95, "fees.bank"},                         // bank charges, also an ATM fee booked under MCC 6011
	{"INTEREST", "CREDIT", Income, 0.95, "income.interest"},      // interest earned
	{"INTEREST", "DEBIT", Fees, 0.9, "fees.interest"},            // interest charged on a loan or card
	{"DEPOSIT", "CREDIT", Income, 0.6, "income.deposits"},        // money arriving; may also be the user's own cash
	{"WITHDRAWAL", "", Cash, 0.9, ""},                            // cash out, at a counter or an ATM
	{"TRANSFER", "CREDIT", Transfers, 0.8, "transfers.incoming"}, // from anyone
	{"TRANSFER", "", Transfers, 0.8, "transfers.outgoing"},       // to anyone (or direction unknown)
}

// Categorize assigns one category to a transaction. It never fails: the result
// always carries a valid slug. The evidence is tried in this order; the first
// that decides wins:
//
//  1. the user's rule for MerchantKey(in.MerchantID, in.MerchantName), and when a
//     merchant id is set but has no rule, the rule for the normalized name
//     (confidence 1, SourceUserRule);
//  2. the MCC, when it names a kind of merchant (SourceMCC, confidence from the
//     ISO 18245 table);
//  3. the transaction type, see typeRules (SourceFallback; SourceMCC when a
//     money-movement MCC agrees with it);
//  4. a money-movement MCC mapping to Cash or Transfers (SourceMCC);
//  5. keyword rules on the normalized merchant name (SourceMerchant);
//  6. BILL_PAYMENT → Bills at 0.5 (SourceFallback): a payee the keywords did not
//     recognise is still a bill;
//  7. an MCC that maps to Other: Other with that code's confidence (SourceMCC);
//  8. Other at 0.2 (SourceFallback).
//
// Categorize is safe for concurrent use, only reads rules, and does not allocate
// while the normalized merchant name fits in 256 bytes.
func Categorize(in Input, rules Rules) Result {
	r := categorize(in, rules)
	r.Detailed = DetailedFor(r.Category, r.Detailed)
	return r
}

// categorize is Categorize with Detailed set only where the evidence names a
// detailed code.
func categorize(in Input, rules Rules) Result {
	var buf [256]byte
	name := appendNormalized(buf[:0], in.MerchantName)

	if slug, ok := userRule(in.MerchantID, name, rules); ok {
		return Result{Category: slug, Confidence: userRuleConfidence, Source: SourceUserRule}
	}
	mcc := lookupMCC(in.MCC)
	if mcc != nil && !mccSaysNothing(mcc.Slug) {
		return Result{Category: mcc.Slug, Confidence: mcc.Confidence, Source: SourceMCC, Detailed: mccDetailOf(in.MCC)}
	}
	if r := matchType(in.Type, in.Direction); r != nil {
		if mcc != nil && mcc.Slug == r.Slug { // e.g. WITHDRAWAL at MCC 6011: the code agrees
			return Result{Category: mcc.Slug, Confidence: mcc.Confidence, Source: SourceMCC, Detailed: mccDetailOf(in.MCC)}
		}
		return Result{Category: r.Slug, Confidence: r.Confidence, Source: SourceFallback, Detailed: r.Detailed}
	}
	if mcc != nil && mcc.Slug != Other {
		return Result{Category: mcc.Slug, Confidence: mcc.Confidence, Source: SourceMCC, Detailed: mccDetailOf(in.MCC)}
	}
	if m := matchMerchant(name); m != nil {
		return Result{Category: m.slug, Confidence: m.confidence, Source: SourceMerchant, Detailed: m.detailed}
	}
	if strings.EqualFold(in.Type, "BILL_PAYMENT") {
		return Result{Category: Bills, Confidence: billPaymentConfidence, Source: SourceFallback}
	}
	if mcc != nil {
		return Result{Category: Other, Confidence: mcc.Confidence, Source: SourceMCC}
	}
	return Result{Category: Other, Confidence: fallbackConfidence, Source: SourceFallback}
}

// mccSaysNothing reports whether an MCC mapping to slug leaves the decision to
// the transaction type: Other says nothing, and the money-movement codes (ATM,
// financial institutions, money transfer, stored value) name the channel rather
// than what the money was for.
func mccSaysNothing(slug string) bool {
	return slug == Other || slug == Cash || slug == Transfers
}

// userRule finds the user's rule by merchant id, then by normalized name.
func userRule(merchantID string, name []byte, rules Rules) (string, bool) {
	if len(rules) == 0 {
		return "", false
	}
	if id := strings.TrimSpace(merchantID); id != "" {
		if slug, ok := rules[id]; ok && Valid(slug) {
			return slug, true
		}
	}
	if len(name) > 0 {
		if slug, ok := rules[string(name)]; ok && Valid(slug) {
			return slug, true
		}
	}
	return "", false
}

// matchType returns the type rule for txnType and direction, or nil.
func matchType(txnType, direction string) *typeRule {
	if txnType == "" {
		return nil
	}
	for i := range typeRules {
		r := &typeRules[i]
		if strings.EqualFold(r.Type, txnType) && (r.Direction == "" || strings.EqualFold(r.Direction, direction)) {
			return r
		}
	}
	return nil
}
