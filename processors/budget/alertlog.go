package budget

import (
	"cmp"
	"fmt"
	"slices"

	"finstream/processors/event"
)

// MaxAlertLog bounds the alerts a user's AlertLog keeps: the newest by
// arrival. An older alert is no longer found by id (GET answers 404).
const MaxAlertLog = 20

// AlertLog is the value of the finstream-alerts-table, keyed by user_id:
// the user's last MaxAlertLog alerts with their explanations, so that an
// alert is found by its id. It is rewritten only when an alert comes, and
// bounded by MaxAlertLog alerts of at most MaxBuilders transactions each.
type AlertLog struct {
	UserID  string        `json:"user_id"`
	Alerts  []event.Alert `json:"alerts"` // oldest first
	Version int64         `json:"version"`
}

// Add keeps a (the newest at the end) and reports whether it was new: an
// alert whose id is kept already (a re-sent copy) changes nothing.
func (l *AlertLog) Add(a event.Alert) bool {
	if slices.ContainsFunc(l.Alerts, func(x event.Alert) bool { return x.AlertID == a.AlertID }) {
		return false
	}
	l.Alerts = append(l.Alerts, a)
	if n := len(l.Alerts); n > MaxAlertLog {
		l.Alerts = slices.Delete(l.Alerts, 0, n-MaxAlertLog)
	}
	l.Version++
	return true
}

// Find returns the alert of id.
func (l *AlertLog) Find(id string) (event.Alert, bool) {
	i := slices.IndexFunc(l.Alerts, func(x event.Alert) bool { return x.AlertID == id })
	if i < 0 {
		return event.Alert{}, false
	}
	return l.Alerts[i], true
}

// Newest lists the alerts newest first: by arrival, and among the alerts
// of one event time the highest threshold first.
func (l *AlertLog) Newest() []event.Alert {
	out := slices.Clone(l.Alerts)
	slices.Reverse(out)
	for i := 0; i < len(out); { // each run of one event time
		j := i + 1
		for j < len(out) && out[j].EventTime.Equal(out[i].EventTime) {
			j++
		}
		slices.SortStableFunc(out[i:j], func(a, b event.Alert) int { return cmp.Compare(b.ThresholdBP, a.ThresholdBP) })
		i = j
	}
	if out == nil {
		out = []event.Alert{}
	}
	return out
}

// alertLogFormat is the first byte of an encoded AlertLog.
const alertLogFormat byte = 0xA1

// AlertLogCodec is the goka codec of the finstream-alerts-table: a
// compact binary encoding of AlertLog. Decode returns an AlertLog value.
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
	w := writer{b: []byte{alertLogFormat}}
	w.str(l.UserID)
	w.int(l.Version)
	w.uint(len(l.Alerts))
	for _, a := range l.Alerts {
		for _, s := range []string{a.AlertID, a.UserID, a.BudgetID, a.Category, a.PeriodKey, a.Currency, a.TxnID, a.Merchant, a.Text, a.Kind} {
			w.str(s)
		}
		for _, n := range []int64{a.ThresholdBP, a.UsedBP, a.SpentMinor, a.LimitMinor, a.RemainingMinor, a.DaysLeft} {
			w.int(n)
		}
		w.time(a.EventTime)
		writeExplanation(&w, a.Explanation)
	}
	return w.b, nil
}

// Decode decodes what Encode wrote.
func (AlertLogCodec) Decode(b []byte) (any, error) {
	var l AlertLog
	if len(b) == 0 {
		return l, nil
	}
	if b[0] != alertLogFormat {
		return nil, fmt.Errorf("alert log: unknown format byte 0x%02x", b[0])
	}
	r := &reader{b: b[1:]}
	l.UserID, l.Version = r.str(), r.int()
	if n := r.len(); n > 0 {
		l.Alerts = make([]event.Alert, n)
		for i := range l.Alerts {
			a := &l.Alerts[i]
			for _, s := range []*string{&a.AlertID, &a.UserID, &a.BudgetID, &a.Category, &a.PeriodKey, &a.Currency, &a.TxnID, &a.Merchant, &a.Text, &a.Kind} {
				*s = r.str()
			}
			for _, n := range []*int64{&a.ThresholdBP, &a.UsedBP, &a.SpentMinor, &a.LimitMinor, &a.RemainingMinor, &a.DaysLeft} {
				*n = r.int()
			}
			a.EventTime = r.time()
			a.Explanation = readExplanation(r)
		}
	}
	if r.err != nil {
		return nil, fmt.Errorf("alert log of %q: %w", l.UserID, r.err)
	}
	if len(r.b) != 0 {
		return nil, fmt.Errorf("alert log of %q: %d trailing bytes", l.UserID, len(r.b))
	}
	return l, nil
}

func writeExplanation(w *writer, x *event.Explanation) {
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
		code(w, t.Category, slugs)
		code(w, t.Source, sources)
		w.time(t.PostedAt)
	}
}

func readExplanation(r *reader) *event.Explanation {
	if r.byte() == 0 {
		return nil
	}
	x := &event.Explanation{Count: r.int(), Truncated: r.byte() == 1, ThresholdBP: r.int(), Pace: r.str(), ElapsedBP: r.int(), Rule: r.str()}
	x.Transactions = make([]event.ExplainedTxn, r.len())
	for i := range x.Transactions {
		t := &x.Transactions[i]
		t.TxnID, t.Merchant, t.AmountMinor = r.str(), r.str(), r.int()
		t.Category, t.Source = decode(r, slugs), decode(r, sources)
		t.PostedAt = r.time()
	}
	return x
}
