package goal

import (
	"fmt"
	"maps"
	"slices"
	"time"
)

// Invite is a pending invitation to take part in a goal: the owner's add of
// a user who does not take part makes one, and the invitee joins with Role
// by accepting it before ExpiresAt. Until then nothing of theirs counts and
// they cannot see the goal.
type Invite struct {
	Role      string    `json:"role"`
	ExpiresAt time.Time `json:"expires_at"`
}

// InviteTTL is how long a goal invitation can be accepted.
const InviteTTL = 7 * 24 * time.Hour

// maxInvites bounds the pending invitations of one goal.
const maxInvites = 16

// invite records an invitation of member to g (or changes its role) and
// tells the invitee's state, which lists it.
func (s *State) invite(g *Goal, member, role string, at time.Time) (Effects, error) {
	for id, inv := range g.Invited {
		if !at.Before(inv.ExpiresAt) {
			delete(g.Invited, id)
		}
	}
	if g.Invited[member] == nil && len(g.Invited) >= maxInvites {
		return Effects{}, fmt.Errorf("%w: a goal has at most %d pending invitations", ErrInvalid, maxInvites)
	}
	if g.Invited == nil {
		g.Invited = map[string]*Invite{}
	}
	inv := &Invite{Role: role, ExpiresAt: at.Add(InviteTTL)}
	g.Invited[member] = inv
	s.Version++
	m := Membership{OwnerID: s.UserID, GoalID: g.ID, Role: role, Pending: true, ExpiresAt: inv.ExpiresAt}
	return Effects{Forwards: []Forward{{To: member, Msg: Message{Member: &m}}}}, nil
}

// AnswerInvite applies the invitee's accept (they take part from now on)
// or decline of their invitation to goal goalID. ErrNotFound when there is
// no such pending invitation.
func (s *State) AnswerInvite(goalID, member string, accept bool, at time.Time) (Effects, error) {
	s.init()
	g := s.Goals[goalID]
	if g == nil {
		return Effects{}, fmt.Errorf("goal %q: %w", goalID, ErrNotFound)
	}
	inv := g.Invited[member]
	if inv == nil || !at.Before(inv.ExpiresAt) {
		return Effects{}, fmt.Errorf("invitation of %q to goal %q: %w", member, goalID, ErrNotFound)
	}
	delete(g.Invited, member)
	if !accept {
		s.Version++
		return Effects{Forwards: []Forward{{To: member, Msg: Message{Member: &Membership{OwnerID: s.UserID, GoalID: g.ID, Removed: true}}}}}, nil
	}
	g.Participants[member] = &Participant{Role: inv.Role}
	eff, _ := s.progressed(g, at, "", 0, "")
	eff.add(s.announceMembers(g))
	return eff, nil
}

// Invitations lists the goals of others the user is invited to and has not
// answered, not expired at now.
func (s *State) Invitations(now time.Time) []Membership {
	out := []Membership{}
	for _, k := range slices.Sorted(maps.Keys(s.Memberships)) {
		if m := s.Memberships[k]; m.Pending && now.Before(m.ExpiresAt) {
			out = append(out, *m)
		}
	}
	return out
}
