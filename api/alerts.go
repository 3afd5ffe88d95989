package api

import (
	"net/http"
	"slices"

	"finstream/processors/budget"
	"finstream/processors/event"
)

// getAlerts answers the user's last alerts (budget.MaxAlertLog at most),
// newest first, each with its explanation.
func (c *Copilot) getAlerts(w http.ResponseWriter, r *http.Request, user string) {
	l, ok := c.alertLog(w, r, user)
	if ok {
		writeJSON(w, http.StatusOK, map[string]any{"alerts": l.Newest(), "version": l.Version})
	}
}

// getAlert answers one of the user's alerts by id, with its explanation:
// the transactions that built the spend, the threshold, the pace and the
// rule. Another user's alert id, or one no longer among the user's last
// budget.MaxAlertLog, is 404.
func (c *Copilot) getAlert(w http.ResponseWriter, r *http.Request, user string) {
	l, ok := c.alertLog(w, r, user)
	if !ok {
		return
	}
	a, found := l.Find(r.PathValue("alert_id"))
	if !found || a.UserID != user {
		writeError(w, http.StatusNotFound, "not_found", "no such alert among your recent alerts")
		return
	}
	writeJSON(w, http.StatusOK, a)
}

// alertLog reads the user's alert log, waiting for ?min_version (readAt).
func (c *Copilot) alertLog(w http.ResponseWriter, r *http.Request, user string) (budget.AlertLog, bool) {
	if c.cfg.Alerts == nil {
		writeError(w, http.StatusServiceUnavailable, "unavailable", "alerts are not served by this instance")
		return budget.AlertLog{}, false
	}
	return readAt(w, r, c.unavailable, func() (budget.AlertLog, int64, error) {
		l, err := read[budget.AlertLog](c.cfg.Alerts, user)
		return l, l.Version, err
	})
}

// explainedInsight is an insight with, for a budget's insight, the
// explanation of the budget's latest alert in the insight's period.
type explainedInsight struct {
	event.Insight
	AlertID     string             `json:"alert_id,omitempty"`
	Explanation *event.Explanation `json:"explanation,omitempty"`
}

// budgetKinds are the insight kinds about one budget's period.
var budgetKinds = []string{event.InsightBudgetUsage, event.InsightRemaining, event.InsightRunway, event.InsightSafeToSpend}

// explainInsights attaches to each budget insight the explanation of the
// newest alert of its budget and period among the user's recent alerts
// (none without an Alerts view).
func (c *Copilot) explainInsights(user string, list []event.Insight) ([]explainedInsight, error) {
	out := make([]explainedInsight, len(list))
	var l budget.AlertLog
	if c.cfg.Alerts != nil {
		var err error
		if l, err = read[budget.AlertLog](c.cfg.Alerts, user); err != nil {
			return nil, err
		}
	}
	newest := l.Newest()
	for i, in := range list {
		out[i].Insight = in
		if !slices.Contains(budgetKinds, in.Kind) {
			continue
		}
		for _, a := range newest {
			if a.Category == in.Subject && a.PeriodKey == in.PeriodKey && a.BudgetID == budget.BudgetID(user, a.Category) {
				out[i].AlertID, out[i].Explanation = a.AlertID, a.Explanation
				break
			}
		}
	}
	return out, nil
}
