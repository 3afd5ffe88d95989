package cdc

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/linkedin/goavro/v2"
)

var formats = []Format{FormatJSON, FormatJSONSchema, FormatAvro}

func newEncoder(t testing.TB, f Format, reg registry, topic string) *Encoder {
	t.Helper()
	e, err := NewEncoder(context.Background(), f, reg, topic)
	if err != nil {
		t.Fatalf("NewEncoder(%s, %s): %v", f, topic, err)
	}
	return e
}

func TestRoundTripTxn(t *testing.T) {
	reg := newRegistry(t)
	changed := sampleTxn
	changed.Status, changed.AmountMinor, changed.BudgetID = "REVERSED", 99, "bud-1"
	changed.MerchantName = "ท็อปส์ \"สุขุมวิท\" <39> & co\n\x01"
	sparse := Txn{ID: "t-2", AccountID: "a-2", Direction: "CREDIT", Type: "INTEREST", Status: "PENDING",
		AmountMinor: 1, Currency: "JPY", PostedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	sparse.UpdatedAt = sparse.PostedAt
	idOnly := Txn{ID: sampleTxn.ID}
	tests := []struct {
		name          string
		op            Op
		before, after *Txn
		want          Txn
	}{
		{"create", OpCreate, nil, &sampleTxn, sampleTxn},
		{"create with nulls", OpCreate, nil, &sparse, sparse},
		{"update with before", OpUpdate, &sampleTxn, &changed, changed},
		{"update without before", OpUpdate, nil, &changed, changed},
		{"snapshot", OpSnapshot, nil, &sampleTxn, sampleTxn},
		{"delete with full before", OpDelete, &sampleTxn, nil, sampleTxn},
		{"delete with key-only before", OpDelete, &idOnly, nil, idOnly},
	}
	for _, f := range formats {
		enc := newEncoder(t, f, reg, "core.public.transactions")
		dec := NewDecoder(reg)
		for _, tt := range tests {
			t.Run(string(f)+"/"+tt.name, func(t *testing.T) {
				key, value, err := enc.EncodeTxn(tt.op, tt.before, tt.after, samplePos)
				if err != nil {
					t.Fatalf("EncodeTxn: %v", err)
				}
				got, err := dec.DecodeTxn(context.Background(), value)
				if err != nil {
					t.Fatalf("DecodeTxn: %v\nvalue %q", err, value)
				}
				want := TxnChange{Op: tt.op, Row: tt.want, Deleted: tt.op == OpDelete, Pos: samplePos}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("round trip\n got %+v\nwant %+v", got, want)
				}
				if id := decodeKey(t, reg, f, key); id != tt.want.ID {
					t.Errorf("key id = %q, want %q", id, tt.want.ID)
				}
			})
		}
	}
}

func TestRoundTripAccount(t *testing.T) {
	reg := newRegistry(t)
	acc := Account{ID: "acc-1", UserID: "usr-1", Type: "GOAL", Currency: "USD", Status: "ACTIVE", GoalID: "goal-1"}
	closed := acc
	closed.Status, closed.GoalID = "CLOSED", ""
	tests := []struct {
		name          string
		op            Op
		before, after *Account
		want          Account
	}{
		{"create", OpCreate, nil, &acc, acc},
		{"update", OpUpdate, &acc, &closed, closed},
		{"snapshot", OpSnapshot, nil, &closed, closed},
		{"delete", OpDelete, &acc, nil, acc},
		{"delete key-only", OpDelete, &Account{ID: "acc-1"}, nil, Account{ID: "acc-1"}},
	}
	for _, f := range formats {
		enc := newEncoder(t, f, reg, "core.public.accounts")
		dec := NewDecoder(reg)
		for _, tt := range tests {
			t.Run(string(f)+"/"+tt.name, func(t *testing.T) {
				key, value, err := enc.EncodeAccount(tt.op, tt.before, tt.after, samplePos)
				if err != nil {
					t.Fatalf("EncodeAccount: %v", err)
				}
				got, err := dec.DecodeAccount(context.Background(), value)
				if err != nil {
					t.Fatalf("DecodeAccount: %v\nvalue %q", err, value)
				}
				want := AccountChange{Op: tt.op, Row: tt.want, Deleted: tt.op == OpDelete, Pos: samplePos}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("round trip\n got %+v\nwant %+v", got, want)
				}
				if id := decodeKey(t, reg, f, key); id != tt.want.ID {
					t.Errorf("key id = %q, want %q", id, tt.want.ID)
				}
			})
		}
	}
}

// decodeKey reads the id out of a record key in format f.
func decodeKey(t *testing.T, reg registry, f Format, key []byte) string {
	t.Helper()
	switch f {
	case FormatAvro:
		schema, err := reg.SchemaByID(context.Background(), int(binary.BigEndian.Uint32(key[1:5])))
		if err != nil {
			t.Fatal(err)
		}
		codec, err := goavro.NewCodec(schema)
		if err != nil {
			t.Fatal(err)
		}
		native, _, err := codec.NativeFromBinary(key[5:])
		if err != nil {
			t.Fatal(err)
		}
		return native.(map[string]any)["id"].(string)
	case FormatJSONSchema:
		var k struct {
			Schema  connectSchema     `json:"schema"`
			Payload map[string]string `json:"payload"`
		}
		if err := json.Unmarshal(key, &k); err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(k.Schema.Name, ".Key") || len(k.Schema.Fields) != 1 || k.Schema.Fields[0].Field != "id" {
			t.Errorf("key schema = %+v", k.Schema)
		}
		return k.Payload["id"]
	default:
		var k map[string]string
		if err := json.Unmarshal(key, &k); err != nil {
			t.Fatal(err)
		}
		return k["id"]
	}
}

