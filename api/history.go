package api

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"finstream/processors/budget"
	"finstream/processors/category"
	"finstream/processors/event"
	"finstream/sinks"
)

// Page sizes of the history endpoints.
const (
	DefaultHistoryLimit = 50
	MaxHistoryLimit     = 500
)

// HistoryConfig configures the history endpoints. cmd/ builds it when the
// Postgres sink is on.
type HistoryConfig struct {
	// Pool is the sink's database (tables of package sinks). Required.
	Pool *pgxpool.Pool
	// Gate authenticates requests and limits their rate; give the Server's
	// so that a user's limit counts all their requests. Zero: a Gate over
	// HS256 tokens signed with Secret, without rate limits (HS256Gate).
	Gate *Gate
	// Secret verifies HS256 tokens when Gate is nil.
	Secret []byte
	// Now is the clock. Zero value means time.Now.
	Now func() time.Time
	// Timeout bounds the database work of one request; past it the answer
	// is 503. Zero value means 5s.
	Timeout time.Duration
	// Logger receives errors. Zero value means slog.Default().
	Logger *slog.Logger
}

// History serves the history endpoints from the Postgres sink's tables:
//
//	GET /v1/me/transactions?category=&from=&to=&limit=&cursor=
//	GET /v1/me/budgets/{category}/history?limit=&cursor=
//	GET /v1/shared-budgets/{id}/transactions?limit=&cursor=   (participants only)
//
// Lists are newest first with keyset pagination: a page carries
// "next_cursor" (opaque) while more rows follow; limit defaults to 50, at
// most 500. from (inclusive) and to (exclusive) are RFC 3339 times or dates
// (YYYY-MM-DD, midnight UTC). While the database cannot answer, every
// endpoint answers 503 {"error":{"code":"unavailable",...}}. Safe for
// concurrent use.
type History struct {
	cfg HistoryConfig
	db  *sinks.Reader
	mux *http.ServeMux
}

// NewHistory builds the history endpoints.
func NewHistory(cfg HistoryConfig) (*History, error) {
	switch {
	case cfg.Pool == nil:
		return nil, errors.New("history api: no database pool")
	case cfg.Gate == nil && len(cfg.Secret) == 0:
		return nil, errors.New("history api: no JWT secret")
	}
	if err := defaults(&cfg.Now, &cfg.Gate, cfg.Secret, &cfg.Logger); err != nil {
		return nil, err
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 5 * time.Second
	}
	h := &History{cfg: cfg, db: sinks.NewReader(cfg.Pool), mux: http.NewServeMux()}
	h.Mount(h.mux.Handle)
	return h, nil
}

// Mount adds the history routes with handle, for example a Server's
// Handle: h.Mount(srv.Handle).
func (h *History) Mount(handle func(pattern string, handler http.Handler)) {
	handle("GET /v1/me/transactions", h.authed(h.transactions))
	handle("GET /v1/me/budgets/{category}/history", h.authed(h.budgetHistory))
	handle("GET /v1/shared-budgets/{id}/transactions", h.authed(h.sharedTransactions))
}

// ServeHTTP serves the history routes alone (tests, a separate listener).
func (h *History) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

type historyHandler func(ctx context.Context, w http.ResponseWriter, r *http.Request, user string)

func (h *History) authed(f historyHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, ok := h.cfg.Gate.user(w, r)
		if !ok {
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), h.cfg.Timeout)
		defer cancel()
		f(ctx, w, r, user)
	})
}

// dbError answers a failed query: 503 while the database is away or slow,
// 500 otherwise.
func (h *History) dbError(w http.ResponseWriter, r *http.Request, err error) {
	if sinks.Unavailable(err) {
		h.cfg.Logger.Warn("history: database unavailable", "path", r.URL.Path, "err", err)
		writeError(w, http.StatusServiceUnavailable, "unavailable", "transaction history is unavailable, retry later")
		return
	}
	h.cfg.Logger.Error("history: query", "path", r.URL.Path, "err", err)
	writeError(w, http.StatusInternalServerError, "internal", "history query failed")
}

type txnPage struct {
	Transactions []sinks.Txn `json:"transactions"`
	NextCursor   string      `json:"next_cursor,omitempty"`
}

func (h *History) transactions(ctx context.Context, w http.ResponseWriter, r *http.Request, user string) {
	q := r.URL.Query()
	query := sinks.TxnQuery{UserID: user, Category: q.Get("category"), Detailed: q.Get("detailed_category")}
	var msg string
	switch {
	case query.Category != "" && !category.Valid(query.Category):
		msg = "category: unknown category " + strconv.Quote(query.Category)
	case query.Detailed != "" && !category.ValidDetailed(query.Detailed):
		msg = "detailed_category: unknown detailed category " + strconv.Quote(query.Detailed) + " (see GET /v1/categories)"
	case !parseTime(q.Get("from"), &query.From):
		msg = "from: want an RFC 3339 time or a date (2026-11-01)"
	case !parseTime(q.Get("to"), &query.To):
		msg = "to: want an RFC 3339 time or a date (2026-11-01)"
	case !query.From.IsZero() && !query.To.IsZero() && !query.From.Before(query.To):
		msg = "from must be before to"
	case !parseLimit(q.Get("limit"), &query.Limit):
		msg = "limit: want an integer from 1 to " + strconv.Itoa(MaxHistoryLimit)
	case !decodeCursor(q.Get("cursor"), &query.After) || (query.After != nil && query.After.TxnID == ""):
		msg = "cursor: not a cursor of this list"
	}
	if msg != "" {
		writeError(w, http.StatusBadRequest, "bad_request", msg)
		return
	}
	txns, next, err := h.db.Transactions(ctx, query)
	if err != nil {
		h.dbError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, txnPage{Transactions: txns, NextCursor: encodeCursor(next)})
}

