package cdc

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/linkedin/goavro/v2"
)

// Format is a record format Debezium's Kafka Connect converters produce.
type Format string

// Formats the Encoder writes and the Decoder reads.
const (
	// FormatJSON is JsonConverter with schemas.enable=false: the bare envelope.
	FormatJSON Format = "json"
	// FormatJSONSchema is JsonConverter with schemas.enable=true:
	// {"schema": <Connect schema>, "payload": <envelope>}.
	FormatJSONSchema Format = "json-schema"
	// FormatAvro is Confluent's AvroConverter: magic byte 0, the 4-byte
	// registry id of the writer schema, the Avro binary datum.
	FormatAvro Format = "avro"
)

// SchemaRegistrar registers a schema under a subject and returns its
// registry id (the existing id when the schema is already registered).
type SchemaRegistrar interface {
	Register(ctx context.Context, subject, schema string) (int, error)
}

// Source block constants of the simulated connector.
const (
	debeziumVersion = "3.0.1.Final"
	sourceDatabase  = "corebanking"
)

// Encoder writes change events of one table as the Debezium Postgres
// connector (3.0, pgoutput) would, for the simulator and tests. It is safe
// for concurrent use.
//
// Timestamps are written as io.debezium.time.ZonedTimestamp strings at
// microsecond precision. Debezium's processing timestamps (the envelope's
// ts_ms/ts_us/ts_ns) are taken from Position.TsMs, not from a clock, so the
// output is deterministic; source.txId, which Position does not carry, is
// derived from the LSN. Optional columns that are "" (or an mcc of 0) are
// written as null. A delete is one event; Debezium's tombstone that follows
// it is the key with a nil value, which callers produce themselves.
type Encoder struct {
	format Format
	table  table

	keySchema, valueSchema json.RawMessage // FormatJSONSchema: the schema blocks

	keyCodec, valueCodec *goavro.Codec // FormatAvro
	keyID, valueID       int
}

// NewEncoder returns an Encoder of format f for topic, which must be a
// Debezium topic <prefix>.<schema>.<table> of the transactions or accounts
// table (core.public.transactions, core.public.accounts). For FormatAvro it
// registers the key and value schemas under the subjects <topic>-key and
// <topic>-value of reg (TopicNameStrategy); reg is unused otherwise.
func NewEncoder(ctx context.Context, f Format, reg SchemaRegistrar, topic string) (*Encoder, error) {
	t, err := tableFor(topic)
	if err != nil {
		return nil, fmt.Errorf("new encoder: %w", err)
	}
	e := &Encoder{format: f, table: t}
	switch f {
	case FormatJSON:
	case FormatJSONSchema:
		if e.keySchema, err = json.Marshal(t.connectKey()); err != nil {
			return nil, fmt.Errorf("new encoder: key schema: %w", err)
		}
		if e.valueSchema, err = json.Marshal(t.connectValue()); err != nil {
			return nil, fmt.Errorf("new encoder: value schema: %w", err)
		}
	case FormatAvro:
		if reg == nil {
			return nil, errors.New("new encoder: avro needs a schema registrar")
		}
		if e.keyCodec, e.keyID, err = register(ctx, reg, topic+"-key", t.avroKey()); err != nil {
			return nil, fmt.Errorf("new encoder: %w", err)
		}
		if e.valueCodec, e.valueID, err = register(ctx, reg, topic+"-value", t.avroValue()); err != nil {
			return nil, fmt.Errorf("new encoder: %w", err)
		}
	default:
		return nil, fmt.Errorf("new encoder: unknown format %q", f)
	}
	return e, nil
}

func register(ctx context.Context, reg SchemaRegistrar, subject string, schema avroRecordSchema) (*goavro.Codec, int, error) {
	text, err := json.Marshal(schema)
	if err != nil {
		return nil, 0, fmt.Errorf("subject %s: %w", subject, err)
	}
	codec, err := goavro.NewCodec(string(text))
	if err != nil {
		return nil, 0, fmt.Errorf("subject %s: compile: %w", subject, err)
	}
	id, err := reg.Register(ctx, subject, string(text))
	if err != nil {
		return nil, 0, fmt.Errorf("register subject %s: %w", subject, err)
	}
	return codec, id, nil
}

// EncodeTxn encodes a change of a transactions row. c and r take only
// after, u takes after and optionally before (REPLICA IDENTITY FULL), d takes
// only before (a before with only ID set is the REPLICA IDENTITY DEFAULT
// image). The key is {"id": ...} in the Encoder's format.
func (e *Encoder) EncodeTxn(op Op, before, after *Txn, pos Position) (key, value []byte, err error) {
	if e.table.name != "transactions" {
		return nil, nil, fmt.Errorf("encode txn: encoder is for topic %s", e.table.topic)
	}
	var b, a []any
	if before != nil {
		b = txnValues(before)
	}
	if after != nil {
		a = txnValues(after)
	}
	return e.encode(op, b, a, pos)
}

// EncodeAccount encodes a change of an accounts row, as EncodeTxn does.
func (e *Encoder) EncodeAccount(op Op, before, after *Account, pos Position) (key, value []byte, err error) {
	if e.table.name != "accounts" {
		return nil, nil, fmt.Errorf("encode account: encoder is for topic %s", e.table.topic)
	}
	var b, a []any
	if before != nil {
		b = accountValues(before)
	}
	if after != nil {
		a = accountValues(after)
	}
	return e.encode(op, b, a, pos)
}