// TestEncoderMatchesDebezium compares the Encoder's output with the
// hand-written connector output in samples_test.go.
func TestEncoderMatchesDebezium(t *testing.T) {
	reg := newRegistry(t)
	t.Run("json", func(t *testing.T) {
		_, value, err := newEncoder(t, FormatJSON, reg, "core.public.transactions").EncodeTxn(OpCreate, nil, &sampleTxn, samplePos)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(value), `{"before":null,"after":{"id":"`) || !strings.Contains(string(value), `"transaction":null,"op":"c","ts_ms":`) {
			t.Errorf("member order differs from Debezium's: %s", value)
		}
		// The connector's clock-derived fields and txId cannot match.
		clock := func(env map[string]any) {
			delete(env, "ts_ms")
			delete(env, "ts_us")
			delete(env, "ts_ns")
			src := env["source"].(map[string]any)
			for _, k := range []string{"ts_us", "ts_ns", "txId", "sequence"} {
				delete(src, k)
			}
		}
		assertJSONEqual(t, mutate(t, string(value), clock), mutate(t, samplePayload, clock))
	})
	t.Run("json-schema", func(t *testing.T) {
		key, value, err := newEncoder(t, FormatJSONSchema, reg, "core.public.transactions").EncodeTxn(OpCreate, nil, &sampleTxn, samplePos)
		if err != nil {
			t.Fatal(err)
		}
		var v struct{ Schema, Payload json.RawMessage }
		if err := json.Unmarshal(value, &v); err != nil {
			t.Fatal(err)
		}
		assertJSONEqual(t, v.Schema, []byte(txnEnvelopeSchema(zonedType)))
		assertJSONEqual(t, key, []byte(`{"schema":{"type":"struct","fields":[{"type":"string","optional":false,"field":"id"}],`+
			`"optional":false,"name":"core.public.transactions.Key"},"payload":{"id":"`+sampleTxn.ID+`"}}`))
	})
	t.Run("avro", func(t *testing.T) {
		key, value, err := newEncoder(t, FormatAvro, reg, "core.public.transactions").EncodeTxn(OpCreate, nil, &sampleTxn, samplePos)
		if err != nil {
			t.Fatal(err)
		}
		if value[0] != 0 || key[0] != 0 {
			t.Fatalf("not Confluent framed: key %x value %x", key[:5], value[:5])
		}
		schema, err := reg.SchemaByID(context.Background(), int(binary.BigEndian.Uint32(value[1:5])))
		if err != nil {
			t.Fatal(err)
		}
		assertJSONEqual(t, []byte(schema), []byte(sampleTxnAvroSchema))
		keySchema, err := reg.SchemaByID(context.Background(), int(binary.BigEndian.Uint32(key[1:5])))
		if err != nil {
			t.Fatal(err)
		}
		assertJSONEqual(t, []byte(keySchema), []byte(`{"type":"record","name":"Key","namespace":"core.public.transactions",`+
			`"fields":[{"name":"id","type":"string"}],"connect.name":"core.public.transactions.Key"}`))
		subjects, err := reg.cl.Subjects(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"core.public.transactions-key", "core.public.transactions-value"}; !reflect.DeepEqual(subjects, want) {
			t.Errorf("subjects = %v, want %v", subjects, want)
		}
	})
}

func assertJSONEqual(t *testing.T, got, want []byte) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("got: %v: %s", err, got)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatalf("want: %v: %s", err, want)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("JSON differs\n got %s\nwant %s", got, want)
	}
}

func TestEncoderRejects(t *testing.T) {
	ctx := context.Background()
	if _, err := NewEncoder(ctx, FormatAvro, nil, "core.public.transactions"); err == nil {
		t.Error("avro without registrar: no error")
	}
	if _, err := NewEncoder(ctx, "xml", nil, "core.public.transactions"); err == nil {
		t.Error("unknown format: no error")
	}
	if _, err := NewEncoder(ctx, FormatJSON, nil, "core.public.ledger"); err == nil {
		t.Error("unknown table: no error")
	}
	e := newEncoder(t, FormatJSON, registry{}, "core.public.transactions")
	for name, call := range map[string]func() error{
		"create with before": func() error { _, _, err := e.EncodeTxn(OpCreate, &sampleTxn, &sampleTxn, samplePos); return err },
		"delete with after":  func() error { _, _, err := e.EncodeTxn(OpDelete, &sampleTxn, &sampleTxn, samplePos); return err },
		"update no after":    func() error { _, _, err := e.EncodeTxn(OpUpdate, &sampleTxn, nil, samplePos); return err },
		"unknown op":         func() error { _, _, err := e.EncodeTxn("x", nil, &sampleTxn, samplePos); return err },
		"account on txn":     func() error { _, _, err := e.EncodeAccount(OpCreate, nil, &Account{ID: "a"}, samplePos); return err },
	} {
		if call() == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestDecodeConcurrentAvro(t *testing.T) {
	reg := newRegistry(t)
	_, value, err := newEncoder(t, FormatAvro, reg, "core.public.transactions").EncodeTxn(OpCreate, nil, &sampleTxn, samplePos)
	if err != nil {
		t.Fatal(err)
	}
	dec := NewDecoder(reg)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			for range 50 {
				got, err := dec.DecodeTxn(context.Background(), value)
				if err == nil && got.Row != sampleTxn {
					err = errMismatch
				}
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

var errMismatch = &Error{Reason: "test", Err: nil}
