// Package shared is the state machine of a shared (household) budget: its
// settings, its participants with their roles over time, what each
// transaction counts for it, and its spend per period and per participant.
// It does not import goka; processors wires it as the finstream-shared group
// keyed by budget id.
//
// # Flow
//
// Commands from the API (Create, Budget.Apply) create the budget, add,
// re-role and remove members and change the limit. Each is authorized
// against the state (Budget.Check: only an owner manages; a member may leave;
// the last owner can neither leave nor be demoted) and, once applied, yields
// a BudgetUpdate listing the participants and a membership command
// (event.CmdSetMembership / CmdRemoveMembership) for the member concerned,
// which teaches the member's user state to route spending here.
//
// The user's processor sends the facts of each of its transactions that may
// count here (event.SharedSpend: amount, currency, category, budget tag,
// posted_at). Budget.ApplySpend decides: a transaction counts when it is
// tagged with this budget, or untagged and in the budget's category, in the
// budget's currency, and its user had a role with spend right (owner,
// contributor) at the transaction's posted_at. A tagged spend by a viewer,
// a non-participant, or in another currency is recorded as refused (an
// update with Refused and RefusedReason) and not counted.
//
// # Exactly-once effect
//
// The budget remembers per transaction id the last SharedSpend.Seq applied
// and what the transaction counted (amount and period). A record with a Seq
// at or below it changes nothing; a newer one moves the totals by exactly
// the difference, so reversals, deletes and amount changes undo what they
// must and redeliveries never count twice. Commands are remembered by id (the
// last 64): a redelivered command changes nothing and only re-sends the
// membership command it caused (idempotent at the receiver).
//
// # Membership changes and existing transactions
//
// Roles are kept as a history of terms (role from an instant on). A
// transaction counts by the role its user had at its posted_at: a new
// member's transactions count from the moment they joined; after removal
// (or a change to viewer) their new transactions stop counting while what
// they spent before stays in the total (and is no longer listed among the
// participants). A membership change re-evaluates that user's transactions
// already known here, so the result does not depend on whether a
// transaction or the membership command arrived first.
//
// Periods are calendar months or ISO weeks in the budget's zone (default
// Asia/Bangkok). Thresholds fire once per upward crossing within a period;
// each crossing alerts every current participant (one event.Alert per
// recipient, keyed by their user id, with a deterministic AlertID), so
// notifications can be worded by the recipient's role.
package shared
