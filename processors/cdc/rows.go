package cdc

import (
	"strconv"
	"time"
)

// txnFields is a transactions row as it appears in a change event, before
// validation. JSON decodes straight into it; Avro rows are copied into it.
type txnFields struct {
	ID           scalar
	AccountID    scalar
	UserID       scalar
	Direction    scalar
	Type         scalar
	Status       scalar
	AmountMinor  scalar
	Currency     scalar
	MerchantName scalar
	MerchantID   scalar
	MCC          scalar
	Channel      scalar
	BudgetID     scalar
	PostedAt     scalar
	UpdatedAt    scalar
}

// accountFields is an accounts row as it appears in a change event.
type accountFields struct {
	ID       scalar
	UserID   scalar
	Type     scalar
	Currency scalar
	Status   scalar
	GoalID   scalar
}

// timeUnits are the units of numeric posted_at / updated_at values, taken
// from the writer schema (millis when there is none).
type timeUnits struct{ posted, updated timeUnit }

// numericTimes reports whether a time field is a number whose unit the
// writer schema may decide.
func (f *txnFields) numericTimes() bool {
	return f.PostedAt.kind == kindInt || f.UpdatedAt.kind == kindInt
}

// Enums of the CDC contract (DESIGN.md, "Input: CDC topics").
var (
	txnDirections = []string{"DEBIT", "CREDIT"}
	txnTypes      = []string{"PURCHASE", "TRANSFER", "REFUND", "FEE", "INTEREST", "DEPOSIT", "WITHDRAWAL", "BILL_PAYMENT"}
	txnStatuses   = []string{"PENDING", "POSTED", "REVERSED", "FAILED"}
	accountTypes  = []string{"CHECKING", "SAVINGS", "GOAL"}
)

// rowReader validates fields. shape is the reason for a field of the wrong
// type (bad_json or bad_avro). partial is set for the before image of a
// delete, which under REPLICA IDENTITY DEFAULT carries only the key: then
// every field but id may be absent, null, empty or zero, and only values
// that are present are validated.
type rowReader struct {
	shape   string
	partial bool
}

// str reads an optional text column: null/absent is "". A number is taken
// in its decimal form (a bigint id column).
func (r rowReader) str(name string, v scalar) (string, error) {
	switch v.kind {
	case kindAbsent, kindNull:
		return "", nil
	case kindString:
		if err := checkText(name, v.s); err != nil {
			return "", err
		}
		return v.s, nil
	case kindInt:
		return strconv.FormatInt(v.i, 10), nil
	default:
		return "", errorf(r.shape, name, "want a string, got %s", v.describe())
	}
}

// required reads a text column that must be non-empty (unless partial).
func (r rowReader) required(name string, v scalar) (string, error) {
	s, err := r.str(name, v)
	if err != nil {
		return "", err
	}
	if s == "" && !r.partial {
		return "", errorf(ReasonMissingField, name, "%s is %s", name, v.describe())
	}
	return s, nil
}

// id reads the key column, required even in a partial row.
func (r rowReader) id(v scalar) (string, error) {
	return rowReader{shape: r.shape}.required("id", v)
}

// enum reads a required column whose value must be in allowed.
func (r rowReader) enum(name string, v scalar, allowed []string) (string, error) {
	s, err := r.required(name, v)
	if err != nil || s == "" {
		return s, err
	}
	for _, a := range allowed {
		if s == a {
			return s, nil
		}
	}
	return "", errorf(ReasonBadEnum, name, "%q is not one of %v", s, allowed)
}

// currency reads a required ISO-4217 code.
func (r rowReader) currency(v scalar) (string, error) {
	s, err := r.required("currency", v)
	if err != nil || s == "" {
		return s, err
	}
	if _, ok := CurrencyExponent(s); !ok {
		return "", errorf(ReasonUnknownCurrency, "currency", "%q is not an active ISO-4217 code", s)
	}
	return s, nil
}

// amount reads amount_minor: an integer (number or numeric string) in int64
// range, > 0. A partial row may carry 0 or nothing.
func (r rowReader) amount(v scalar) (int64, error) {
	var n int64
	switch v.kind {
	case kindAbsent, kindNull:
		if r.partial {
			return 0, nil
		}
		return 0, errorf(ReasonMissingField, "amount_minor", "amount_minor is %s", v.describe())
	case kindInt:
		n = v.i
	case kindString:
		i, ok := parseInt(v.s)
		if !ok {
			return 0, errorf(ReasonBadAmount, "amount_minor", "%s is not an integer in int64 range", v.describe())
		}
		n = i
	default:
		return 0, errorf(ReasonBadAmount, "amount_minor", "%s is not an integer in int64 range", v.describe())
	}
	if n <= 0 && !(r.partial && n == 0) {
		return 0, errorf(ReasonBadAmount, "amount_minor", "amount_minor %d is not > 0", n)
	}
	if n > MaxAmountMinor {
		return 0, errorf(ReasonBadAmount, "amount_minor", "amount_minor %d is above the limit %d", n, MaxAmountMinor)
	}
	return n, nil
}

