// Package budget is the per-user state machine of finstream: it counts every
// transaction's spend into period buckets (calendar months and ISO weeks in
// the user's time zone) per category and currency, keeps the user's budgets
// and categorization rules, and reports what each input changed as Effects
// (categorized transactions, budget updates, threshold alerts).
//
// Exactly-once effect: State remembers, per transaction id, the CDC position
// last applied and what the transaction counted. A change at or before that
// position (a duplicate, a replay, an out-of-order redelivery) changes
// nothing; a newer change moves every bucket by exactly the difference. So
// REVERSED, FAILED, deletes and amount changes undo what they must, and a
// replay of all CDC into a fresh state reproduces the same state.
//
// Alerts fire when spend crosses a threshold upward: usage before the change
// below it, after the change at or above it. Because duplicates change
// nothing, a replay never re-fires an alert. The package does not import
// goka; processors wires it.
package budget
