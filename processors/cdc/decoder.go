package cdc

import (
	"context"
	"encoding/json"
	"errors"
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

// jsonEnvelope is Debezium's envelope (the payload) as read from JSON.
type jsonEnvelope[R any] struct {
	before, after         *R
	op, lsn, srcTs, envTs scalar
}

// decodeJSON reads a JSON record value: {"schema":..,"payload":envelope}
// (JsonConverter with schemas.enable=true) or the envelope itself.
func decodeJSON[R any, PR rowFields[R]](value []byte) (change[R], error) {
	r := &jsonReader{data: value}
	var env jsonEnvelope[R]
	var schema, payload []byte
	ok, err := r.enter()
	for ok && err == nil {
		var k []byte
		if k, err = r.key(); err != nil {
			break
		}
		switch string(k) {
		case "schema":
			schema, err = r.raw()
		case "payload":
			payload, err = r.raw()
		default:
			err = envelopeMember[R, PR](r, &env, k)
		}
		if err == nil {
			ok, err = r.more()
		}
	}
	if err == nil {
		err = r.end()
	}
	if err != nil {
		return change[R]{}, jsonError(err)
	}
	if schema != nil && payload != nil {
		if isJSONNull(payload) {
			return change[R]{}, ErrTombstone
		}
		env = jsonEnvelope[R]{}
		if err := readEnvelope[R, PR](&jsonReader{data: payload}, &env); err != nil {
			return change[R]{}, jsonError(err)
		}
	} else {
		schema = nil
	}
	return change[R]{
		op: env.op, before: env.before, after: env.after,
		lsn: env.lsn, srcTs: env.srcTs, envTs: env.envTs,
		shape: ReasonBadJSON, connectSchema: schema,
	}, nil
}

// raw checks and skips a value and returns its text.
func (r *jsonReader) raw() ([]byte, error) {
	r.space()
	start := r.pos
	if err := r.skip(0); err != nil {
		return nil, err
	}
	return r.data[start:r.pos], nil
}

// readEnvelope reads an envelope object.
func readEnvelope[R any, PR rowFields[R]](r *jsonReader, env *jsonEnvelope[R]) error {
	if r.peek() != '{' {
		return errorf(ReasonBadJSON, "payload", "payload is not an object")
	}
	ok, err := r.enter()
	for ok && err == nil {
		var k []byte
		if k, err = r.key(); err != nil {
			return err
		}
		if err = envelopeMember[R, PR](r, env, k); err != nil {
			return err
		}
		ok, err = r.more()
	}
	return err
}

// envelopeMember reads the value of the envelope member named k.
func envelopeMember[R any, PR rowFields[R]](r *jsonReader, env *jsonEnvelope[R], k []byte) (err error) {
	switch string(k) {
	case "before":
		env.before, err = readRow[R, PR](r, "before")
	case "after":
		env.after, err = readRow[R, PR](r, "after")
	case "op":
		env.op, err = r.scalar()
	case "ts_ms":
		env.envTs, err = r.scalar()
	case "source":
		if r.null() {
			return nil
		}
		if r.peek() != '{' {
			return errorf(ReasonBadJSON, "source", "source is not an object")
		}
		ok, err := r.enter()
		for ok && err == nil {
			var sk []byte
			if sk, err = r.key(); err != nil {
				return err
			}
			switch string(sk) {
			case "lsn":
				env.lsn, err = r.scalar()
			case "ts_ms":
				env.srcTs, err = r.scalar()
			default:
				err = r.skip(0)
			}
			if err == nil {
				ok, err = r.more()
			}
		}
		return err
	default:
		err = r.skip(0)
	}
	return err
}

// readRow reads a before/after image: null or an object of columns.
func readRow[R any, PR rowFields[R]](r *jsonReader, name string) (*R, error) {
	if r.null() {
		return nil, nil
	}
	if r.peek() != '{' {
		return nil, errorf(ReasonBadJSON, name, "%s is not an object", name)
	}
	row := new(R)
	ok, err := r.enter()
	for ok && err == nil {
		var k []byte
		if k, err = r.key(); err != nil {
			return nil, err
		}
		if f := PR(row).field(k); f != nil {
			*f, err = r.scalar()
		} else {
			err = r.skip(0)
		}
		if err == nil {
			ok, err = r.more()
		}
	}
	return row, err
}

// jsonError makes a bad_json *Error of a syntax error; type errors are
// already *Error naming their field.
func jsonError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return newError(ReasonBadJSON, "", err)
}

func isJSONSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// isJSONNull reports whether b is the literal null, possibly padded.
func isJSONNull(b []byte) bool {
	i, j := 0, len(b)
	for i < j && isJSONSpace(b[i]) {
		i++
	}
	for j > i && isJSONSpace(b[j-1]) {
		j--
	}
	return string(b[i:j]) == "null"
}
