// Package notify turns what happened — personal budget alerts, shared
// budget updates that crossed a threshold, goal milestones and
// high-severity insights — into per-recipient notifications with English
// and Thai texts and amounts formatted for their currency (฿1,500.00).
//
// The From* functions are pure: each returns candidates addressed to their
// recipients, role-aware for shared budgets. A candidate's id is its source
// event's id plus the recipient, so a redelivered source yields the same
// id. State, kept per recipient, admits a candidate once (de-duplication by
// id) and only when the recipient has not opted out of its kind, and puts
// its title and body in the recipient's language. Its memory is bounded:
// hashes of the last MaxSeen ids and of the last MaxResend (input record,
// id) pairs, encoded by Codec in a compact binary form.
//
// The package does not import goka; processors wires it.
package notify
