package cdc

import (
	"fmt"
	"strconv"
	"time"
)

// scalarKind says what a field held in the record.
type scalarKind uint8

const (
	kindAbsent scalarKind = iota // field not in the record
	kindNull                     // JSON null / Avro null branch
	kindString                   // s
	kindInt                      // i: an integer number
	kindNumber                   // s: a number that is not an int64 (fraction, exponent, overflow)
	kindTime                     // t: Avro timestamp logical type
	kindOther                    // bool, object, array, bytes: never valid for a row field
)

// scalar is one leaf value of a change event, format-neutral: the JSON
// reader produces it directly (no map[string]any), Avro fields are
// converted to it. Interpretation (int, time, enum) happens in the row builders.
type scalar struct {
	kind scalarKind
	s    string
	i    int64
	t    time.Time
}

// parseInt parses an optionally signed decimal integer in int64 range.
// Anything else (fraction, exponent, leading '+', empty, overflow) is false.
func parseInt[T string | []byte](b T) (int64, bool) {
	n := len(b)
	if n == 0 {
		return 0, false
	}
	neg := false
	i := 0
	if b[0] == '-' {
		neg = true
		i = 1
		if n == 1 {
			return 0, false
		}
	}
	var u uint64
	for ; i < n; i++ {
		c := b[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		if u > (1<<63)/10 {
			return 0, false
		}
		u = u*10 + uint64(c-'0')
		if u > 1<<63 {
			return 0, false
		}
	}
	if neg {
		return -int64(u), true // -(1<<63) wraps to MinInt64, as intended
	}
	if u > 1<<63-1 {
		return 0, false
	}
	return int64(u), true
}

// present reports whether the field carries a value (not absent, not null).
func (v scalar) present() bool { return v.kind != kindAbsent && v.kind != kindNull }

// describe names the kind for error messages.
func (v scalar) describe() string {
	switch v.kind {
	case kindAbsent:
		return "absent"
	case kindNull:
		return "null"
	case kindString:
		return strconv.Quote(v.s)
	case kindInt:
		return strconv.FormatInt(v.i, 10)
	case kindNumber:
		return v.s
	case kindTime:
		return v.t.Format(time.RFC3339Nano)
	default:
		return "a non-scalar value"
	}
}

// timeUnit is the unit of a numeric timestamp.
type timeUnit uint8

const (
	unitMillis timeUnit = iota // default, io.debezium.time.Timestamp, Connect Timestamp
	unitMicros                 // io.debezium.time.MicroTimestamp
	unitNanos                  // io.debezium.time.NanoTimestamp
)

// unitOf maps a Kafka Connect semantic schema name to the unit of its
// numeric value.
func unitOf(schemaName string) timeUnit {
	switch schemaName {
	case "io.debezium.time.MicroTimestamp":
		return unitMicros
	case "io.debezium.time.NanoTimestamp":
		return unitNanos
	default:
		return unitMillis
	}
}

// parseTime interprets a timestamp field: an ISO-8601/RFC 3339 string with a
// zone (Debezium's ZonedTimestamp), an epoch number in unit, or an Avro
// timestamp logical value. The result is in UTC.
func parseTime(v scalar, unit timeUnit) (time.Time, error) {
	switch v.kind {
	case kindString:
		return parseISOTime(v.s)
	case kindInt:
		switch unit {
		case unitMicros:
			return time.UnixMicro(v.i).UTC(), nil
		case unitNanos:
			return time.Unix(0, v.i).UTC(), nil
		default:
			return time.UnixMilli(v.i).UTC(), nil
		}
	case kindTime:
		return v.t.UTC(), nil
	default:
		return time.Time{}, fmt.Errorf("want an ISO-8601 string or epoch number, got %s", v.describe())
	}
}

// parseISOTime accepts RFC 3339 with or without fractional seconds, with
// "Z" or a numeric offset, and a space instead of "T" (Postgres' text form).
func parseISOTime(s string) (time.Time, error) {
	if len(s) > 10 && s[10] == ' ' {
		s = s[:10] + "T" + s[11:]
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("not ISO-8601 with zone: %q", s)
	}
	return t.UTC(), nil
}

// formatZoned renders t as Debezium renders a timestamptz column
// (io.debezium.time.ZonedTimestamp): UTC, "Z", fraction without trailing
// zeros, at Postgres' microsecond precision.
func formatZoned(t time.Time) string {
	return t.UTC().Truncate(time.Microsecond).Format(time.RFC3339Nano)
}
