package budget

import (
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	"sync"
	"time"

	"finstream/processors/event"
)

// Formats of an encoded AlertLog (its first byte).
//
// alertLogFormat (0xA2) is the format byte, then a raw DEFLATE stream
// (RFC 1951) of the body: the user id, version and alerts, every string
// interned (written once in the value, then referred to by its index:
// a transaction explains several alerts of its budget's period, and an
// alert's user, budget, category and period repeat across the log) and
// every time as seconds since the time written before it. Compressed
// because the texts and rules of the alerts are alike (one template each).
// The log is written only when an alert comes, off the hot path.
//
// alertLogFormatV1 (0xA1), every string and time in full, uncompressed,
// still decodes.
const (
	alertLogFormat   byte = 0xA2
	alertLogFormatV1 byte = 0xA1
)

// maxAlertLogBody bounds the body a value inflates to: a full log is about
// 12 KiB; a larger body is refused as corrupt.
const maxAlertLogBody = 1 << 20

// AlertLogCodec is the goka codec of the finstream-alerts-table: a
// compact binary encoding of AlertLog (alertLogFormat). Decode returns an
// AlertLog value. Safe for concurrent use.
type AlertLogCodec struct{}

// Encode encodes an AlertLog or *AlertLog.
func (AlertLogCodec) Encode(v any) ([]byte, error) {
	var l *AlertLog
	switch x := v.(type) {
	case AlertLog:
		l = &x
	case *AlertLog:
		l = x
	default:
		return nil, fmt.Errorf("alert log codec: cannot encode %T", v)
	}
	body := &alertWriter{}
	body.str(l.UserID)
	body.int(l.Version)
	body.uint(len(l.Alerts))
	for _, a := range l.Alerts {
		body.alert(a)
	}
	out := bytes.NewBuffer(make([]byte, 0, len(body.b)/3+64))
	out.WriteByte(alertLogFormat)
	fw := deflaters.Get().(*flate.Writer)
	defer deflaters.Put(fw)
	fw.Reset(out)
	if _, err := fw.Write(body.b); err != nil {
		return nil, fmt.Errorf("alert log of %q: %w", l.UserID, err)
	}
	if err := fw.Close(); err != nil {
		return nil, fmt.Errorf("alert log of %q: %w", l.UserID, err)
	}
	return out.Bytes(), nil
}

// Decode decodes what Encode wrote, or alertLogFormatV1.
func (AlertLogCodec) Decode(b []byte) (any, error) {
	if len(b) == 0 {
		return AlertLog{}, nil
	}
	switch b[0] {
	case alertLogFormat:
		body, err := inflate(b[1:])
		if err != nil {
			return nil, fmt.Errorf("alert log: %w", err)
		}
		return decodeAlertLog(&alertReader{reader: reader{b: body}})
	case alertLogFormatV1:
		return decodeAlertLog(&alertReader{reader: reader{b: b[1:]}, v1: true})
	}
	return nil, fmt.Errorf("alert log: unknown format byte 0x%02x", b[0])
}

func decodeAlertLog(r *alertReader) (AlertLog, error) {
	var l AlertLog
	l.UserID, l.Version = r.str(), r.int()
	if n := r.len(); n > 0 {
		l.Alerts = make([]event.Alert, n)
		for i := range l.Alerts {
			l.Alerts[i] = r.alert()
		}
	}
	if r.err != nil {
		return AlertLog{}, fmt.Errorf("alert log of %q: %w", l.UserID, r.err)
	}
	if len(r.b) != 0 {
		return AlertLog{}, fmt.Errorf("alert log of %q: %d trailing bytes", l.UserID, len(r.b))
	}
	return l, nil
}

// deflaters are reused: a flate.Writer allocates about 1 MiB.
var deflaters = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(nil, flate.DefaultCompression) // the level is valid
	return w
}}

var inflaters = sync.Pool{New: func() any { return flate.NewReader(nil) }}

