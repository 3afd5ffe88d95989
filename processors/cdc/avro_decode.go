package cdc

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/linkedin/goavro/v2"
)

// avroWriter is a compiled writer schema and what the decoder learned from it.
type avroWriter struct {
	codec *goavro.Codec
	units timeUnits
}

// writer returns the compiled writer schema for id, fetching and compiling
// it on first use. Failures are not cached: a later record retries.
func (d *Decoder) writer(ctx context.Context, id int) (*avroWriter, error) {
	d.mu.RLock()
	w := d.writers[id]
	d.mu.RUnlock()
	if w != nil {
		return w, nil
	}
	if d.schemas == nil {
		return nil, errorf(ReasonUnknownSchema, "", "Avro record (schema id %d) but the decoder has no schema registry", id)
	}
	schema, err := d.schemas.SchemaByID(ctx, id)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("fetch writer schema %d: %w", id, ctx.Err())
		}
		return nil, newError(ReasonUnknownSchema, "", fmt.Errorf("fetch writer schema %d: %w", id, err))
	}
	codec, err := goavro.NewCodec(schema)
	if err != nil {
		return nil, newError(ReasonUnknownSchema, "", fmt.Errorf("compile writer schema %d: %w", id, err))
	}
	w = &avroWriter{codec: codec, units: avroTimeUnits(schema)}
	d.mu.Lock()
	if prev := d.writers[id]; prev != nil {
		w = prev // a concurrent decode got there first
	} else {
		d.writers[id] = w
	}
	d.mu.Unlock()
	return w, nil
}

// decodeAvro decodes a Confluent-framed Avro envelope.
func decodeAvro[R any](ctx context.Context, d *Decoder, value []byte, fromAvro func(map[string]any) *R) (change[R], error) {
	if len(value) < 5 {
		return change[R]{}, errorf(ReasonBadAvro, "", "Confluent framing needs 5 bytes, have %d", len(value))
	}
	id := int(binary.BigEndian.Uint32(value[1:5]))
	w, err := d.writer(ctx, id)
	if err != nil {
		return change[R]{}, err
	}
	native, err := nativeFromBinary(w.codec, value[5:])
	if err != nil {
		return change[R]{}, newError(ReasonBadAvro, "", fmt.Errorf("schema id %d: %w", id, err))
	}
	env, ok := native.(map[string]any)
	if !ok {
		return change[R]{}, errorf(ReasonBadAvro, "", "schema id %d: value is %T, not a record", id, native)
	}
	c := change[R]{op: avroField(env, "op"), envTs: avroField(env, "ts_ms"), shape: ReasonBadAvro, units: &w.units}
	if c.before, err = avroRow(env, "before", fromAvro); err != nil {
		return change[R]{}, err
	}
	if c.after, err = avroRow(env, "after", fromAvro); err != nil {
		return change[R]{}, err
	}
	switch src := unwrapUnion(env["source"]).(type) {
	case nil:
	case map[string]any:
		c.lsn, c.srcTs = avroField(src, "lsn"), avroField(src, "ts_ms")
	default:
		return change[R]{}, errorf(ReasonBadAvro, "source", "source is %T, not a record", src)
	}
	return c, nil
}

// nativeFromBinary decodes one datum that must fill body, turning a panic
// of the Avro library on hostile input into an error.
func nativeFromBinary(codec *goavro.Codec, body []byte) (native any, err error) {
	defer func() {
		if r := recover(); r != nil {
			native, err = nil, fmt.Errorf("avro decode panicked: %v", r)
		}
	}()
	native, rest, err := codec.NativeFromBinary(body)
	if err != nil {
		return nil, err
	}
	if len(rest) != 0 {
		return nil, fmt.Errorf("%d bytes after the datum", len(rest))
	}
	return native, nil
}

// avroRow converts the before/after image, a ["null", Value] union.
func avroRow[R any](env map[string]any, name string, fromAvro func(map[string]any) *R) (*R, error) {
	switch row := unwrapUnion(env[name]).(type) {
	case nil:
		return nil, nil
	case map[string]any:
		return fromAvro(row), nil
	default:
		return nil, errorf(ReasonBadAvro, name, "%s is %T, not a record", name, row)
	}
}

