package api

import (
	"net/http"

	"finstream/processors/budget"
)

// getAlerts answers the user's last alerts (budget.MaxAlertLog at most),
// newest first, each with its explanation.
func (c *Copilot) getAlerts(w http.ResponseWriter, r *http.Request, user string) {
	l, ok := c.alertLog(w, user)
	if ok {
		writeJSON(w, http.StatusOK, map[string]any{"alerts": l.Newest(), "version": l.Version})
	}
}

// getAlert answers one of the user's alerts by id, with its explanation:
// the transactions that built the spend, the threshold, the pace and the
// rule. Another user's alert id, or one no longer among the user's last
// budget.MaxAlertLog, is 404.
func (c *Copilot) getAlert(w http.ResponseWriter, r *http.Request, user string) {
	l, ok := c.alertLog(w, user)
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

func (c *Copilot) alertLog(w http.ResponseWriter, user string) (budget.AlertLog, bool) {
	if c.cfg.Alerts == nil {
		writeError(w, http.StatusServiceUnavailable, "unavailable", "alerts are not served by this instance")
		return budget.AlertLog{}, false
	}
	l, err := read[budget.AlertLog](c.cfg.Alerts, user)
	if err != nil {
		c.unavailable(w, err)
		return budget.AlertLog{}, false
	}
	return l, true
}
