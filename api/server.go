package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/lovoo/goka"

	"finstream/processors/budget"
	"finstream/processors/event"
)

// Config configures the API. cmd/ builds it.
type Config struct {
	// Users is a view of finstream-users-table. Required.
	Users *goka.View
	// Commands emits to finstream.commands.user. Required.
	Commands *goka.Emitter
	// Shared is a view of finstream-shared-table and SharedCommands emits to
	// finstream.commands.shared. Optional: when either is nil the
	// shared-budget routes answer 503.
	Shared         *goka.View
	SharedCommands *goka.Emitter
	// Txns is a view of finstream-txns-table and TxnCommands emits to
	// finstream.commands.txn: recategorizations. Optional: when either is
	// nil, POST /v1/me/transactions/{id}/category answers 503.
	Txns        *goka.View
	TxnCommands *goka.Emitter
	// Backfill queues a re-categorization of retained transactions
	// (processors.Backfiller.Submit). Optional: without it, a
	// recategorization with scope "merchant" answers 503.
	Backfill func(budget.Backfill) error
	// Gate authenticates requests and limits their rate. Zero: a Gate over
	// HS256 tokens signed with Secret, without rate limits (HS256Gate).
	Gate *Gate
	// Secret verifies HS256 tokens when Gate is nil.
	Secret []byte
	// Dev enables POST /v1/dev/token (HS256 tokens: Gate's verifier needs a
	// secret).
	Dev bool
	// Now is the clock (default time.Now).
	Now func() time.Time
	// TimeScale is how many times faster than the wall clock Now runs
	// (run --simulate compresses time); zero means 1. GET /v1/clock says it.
	TimeScale float64
	// Ready reports readiness for /readyz (default: the view has recovered).
	Ready func() bool
	// Logger (default slog.Default()).
	Logger *slog.Logger
}

// Validate checks the configuration and fills defaults.
func (c *Config) Validate() error {
	switch {
	case c.Users == nil:
		return errors.New("api: no users view")
	case c.Commands == nil:
		return errors.New("api: no command emitter")
	case c.Gate == nil && len(c.Secret) == 0:
		return errors.New("api: no JWT secret (set FINSTREAM_JWT_SECRET, or --dev)")
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.TimeScale <= 0 {
		c.TimeScale = 1
	}
	if c.Gate == nil {
		var err error
		if c.Gate, err = HS256Gate(c.Secret, c.Now); err != nil {
			return err
		}
	}
	if c.Ready == nil {
		c.Ready = c.Users.Recovered
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return nil
}

// Server is finstream's REST API: reads from goka views, commands through
// Kafka. Safe for concurrent use.
type Server struct {
	cfg      Config
	mux      *routeMux
	detailed DetailedSpender // GET /v1/me/spending?level=detailed; nil: 503
}

// New builds the API server.
func New(cfg Config) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, mux: newRouteMux()}
	s.routes()
	return s, nil
}

// ServeHTTP implements http.Handler: it limits the rate of /v1/ requests
// per client IP (GET /v1/ws limits its connects itself), and answers an
// unknown route 404 and a wrong method 405 with Allow, both in JSON.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/v1/") && r.URL.Path != "/v1/ws" && !s.cfg.Gate.ip(w, r, s.cfg.Gate.ips) {
		return
	}
	if _, pattern := s.mux.Handler(r); pattern == "" {
		noRoute(w, r, s.mux.ServeMux)
		return
	}
	s.mux.ServeHTTP(w, r)
}

// Handle adds a route to the server's mux (the WebSocket hub and pages).
func (s *Server) Handle(pattern string, h http.Handler) { s.mux.Handle(pattern, h) }

