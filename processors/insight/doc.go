// Package insight computes a user's spending insights, deterministically,
// from two streams: categorized transactions (event.Categorized, applied by
// State.ApplyCategorized) and personal budget updates (event.BudgetUpdate,
// State.ApplyBudget). Each Apply returns the insights that changed; an input
// that changes nothing returns none, so a duplicate or a replay emits nothing.
//
// Kinds and the stream each comes from:
//
//   - budget_usage, remaining, runway: from budget updates, which carry the
//     budget's limit, spend and period; "today" is the update's event time.
//   - spike: the category's spend this month through its latest day vs. the
//     average of the previous three months through the same day.
//   - unusual_transaction: an amount far above the user's usual at that
//     merchant or in that category (median and MAD, MinHistory first).
//   - recurring: the same merchant at a similar amount on a weekly or
//     monthly cadence, MinOccurrences times: a subscription and its next date.
//
// Memory is bounded by constants, never by the user's history (see the
// constants in state.go): daily spend curves for the latest month and the
// HorizonMonths before it, the last HistoryLen amounts per category and
// MerchantLen per merchant (MaxMerchants merchants, the least regular
// forgotten first) for median/MAD and recurring detection, the last
// MaxRecent transactions with their version and what each counted (the
// duplicate guard by (txn id, version) and the difference of a change),
// the last version of each personal budget, and MaxInsights insights kept
// without their texts (rendered from their facts). Codec encodes the state
// in a compact binary form.
//
// Each insight has a stable id (user|kind|subject|period), a severity, an
// English and a Thai text, its numbers in Data (minor units, basis points,
// days) and the event time of what caused it, never the wall clock. The
// package does not import goka; processors wires it.
package insight
