package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/lovoo/goka"

	"finstream/processors/accountjoin"
	"finstream/processors/event"
	"finstream/processors/goal"
	"finstream/processors/insight"
	"finstream/processors/notify"
)

// CopilotConfig configures the insights, goals and notification-settings
// endpoints. cmd/ builds it.
type CopilotConfig struct {
	// Gate authenticates requests and limits their rate; give the Server's
	// so that a user's limit counts all their requests. Zero: a Gate over
	// HS256 tokens signed with Secret, without rate limits (HS256Gate).
	Gate *Gate
	// Secret verifies HS256 tokens when Gate is nil.
	Secret []byte
	// Insights is a view of finstream-insights-table. Required.
	Insights *goka.View
	// Goals is a view of finstream-goals-table. Required.
	Goals *goka.View
	// Notifications is a view of finstream-notifications-table. Required.
	Notifications *goka.View
	// Accounts is a view of finstream-accounts-table, to check that a goal's
	// account_id is the user's. Nil skips the check.
	Accounts *goka.View
	// Alerts is a view of finstream-alerts-table, for GET /v1/me/alerts.
	// Nil answers 503 there.
	Alerts *goka.View
	// GoalCommands emits to finstream.commands.goals. Required.
	GoalCommands *goka.Emitter
	// NotifyCommands emits to finstream.commands.notify. Required.
	NotifyCommands *goka.Emitter
	// Now is the clock. Zero value means time.Now.
	Now func() time.Time
	// Logger. Zero value means slog.Default().
	Logger *slog.Logger
}

// Copilot serves insights, savings goals and notification settings:
//
//	GET    /v1/me/insights[?lang=th]           current insights, newest first
//	GET    /v1/me/goals                        own goals, then shared ones
//	PUT    /v1/me/goals/{id}                   {name, target_minor, currency, target_date?, account_id?}
//	DELETE /v1/me/goals/{id}
//	POST   /v1/me/goals/{id}/members           {user_id, role: contributor|viewer}
//	DELETE /v1/me/goals/{id}/members/{user_id}
//	GET    /v1/me/goal-invitations
//	POST   /v1/me/goal-invitations/{owner_id}/{goal_id}/accept | decline
//	GET    /v1/me/notification-settings        {kinds: {kind: bool}, lang}
//	PUT    /v1/me/notification-settings        {kinds?: {kind: bool}, lang?}
//	GET    /v1/me/alerts                       last alerts, newest first, with explanations
//	GET    /v1/me/alerts/{alert_id}            one alert with its explanation
//
// Reads come from goka views (eventually consistent, with versions);
// commands are checked at once against the current state with the
// processors' own logic (400/403/404/422) and then sent through Kafka:
// 202 {"command_id"}. Safe for concurrent use.
type Copilot struct {
	cfg CopilotConfig
	mux *http.ServeMux
}

// NewCopilot builds the endpoints.
func NewCopilot(cfg CopilotConfig) (*Copilot, error) {
	switch {
	case cfg.Gate == nil && len(cfg.Secret) == 0:
		return nil, errors.New("copilot api: no JWT secret")
	case cfg.Insights == nil || cfg.Goals == nil || cfg.Notifications == nil:
		return nil, errors.New("copilot api: a view is missing")
	case cfg.GoalCommands == nil || cfg.NotifyCommands == nil:
		return nil, errors.New("copilot api: a command emitter is missing")
	}
	if err := defaults(&cfg.Now, &cfg.Gate, cfg.Secret, &cfg.Logger); err != nil {
		return nil, err
	}
	c := &Copilot{cfg: cfg, mux: http.NewServeMux()}
	c.Mount(c.mux.Handle)
	return c, nil
}

// Mount adds the routes with handle, for example a Server's Handle:
// c.Mount(srv.Handle).
func (c *Copilot) Mount(handle func(pattern string, handler http.Handler)) {
	handle("GET /v1/me/insights", c.authed(c.getInsights))
	handle("GET /v1/me/goals", c.authed(c.getGoals))
	handle("PUT /v1/me/goals/{id}", c.authed(c.putGoal))
	handle("DELETE /v1/me/goals/{id}", c.authed(c.deleteGoal))
	handle("POST /v1/me/goals/{id}/members", c.authed(c.addGoalMember))
	handle("DELETE /v1/me/goals/{id}/members/{user_id}", c.authed(c.removeGoalMember))
	handle("GET /v1/me/goal-invitations", c.authed(c.getGoalInvitations))
	handle("POST /v1/me/goal-invitations/{owner_id}/{goal_id}/accept", c.authed(c.answerGoalInvitation(event.CmdAcceptGoalMember)))
	handle("POST /v1/me/goal-invitations/{owner_id}/{goal_id}/decline", c.authed(c.answerGoalInvitation(event.CmdDeclineGoalMember)))
	handle("GET /v1/me/notification-settings", c.authed(c.getNotificationSettings))
	handle("GET /v1/me/alerts", c.authed(c.getAlerts))
	handle("GET /v1/me/alerts/{alert_id}", c.authed(c.getAlert))
	handle("PUT /v1/me/notification-settings", c.authed(c.putNotificationSettings))
}

