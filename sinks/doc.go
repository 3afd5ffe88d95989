// Package sinks keeps the query side of finstream in PostgreSQL: tables
// projected from the internal topics, for history and reporting (the API's
// GET /v1/me/transactions and friends read them through Reader).
//
// # Flow
//
// A Sink consumes its projections' topics in the consumer group
// finstream-sink (franz-go, manual commits). Each record is decoded (Avro,
// Confluent framing) by its topic's Projection, which adds rows to the
// batch in hand. A batch is due at BatchRows rows or BatchDelay after its
// first record (1,000 rows or 25 ms by default); a due batch is written by
// one of Writers goroutines in one database transaction: per table, COPY
// into a session-local staging table, then one INSERT ... SELECT ... ON
// CONFLICT into the table. Offsets are committed to Kafka in poll order,
// each batch's only after its transaction and those of every earlier batch
// have committed.
//
//	finstream.txn.categorized ─► transactions    (txn_id; latest version)
//	finstream.budget.updates  ─► budget_history  (budget_id, version; append-only, with attribution)
//	                          └► budgets         (budget_id; latest version: current state, participants)
//	finstream.budget.alerts   ─► budget_alerts   (alert_id; append-only)
//
// # Guarantees
//
// At-least-once delivery plus keyed writes give an exactly-once effect: a
// redelivered record (a crash between the database commit and the offset
// commit, a rebalance, a replay into a fresh group) writes nothing new,
// because current-state tables keep the greatest version of a key and
// append-only tables drop a key they hold. While Postgres is down, slow or
// restarting, a batch is retried with exponential backoff (RetryMin doubling
// to RetryMax), nothing more is consumed, the lag grows
// (finstream_sink_lag_records) and the sink catches up when Postgres answers
// again. A record that cannot be decoded, or whose rows Postgres rejects as
// invalid data (SQLSTATE classes 22 and 23, found by writing the batch
// record by record), goes to finstream.dlq with the processors' headers.
//
// # Schema
//
// Migrations are embedded (migrations/NNNN_name.sql), applied at start by
// Migrate in one transaction under an advisory lock and recorded in
// finstream_schema_migrations: safe to run twice and from several instances
// at once. Change the schema with a new migration, never by editing one.
//
// # Adding a projection
//
// A projection is one call of Project: a topic, a Decoder (an
// avro.NewCodec[T] for the topic's subject), its Tables and an add function
// turning one record into rows; plus a migration creating the tables. The
// topics finstream.insights, finstream.goal.events and
// finstream.notifications have no records yet, so they have neither
// projection nor tables: add them with their records.
package sinks
