// Package processors wires finstream's goka groups. The domain logic lives
// in plain packages beside it (cdc, category, period, budget, accountjoin,
// shared, insight, goal, notify) that do not import goka, so the topology
// can change by measurement.
//
// The topic graph (key of each topic in brackets; [t] = the group's table,
// compacted, "<group>-table"; ⟲ = the group's loopback topic):
//
//	core.public.transactions ──► finstream-rekey-transactions ─┬─► finstream.txn.by-id [txn id]
//	  (Debezium, any partitioner)   (stateless, murmur2 re-key)  ├─► finstream.txn.by-account [account_id]
//	                                                              └─► finstream.dlq (bad records)
//	core.public.accounts ─────► finstream-rekey-accounts ────────► finstream.accounts.by-id [account_id]
//
//	finstream.accounts.by-id ─┐
//	finstream.txn.by-account ─┴─► finstream-accounts [t] ───────► finstream.txn.by-id
//	                               (transactions wait for their account)
//
//	finstream.txn.by-id ───────┐
//	finstream.commands.txn ────┴─► finstream-txns [t] ─────────┬─► finstream.txn.by-user [user_id]
//	  (API: recategorize)          (per-transaction memory;     │   (counted before / counts now)
//	                                looks up users' rules,      ├─► finstream.shared.spend [budget_id]
//	                                zone and memberships)       │   (offered before / offers now)
//	                                                            └─► finstream.dlq (late, unroutable)
//	  visitor "backfill" (Backfill: VisitAll over the ledgers) ──► finstream.txn.by-user (moves)
//
//	finstream.txn.by-user ─────┐
//	finstream.commands.user ───┴─► finstream-users [t] ─┬─► finstream.txn.categorized [user_id]
//	  (API: budgets, recategorize,  (hot path: spend     ├─► finstream.budget.updates [budget_id]
//	   memberships from shared,      buckets, budgets,   ├─► finstream.budget.alerts [user_id]
//	   digest from notifications)    alerts, memberships)└─► finstream-notifications-loop (digests)
//	  visitor "tick" (RunTicks: VisitAll every --tick) ──► period-start updates, daily digests
//
//	finstream.commands.shared ─┐
//	finstream.shared.spend ────┴─► finstream-shared [t] ┬─► finstream.budget.updates (shared, with participants)
//	                                                     ├─► finstream.budget.alerts (one per participant)
//	                                                     └─► finstream.commands.user (memberships)
//
//	finstream.txn.categorized ┐   (each carries the personal budget updates of its change)
//	finstream.budget.updates ─┼─► finstream-insights [t] ⟲ ──► finstream.insights [user_id]
//	finstream.commands.user ──┘   (only updates no categorized record carried take the ⟲)
//
//	finstream.txn.by-user ────┐
//	finstream.accounts.by-id ─┼─► finstream-goals [t] ⟲ ─────► finstream.goal.events [user_id]
//	finstream.commands.goals ─┤
//	finstream.commands.user ──┘
//
//	finstream.budget.alerts ──┐
//	finstream.budget.updates ─┼─► finstream-notifications [t] ⟲ ► finstream.notifications [user_id]
//	finstream.goal.events ────┤
//	finstream.insights ───────┤
//	finstream.commands.notify ┘                              └─► finstream.commands.user (digest on/off)
//
//	finstream.budget.alerts ────► finstream-alerts [t] (the user's last 20 alerts, for GET /v1/me/alerts/{id})
//
//	finstream.assistant.audit ──► finstream-assistant [t] (the co-pilot's memory, read by the API)
//
// Outside this package: the API writes finstream.assistant.audit; the
// WebSocket fanout tails finstream.budget.updates, .notifications,
// .insights, .goal.events and .assistant.audit (no consumer group); the
// Postgres sink (group finstream-sink) and the push gateway (group
// finstream-push) consume their topics with offsets committed after the
// write. Every internal key uses Kafka's murmur2 (topics.Hasher).
//
// Exactly-once effect on every table: the transaction stage remembers, per
// transaction, the CDC position it applied (duplicates, replays and stale
// redeliveries change nothing) and stamps each record with the stage input
// that made it; the users and shared groups keep, per stage stream and
// partition, the highest input offset they applied (for the users group,
// per user) and so recognise every record sent again.
package processors