// ServeHTTP serves the routes alone (tests).
func (c *Copilot) ServeHTTP(w http.ResponseWriter, r *http.Request) { c.mux.ServeHTTP(w, r) }

func (c *Copilot) authed(h authed) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if user, ok := c.cfg.Gate.user(w, r); ok {
			h(w, r, user)
		}
	})
}

// read gets key from view into a T; a key never written reads as zero.
func read[T any](view *goka.View, key string) (T, error) {
	var zero T
	v, err := view.Get(key)
	if err != nil {
		return zero, fmt.Errorf("read %q: %w", key, err)
	}
	if t, ok := v.(T); ok {
		return t, nil
	}
	return zero, nil
}

func (c *Copilot) unavailable(w http.ResponseWriter, err error) {
	c.cfg.Logger.Error("copilot api: read state", "err", err)
	writeError(w, http.StatusServiceUnavailable, "unavailable", "state is not available, retry")
}

// getInsights answers the user's current insights (not expired at the
// clock's now), newest first; ?lang=th gives the Thai texts.
func (c *Copilot) getInsights(w http.ResponseWriter, r *http.Request, user string) {
	st, ok := readAt(w, r, c.unavailable, func() (insight.State, int64, error) {
		st, err := read[insight.State](c.cfg.Insights, user)
		return st, st.Version, err
	})
	if !ok {
		return
	}
	list := st.Current(c.cfg.Now())
	if r.URL.Query().Get("lang") == insight.LangTH {
		for i := range list {
			list[i].Text = list[i].TextTH
		}
	}
	out, err := c.explainInsights(user, list)
	if err != nil {
		c.unavailable(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"insights": out, "version": st.Version})
}

// emit sends a command keyed by key and answers 202 with its id (and at)
// once Kafka acked it.
func (c *Copilot) emit(ctx context.Context, w http.ResponseWriter, em *goka.Emitter, key, id string, cmd any, at *minVersion) {
	accept(ctx, w, c.cfg.Logger, em, key, cmd, map[string]string{"command_id": id}, at)
}

// getNotificationSettings answers {kinds: {kind: enabled}, lang}.
func (c *Copilot) getNotificationSettings(w http.ResponseWriter, r *http.Request, user string) {
	st, ok := readAt(w, r, c.unavailable, func() (notify.State, int64, error) {
		st, err := read[notify.State](c.cfg.Notifications, user)
		return st, st.Version, err
	})
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"kinds": st.Settings().Kinds, "lang": st.Settings().Lang, "version": st.Version})
}

// putNotificationSettings changes the kinds named (true: on, false: opted
// out) and the language when given; what is not named keeps its setting.
func (c *Copilot) putNotificationSettings(w http.ResponseWriter, r *http.Request, user string) {
	var req struct {
		Kinds map[string]bool `json:"kinds"`
		Lang  string          `json:"lang"`
	}
	if !decodeBody(w, r, &req) {
		return
	}
	st, err := read[notify.State](c.cfg.Notifications, user)
	if err != nil {
		c.unavailable(w, err)
		return
	}
	cur := st.Settings()
	for k, on := range req.Kinds {
		if _, known := cur.Kinds[k]; !known {
			writeError(w, http.StatusUnprocessableEntity, "invalid", fmt.Sprintf("unknown notification kind %q (known: %v)", k, notify.Kinds))
			return
		}
		cur.Kinds[k] = on
	}
	lang := st.Lang
	if req.Lang != "" {
		lang = req.Lang
	}
	disabled, enabled := []string{}, []string{}
	for _, k := range notify.Kinds {
		switch {
		case notify.OptIn(k) && cur.Kinds[k]:
			enabled = append(enabled, k)
		case !notify.OptIn(k) && !cur.Kinds[k]:
			disabled = append(disabled, k)
		}
	}
	if err := notify.ValidateSettings(disabled, lang); err != nil {
		writeError(w, http.StatusUnprocessableEntity, "invalid", err.Error())
		return
	}
	cmd := event.NotificationSettings{CommandID: newCommandID(), UserID: user, Disabled: disabled, Enabled: enabled, Lang: lang, IssuedAt: c.cfg.Now()}
	before := st.Version
	_, _ = st.SetSettings(cmd) // validated above; on the private copy read
	c.emit(r.Context(), w, c.cfg.NotifyCommands, user, cmd.CommandID, cmd, versionAfter("/v1/me/notification-settings", before, st.Version))
}

// accountOwner is the user of account id from the accounts view ("" when
// unknown or when there is no view).
func (c *Copilot) accountOwner(id string) (string, error) {
	if c.cfg.Accounts == nil {
		return "", nil
	}
	st, err := read[accountjoin.State](c.cfg.Accounts, id)
	if err != nil {
		return "", err
	}
	return st.UserID(), nil
}

// goalError answers an error of the goal logic.
func goalError(w http.ResponseWriter, err error) {
	switch {
	case errors.Is(err, goal.ErrNotFound):
		writeError(w, http.StatusNotFound, "not_found", err.Error())
	case errors.Is(err, goal.ErrForbidden):
		writeError(w, http.StatusForbidden, "forbidden", err.Error())
	default:
		writeError(w, http.StatusUnprocessableEntity, "invalid", err.Error())
	}
}
