// Package goal keeps a user's savings goals: the target, what is saved (the
// net of POSTED CREDITs into the goal's account and DEBITs out of it),
// milestones 25/50/75/100 % announced once each, a projected completion
// date from the recent contribution rate and whether that is on track for
// the target date.
//
// State is per user (the goals group's table, keyed by user_id) and holds
// the goals the user owns. A goal's account is the account_id of its PUT,
// else the user's GOAL account whose row carries the goal's id. A goal
// holds aggregates only (saved totals per participant, milestones
// announced, net contributions of the last RateWindowDays dates); no value
// grows with the user's transactions. A change of a transaction moves the
// goal by the difference between the row it replaces (Prev, sent by the
// transaction stage) and the new row; a re-sent (transaction id, seq)
// among the last MaxRecent movements changes nothing and repeats its events
// with the same ids. Records from before the stage (Seq 0) are identified
// by CDC position, with the difference taken from the same bounded window.
// Codec encodes the state in a compact binary form.
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