func txnFromAvro(m map[string]any) *txnFields {
	return &txnFields{
		ID: avroField(m, "id"), AccountID: avroField(m, "account_id"), UserID: avroField(m, "user_id"),
		Direction: avroField(m, "direction"), Type: avroField(m, "type"), Status: avroField(m, "status"),
		AmountMinor: avroField(m, "amount_minor"), Currency: avroField(m, "currency"),
		MerchantName: avroField(m, "merchant_name"), MerchantID: avroField(m, "merchant_id"),
		MCC: avroField(m, "mcc"), Channel: avroField(m, "channel"), BudgetID: avroField(m, "budget_id"),
		PostedAt: avroField(m, "posted_at"), UpdatedAt: avroField(m, "updated_at"),
	}
}

func accountFromAvro(m map[string]any) *accountFields {
	return &accountFields{
		ID: avroField(m, "id"), UserID: avroField(m, "user_id"), Type: avroField(m, "type"),
		Currency: avroField(m, "currency"), Status: avroField(m, "status"), GoalID: avroField(m, "goal_id"),
	}
}

// unwrapUnion returns the value of a non-null union branch, which goavro
// decodes as a one-entry map keyed by the branch's type name.
func unwrapUnion(v any) any {
	if m, ok := v.(map[string]any); ok && len(m) == 1 {
		for _, inner := range m {
			return inner
		}
	}
	return v
}

// avroField converts one goavro native leaf value to a scalar.
func avroField(m map[string]any, name string) scalar {
	v, ok := m[name]
	if !ok {
		return scalar{}
	}
	switch x := unwrapUnion(v).(type) {
	case nil:
		return scalar{kind: kindNull}
	case string:
		return scalar{kind: kindString, s: x}
	case int64:
		return scalar{kind: kindInt, i: x}
	case int32:
		return scalar{kind: kindInt, i: int64(x)}
	case int:
		return scalar{kind: kindInt, i: int64(x)}
	case float64:
		return floatScalar(x)
	case float32:
		return floatScalar(float64(x))
	case time.Time:
		return scalar{kind: kindTime, t: x}
	default:
		return scalar{kind: kindOther}
	}
}

// floatScalar keeps an Avro float or double as a non-integer number, so
// that amounts and codes never pass through floating point.
func floatScalar(f float64) scalar {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return scalar{kind: kindOther}
	}
	return scalar{kind: kindNumber, s: strconv.FormatFloat(f, 'g', -1, 64)}
}

// avroTimeUnits finds the Connect semantic names (connect.name) of the
// posted_at and updated_at columns in a Debezium Avro envelope schema.
// Anything it cannot find is milliseconds.
func avroTimeUnits(schema string) timeUnits {
	var root map[string]any
	if json.Unmarshal([]byte(schema), &root) != nil {
		return timeUnits{}
	}
	var u timeUnits
	for _, f := range avroFields(root) {
		if name := f["name"]; name != "before" && name != "after" {
			continue
		}
		for _, t := range avroTypes(f["type"]) {
			if t["type"] != "record" {
				continue
			}
			for _, col := range avroFields(t) {
				switch col["name"] {
				case "posted_at":
					u.posted = unitOf(avroConnectName(col["type"]))
				case "updated_at":
					u.updated = unitOf(avroConnectName(col["type"]))
				}
			}
			return u
		}
	}
	return u
}

// avroFields returns a record schema's fields.
func avroFields(rec map[string]any) []map[string]any {
	list, _ := rec["fields"].([]any)
	out := make([]map[string]any, 0, len(list))
	for _, f := range list {
		if m, ok := f.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// avroTypes returns the object schemas of a type: itself, or a union's members.
func avroTypes(t any) []map[string]any {
	switch x := t.(type) {
	case map[string]any:
		return []map[string]any{x}
	case []any:
		var out []map[string]any
		for _, m := range x {
			if mm, ok := m.(map[string]any); ok {
				out = append(out, mm)
			}
		}
		return out
	}
	return nil
}

// avroConnectName returns the connect.name of a (possibly optional) type.
func avroConnectName(t any) string {
	for _, m := range avroTypes(t) {
		if n, ok := m["connect.name"].(string); ok {
			return n
		}
	}
	return ""
}
