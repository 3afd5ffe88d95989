// Package cdc decodes and validates the change events core banking's
// Postgres streams into Kafka through the Debezium Postgres connector
// (topics core.public.transactions and core.public.accounts), and encodes
// such events for the simulator and tests. It has no Kafka or goka
// dependency: callers hand it record values and get typed, validated rows.
//
// # Envelope
//
// Every value is Debezium's envelope:
//
//	{"before": row|null, "after": row|null,
//	 "source": {"version":..., "connector":"postgresql", "name":"core", "ts_ms":...,
//	            "snapshot":"false", "db":..., "sequence":..., "schema":"public",
//	            "table":"transactions", "txId":..., "lsn":..., "xmin":null},
//	 "transaction": null, "op": "c"|"u"|"d"|"r", "ts_ms": ...}
//
// c (insert) and r (snapshot read) carry after; u carries after and, under
// REPLICA IDENTITY FULL, before; d carries before, which under REPLICA
// IDENTITY DEFAULT holds only the key (other columns null, empty or zero):
// the decoder then only requires id and validates the columns that are set.
// A change's Position is source.lsn and source.ts_ms (the envelope's ts_ms
// when the source has none).
//
// # Formats
//
// The decoder detects the format of each record from its first byte:
//
//   - 0x00: Confluent-framed Avro (AvroConverter): the 4-byte big-endian
//     registry id of the writer schema, then the Avro binary datum. The
//     writer schema is fetched from a SchemaSource once per id and its codec
//     cached. Optional columns are ["null", T] unions; Debezium's semantic
//     types travel as connect.name attributes (a timestamptz column is a
//     string with connect.name io.debezium.time.ZonedTimestamp).
//   - '{': JSON (JsonConverter). With schemas.enable=true the object is
//     {"schema": <Kafka Connect schema>, "payload": <envelope>}; with
//     schemas.enable=false it is the envelope itself. The decoder uses
//     payload when the object has both "schema" and "payload" keys.
//   - nothing (nil, empty, JSON null, or a payload of null): a tombstone,
//     reported as ErrTombstone for the caller to skip.
//
// # Field values
//
// amount_minor is a JSON number or numeric string (an Avro long, int or
// string) holding an integer in int64 range > 0; mcc likewise, 0..9999,
// absent or null meaning 0. posted_at and updated_at are ISO-8601 strings
// with a zone (RFC 3339 with or without fraction, Debezium's ZonedTimestamp
// such as "2026-11-22T10:15:30.123456Z") or epoch numbers: milliseconds,
// unless the writer schema (the JSON "schema" block or the Avro schema)
// names the column io.debezium.time.MicroTimestamp (microseconds) or
// NanoTimestamp (nanoseconds); Avro timestamp logical types are accepted
// too. updated_at defaults to posted_at. Nullable text columns (user_id,
// merchant_*, channel, budget_id, goal_id) decode null as "". Times are
// returned in UTC.
//
// # Errors
//
// A record that cannot be decoded or breaks the contract yields an *Error
// whose Reason (bad_json, bad_avro, unknown_schema, unknown_op,
// missing_field, bad_amount, unknown_currency, bad_time, bad_enum) is meant
// for DLQ headers and metric labels. A field of the wrong type or shape is
// bad_json or bad_avro according to the record's format.
//
// # Encoding
//
// Encoder writes what the connector (Debezium 3.0, pgoutput, topic prefix
// "core") writes for the tables below, in any of the three formats, with
// Debezium's schema names: <topic>.Key, <topic>.Value, <topic>.Envelope and
// io.debezium.connector.postgresql.Source. Avro schemas are registered
// under <topic>-key and <topic>-value.
//
//	transactions(id text PK, account_id text NOT NULL, user_id text,
//	  direction text NOT NULL, type text NOT NULL, status text NOT NULL,
//	  amount_minor bigint NOT NULL, currency char(3) NOT NULL,
//	  merchant_name text, merchant_id text, mcc integer, channel text,
//	  budget_id text, posted_at timestamptz NOT NULL, updated_at timestamptz NOT NULL)
//	accounts(id text PK, user_id text NOT NULL, type text NOT NULL,
//	  currency char(3) NOT NULL, status text NOT NULL, goal_id text)
package cdc
