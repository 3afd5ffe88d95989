package cdc

import (
	"errors"
	"fmt"
)

// ErrTombstone is returned for a record whose value is empty (nil, zero
// bytes, JSON null, or a {"schema":..,"payload":null} wrapper): Debezium's
// tombstone after a delete, which only serves log compaction. Callers skip it.
var ErrTombstone = errors.New("cdc: tombstone (empty value)")

// Reasons a record is rejected. They are short, stable and bounded, so callers
// may put them in DLQ headers and metric labels.
const (
	// ReasonBadJSON: the value is not JSON, or a field has the wrong JSON type
	// or shape (an object where a string belongs, an mcc that is not a number).
	ReasonBadJSON = "bad_json"
	// ReasonBadAvro: the Confluent framing or Avro body is malformed, or a
	// field of the writer schema has a type the contract cannot use.
	ReasonBadAvro = "bad_avro"
	// ReasonUnknownSchema: the Avro writer schema could not be obtained (no
	// registry configured, id unknown to the registry) or compiled.
	ReasonUnknownSchema = "unknown_schema"
	// ReasonUnknownOp: op is not one of c, u, d, r.
	ReasonUnknownOp = "unknown_op"
	// ReasonMissingField: a required field (op, after, before, id, ...) is
	// absent, null or empty.
	ReasonMissingField = "missing_field"
	// ReasonBadAmount: amount_minor is not an integer in 1..MaxAmountMinor.
	ReasonBadAmount = "bad_amount"
	// ReasonUnknownCurrency: currency is not an active ISO-4217 code.
	ReasonUnknownCurrency = "unknown_currency"
	// ReasonBadTime: posted_at or updated_at is neither an ISO-8601 timestamp
	// with zone nor an epoch number, or is outside [MinEventTime, MaxEventTime).
	ReasonBadTime = "bad_time"
	// ReasonBadEnum: direction, type or status is outside its enum.
	ReasonBadEnum = "bad_enum"
	// ReasonTooLong: a text column is longer than its limit (limits.go).
	ReasonTooLong = "too_long"
	// ReasonBadText: a text column is not valid UTF-8 or holds a NUL.
	ReasonBadText = "bad_text"
	// ReasonTooLarge: the whole record is larger than MaxRecordBytes.
	ReasonTooLarge = "too_large"
)

// Error is a record the decoder rejected: it cannot be decoded or it violates
// the CDC contract. Reason is one of the Reason constants; Field names the
// offending field ("amount_minor", "op", "source.lsn"), or is empty when the
// record as a whole is at fault; Err is the cause, if any.
type Error struct {
	Reason string
	Field  string
	Err    error
}

// Error implements error.
func (e *Error) Error() string {
	msg := "cdc: " + e.Reason
	if e.Field != "" {
		msg += " (field " + e.Field + ")"
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

func newError(reason, field string, cause error) *Error {
	return &Error{Reason: reason, Field: field, Err: cause}
}

func errorf(reason, field, format string, args ...any) *Error {
	return &Error{Reason: reason, Field: field, Err: fmt.Errorf(format, args...)}
}
