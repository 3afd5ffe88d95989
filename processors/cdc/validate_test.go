package cdc

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestDecodeTxnRejects(t *testing.T) {
	del := func(env map[string]any) { env["op"], env["before"], env["after"] = "d", env["after"], nil }
	tests := []struct {
		name   string
		value  []byte
		reason string
		field  string
	}{
		{"not JSON", []byte("hello"), ReasonBadJSON, ""},
		{"truncated JSON", []byte(samplePayload[:40]), ReasonBadJSON, ""},
		{"JSON array", []byte(`[1,2]`), ReasonBadJSON, ""},
		{"payload not an object", []byte(`{"schema":{},"payload":[1]}`), ReasonBadJSON, "payload"},
		{"source not an object", []byte(`{"op":"c","source":"pg"}`), ReasonBadJSON, "source"},
		{"trailing data", []byte(samplePayload + ` {}`), ReasonBadJSON, ""},
		{"bad escape", []byte(strings.Replace(samplePayload, `"CARD"`, `"CA\qRD"`, 1)), ReasonBadJSON, ""},
		{"unterminated", []byte(`{"op":"c","after":{"id":"t`), ReasonBadJSON, ""},
		{"after is a string", []byte(`{"op":"c","after":"x"}`), ReasonBadJSON, "after"},
		{"id is an object", mutate(t, samplePayload, setAfter(map[string]any{"id": map[string]any{"a": 1}})), ReasonBadJSON, "id"},
		{"user_id is a bool", mutate(t, samplePayload, setAfter(map[string]any{"user_id": true})), ReasonBadJSON, "user_id"},
		{"mcc not numeric", mutate(t, samplePayload, setAfter(map[string]any{"mcc": "grocery"})), ReasonBadJSON, "mcc"},
		{"mcc out of range", mutate(t, samplePayload, setAfter(map[string]any{"mcc": 12345})), ReasonBadJSON, "mcc"},
		{"lsn a string", mutate(t, samplePayload, func(env map[string]any) { env["source"].(map[string]any)["lsn"] = "0/16B3748" }), ReasonBadJSON, "source.lsn"},
		{"op missing", mutate(t, samplePayload, func(env map[string]any) { delete(env, "op") }), ReasonMissingField, "op"},
		{"op unknown", mutate(t, samplePayload, func(env map[string]any) { env["op"] = "t" }), ReasonUnknownOp, "op"},
		{"op a number", mutate(t, samplePayload, func(env map[string]any) { env["op"] = 1 }), ReasonUnknownOp, "op"},
		{"create without after", mutate(t, samplePayload, func(env map[string]any) { env["after"] = nil }), ReasonMissingField, "after"},
		{"delete without before", mutate(t, samplePayload, func(env map[string]any) { env["op"], env["after"] = "d", nil }), ReasonMissingField, "before"},
		{"delete before without id", mutate(t, samplePayload, func(env map[string]any) {
			env["op"], env["after"], env["before"] = "d", nil, map[string]any{"account_id": "acc-1"}
		}), ReasonMissingField, "id"},
		{"id empty", mutate(t, samplePayload, setAfter(map[string]any{"id": ""})), ReasonMissingField, "id"},
		{"account_id missing", mutate(t, samplePayload, setAfter(map[string]any{"account_id": nil})), ReasonMissingField, "account_id"},
		{"amount missing", mutate(t, samplePayload, setAfter(map[string]any{"amount_minor": nil})), ReasonMissingField, "amount_minor"},
		{"posted_at missing", mutate(t, samplePayload, setAfter(map[string]any{"posted_at": nil})), ReasonMissingField, "posted_at"},
		{"direction missing", mutate(t, samplePayload, setAfter(map[string]any{"direction": nil})), ReasonMissingField, "direction"},
		{"amount zero", mutate(t, samplePayload, setAfter(map[string]any{"amount_minor": 0})), ReasonBadAmount, "amount_minor"},
		{"amount negative", mutate(t, samplePayload, setAfter(map[string]any{"amount_minor": -500})), ReasonBadAmount, "amount_minor"},
		{"amount fraction", []byte(`{"op":"c","after":{"id":"t","account_id":"a","direction":"DEBIT","type":"FEE","status":"POSTED","amount_minor":12.5}}`), ReasonBadAmount, "amount_minor"},
		{"amount fraction string", mutate(t, samplePayload, setAfter(map[string]any{"amount_minor": "12.50"})), ReasonBadAmount, "amount_minor"},
		{"amount exponent", []byte(`{"op":"c","after":{"id":"t","account_id":"a","direction":"DEBIT","type":"FEE","status":"POSTED","amount_minor":1e3}}`), ReasonBadAmount, "amount_minor"},
		{"amount over int64", []byte(`{"op":"c","after":{"id":"t","account_id":"a","direction":"DEBIT","type":"FEE","status":"POSTED","amount_minor":9223372036854775808}}`), ReasonBadAmount, "amount_minor"},
		{"amount text", mutate(t, samplePayload, setAfter(map[string]any{"amount_minor": "lots"})), ReasonBadAmount, "amount_minor"},
		{"amount negative in delete before", mutate(t, string(mutate(t, samplePayload, setAfter(map[string]any{"amount_minor": -1}))), del), ReasonBadAmount, "amount_minor"},
		{"currency unknown", mutate(t, samplePayload, setAfter(map[string]any{"currency": "XYZ"})), ReasonUnknownCurrency, "currency"},
		{"currency lower case", mutate(t, samplePayload, setAfter(map[string]any{"currency": "thb"})), ReasonUnknownCurrency, "currency"},
		{"currency without minor unit", mutate(t, samplePayload, setAfter(map[string]any{"currency": "XAU"})), ReasonUnknownCurrency, "currency"},
		{"posted_at not a time", mutate(t, samplePayload, setAfter(map[string]any{"posted_at": "yesterday"})), ReasonBadTime, "posted_at"},
		{"posted_at without zone", mutate(t, samplePayload, setAfter(map[string]any{"posted_at": "2026-11-22T10:15:30"})), ReasonBadTime, "posted_at"},
		{"posted_at a fraction", mutate(t, samplePayload, setAfter(map[string]any{"posted_at": 1.5})), ReasonBadTime, "posted_at"},
		{"updated_at not a time", mutate(t, samplePayload, setAfter(map[string]any{"updated_at": "soon"})), ReasonBadTime, "updated_at"},
		{"direction unknown", mutate(t, samplePayload, setAfter(map[string]any{"direction": "SIDEWAYS"})), ReasonBadEnum, "direction"},
		{"type unknown", mutate(t, samplePayload, setAfter(map[string]any{"type": "GIFT"})), ReasonBadEnum, "type"},
		{"status lower case", mutate(t, samplePayload, setAfter(map[string]any{"status": "posted"})), ReasonBadEnum, "status"},
	}
	d := NewDecoder(nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := d.DecodeTxn(context.Background(), tt.value)
			assertReason(t, err, tt.reason, tt.field)
			if err != nil && !reflect.DeepEqual(got, TxnChange{}) {
				t.Errorf("a rejected record returned %+v", got)
			}
		})
	}
}

