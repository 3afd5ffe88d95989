package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/lovoo/goka"

	"finstream/processors/budget"
	"finstream/processors/cdc"
	"finstream/processors/event"
	"finstream/processors/shared"
)

// Shared budgets. Reads come from the view of finstream-shared-table;
// commands are authorized at once against it with the processor's own
// checks (shared.Budget.Check), then written to finstream.commands.shared
// and applied by the finstream-shared group. Without Config.Shared and
// Config.SharedCommands these routes answer 503.

// sharedRoute wraps h with authentication and the availability check.
func (s *Server) sharedRoute(h authed) http.HandlerFunc {
	return s.auth(func(w http.ResponseWriter, r *http.Request, user string) {
		if s.cfg.Shared == nil || s.cfg.SharedCommands == nil {
			writeError(w, http.StatusServiceUnavailable, "unavailable", "shared budgets are not served by this instance")
			return
		}
		h(w, r, user)
	})
}

// sharedBudget reads a shared budget from the view (nil when unknown).
func (s *Server) sharedBudget(id string) (*shared.Budget, error) {
	return sharedBudget(s.cfg.Shared, id)
}

func sharedBudget(view *goka.View, id string) (*shared.Budget, error) {
	v, err := view.Get(id)
	if err != nil {
		return nil, fmt.Errorf("read shared budget %q: %w", id, err)
	}
	if b, ok := v.(shared.Budget); ok {
		return &b, nil
	}
	return nil, nil
}

// participantBudget reads budget {id} for a participant: it writes 404 for
// an unknown budget and, alike, for one the user does not take part in (so
// that budget ids cannot be probed), and returns nil then.
func (s *Server) participantBudget(w http.ResponseWriter, id, user string) *shared.Budget {
	b, err := s.sharedBudget(id)
	switch {
	case err != nil:
		s.unavailable(w, err)
	case b == nil || b.RoleOf(user) == "":
		writeError(w, http.StatusNotFound, "not_found", "no shared budget "+id)
	default:
		return b
	}
	return nil
}

func (s *Server) createShared(w http.ResponseWriter, r *http.Request, user string) {
	var req struct {
		BudgetID     string  `json:"budget_id"`
		Name         string  `json:"name"`
		Category     string  `json:"category"`
		LimitMinor   *int64  `json:"limit_minor"`
		Currency     string  `json:"currency"`
		Period       string  `json:"period"`
		ThresholdsBP []int64 `json:"thresholds_bp"`
	}
	if !decodeBody(w, r, &req) || !limitGiven(w, req.LimitMinor) {
		return
	}
	if req.BudgetID == "" {
		req.BudgetID = "BDG-" + strings.ToUpper(randomHex(5))
	}
	cmd := event.SharedCommand{BudgetID: req.BudgetID, Kind: event.CmdSharedCreate, ActorID: user,
		Name: strings.TrimSpace(req.Name), Category: req.Category, LimitMinor: *req.LimitMinor,
		Currency: req.Currency, Period: req.Period, ThresholdsBP: req.ThresholdsBP}
	if err := shared.ValidateCreate(cmd, cdc.KnownCurrency); err != nil {
		writeError(w, http.StatusUnprocessableEntity, "invalid", err.Error())
		return
	}
	b, err := s.sharedBudget(req.BudgetID)
	if err != nil {
		s.unavailable(w, err)
		return
	}
	if b != nil {
		writeError(w, http.StatusConflict, "conflict", "shared budget "+req.BudgetID+" exists")
		return
	}
	s.sendShared(r.Context(), w, cmd, &minVersion{Version: 1, AppliesTo: sharedPath(req.BudgetID)})
}

// getShared answers a shared budget; waiting for ?min_version, a budget
// not created yet, or which the user does not take part in yet, reads as
// version 0.
func (s *Server) getShared(w http.ResponseWriter, r *http.Request, user string) {
	id := r.PathValue("id")
	b, ok := readAt(w, r, s.unavailable, func() (*shared.Budget, int64, error) {
		b, err := s.sharedBudget(id)
		if err != nil || b == nil || b.RoleOf(user) == "" {
			return nil, 0, err
		}
		return b, b.Version, nil
	})
	switch {
	case !ok:
	case b == nil:
		writeError(w, http.StatusNotFound, "not_found", "no shared budget "+id)
	default:
		writeJSON(w, http.StatusOK, b.View(s.cfg.Now()))
	}
}

func (s *Server) patchShared(w http.ResponseWriter, r *http.Request, user string) {
	var req struct {
		LimitMinor   *int64  `json:"limit_minor"`
		ThresholdsBP []int64 `json:"thresholds_bp"`
	}
	if !decodeBody(w, r, &req) || !limitGiven(w, req.LimitMinor) {
		return
	}
	s.checkAndSend(w, r, event.SharedCommand{Kind: event.CmdSharedSetLimit, ActorID: user, LimitMinor: *req.LimitMinor, ThresholdsBP: req.ThresholdsBP})
}

