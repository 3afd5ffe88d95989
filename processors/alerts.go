package processors

import (
	"github.com/lovoo/goka"

	"finstream/processors/budget"
	"finstream/processors/event"
	"finstream/topics"
)

// GroupAlerts keeps each user's last alerts (budget.AlertLog, at most
// budget.MaxAlertLog) keyed by user_id in finstream-alerts-table, for
// GET /v1/me/alerts/{alert_id}. Off the hot path: it reads
// finstream.budget.alerts and writes nothing but its table.
const GroupAlerts goka.Group = topics.GroupAlerts

func defineAlerts(cfg *Config) *goka.GroupGraph {
	return goka.DefineGroup(goka.Group(cfg.Topics.GroupAlerts),
		input(goka.Stream(cfg.Topics.BudgetAlerts), cfg.Codecs.BudgetAlerts, alertLogged),
		dlqOutput(cfg),
		goka.Persist(cfg.Codecs.AlertsTable),
	)
}

// alertLogged adds the alert to its user's log; a re-sent alert (its id
// kept) changes nothing and is not stored again.
func alertLogged(ctx goka.Context, msg any) {
	l, _ := ctx.Value().(budget.AlertLog)
	l.UserID = ctx.Key()
	if l.Add(msg.(event.Alert)) {
		ctx.SetValue(l)
	}
}
