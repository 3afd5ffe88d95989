package budget

import (
	"slices"
	"time"
)

// Invitation is an invitation of the user to a shared budget, as the
// shared-budget group told the user's state (event.CmdInvite), so that
// GET /v1/me/invitations can list it.
type Invitation struct {
	ID        string    `json:"invitation_id"`
	BudgetID  string    `json:"budget_id"`
	Name      string    `json:"name"`
	Role      string    `json:"role"`
	InvitedBy string    `json:"invited_by"`
	ExpiresAt time.Time `json:"expires_at"`
}

// maxInvitations bounds the invitations a user's state keeps: the ones
// expiring first go first.
const maxInvitations = 16

// Invite records an invitation (the same one again changes nothing).
// Invitations expired at at are forgotten.
func (s *State) Invite(inv Invitation, at time.Time) {
	s.Invitations = slices.DeleteFunc(s.Invitations, func(o Invitation) bool { return o.ID == inv.ID || !at.Before(o.ExpiresAt) })
	s.Invitations = append(s.Invitations, inv)
	slices.SortFunc(s.Invitations, func(a, b Invitation) int { return b.ExpiresAt.Compare(a.ExpiresAt) })
	if len(s.Invitations) > maxInvitations {
		s.Invitations = s.Invitations[:maxInvitations]
	}
	slices.SortFunc(s.Invitations, func(a, b Invitation) int { return a.ExpiresAt.Compare(b.ExpiresAt) })
	s.Version++
}

// Uninvite forgets invitation id (declined or cancelled).
func (s *State) Uninvite(id string) {
	n := len(s.Invitations)
	s.Invitations = slices.DeleteFunc(s.Invitations, func(o Invitation) bool { return o.ID == id })
	if len(s.Invitations) != n {
		s.Version++
	}
}

// uninviteBudget forgets the invitations to budget id (the user joined).
func (s *State) uninviteBudget(id string) {
	s.Invitations = slices.DeleteFunc(s.Invitations, func(o Invitation) bool { return o.BudgetID == id })
}

// PendingInvitations are the invitations not expired at now, the one
// expiring first first.
func (s *State) PendingInvitations(now time.Time) []Invitation {
	out := []Invitation{}
	for _, inv := range s.Invitations {
		if now.Before(inv.ExpiresAt) {
			out = append(out, inv)
		}
	}
	return out
}

// Invitation returns the pending invitation id (false if none, or expired
// at now).
func (s *State) Invitation(id string, now time.Time) (Invitation, bool) {
	for _, inv := range s.Invitations {
		if inv.ID == id && now.Before(inv.ExpiresAt) {
			return inv, true
		}
	}
	return Invitation{}, false
}

func (s *State) writeInvitations(w *writer) {
	w.uint(len(s.Invitations))
	for _, inv := range s.Invitations {
		for _, f := range []string{inv.ID, inv.BudgetID, inv.Name, inv.Role, inv.InvitedBy} {
			w.str(f)
		}
		w.time(inv.ExpiresAt)
	}
}

func (s *State) readInvitations(r *reader) {
	n := r.len()
	if n == 0 {
		return
	}
	s.Invitations = make([]Invitation, n)
	for i := range s.Invitations {
		inv := &s.Invitations[i]
		inv.ID, inv.BudgetID, inv.Name, inv.Role, inv.InvitedBy = r.str(), r.str(), r.str(), r.str(), r.str()
		inv.ExpiresAt = r.time()
	}
}
