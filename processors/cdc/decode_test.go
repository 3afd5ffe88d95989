package cdc

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// mutate decodes the JSON event base, lets f change it, and re-encodes it.
func mutate(t testing.TB, base string, f func(env map[string]any)) []byte {
	t.Helper()
	var env map[string]any
	if err := json.Unmarshal([]byte(base), &env); err != nil {
		t.Fatal(err)
	}
	f(env)
	b, err := json.Marshal(env)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// setAfter sets (or, for a nil value, deletes) columns of the after image.
func setAfter(cols map[string]any) func(map[string]any) {
	return func(env map[string]any) {
		after := env["after"].(map[string]any)
		for k, v := range cols {
			if v == nil {
				delete(after, k)
			} else {
				after[k] = v
			}
		}
	}
}

func TestDecodeTxnJSON(t *testing.T) {
	want := TxnChange{Op: OpCreate, Row: sampleTxn, Pos: samplePos}
	at := func(txn Txn, f func(*Txn)) Txn { f(&txn); return txn }
	tests := []struct {
		name  string
		value []byte
		want  TxnChange
	}{
		{"schemaless", []byte(samplePayload), want},
		{"schema and payload", []byte(sampleWithSchema), want},
		{"schema and payload, MicroTimestamp", []byte(sampleMicros), want},
		{"leading white space", []byte("\n  " + samplePayload), want},
		{"epoch milliseconds", mutate(t, samplePayload, setAfter(map[string]any{
			"posted_at": 1795342530123, "updated_at": 1795342531000})),
			TxnChange{Op: OpCreate, Pos: samplePos, Row: at(sampleTxn, func(x *Txn) {
				x.PostedAt = time.UnixMilli(1795342530123).UTC()
			})}},
		{"epoch milliseconds with schema naming ZonedTimestamp", mutate(t, sampleWithSchema, func(env map[string]any) {
			setAfter(map[string]any{"posted_at": 1795342530123, "updated_at": 1795342531000})(env["payload"].(map[string]any))
		}), TxnChange{Op: OpCreate, Pos: samplePos, Row: at(sampleTxn, func(x *Txn) {
			x.PostedAt = time.UnixMilli(1795342530123).UTC()
		})}},
		{"ISO with offset and no fraction", mutate(t, samplePayload, setAfter(map[string]any{
			"posted_at": "2026-11-22T17:15:30+07:00", "updated_at": "2026-11-22 10:15:31+00:00"})),
			TxnChange{Op: OpCreate, Pos: samplePos, Row: at(sampleTxn, func(x *Txn) {
				x.PostedAt = time.Date(2026, 11, 22, 10, 15, 30, 0, time.UTC)
			})}},
		{"numeric strings", mutate(t, samplePayload, setAfter(map[string]any{"amount_minor": "125050", "mcc": "5411"})), want},
		{"null optionals", mutate(t, samplePayload, setAfter(map[string]any{
			"user_id": nil, "merchant_name": nil, "merchant_id": nil, "mcc": nil, "channel": nil, "budget_id": "bud-9"})),
			TxnChange{Op: OpCreate, Pos: samplePos, Row: at(sampleTxn, func(x *Txn) {
				x.UserID, x.MerchantName, x.MerchantID, x.MCC, x.Channel, x.BudgetID = "", "", "", 0, "", "bud-9"
			})}},
		{"updated_at missing falls back to posted_at", mutate(t, samplePayload, setAfter(map[string]any{"updated_at": nil})),
			TxnChange{Op: OpCreate, Pos: samplePos, Row: at(sampleTxn, func(x *Txn) { x.UpdatedAt = x.PostedAt })}},
		{"update", mutate(t, samplePayload, func(env map[string]any) {
			env["op"] = "u"
			env["before"] = env["after"]
		}), TxnChange{Op: OpUpdate, Row: sampleTxn, Pos: samplePos}},
		{"snapshot", mutate(t, samplePayload, func(env map[string]any) { env["op"] = "r" }),
			TxnChange{Op: OpSnapshot, Row: sampleTxn, Pos: samplePos}},
		{"delete with full before", mutate(t, samplePayload, func(env map[string]any) {
			env["op"], env["before"], env["after"] = "d", env["after"], nil
		}), TxnChange{Op: OpDelete, Deleted: true, Row: sampleTxn, Pos: samplePos}},
		{"delete with before holding only id", mutate(t, samplePayload, func(env map[string]any) {
			env["op"], env["after"] = "d", nil
			env["before"] = map[string]any{"id": sampleTxn.ID}
		}), TxnChange{Op: OpDelete, Deleted: true, Row: Txn{ID: sampleTxn.ID}, Pos: samplePos}},
		{"delete with key-only before, other columns null or zero", mutate(t, samplePayload, func(env map[string]any) {
			env["op"], env["after"] = "d", nil
			env["before"] = map[string]any{"id": sampleTxn.ID, "account_id": nil, "direction": "", "type": "",
				"status": "", "amount_minor": 0, "currency": "", "mcc": nil, "posted_at": nil, "updated_at": nil}
		}), TxnChange{Op: OpDelete, Deleted: true, Row: Txn{ID: sampleTxn.ID}, Pos: samplePos}},
		{"escaped strings", []byte(strings.Replace(samplePayload, `"Tops Market Sukhumvit 39"`, `"Caf\u00e9 \"K\" \u0e17\u0e47\u0e2d\u0e1b\u0e2a\u0e4c\/39"`, 1)),
			TxnChange{Op: OpCreate, Pos: samplePos, Row: at(sampleTxn, func(x *Txn) { x.MerchantName = `Café "K" ท็อปส์/39` })}},
		{"unknown members and nested values are skipped", mutate(t, samplePayload, func(env map[string]any) {
			env["transaction"] = map[string]any{"id": "571:53195832", "total_order": 1, "data_collection_order": 1}
			env["after"].(map[string]any)["tags"] = []any{"a", map[string]any{"b": []any{1.5, true, nil}}}
			env["source"].(map[string]any)["extra"] = map[string]any{"x": "y"}
		}), want},
		{"schema without payload is the envelope itself", []byte(`{"schema":{"type":"struct"},` + samplePayload[1:]), want},
		{"bigint id", mutate(t, samplePayload, setAfter(map[string]any{"id": 9001})),
			TxnChange{Op: OpCreate, Pos: samplePos, Row: at(sampleTxn, func(x *Txn) { x.ID = "9001" })}},
		{"position falls back to envelope ts_ms", mutate(t, samplePayload, func(env map[string]any) {
			env["source"] = map[string]any{"lsn": 77}
		}), TxnChange{Op: OpCreate, Row: sampleTxn, Pos: Position{LSN: 77, TsMs: 1795342530457}}},
	}
	d := NewDecoder(nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := d.DecodeTxn(context.Background(), tt.value)
			if err != nil {
				t.Fatalf("DecodeTxn: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("DecodeTxn\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestDecodeAccountJSON(t *testing.T) {
	const payload = `{"before":null,"after":{"id":"acc-000042","user_id":"usr-0007","type":"GOAL","currency":"THB",` +
		`"status":"ACTIVE","goal_id":"goal-3"},"source":{"version":"3.0.1.Final","connector":"postgresql","name":"core",` +
		`"ts_ms":1795342500000,"snapshot":"true","db":"corebanking","sequence":"[null,\"23999000\"]","schema":"public",` +
		`"table":"accounts","txId":1100,"lsn":23999000,"xmin":null},"transaction":null,"op":"r","ts_ms":1795342500100}`
	d := NewDecoder(nil)
	got, err := d.DecodeAccount(context.Background(), []byte(payload))
	if err != nil {
		t.Fatal(err)
	}
	want := AccountChange{Op: OpSnapshot, Pos: Position{LSN: 23999000, TsMs: 1795342500000},
		Row: Account{ID: "acc-000042", UserID: "usr-0007", Type: "GOAL", Currency: "THB", Status: "ACTIVE", GoalID: "goal-3"}}
	if got != want {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	got, err = d.DecodeAccount(context.Background(), mutate(t, payload, setAfter(map[string]any{"goal_id": nil})))
	if err != nil || got.Row.GoalID != "" {
		t.Errorf("null goal_id: %+v, %v", got, err)
	}
}

func TestTombstone(t *testing.T) {
	d := NewDecoder(nil)
	for _, v := range []string{"", " \n", "null", ` null `, `{"schema":{"type":"struct"},"payload":null}`} {
		if _, err := d.DecodeTxn(context.Background(), []byte(v)); !errors.Is(err, ErrTombstone) {
			t.Errorf("DecodeTxn(%q) = %v, want ErrTombstone", v, err)
		}
		if _, err := d.DecodeAccount(context.Background(), []byte(v)); !errors.Is(err, ErrTombstone) {
			t.Errorf("DecodeAccount(%q) = %v, want ErrTombstone", v, err)
		}
	}
	if _, err := d.DecodeTxn(context.Background(), nil); !errors.Is(err, ErrTombstone) {
		t.Errorf("DecodeTxn(nil) = %v, want ErrTombstone", err)
	}
}

func TestCurrencyExponent(t *testing.T) {
	for code, want := range map[string]int{"THB": 2, "USD": 2, "JPY": 0, "KWD": 3, "CLF": 4, "EUR": 2, "VND": 0} {
		if got, ok := CurrencyExponent(code); !ok || got != want {
			t.Errorf("CurrencyExponent(%s) = %d, %v; want %d", code, got, ok, want)
		}
	}
	for _, code := range []string{"thb", "XXX", "XAU", "HRK", "", "BTC"} {
		if _, ok := CurrencyExponent(code); ok {
			t.Errorf("CurrencyExponent(%q) known, want unknown", code)
		}
	}
}
