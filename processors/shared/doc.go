// Package shared is the state machine of a shared (household) budget: its
// settings, its participants and their roles, and its spend per period and
// per participant.
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
// The transaction stage (finstream-txns, keyed by transaction id) decides
// what each change of a transaction offers shared budgets, from the user's
// memberships as its lookup of the user's state shows them (see budget.SharedSpends):
// a spend tagged with a budget's id goes to that budget, refused unless the
// user is a member with spend right, in its currency, posted during the
// membership; an untagged spend goes to every budget whose category and
// currency it has that the user spends in. The stage remembers the decision
// with the transaction and sends event.SharedSpend records carrying what the
// transaction offered before the change and offers now. Budget.ApplySpend
// moves the totals by exactly the difference, and shows a newly refused
// tagged spend as an update with Refused and RefusedReason.
//
// # Exactly-once effect, in bounded state
//
// The budget remembers no transaction. Each SharedSpend carries the stage
// input that made it (stream, partition, offset); the stage reads each input
// partition in order and all records of a budget reach one partition, so the
// budget keeps the highest offset applied per stage stream and partition
// (Marks, at most 16) and ignores a record at or below it: redeliveries
// never count twice. A redelivered record that fired alerts re-sends them
// with their ids (Fired, the last 4). Commands are remembered as hashes of
// their ids (the last 64): a redelivered command changes nothing and only
// re-sends the membership command it caused (idempotent at the receiver).
//
// # Membership changes
//
// A membership counts the member's transactions the stage applies once the
// member's own state knows it (milliseconds after the budget lists them),
// posted since it began; a removal stops new ones at once, and changes of
// transactions counted before still move the totals. A membership change
// does not re-evaluate transactions already decided (nothing remembers
// them here): a transaction applied in the instant between the budget's
// change and the member's state learning it keeps the decision taken.
//
// # Bounds
//
// At most 32 current participants and 64 members in all (former members,
// the longest gone first, are forgotten); spend for the 13 months (or 10
// ISO weeks) up to the latest CDC source time, per-participant spend for
// the last 3 periods.
//
// Periods are calendar months or ISO weeks in the budget's zone (default
// Asia/Bangkok). Thresholds fire once per upward crossing within a period;
// each crossing alerts every current participant (one event.Alert per
// recipient, keyed by their user id, with a deterministic AlertID), so
// notifications can be worded by the recipient's role.
package shared
