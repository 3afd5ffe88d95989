package cdc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"
)

// FuzzDecodeTxn asserts the decoder never panics, fails only with
// ErrTombstone or *Error, and returns only rows that honour the contract.
func FuzzDecodeTxn(f *testing.F) {
	reg := newRegistry(f)
	dec := NewDecoder(reg)
	f.Add([]byte(samplePayload))
	f.Add([]byte(sampleWithSchema))
	f.Add([]byte(sampleMicros))
	f.Add([]byte(`{"op":"d","before":{"id":"x"}}`))
	f.Add([]byte(`{"schema":{},"payload":null}`))
	for _, format := range formats {
		enc, err := NewEncoder(context.Background(), format, reg, "core.public.transactions")
		if err != nil {
			f.Fatal(err)
		}
		for _, op := range []Op{OpCreate, OpSnapshot} {
			_, v, err := enc.EncodeTxn(op, nil, &sampleTxn, samplePos)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(v)
		}
		_, v, err := enc.EncodeTxn(OpDelete, &Txn{ID: "k"}, nil, samplePos)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(v)
	}
	f.Add([]byte(`{"op":"c","after":{"id":"acc-1","user_id":"usr-1","type":"SAVINGS","currency":"THB","status":"ACTIVE","goal_id":null}}`))
	// goavro once allocated what an array block declared (2^31 items).
	f.Add([]byte("\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\xf2\xff\xdf\xdc\x01"))
	f.Fuzz(func(t *testing.T, value []byte) {
		got, err := dec.DecodeTxn(context.Background(), value)
		if acc, aerr := dec.DecodeAccount(context.Background(), value); aerr != nil {
			checkDecodeError(t, aerr)
		} else {
			checkAccountLimits(t, acc.Row)
		}
		if err != nil {
			checkDecodeError(t, err)
		}
		checkAgainstEncodingJSON(t, value, err)
		if err != nil {
			return
		}
		switch got.Op {
		case OpCreate, OpUpdate, OpSnapshot, OpDelete:
		default:
			t.Fatalf("accepted op %q", got.Op)
		}
		if got.Row.ID == "" {
			t.Fatalf("accepted a row without id: %+v", got)
		}
		checkTxnLimits(t, got.Row, got.Op == OpDelete)
		if got.Deleted != (got.Op == OpDelete) {
			t.Fatalf("Deleted %v for op %s", got.Deleted, got.Op)
		}
		if got.Op == OpDelete {
			return
		}
		if got.Row.AmountMinor <= 0 || got.Row.AccountID == "" || got.Row.PostedAt.IsZero() {
			t.Fatalf("accepted an invalid row: %+v", got.Row)
		}
		if _, ok := CurrencyExponent(got.Row.Currency); !ok {
			t.Fatalf("accepted currency %q", got.Row.Currency)
		}
	})
}

// checkAgainstEncodingJSON compares the decoder's JSON reader with
// encoding/json on what is well-formed JSON.
func checkAgainstEncodingJSON(t *testing.T, value []byte, err error) {
	t.Helper()
	trimmed := bytes.TrimLeft(value, " \t\r\n")
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return
	}
	var syntax *syntaxError
	switch valid := json.Valid(value); {
	case !valid && err == nil:
		t.Fatalf("accepted malformed JSON %q", value)
	case valid && errors.As(err, &syntax):
		t.Fatalf("rejected well-formed JSON %q: %v", value, err)
	}
}

func checkDecodeError(t *testing.T, err error) {
	t.Helper()
	var e *Error
	if !errors.Is(err, ErrTombstone) && !errors.As(err, &e) {
		t.Fatalf("error is neither ErrTombstone nor *Error: %T %v", err, err)
	}
}

// checkTxnLimits asserts that an accepted row is within limits.go.
func checkTxnLimits(t *testing.T, r Txn, partial bool) {
	t.Helper()
	for col, v := range map[string]string{"id": r.ID, "account_id": r.AccountID, "user_id": r.UserID, "merchant_name": r.MerchantName,
		"merchant_id": r.MerchantID, "channel": r.Channel, "budget_id": r.BudgetID, "direction": r.Direction, "type": r.Type,
		"status": r.Status, "currency": r.Currency} {
		if err := checkText(col, v); err != nil {
			t.Fatalf("accepted a row beyond the limits: %v", err)
		}
	}
	if r.AmountMinor > MaxAmountMinor || r.AmountMinor < 0 {
		t.Fatalf("accepted amount_minor %d", r.AmountMinor)
	}
	for col, at := range map[string]time.Time{"posted_at": r.PostedAt, "updated_at": r.UpdatedAt} {
		if partial && at.IsZero() {
			continue
		}
		if err := checkEventTime(col, at); err != nil {
			t.Fatalf("accepted a row beyond the limits: %v", err)
		}
	}
}

// checkAccountLimits asserts that an accepted accounts row is within limits.go.
func checkAccountLimits(t *testing.T, a Account) {
	t.Helper()
	for col, v := range map[string]string{"id": a.ID, "user_id": a.UserID, "type": a.Type, "currency": a.Currency,
		"status": a.Status, "goal_id": a.GoalID} {
		if err := checkText(col, v); err != nil {
			t.Fatalf("accepted an account beyond the limits: %v", err)
		}
	}
}
