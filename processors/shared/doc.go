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
// The transaction stage (finstream-txns, keyed by transaction id) routes
// each change of a transaction to the shared budgets it may count for, from
// the user's memberships as its lookup of the user's state shows them: a
// spend tagged with a budget's id to that budget, whatever the user's role;
// an untagged spend to every budget whose category and currency it has that
// the user spends in. The stage remembers where each change went and sends
// event.SharedSpend records with the facts now and, to a budget the change
// before went to, the facts then. Budget.ApplySpend decides what each counts
// (evaluate: tagged with this budget, or untagged and in its category, in
// its currency, by a user whose role at posted_at has spend right) and moves
// the totals by the difference; a tagged spend by a viewer, a
// non-participant or in another currency is shown as a refused update.
//
// # Exactly-once effect, in bounded state
//
// The budget remembers no transaction. Re-deciding the facts before gives
// what they counted because no role change ever starts at or before a
// transaction already applied: a term starts at the command's instant, or
// just after the latest posted_at applied (LatestPosted, at most a day past
// its CDC source time) when that is later. Each SharedSpend carries the stage
// input that made it (stream, partition, offset); the stage reads each input
// partition in order and all records of a budget reach one partition, so
// the budget keeps the highest offset applied per stage stream and
// partition (Marks, at most 16) and ignores a record at or below it:
// redeliveries never count twice. A redelivered record that fired alerts
// re-sends them with their ids (Fired, the last 4). Commands are remembered
// as hashes of their ids (the last 64): a redelivered command changes
// nothing and only re-sends the membership command it caused.
//
// # Membership changes
//
// A transaction counts by the role its user had at its posted_at: a new
// member's transactions count from the moment they joined; after removal (or
// a change to viewer) their new transactions stop counting while what they
// spent before stays in the total. A membership change re-evaluates nothing
// (nothing remembers the transactions here): a tagged spend applied before
// the membership command stays refused. Untagged spend in the budget's
// category reaches the budget once the member's own state knows the
// membership (milliseconds after the budget lists them).
//
// # Bounds
//
// At most 32 current participants and 64 members in all (former members,
// the longest gone first, are forgotten), the last 8 role changes of each;
// spend for the 13 months (or 10 ISO weeks) up to the latest CDC source
// time, per-participant spend for the last 3 periods.
//
// Periods are calendar months or ISO weeks in the budget's zone (default
// Asia/Bangkok). Thresholds fire once per upward crossing within a period;
// each crossing alerts every current participant (one event.Alert per
// recipient, keyed by their user id, with an AlertID of the budget, period,
// threshold, n-th crossing and recipient: see AlertID), so
// notifications can be worded by the recipient's role.
package shared
