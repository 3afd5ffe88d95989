package budget

import (
	"cmp"
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