func (h *History) budgetHistory(ctx context.Context, w http.ResponseWriter, r *http.Request, user string) {
	cat := r.PathValue("category")
	q := r.URL.Query()
	var limit int
	var before *int64
	switch {
	case !category.Valid(cat):
		writeError(w, http.StatusNotFound, "not_found", "no budget on category "+cat)
		return
	case !parseLimit(q.Get("limit"), &limit):
		writeError(w, http.StatusBadRequest, "bad_request", "limit: want an integer from 1 to "+strconv.Itoa(MaxHistoryLimit))
		return
	case !decodeCursor(q.Get("cursor"), &before) || (before != nil && *before <= 0):
		writeError(w, http.StatusBadRequest, "bad_request", "cursor: not a cursor of this list")
		return
	}
	id := budget.BudgetID(user, cat)
	var from int64
	if before != nil {
		from = *before
	}
	versions, next, err := h.db.BudgetHistory(ctx, id, from, limit)
	if err != nil {
		h.dbError(w, r, err)
		return
	}
	if len(versions) == 0 && before == nil {
		writeError(w, http.StatusNotFound, "not_found", "no budget on category "+cat)
		return
	}
	out := struct {
		BudgetID   string                `json:"budget_id"`
		History    []sinks.BudgetVersion `json:"history"`
		NextCursor string                `json:"next_cursor,omitempty"`
	}{BudgetID: id, History: versions}
	if versions == nil {
		out.History = []sinks.BudgetVersion{}
	}
	if next > 0 {
		out.NextCursor = encodeCursor(&next)
	}
	writeJSON(w, http.StatusOK, out)
}

func (h *History) sharedTransactions(ctx context.Context, w http.ResponseWriter, r *http.Request, user string) {
	id := r.PathValue("id")
	q := r.URL.Query()
	var limit int
	var after *sinks.Position
	if !parseLimit(q.Get("limit"), &limit) || !decodeCursor(q.Get("cursor"), &after) || (after != nil && after.TxnID == "") {
		writeError(w, http.StatusBadRequest, "bad_request", "limit (1 to "+strconv.Itoa(MaxHistoryLimit)+") or cursor malformed")
		return
	}
	b, ok, err := h.db.Budget(ctx, id)
	if err != nil {
		h.dbError(w, r, err)
		return
	}
	if !ok || b.Kind != event.BudgetShared {
		writeError(w, http.StatusNotFound, "not_found", "no shared budget "+id)
		return
	}
	if !participant(b.Participants, user) {
		writeError(w, http.StatusForbidden, "forbidden", "you are not a participant of shared budget "+id)
		return
	}
	txns, next, err := h.db.SharedTransactions(ctx, id, after, limit)
	if err != nil {
		h.dbError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		BudgetID string `json:"budget_id"`
		txnPage
	}{id, txnPage{Transactions: txns, NextCursor: encodeCursor(next)}})
}

// participant reports whether user is listed in the budget's latest
// version.
func participant(ps []event.ParticipantSpend, user string) bool {
	for _, p := range ps {
		if p.UserID == user {
			return true
		}
	}
	return false
}

func parseLimit(s string, limit *int) bool {
	if s == "" {
		*limit = DefaultHistoryLimit
		return true
	}
	n, err := strconv.Atoi(s)
	*limit = n
	return err == nil && n >= 1 && n <= MaxHistoryLimit
}

func parseTime(s string, t *time.Time) bool {
	if s == "" {
		return true
	}
	var err error
	if *t, err = time.Parse(time.RFC3339Nano, s); err == nil {
		return true
	}
	*t, err = time.Parse(time.DateOnly, s)
	return err == nil
}

// Cursors are opaque to clients: base64url of the JSON of the position.
func encodeCursor[T any](pos *T) string {
	if pos == nil {
		return ""
	}
	b, _ := json.Marshal(pos)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor[T any](s string, pos **T) bool {
	if s == "" {
		return true
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return false
	}
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		return false
	}
	*pos = &v
	return true
}

// MountHistoryUnavailable answers the history routes with 503 when no
// database is configured, rather than a misleading 404.
func MountHistoryUnavailable(handle func(pattern string, handler http.Handler)) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusServiceUnavailable, "unavailable", "transaction history needs the Postgres sink: start finstream with --database-url")
	})
	for _, p := range []string{"GET /v1/me/transactions", "GET /v1/me/budgets/{category}/history", "GET /v1/shared-budgets/{id}/transactions"} {
		handle(p, h)
	}
}
