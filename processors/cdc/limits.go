package cdc

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits of the CDC contract, enforced at decode so that no accepted record
// can grow a state value, an internal record or a sink row beyond what the
// pipeline can store and produce (a 1,000,000-character merchant_name once
// made a table value larger than the producer's MaxMessageBytes and
// stopped the whole process). Every limit is far above what core banking
// writes; a record beyond one goes to the DLQ with the reason below.
const (
	// MaxRecordBytes bounds a whole CDC record value (a Debezium envelope
	// with its Connect schema is a few KiB): ReasonTooLarge.
	MaxRecordBytes = 256 << 10
	// MaxIDBytes bounds id, account_id, user_id, merchant_id, budget_id and
	// goal_id: ReasonTooLong.
	MaxIDBytes = 128
	// MaxNameBytes bounds merchant_name (UTF-8 bytes): ReasonTooLong.
	MaxNameBytes = 256
	// MaxCodeBytes bounds the short codes channel and accounts.status:
	// ReasonTooLong.
	MaxCodeBytes = 64
	// MaxAmountMinor bounds amount_minor (10^14 minor units, a trillion
	// baht): any total of up to 90,000 such amounts stays in int64.
	// ReasonBadAmount.
	MaxAmountMinor int64 = 100_000_000_000_000
)

// MinEventTime and MaxEventTime bound posted_at and updated_at (from
// inclusive, to exclusive): ReasonBadTime. Fixed dates, not the wall clock,
// so that a replay decides as the first run did.
var (
	MinEventTime = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	MaxEventTime = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
)

// maxBytesOf is the length limit of a text column.
func maxBytesOf(column string) int {
	switch column {
	case "merchant_name":
		return MaxNameBytes
	case "channel", "status":
		return MaxCodeBytes
	default:
		return MaxIDBytes
	}
}

// checkText enforces a text column's limits: at most its length in bytes,
// valid UTF-8 and no NUL, as a Postgres text column holds (the sinks copy
// them there). The message never repeats the value.
func checkText(column, s string) error {
	if limit := maxBytesOf(column); len(s) > limit {
		return errorf(ReasonTooLong, column, "%s is %d bytes, the limit is %d", column, len(s), limit)
	}
	if !utf8.ValidString(s) {
		return errorf(ReasonBadText, column, "%s is not valid UTF-8", column)
	}
	if strings.IndexByte(s, 0) >= 0 {
		return errorf(ReasonBadText, column, "%s holds a NUL character", column)
	}
	return nil
}

// checkEventTime enforces the time range.
func checkEventTime(column string, t time.Time) error {
	if t.Before(MinEventTime) || !t.Before(MaxEventTime) {
		return newError(ReasonBadTime, column, fmt.Errorf("%s %s is outside [%s, %s)", column,
			t.Format(time.RFC3339), MinEventTime.Format(time.RFC3339), MaxEventTime.Format(time.RFC3339)))
	}
	return nil
}

// checkRecordSize enforces MaxRecordBytes.
func checkRecordSize(value []byte) error {
	if len(value) > MaxRecordBytes {
		return errorf(ReasonTooLarge, "", "record is %d bytes, the limit is %d", len(value), MaxRecordBytes)
	}
	return nil
}