// inflate decompresses a raw DEFLATE stream of at most maxAlertLogBody
// bytes; a truncated or corrupt stream is an error.
func inflate(b []byte) ([]byte, error) {
	fr := inflaters.Get().(io.ReadCloser)
	defer inflaters.Put(fr)
	if err := fr.(flate.Resetter).Reset(bytes.NewReader(b), nil); err != nil {
		return nil, err
	}
	body, err := io.ReadAll(io.LimitReader(fr, maxAlertLogBody+1))
	if err != nil {
		return nil, err
	}
	if len(body) > maxAlertLogBody {
		return nil, fmt.Errorf("body over %d bytes", maxAlertLogBody)
	}
	return body, nil
}

// alertWriter writes an alert log's body: strings interned, times as
// 1 + nanoseconds then seconds since the previous time (0: the zero time).
type alertWriter struct {
	writer
	last int64 // Unix seconds of the last time written
}

func (w *alertWriter) str(s string) { w.interned(s) }

func (w *alertWriter) time(t time.Time) {
	if t.IsZero() {
		w.uint(0)
		return
	}
	w.uint(t.Nanosecond() + 1)
	w.int(t.Unix() - w.last)
	w.last = t.Unix()
}

func (w *alertWriter) alert(a event.Alert) {
	for _, s := range []string{a.AlertID, a.UserID, a.BudgetID, a.Category, a.PeriodKey, a.Currency, a.TxnID, a.Merchant, a.Text, a.Kind} {
		w.str(s)
	}
	for _, n := range []int64{a.ThresholdBP, a.UsedBP, a.SpentMinor, a.LimitMinor, a.RemainingMinor, a.DaysLeft} {
		w.int(n)
	}
	w.time(a.EventTime)
	x := a.Explanation
	w.bool(x != nil)
	if x == nil {
		return
	}
	w.int(x.Count)
	w.bool(x.Truncated)
	w.int(x.ThresholdBP)
	w.str(x.Pace)
	w.int(x.ElapsedBP)
	w.str(x.Rule)
	w.uint(len(x.Transactions))
	for _, t := range x.Transactions {
		w.str(t.TxnID)
		w.str(t.Merchant)
		w.int(t.AmountMinor)
		w.str(t.Category)
		w.str(t.Source)
		w.time(t.PostedAt)
	}
}

// alertReader reads what alertWriter wrote, or (v1) alertLogFormatV1's
// body: strings and times in full, categories and sources as codes.
type alertReader struct {
	reader
	v1   bool
	last int64
}

func (r *alertReader) str() string {
	if r.v1 {
		return r.reader.str()
	}
	return r.interned()
}

func (r *alertReader) time() time.Time {
	if r.v1 {
		return r.reader.time()
	}
	ns := r.uvarint()
	if ns == 0 {
		return time.Time{}
	}
	if ns > 1e9 {
		r.fail()
		return time.Time{}
	}
	r.last += r.int()
	return time.Unix(r.last, int64(ns-1)).UTC()
}

// code reads a category or source: interned, or (v1) as its code in list.
func (r *alertReader) code(list []string) string {
	if r.v1 {
		return decode(&r.reader, list)
	}
	return r.str()
}

func (r *alertReader) alert() event.Alert {
	var a event.Alert
	for _, s := range []*string{&a.AlertID, &a.UserID, &a.BudgetID, &a.Category, &a.PeriodKey, &a.Currency, &a.TxnID, &a.Merchant, &a.Text, &a.Kind} {
		*s = r.str()
	}
	for _, n := range []*int64{&a.ThresholdBP, &a.UsedBP, &a.SpentMinor, &a.LimitMinor, &a.RemainingMinor, &a.DaysLeft} {
		*n = r.int()
	}
	a.EventTime = r.time()
	if r.byte() == 0 {
		return a
	}
	x := &event.Explanation{Count: r.int(), Truncated: r.byte() == 1, ThresholdBP: r.int(), Pace: r.str(), ElapsedBP: r.int(), Rule: r.str()}
	x.Transactions = make([]event.ExplainedTxn, r.len())
	for i := range x.Transactions {
		t := &x.Transactions[i]
		t.TxnID, t.Merchant, t.AmountMinor = r.str(), r.str(), r.int()
		t.Category, t.Source = r.code(slugs), r.code(sources)
		t.PostedAt = r.time()
	}
	a.Explanation = x
	return a
}