// mcc reads the ISO 18245 merchant category code: a number or numeric
// string in 0..9999; absent or null is 0.
func (r rowReader) mcc(v scalar) (int, error) {
	var n int64
	switch v.kind {
	case kindAbsent, kindNull:
		return 0, nil
	case kindInt:
		n = v.i
	case kindString:
		if v.s == "" {
			return 0, nil
		}
		i, ok := parseInt(v.s)
		if !ok {
			return 0, errorf(r.shape, "mcc", "%s is not an integer", v.describe())
		}
		n = i
	default:
		return 0, errorf(r.shape, "mcc", "%s is not an integer", v.describe())
	}
	if n < 0 || n > 9999 {
		return 0, errorf(r.shape, "mcc", "mcc %d is outside 0..9999", n)
	}
	return int(n), nil
}

// time reads a timestamp column; required unless partial.
func (r rowReader) time(name string, v scalar, unit timeUnit) (time.Time, error) {
	if blank(v) {
		if r.partial {
			return time.Time{}, nil
		}
		return time.Time{}, errorf(ReasonMissingField, name, "%s is %s", name, v.describe())
	}
	t, err := parseTime(v, unit)
	if err != nil {
		return time.Time{}, newError(ReasonBadTime, name, err)
	}
	if r.partial && t.IsZero() {
		return t, nil // a key-only before image (Go's zero time from our encoder)
	}
	if err := checkEventTime(name, t); err != nil {
		return time.Time{}, err
	}
	return t, nil
}

// txn validates a transactions row. updated_at falls back to posted_at when
// the row has none.
func (r rowReader) txn(f *txnFields, u timeUnits) (Txn, error) {
	var t Txn
	var err error
	if t.ID, err = r.id(f.ID); err != nil {
		return Txn{}, err
	}
	if t.AccountID, err = r.required("account_id", f.AccountID); err != nil {
		return Txn{}, err
	}
	if t.UserID, err = r.str("user_id", f.UserID); err != nil {
		return Txn{}, err
	}
	if t.Direction, err = r.enum("direction", f.Direction, txnDirections); err != nil {
		return Txn{}, err
	}
	if t.Type, err = r.enum("type", f.Type, txnTypes); err != nil {
		return Txn{}, err
	}
	if t.Status, err = r.enum("status", f.Status, txnStatuses); err != nil {
		return Txn{}, err
	}
	if t.AmountMinor, err = r.amount(f.AmountMinor); err != nil {
		return Txn{}, err
	}
	if t.Currency, err = r.currency(f.Currency); err != nil {
		return Txn{}, err
	}
	if t.MerchantName, err = r.str("merchant_name", f.MerchantName); err != nil {
		return Txn{}, err
	}
	if t.MerchantID, err = r.str("merchant_id", f.MerchantID); err != nil {
		return Txn{}, err
	}
	if t.MCC, err = r.mcc(f.MCC); err != nil {
		return Txn{}, err
	}
	if t.Channel, err = r.str("channel", f.Channel); err != nil {
		return Txn{}, err
	}
	if t.BudgetID, err = r.str("budget_id", f.BudgetID); err != nil {
		return Txn{}, err
	}
	if t.PostedAt, err = r.time("posted_at", f.PostedAt, u.posted); err != nil {
		return Txn{}, err
	}
	if blank(f.UpdatedAt) {
		t.UpdatedAt = t.PostedAt
	} else if t.UpdatedAt, err = r.time("updated_at", f.UpdatedAt, u.updated); err != nil {
		return Txn{}, err
	}
	return t, nil
}

// account validates an accounts row.
func (r rowReader) account(f *accountFields) (Account, error) {
	var a Account
	var err error
	if a.ID, err = r.id(f.ID); err != nil {
		return Account{}, err
	}
	if a.UserID, err = r.required("user_id", f.UserID); err != nil {
		return Account{}, err
	}
	if a.Type, err = r.enum("type", f.Type, accountTypes); err != nil {
		return Account{}, err
	}
	if a.Currency, err = r.currency(f.Currency); err != nil {
		return Account{}, err
	}
	if a.Status, err = r.required("status", f.Status); err != nil {
		return Account{}, err
	}
	if a.GoalID, err = r.str("goal_id", f.GoalID); err != nil {
		return Account{}, err
	}
	return a, nil
}