// addMember invites a user (202 with the invitation), or changes the role
// of a participant.
func (s *Server) addMember(w http.ResponseWriter, r *http.Request, user string) {
	var req struct {
		UserID string `json:"user_id"`
		Role   string `json:"role"`
	}
	if !decodeBody(w, r, &req) {
		return
	}
	cmd, at, ok := s.checked(w, r, event.SharedCommand{Kind: event.CmdSharedAddMember, ActorID: user, UserID: req.UserID, Role: req.Role})
	if !ok {
		return
	}
	if cmd.Kind != event.CmdSharedAddMember {
		s.sendShared(r.Context(), w, cmd, at)
		return
	}
	cmd.CommandID = newCommandID()
	accept(r.Context(), w, s.cfg.Logger, s.cfg.SharedCommands, cmd.BudgetID, cmd, map[string]string{
		"invitation_id": cmd.CommandID, "status": "pending", "expires_at": cmd.IssuedAt.Add(shared.InvitationTTL).Format(time.RFC3339),
		"command_id": cmd.CommandID, "budget_id": cmd.BudgetID,
	}, at)
}

func (s *Server) removeMember(w http.ResponseWriter, r *http.Request, user string) {
	s.checkAndSend(w, r, event.SharedCommand{Kind: event.CmdSharedRemoveMember, ActorID: user, UserID: r.PathValue("user_id")})
}

// checkAndSend authorizes cmd on budget {id} against the current state and
// sends it.
func (s *Server) checkAndSend(w http.ResponseWriter, r *http.Request, cmd event.SharedCommand) {
	if cmd, at, ok := s.checked(w, r, cmd); ok {
		s.sendShared(r.Context(), w, cmd, at)
	}
}

// checked authorizes cmd on budget {id} against the current state at the
// current instant, answering 404 for a non-participant whether or not the
// budget exists. Adding someone who already participates changes their
// role. at is the budget's version once cmd is applied (sharedAfter).
func (s *Server) checked(w http.ResponseWriter, r *http.Request, cmd event.SharedCommand) (_ event.SharedCommand, at *minVersion, ok bool) {
	cmd.BudgetID = r.PathValue("id")
	cmd.IssuedAt = s.cfg.Now()
	b := s.participantBudget(w, cmd.BudgetID, cmd.ActorID)
	if b == nil {
		return cmd, nil, false
	}
	if cmd.Kind == event.CmdSharedAddMember && cmd.UserID != "" && b.RoleOf(cmd.UserID) != "" && b.RoleOf(cmd.UserID) != shared.Role(cmd.Role) {
		cmd.Kind = event.CmdSharedChangeRole
	}
	if err := b.Check(cmd); err != nil {
		writeCommandError(w, err)
		return cmd, nil, false
	}
	return cmd, sharedAfter(b, cmd), true
}

// sharedAfter is the version of b once cmd is applied, from applying it to
// b (a private copy read from the view, changed here); nil when it would
// not apply.
func sharedAfter(b *shared.Budget, cmd event.SharedCommand) *minVersion {
	before := b.Version
	if _, err := b.Apply(cmd); err != nil {
		return nil
	}
	return versionAfter(sharedPath(b.BudgetID), before, b.Version)
}

func sharedPath(id string) string { return "/v1/shared-budgets/" + id }

func writeCommandError(w http.ResponseWriter, err error) {
	switch {
	case errors.Is(err, shared.ErrForbidden):
		writeError(w, http.StatusForbidden, "forbidden", err.Error())
	case errors.Is(err, shared.ErrNotFound):
		writeError(w, http.StatusNotFound, "not_found", err.Error())
	case errors.Is(err, shared.ErrConflict):
		writeError(w, http.StatusConflict, "conflict", err.Error())
	default:
		writeError(w, http.StatusUnprocessableEntity, "invalid", err.Error())
	}
}

// sharedMembership is one entry of GET /v1/me/shared-budgets: the user's
// role and since when, with the budget as GET /v1/shared-budgets/{id} shows it.
type sharedMembership struct {
	Role  string    `json:"role"`
	Since time.Time `json:"since"`
	shared.View
}

// getMySharedBudgets lists the shared budgets the user participates in: the
// memberships their user state knows, as the shared table shows them now.
func (s *Server) getMySharedBudgets(w http.ResponseWriter, r *http.Request, user string) {
	st, ok := s.userStateAt(w, r, user)
	if !ok {
		return
	}
	out, err := sharedMemberships(s.cfg.Shared, st, user, s.cfg.Now())
	if err != nil {
		s.unavailable(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"shared_budgets": out, "version": st.Version})
}

// sharedMemberships are the shared budgets of user, whose state is st: the
// memberships the user state knows, as the shared table shows them at now.
func sharedMemberships(view *goka.View, st *budget.State, user string, now time.Time) ([]sharedMembership, error) {
	out := []sharedMembership{}
	for _, m := range st.SharedMemberships() {
		b, err := sharedBudget(view, m.BudgetID)
		if err != nil {
			return nil, err
		}
		if b == nil || b.RoleOf(user) == "" {
			continue // the shared table is ahead of the user state: no longer a member
		}
		out = append(out, sharedMembership{Role: string(b.RoleOf(user)), Since: b.Members[user].Since, View: b.View(now)})
	}
	return out, nil
}

// sendShared emits a shared-budget command and answers 202 with its id (and
// the budget id, and at) once Kafka acked it.
func (s *Server) sendShared(ctx context.Context, w http.ResponseWriter, cmd event.SharedCommand, at *minVersion) {
	cmd.CommandID = newCommandID()
	if cmd.IssuedAt.IsZero() {
		cmd.IssuedAt = s.cfg.Now()
	}
	accept(ctx, w, s.cfg.Logger, s.cfg.SharedCommands, cmd.BudgetID, cmd, map[string]string{"command_id": cmd.CommandID, "budget_id": cmd.BudgetID}, at)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