func (s *Server) routes() {
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	s.mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		if !s.cfg.Ready() {
			writeError(w, http.StatusServiceUnavailable, "not_ready", "tables are still being restored")
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
	})
	s.mux.HandleFunc("GET /openapi.json", s.openAPI)
	s.mux.HandleFunc("GET /v1/categories", getCategories)
	s.mux.HandleFunc("GET /v1/clock", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"now": s.cfg.Now().UTC().Format(time.RFC3339Nano), "time_scale": s.cfg.TimeScale})
	})
	// /metrics, /v1/ops/lag and /ops are not served here: cmd/ serves them
	// on the ops listener (--ops-listen), never on the public one.
	if s.cfg.Dev {
		s.mux.HandleFunc("POST /v1/dev/token", s.devToken)
	}
	s.mux.HandleFunc("GET /v1/me/budgets", s.auth(s.getBudgets))
	s.mux.HandleFunc("PUT /v1/me/budgets/{category}", s.auth(s.putBudget))
	s.mux.HandleFunc("DELETE /v1/me/budgets/{category}", s.auth(s.deleteBudget))
	s.mux.HandleFunc("POST /v1/me/transactions/{id}/category", s.auth(s.recategorize))
	s.mux.HandleFunc("GET /v1/me/spending", s.auth(s.getSpending))
	s.mux.HandleFunc("GET /v1/me/shared-budgets", s.sharedRoute(s.getMySharedBudgets))
	s.mux.HandleFunc("POST /v1/shared-budgets", s.sharedRoute(s.createShared))
	s.mux.HandleFunc("GET /v1/shared-budgets/{id}", s.sharedRoute(s.getShared))
	s.mux.HandleFunc("PATCH /v1/shared-budgets/{id}", s.sharedRoute(s.patchShared))
	s.mux.HandleFunc("POST /v1/shared-budgets/{id}/members", s.sharedRoute(s.addMember))
	s.mux.HandleFunc("DELETE /v1/shared-budgets/{id}/members/{user_id}", s.sharedRoute(s.removeMember))
	s.mux.HandleFunc("GET /v1/me/invitations", s.sharedRoute(s.getInvitations))
	s.mux.HandleFunc("POST /v1/me/invitations/{invitation_id}/accept", s.sharedRoute(s.answerInvitation(event.CmdSharedAccept)))
	s.mux.HandleFunc("POST /v1/me/invitations/{invitation_id}/decline", s.sharedRoute(s.answerInvitation(event.CmdSharedDecline)))
}

type authed func(w http.ResponseWriter, r *http.Request, userID string)

func (s *Server) auth(h authed) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if sub, ok := s.cfg.Gate.user(w, r); ok {
			h(w, r, sub)
		}
	}
}

func (s *Server) devToken(w http.ResponseWriter, r *http.Request) {
	var req struct {
		UserID string `json:"user_id"`
	}
	if !s.cfg.Gate.ip(w, r, s.cfg.Gate.devToken) || !decodeBody(w, r, &req) {
		return
	}
	if req.UserID == "" {
		writeError(w, http.StatusUnprocessableEntity, "invalid", "user_id is required")
		return
	}
	tok, exp, err := s.cfg.Gate.tokens.Sign(req.UserID, 24*time.Hour)
	if err != nil {
		s.cfg.Logger.Error("dev token", "err", err)
		writeError(w, http.StatusInternalServerError, "internal", "could not sign a token")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"token": tok, "user_id": req.UserID, "expires_at": exp})
}

// state reads a user's state from the view; a user never seen has an empty
// state.
func (s *Server) state(userID string) (*budget.State, error) {
	v, err := s.cfg.Users.Get(userID)
	if err != nil {
		return nil, fmt.Errorf("read user %q: %w", userID, err)
	}
	if st, ok := v.(budget.State); ok {
		return &st, nil
	}
	return &budget.State{UserID: userID}, nil
}

// send emits a user command and answers 202 with its id, and at, once Kafka
// acked it.
func (s *Server) send(ctx context.Context, w http.ResponseWriter, cmd event.UserCommand, at *minVersion) {
	cmd.CommandID = newCommandID()
	accept(ctx, w, s.cfg.Logger, s.cfg.Commands, cmd.UserID, cmd, map[string]string{"command_id": cmd.CommandID}, at)
}