func TestDecodeAccountRejects(t *testing.T) {
	const base = `{"before":null,"after":{"id":"acc-1","user_id":"usr-1","type":"SAVINGS","currency":"THB","status":"ACTIVE","goal_id":null},` +
		`"source":{"ts_ms":1795342500000,"lsn":100},"op":"c","ts_ms":1795342500100}`
	tests := []struct {
		name   string
		value  []byte
		reason string
		field  string
	}{
		{"type unknown", mutate(t, base, setAfter(map[string]any{"type": "BROKERAGE"})), ReasonBadEnum, "type"},
		{"user_id missing", mutate(t, base, setAfter(map[string]any{"user_id": nil})), ReasonMissingField, "user_id"},
		{"status missing", mutate(t, base, setAfter(map[string]any{"status": ""})), ReasonMissingField, "status"},
		{"currency unknown", mutate(t, base, setAfter(map[string]any{"currency": "ZZZ"})), ReasonUnknownCurrency, "currency"},
		{"op unknown", mutate(t, base, func(env map[string]any) { env["op"] = "x" }), ReasonUnknownOp, "op"},
	}
	d := NewDecoder(nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := d.DecodeAccount(context.Background(), tt.value)
			assertReason(t, err, tt.reason, tt.field)
		})
	}
	got, err := d.DecodeAccount(context.Background(), mutate(t, base, func(env map[string]any) {
		env["op"], env["after"], env["before"] = "d", nil, map[string]any{"id": "acc-1"}
	}))
	if err != nil || got != (AccountChange{Op: OpDelete, Deleted: true, Row: Account{ID: "acc-1"}, Pos: Position{LSN: 100, TsMs: 1795342500000}}) {
		t.Errorf("key-only delete: %+v, %v", got, err)
	}
}

func assertReason(t *testing.T, err error, reason, field string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v (%T), want *Error %s", err, err, reason)
	}
	if e.Reason != reason || e.Field != field {
		t.Errorf("err = %v: reason %q field %q, want %q %q", e, e.Reason, e.Field, reason, field)
	}
}
