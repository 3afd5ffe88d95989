// Package category is finstream's transaction categorizer: a pure, allocation-free
// function from a core-banking transaction (MCC, merchant name and id, direction,
// type) and the user's own corrections to one of fifteen category slugs, with a
// confidence and the source of the decision. It has no goka or Kafka dependency;
// the per-user processor calls Categorize inline, so categorizing costs no hop.
//
// # Flow
//
// Categorize normalizes the merchant name once (see MerchantKey) into a stack
// buffer and tries the evidence from strongest to weakest; the first that decides
// wins:
//
//  1. User rule. Rules maps MerchantKey(merchantID, merchantName) to a slug; it is
//     what a recategorization teaches. Looked up by merchant id and, when the id
//     has no rule, by normalized name. Confidence 1, source user_rule. A rule
//     always wins, including over the transaction type.
//  2. MCC. The ISO 18245 table (mcc_table_*.go) is a sorted slice of contiguous
//     ranges covering 0001–9999, searched by binary search. Each range has a slug
//     and a confidence reflecting how specific the code is: 5411 grocery stores
//     0.95, 5499 convenience stores 0.85, 5999 miscellaneous retail 0.5, codes no
//     network assigns 0.2–0.4. Source mcc.
//  3. Transaction type, when the MCC says nothing about a merchant (no MCC, a code
//     mapping to other, or a money-movement code mapping to cash or transfers):
//     FEE → fees, INTEREST on CREDIT → income, INTEREST on DEBIT → fees,
//     DEPOSIT on CREDIT → income, WITHDRAWAL → cash, TRANSFER → transfers.
//     Source fallback (the contract has no "type" source), or mcc when a
//     money-movement code agrees. An ATM fee booked under MCC 6011 is thus fees.
//  4. A money-movement MCC the type did not override (a PURCHASE at 6011 is cash).
//  5. Merchant name. Keyword rules (merchant_rules.go) on whole words of the
//     normalized name: Thai and international chains at 0.7 ("tesco lotus",
//     "grab", "grab food", "bumrungrad"), generic words at 0.5 ("hospital",
//     "restaurant"). The leftmost match wins, and at one word the longest, since
//     names put the brand before the location ("tops central world" is groceries).
//     Source merchant.
//  6. BILL_PAYMENT to a payee no keyword knows → bills at 0.5, source fallback.
//  7. An MCC mapping to other (7399 business services): other with that code's
//     confidence, source mcc.
//  8. Nothing: other at 0.2, source fallback.
//
// Precedence is strict: a broad MCC such as 5999 (0.5) still beats a brand
// keyword (0.7). Confidence describes the winning evidence; it does not reorder.
// PURCHASE and REFUND have no type rule: a refund lands in the category of what
// was bought, so it reduces that category's spend.
//
// # Two levels and confidence levels
//
// The slugs are the primary level; budgets and spend buckets use only them.
// Result.Detailed refines the primary with a code of the detailed level
// (taxonomy.go, about ninety codes with English and Thai names, modelled on
// Plaid's personal finance categories): from a finer MCC mapping
// (mcc_detailed.go: 5812 dining.restaurants, 5814 dining.fast_food, 4121
// transport.taxi_rideshare, 5541 transport.fuel), from the keyword group that
// matched (starbucks → dining.coffee), from the type rule (FEE → fees.bank),
// else the primary's generic code (Generic: dining.other). A user rule names
// only a primary, so it yields the generic code. LevelOf reads a confidence
// as high (≥ 0.9), medium (≥ 0.7) or low.
//
// # Data
//
// The MCC table and the keyword lists are package-level, read-only data, checked
// by tests: ranges sorted, contiguous and non-overlapping over 0001–9999, slugs
// valid, keywords normalized and unique. Everything here is safe for concurrent
// use.
package category
