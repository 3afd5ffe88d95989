package cdc

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
)

// SchemaSource fetches an Avro writer schema by its registry id, the id of
// the Confluent framing (magic byte 0, then the id as 4 bytes big-endian).
// A schema registry client satisfies it.
type SchemaSource interface {
	SchemaByID(ctx context.Context, id int) (string, error)
}

// Decoder decodes Debezium change events of core banking's transactions and
// accounts tables, in any of the formats doc.go lists, and validates them
// against the CDC contract. It is safe for concurrent use. Avro writer
// schemas are fetched once per id and their compiled codecs cached for the
// Decoder's life.
type Decoder struct {
	schemas SchemaSource

	mu      sync.RWMutex
	writers map[int]*avroWriter // by registry id; entries are never removed
}

// NewDecoder returns a Decoder that fetches Avro writer schemas from
// schemas. schemas may be nil: then JSON still decodes and Avro records are
// rejected with ReasonUnknownSchema.
func NewDecoder(schemas SchemaSource) *Decoder {
	return &Decoder{schemas: schemas, writers: make(map[int]*avroWriter)}
}

// DecodeTxn decodes and validates one record value of core.public.transactions.
//
// It returns ErrTombstone for an empty value, *Error when the record cannot
// be decoded or violates the contract (the record belongs in the DLQ), and
// the context's error when ctx ends while a writer schema is being fetched
// (not the record's fault). For a delete, Row is the before image; under
// REPLICA IDENTITY DEFAULT only Row.ID is certain to be set.
func (d *Decoder) DecodeTxn(ctx context.Context, value []byte) (TxnChange, error) {
	c, err := decodeChange(ctx, d, value, txnFromAvro)
	if err != nil {
		return TxnChange{}, err
	}
	op, row, partial, err := c.row()
	if err != nil {
		return TxnChange{}, err
	}
	units, err := c.timeUnits(row.numericTimes())
	if err != nil {
		return TxnChange{}, err
	}
	t, err := rowReader{shape: c.shape, partial: partial}.txn(row, units)
	if err != nil {
		return TxnChange{}, err
	}
	pos, err := position(c.shape, c.lsn, c.srcTs, c.envTs)
	if err != nil {
		return TxnChange{}, err
	}
	return TxnChange{Op: op, Row: t, Deleted: op == OpDelete, Pos: pos}, nil
}

// DecodeAccount decodes and validates one record value of
// core.public.accounts. Errors are as for DecodeTxn.
func (d *Decoder) DecodeAccount(ctx context.Context, value []byte) (AccountChange, error) {
	c, err := decodeChange(ctx, d, value, accountFromAvro)
	if err != nil {
		return AccountChange{}, err
	}
	op, row, partial, err := c.row()
	if err != nil {
		return AccountChange{}, err
	}
	a, err := rowReader{shape: c.shape, partial: partial}.account(row)
	if err != nil {
		return AccountChange{}, err
	}
	pos, err := position(c.shape, c.lsn, c.srcTs, c.envTs)
	if err != nil {
		return AccountChange{}, err
	}
	return AccountChange{Op: op, Row: a, Deleted: op == OpDelete, Pos: pos}, nil
}

// change is a decoded envelope whose row is not validated yet.
type change[R any] struct {
	op                scalar
	before, after     *R
	lsn, srcTs, envTs scalar
	shape             string          // bad_json or bad_avro
	connectSchema     json.RawMessage // JSON with schema: the value's Connect schema
	units             *timeUnits      // Avro: units from the writer schema
}

// row checks op and picks the row image it names: after for c/u/r, before
// (possibly only its key) for d.
func (c *change[R]) row() (op Op, row *R, partial bool, err error) {
	if op, err = checkOp(c.op); err != nil {
		return "", nil, false, err
	}
	if op == OpDelete {
		if c.before == nil {
			return "", nil, false, errorf(ReasonMissingField, "before", "op d needs a before image")
		}
		return op, c.before, true, nil
	}
	if c.after == nil {
		return "", nil, false, errorf(ReasonMissingField, "after", "op %s needs an after image", op)
	}
	return op, c.after, false, nil
}

// timeUnits returns the units of numeric timestamps: from the Avro writer
// schema, from the JSON Connect schema when a timestamp is numeric (parsed
// only then), else milliseconds.
func (c *change[R]) timeUnits(numeric bool) (timeUnits, error) {
	if c.units != nil {
		return *c.units, nil
	}
	if !numeric || len(c.connectSchema) == 0 {
		return timeUnits{}, nil
	}
	var s connectSchema
	if err := json.Unmarshal(c.connectSchema, &s); err != nil {
		return timeUnits{}, newError(ReasonBadJSON, "schema", err)
	}
	return s.rowTimeUnits(), nil
}

// decodeChange detects the format of value and decodes its envelope.
func decodeChange[R any, PR rowFields[R]](ctx context.Context, d *Decoder, value []byte, fromAvro func(map[string]any) *R) (change[R], error) {
	i := 0
	for i < len(value) && isJSONSpace(value[i]) {
		i++
	}
	if i == len(value) {
		return change[R]{}, ErrTombstone
	}
	if err := checkRecordSize(value); err != nil {
		return change[R]{}, err
	}
	switch value[i] {
	case 0:
		if i != 0 {
			return change[R]{}, errorf(ReasonBadJSON, "", "value starts with white space, then byte 0")
		}
		return decodeAvro(ctx, d, value, fromAvro)
	case '{':
		return decodeJSON[R, PR](value)
	case 'n':
		if isJSONNull(value[i:]) {
			return change[R]{}, ErrTombstone
		}
	}
	return change[R]{}, errorf(ReasonBadJSON, "", "value is neither a JSON object nor Confluent-framed Avro (first byte %#x)", value[i])
}

// position reads the change's position: source.lsn and source.ts_ms, the
// latter falling back to the envelope's ts_ms. Absent values are 0.
func position(shape string, lsn, srcTs, envTs scalar) (Position, error) {
	var p Position
	switch lsn.kind {
	case kindAbsent, kindNull:
	case kindInt:
		p.LSN = lsn.i
	default:
		return Position{}, errorf(shape, "source.lsn", "want an integer, got %s", lsn.describe())
	}
	ts, field := srcTs, "source.ts_ms"
	if !ts.present() {
		ts, field = envTs, "ts_ms"
	}
	switch ts.kind {
	case kindAbsent, kindNull:
	case kindInt:
		p.TsMs = ts.i
	default:
		return Position{}, errorf(shape, field, "want an integer, got %s", ts.describe())
	}
	return p, nil
}

// blank reports whether v is absent, null or the empty string.
func blank(v scalar) bool {
	return !v.present() || (v.kind == kindString && v.s == "")
}

// checkOp validates the envelope's op.
func checkOp(v scalar) (Op, error) {
	if blank(v) {
		return "", errorf(ReasonMissingField, "op", "op is %s", v.describe())
	}
	if v.kind == kindString {
		switch op := Op(v.s); op {
		case OpCreate, OpUpdate, OpDelete, OpSnapshot:
			return op, nil
		}
	}
	return "", newError(ReasonUnknownOp, "op", fmt.Errorf("op %s is not one of c, u, d, r", v.describe()))
}
