// Package goal keeps a user's savings goals: the target, what is saved (the
// net of POSTED CREDITs into the goal's account and DEBITs out of it),
// milestones 25/50/75/100 % announced once each, a projected completion
// date from the recent contribution rate and whether that is on track for
// the target date.
//
// State is per user (the goals group's table, keyed by user_id) and holds
// the goals the user owns. A goal's account is the account_id of its PUT,
// else the user's GOAL account whose row carries the goal's id. Movements
// are applied exactly once by transaction id and CDC position: a
// duplicate, a replay or a stale redelivery changes nothing, a newer change
// (reversal, amount change, delete) applies the difference.
//
// Shared goals: the owner adds participants with roles (contributor,
// viewer). A movement into the account whose row names a participant as its
// user is attributed to that participant. Because transactions are keyed by
// their row's user, such a movement reaches the participant's state first;
// the participant's state knows the goal's account from a Membership the
// owner forwarded and forwards the movement to the owner (Forward, a goka
// loopback). Every change is addressed to every participant: one GoalEvent
// per recipient.
//
// The package does not import goka; processors wires it.
package goal
