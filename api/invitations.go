package api

import (
	"errors"
	"net/http"

	"finstream/processors/event"
	"finstream/processors/shared"
)

// getInvitations lists the user's pending invitations to shared budgets,
// from the user's state (the shared-budget group tells it of each one).
func (s *Server) getInvitations(w http.ResponseWriter, r *http.Request, user string) {
	st, ok := s.userStateAt(w, r, user)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"invitations": st.PendingInvitations(s.cfg.Now()), "version": st.Version})
}

// answerInvitation accepts or declines (kind) the user's invitation
// {invitation_id}: 404 when the user has no such pending invitation.
func (s *Server) answerInvitation(kind string) authed {
	return func(w http.ResponseWriter, r *http.Request, user string) {
		id := r.PathValue("invitation_id")
		st, err := s.state(user)
		if err != nil {
			s.unavailable(w, err)
			return
		}
		inv, ok := st.Invitation(id, s.cfg.Now())
		if !ok {
			writeError(w, http.StatusNotFound, "not_found", "no pending invitation "+id)
			return
		}
		b, err := s.sharedBudget(inv.BudgetID)
		if err != nil {
			s.unavailable(w, err)
			return
		}
		cmd := event.SharedCommand{Kind: kind, BudgetID: inv.BudgetID, ActorID: user, InvitationID: id, IssuedAt: s.cfg.Now()}
		if b == nil {
			writeError(w, http.StatusNotFound, "not_found", "no pending invitation "+id)
			return
		}
		// The user's state learned of the invitation from the budget, so a
		// view of the budget that does not show it yet is behind: the
		// shared-budget group checks again when it applies the answer.
		if err := b.Check(cmd); err != nil && !errors.Is(err, shared.ErrNotFound) {
			writeCommandError(w, err)
			return
		}
		// Once accepted, the budget is readable at its new version.
		s.sendShared(r.Context(), w, cmd, sharedAfter(b, cmd))
	}
}
