package shared

import (
	"fmt"
	"slices"
	"time"

	"finstream/processors/event"
)

// Invitation is a pending invitation to join the budget: an owner's add
// (CmdSharedAddMember) makes one, with the command's id as its id; the
// invitee joins with Role by accepting it before ExpiresAt. Until then the
// invitee is no participant: their spend does not count and they cannot
// read the budget.
type Invitation struct {
	ID        string    `json:"invitation_id"`
	UserID    string    `json:"user_id"`
	Role      Role      `json:"role"`
	InvitedBy string    `json:"invited_by"`
	ExpiresAt time.Time `json:"expires_at"`
}

// InvitationTTL is how long an invitation can be accepted.
const InvitationTTL = 7 * 24 * time.Hour

// maxInvitations bounds the pending invitations of a budget.
const maxInvitations = 16

// pending returns the invitation with id, or for user when id is "", that
// has not expired at at (nil if none).
func (b *Budget) pending(id, user string, at time.Time) *Invitation {
	for i := range b.Invitations {
		inv := &b.Invitations[i]
		if (id == "" || inv.ID == id) && (user == "" || inv.UserID == user) && at.Before(inv.ExpiresAt) {
			return inv
		}
	}
	return nil
}

// Pending lists the invitations not expired at at.
func (b *Budget) Pending(at time.Time) []Invitation {
	var out []Invitation
	for _, inv := range b.Invitations {
		if at.Before(inv.ExpiresAt) {
			out = append(out, inv)
		}
	}
	return out
}

// drop forgets invitation id and every invitation expired at at.
func (b *Budget) drop(id string, at time.Time) {
	b.Invitations = slices.DeleteFunc(b.Invitations, func(inv Invitation) bool {
		return inv.ID == id || !at.Before(inv.ExpiresAt)
	})
}

// checkInvite is the part of Check for an owner's add of a non-participant.
func (b *Budget) checkInvite(cmd event.SharedCommand) error {
	switch {
	case b.pending("", cmd.UserID, cmd.IssuedAt) != nil:
		return fmt.Errorf("%w: %s is already invited", ErrConflict, cmd.UserID)
	case len(b.Pending(cmd.IssuedAt)) >= maxInvitations:
		return fmt.Errorf("%w: a shared budget has at most %d pending invitations", ErrConflict, maxInvitations)
	case b.current()+len(b.Pending(cmd.IssuedAt)) >= maxParticipants:
		return fmt.Errorf("%w: a shared budget has at most %d participants", ErrConflict, maxParticipants)
	}
	return nil
}

// checkAnswer is Check for an invitee's accept or decline.
func (b *Budget) checkAnswer(cmd event.SharedCommand) error {
	inv := b.pending(cmd.InvitationID, cmd.ActorID, cmd.IssuedAt)
	switch {
	case cmd.InvitationID == "" || inv == nil:
		return fmt.Errorf("%w: no pending invitation %q for you", ErrNotFound, cmd.InvitationID)
	case cmd.Kind == event.CmdSharedAccept && b.RoleOf(cmd.ActorID) != "":
		return fmt.Errorf("%w: you are already a participant", ErrConflict)
	}
	return nil
}

// invite records the invitation an add makes and tells the invitee.
func (b *Budget) invite(cmd event.SharedCommand) Effects {
	b.drop("", cmd.IssuedAt)
	inv := Invitation{ID: cmd.CommandID, UserID: cmd.UserID, Role: Role(cmd.Role), InvitedBy: cmd.ActorID, ExpiresAt: cmd.IssuedAt.Add(InvitationTTL)}
	b.Invitations = append(b.Invitations, inv)
	return Effects{Members: []event.UserCommand{b.invitationCommand(inv, event.CmdInvite, cmd.CommandID, cmd.IssuedAt)}}
}

// answer applies an accept (the invitee joins with the invited role from
// the command's instant) or a decline, or an owner's cancel (a remove of
// a pending invitee).
func (b *Budget) answer(cmd event.SharedCommand, inv Invitation) Effects {
	b.drop(inv.ID, cmd.IssuedAt)
	if cmd.Kind != event.CmdSharedAccept {
		return Effects{Members: []event.UserCommand{b.invitationCommand(inv, event.CmdUninvite, cmd.CommandID, cmd.IssuedAt)}}
	}
	b.setRole(inv.UserID, inv.Role, cmd.IssuedAt)
	b.Version++
	return Effects{
		Updates: []event.BudgetUpdate{b.memberUpdate(cmd)},
		Members: []event.UserCommand{b.membership(inv.UserID, cmd.CommandID)},
	}
}

func (b *Budget) invitationCommand(inv Invitation, kind, commandID string, at time.Time) event.UserCommand {
	return event.UserCommand{CommandID: commandID + ":" + inv.UserID, UserID: inv.UserID, Kind: kind, BudgetID: b.BudgetID, IssuedAt: at,
		Name: b.Name, Role: string(inv.Role), Category: b.Category, Currency: b.Currency, Period: string(b.Period),
		InvitationID: inv.ID, InvitedBy: inv.InvitedBy, ExpiresAt: inv.ExpiresAt}
}