// txnValues returns a row's column values in txnColumns order, typed as
// the columns' Connect types (string, int64, int32), nil for null.
func txnValues(t *Txn) []any {
	return []any{t.ID, t.AccountID, optional(t.UserID), t.Direction, t.Type, t.Status, t.AmountMinor,
		t.Currency, optional(t.MerchantName), optional(t.MerchantID), optionalInt32(t.MCC),
		optional(t.Channel), optional(t.BudgetID), formatZoned(t.PostedAt), formatZoned(t.UpdatedAt)}
}

// accountValues returns a row's column values in accountColumns order.
func accountValues(a *Account) []any {
	return []any{a.ID, a.UserID, a.Type, a.Currency, a.Status, optional(a.GoalID)}
}

func optional(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func optionalInt32(n int) any {
	if n == 0 {
		return nil
	}
	return int32(n)
}

func (e *Encoder) encode(op Op, before, after []any, pos Position) (key, value []byte, err error) {
	var keyRow []any
	switch op {
	case OpCreate, OpSnapshot:
		if after == nil || before != nil {
			return nil, nil, fmt.Errorf("encode: op %s takes an after image only", op)
		}
		keyRow = after
	case OpUpdate:
		if after == nil {
			return nil, nil, fmt.Errorf("encode: op u needs an after image")
		}
		keyRow = after
	case OpDelete:
		if before == nil || after != nil {
			return nil, nil, fmt.Errorf("encode: op d takes a before image only")
		}
		keyRow = before
	default:
		return nil, nil, fmt.Errorf("encode: unknown op %q", op)
	}
	src := e.sourceValues(op, pos)
	switch e.format {
	case FormatAvro:
		return e.encodeAvro(op, before, after, keyRow[:1], src, pos)
	default:
		return e.encodeJSON(op, before, after, keyRow[:1], src, pos)
	}
}

// sourceValues returns the source block in sourceColumns order.
func (e *Encoder) sourceValues(op Op, pos Position) []any {
	lsn := strconv.FormatInt(pos.LSN, 10)
	snapshot, sequence := "false", `["`+lsn+`","`+lsn+`"]`
	if op == OpSnapshot {
		snapshot, sequence = "true", `[null,"`+lsn+`"]`
	}
	var lsnValue any
	if pos.LSN != 0 {
		lsnValue = pos.LSN
	}
	return []any{debeziumVersion, "postgresql", e.table.server, pos.TsMs, snapshot, sourceDatabase,
		sequence, pos.TsMs * 1_000, pos.TsMs * 1_000_000, e.table.schema, e.table.name,
		pos.LSN/64 + 1, lsnValue, nil}
}

func (e *Encoder) encodeJSON(op Op, before, after, keyRow []any, src []any, pos Position) (key, value []byte, err error) {
	env := jsonObject{
		{"before", rowObject(e.table.columns, before)},
		{"after", rowObject(e.table.columns, after)},
		{"source", rowObject(sourceColumns, src)},
		{"transaction", nil},
		{"op", string(op)},
		{"ts_ms", pos.TsMs},
		{"ts_us", pos.TsMs * 1_000},
		{"ts_ns", pos.TsMs * 1_000_000},
	}
	keyObj := rowObject(e.table.columns[:1], keyRow)
	if e.format == FormatJSONSchema {
		return appendJSON(nil, jsonObject{{"schema", e.keySchema}, {"payload", keyObj}}),
			appendJSON(nil, jsonObject{{"schema", e.valueSchema}, {"payload", env}}), nil
	}
	return appendJSON(nil, keyObj), appendJSON(nil, env), nil
}

func (e *Encoder) encodeAvro(op Op, before, after, keyRow []any, src []any, pos Position) (key, value []byte, err error) {
	rowType := e.table.ns + ".Value"
	env := map[string]any{
		"before":      avroUnion(rowType, avroRecord(e.table.columns, before)),
		"after":       avroUnion(rowType, avroRecord(e.table.columns, after)),
		"source":      avroRecord(sourceColumns, src),
		"transaction": nil,
		"op":          string(op),
		"ts_ms":       goavro.Union("long", pos.TsMs),
		"ts_us":       goavro.Union("long", pos.TsMs*1_000),
		"ts_ns":       goavro.Union("long", pos.TsMs*1_000_000),
	}
	if key, err = frame(e.keyCodec, e.keyID, avroRecord(e.table.columns[:1], keyRow)); err != nil {
		return nil, nil, fmt.Errorf("encode avro key: %w", err)
	}
	if value, err = frame(e.valueCodec, e.valueID, env); err != nil {
		return nil, nil, fmt.Errorf("encode avro value: %w", err)
	}
	return key, value, nil
}

// frame writes datum in Confluent framing: 0, id (4 bytes big-endian), body.
func frame(codec *goavro.Codec, id int, datum any) ([]byte, error) {
	buf := make([]byte, 5, 256)
	binary.BigEndian.PutUint32(buf[1:5], uint32(id))
	return codec.BinaryFromNative(buf, datum)
}

// avroRecord is a record's goavro native form; optional columns become
// unions. nil values yields nil (a null union branch).
func avroRecord(cols []column, values []any) any {
	if values == nil {
		return nil
	}
	m := make(map[string]any, len(cols))
	for i, c := range cols {
		v := values[i]
		if c.optional && v != nil {
			v = goavro.Union(avroPrimitive(c.kind), v)
		}
		m[c.name] = v
	}
	return m
}

func avroUnion(name string, v any) any {
	if v == nil {
		return nil
	}
	return goavro.Union(name, v)
}

// rowObject pairs column names with values; nil values yields JSON null.
func rowObject(cols []column, values []any) any {
	if values == nil {
		return nil
	}
	obj := make(jsonObject, len(cols))
	for i, c := range cols {
		obj[i] = jsonMember{c.name, values[i]}
	}
	return obj
}
