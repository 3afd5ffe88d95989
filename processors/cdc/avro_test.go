package cdc

import (
	"context"
	"encoding/binary"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/linkedin/goavro/v2"
)

// registerAvro registers schema and returns its id and codec.
func registerAvro(t *testing.T, reg registry, subject, schema string) (int, *goavro.Codec) {
	t.Helper()
	id, err := reg.Register(context.Background(), subject, schema)
	if err != nil {
		t.Fatal(err)
	}
	codec, err := goavro.NewCodec(schema)
	if err != nil {
		t.Fatal(err)
	}
	return id, codec
}

func framed(t *testing.T, codec *goavro.Codec, id int, datum any) []byte {
	t.Helper()
	b, err := frame(codec, id, datum)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestDecodeAvroWriterSchemaVariants decodes Avro written with a schema other
// than the Encoder's: timestamp columns as io.debezium.time.MicroTimestamp
// longs (timestamp without time zone), amount as a numeric string, mcc as a
// long, an Avro timestamp-millis logical type.
func TestDecodeAvroWriterSchemaVariants(t *testing.T) {
	reg := newRegistry(t)
	schema := strings.NewReplacer(
		`{"name":"posted_at","type":{"type":"string","connect.version":1,"connect.name":"io.debezium.time.ZonedTimestamp"}}`,
		`{"name":"posted_at","type":[{"type":"long","connect.version":1,"connect.default":0,"connect.name":"io.debezium.time.MicroTimestamp"},"null"],"default":0}`,
		`{"name":"updated_at","type":{"type":"string","connect.version":1,"connect.name":"io.debezium.time.ZonedTimestamp"}}`,
		`{"name":"updated_at","type":["null",{"type":"long","logicalType":"timestamp-millis"}],"default":null}`,
		`{"name":"amount_minor","type":"long"}`, `{"name":"amount_minor","type":"string"}`,
		`{"name":"mcc","type":["null","int"],"default":null}`, `{"name":"mcc","type":["null","long"],"default":null}`,
	).Replace(sampleTxnAvroSchema)
	id, codec := registerAvro(t, reg, "core.public.transactions-value", schema)
	row := map[string]any{
		"id": "t-1", "account_id": "a-1", "user_id": nil, "direction": "CREDIT", "type": "REFUND",
		"status": "POSTED", "amount_minor": "4200", "currency": "EUR", "merchant_name": nil, "merchant_id": nil,
		"mcc": goavro.Union("long", int64(5812)), "channel": goavro.Union("string", "PROMPTPAY"), "budget_id": nil,
		"posted_at":  goavro.Union("long", int64(1795342530123456)),
		"updated_at": goavro.Union("long.timestamp-millis", time.UnixMilli(1795342599000)),
	}
	env := map[string]any{
		"before": nil, "after": goavro.Union("core.public.transactions.Value", row),
		"source": map[string]any{"version": "3.0.1.Final", "connector": "postgresql", "name": "core", "ts_ms": int64(1795342530200),
			"snapshot": goavro.Union("string", "false"), "db": "corebanking", "sequence": nil, "ts_us": nil, "ts_ns": nil,
			"schema": "public", "table": "transactions", "txId": nil, "lsn": goavro.Union("long", int64(555)), "xmin": nil},
		"transaction": nil, "op": "c", "ts_ms": nil, "ts_us": nil, "ts_ns": nil,
	}
	got, err := NewDecoder(reg).DecodeTxn(context.Background(), framed(t, codec, id, env))
	if err != nil {
		t.Fatal(err)
	}
	want := TxnChange{Op: OpCreate, Pos: Position{LSN: 555, TsMs: 1795342530200}, Row: Txn{
		ID: "t-1", AccountID: "a-1", Direction: "CREDIT", Type: "REFUND", Status: "POSTED", AmountMinor: 4200,
		Currency: "EUR", MCC: 5812, Channel: "PROMPTPAY",
		PostedAt: time.UnixMicro(1795342530123456).UTC(), UpdatedAt: time.UnixMilli(1795342599000).UTC(),
	}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func TestDecodeAvroRejects(t *testing.T) {
	reg := newRegistry(t)
	enc := newEncoder(t, FormatAvro, reg, "core.public.transactions")
	_, good, err := enc.EncodeTxn(OpCreate, nil, &sampleTxn, samplePos)
	if err != nil {
		t.Fatal(err)
	}
	bad := sampleTxn
	bad.AmountMinor, bad.Currency = -3, "XXX"
	_, negative, err := enc.EncodeTxn(OpCreate, nil, &bad, samplePos)
	if err != nil {
		t.Fatal(err)
	}
	unknownID := append([]byte{0}, binary.BigEndian.AppendUint32(nil, 4242)...)
	unknownID = append(unknownID, good[5:]...)
	floatID, floatCodec := registerAvro(t, reg, "floaty-value",
		strings.Replace(sampleTxnAvroSchema, `{"name":"amount_minor","type":"long"}`, `{"name":"amount_minor","type":"double"}`, 1))
	row := map[string]any{"id": "t", "account_id": "a", "user_id": nil, "direction": "DEBIT", "type": "FEE",
		"status": "POSTED", "amount_minor": 12.5, "currency": "THB", "merchant_name": nil, "merchant_id": nil,
		"mcc": nil, "channel": nil, "budget_id": nil, "posted_at": "2026-11-22T10:15:30Z", "updated_at": "2026-11-22T10:15:30Z"}
	floatValue := framed(t, floatCodec, floatID, map[string]any{
		"before": nil, "after": goavro.Union("core.public.transactions.Value", row),
		"source": map[string]any{"version": "v", "connector": "postgresql", "name": "core", "ts_ms": int64(1),
			"snapshot": nil, "db": "d", "sequence": nil, "ts_us": nil, "ts_ns": nil, "schema": "public",
			"table": "transactions", "txId": nil, "lsn": nil, "xmin": nil},
		"transaction": nil, "op": "c", "ts_ms": nil, "ts_us": nil, "ts_ns": nil,
	})

	tests := []struct {
		name   string
		dec    *Decoder
		value  []byte
		reason string
		field  string
	}{
		{"no registry", NewDecoder(nil), good, ReasonUnknownSchema, ""},
		{"unknown schema id", NewDecoder(reg), unknownID, ReasonUnknownSchema, ""},
		{"short framing", NewDecoder(reg), good[:3], ReasonBadAvro, ""},
		{"truncated body", NewDecoder(reg), good[:len(good)-4], ReasonBadAvro, ""},
		{"trailing bytes", NewDecoder(reg), append(append([]byte{}, good...), 1, 2), ReasonBadAvro, ""},
		{"amount negative", NewDecoder(reg), negative, ReasonBadAmount, "amount_minor"},
		{"amount a double", NewDecoder(reg), floatValue, ReasonBadAmount, "amount_minor"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.dec.DecodeTxn(context.Background(), tt.value)
			assertReason(t, err, tt.reason, tt.field)
		})
	}
}

func TestDecodeAvroContextCancelled(t *testing.T) {
	reg := newRegistry(t)
	_, value, err := newEncoder(t, FormatAvro, reg, "core.public.transactions").EncodeTxn(OpCreate, nil, &sampleTxn, samplePos)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = NewDecoder(reg).DecodeTxn(ctx, value)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want the context's error", err)
	}
	if e := (*Error)(nil); errors.As(err, &e) {
		t.Errorf("a cancelled fetch is reported as the record's fault: %v", err)
	}
}
