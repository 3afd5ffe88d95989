package shared

import (
	"errors"
	"testing"
	"time"

	"finstream/processors/event"
)

func answer(id, kind, actor, invitation string, at time.Time) event.SharedCommand {
	return event.SharedCommand{CommandID: id, BudgetID: "BDG-456", Kind: kind, ActorID: actor, InvitationID: invitation, IssuedAt: at}
}

// Joining needs consent: an invitation is accepted or declined by the
// invitee only, expires after 7 days, and an owner may cancel it.
func TestInvitations(t *testing.T) {
	b := household(t)
	mustApply(t, b, cmd("inv-d", event.CmdSharedAddMember, "A", "D", "contributor", 2))
	if err := b.Check(cmd("", event.CmdSharedAddMember, "A", "D", "viewer", 3)); !errors.Is(err, ErrConflict) {
		t.Fatalf("second invitation: %v", err)
	}
	// D's tagged spend while invited is refused and counts nothing.
	eff := b.ApplySpend(spend("D1", "D", 1_000, 1, tag("BDG-456"), posted(at(3, 10))))
	if len(eff.Updates) != 1 || eff.Updates[0].RefusedReason != RefusedNotParticipant || b.View(at(3, 12)).SpentMinor != 0 {
		t.Fatalf("invitee's spend %+v", eff.Updates)
	}
	if v := b.View(at(3, 12)); len(v.Participants) != 2 {
		t.Fatalf("an invitee is listed: %+v", v.Participants)
	}
	for name, c := range map[string]event.SharedCommand{
		"someone else accepts": answer("x1", event.CmdSharedAccept, "B", "inv-d", at(3, 9)),
		"unknown invitation":   answer("x2", event.CmdSharedAccept, "D", "inv-x", at(3, 9)),
		"expired":              answer("x3", event.CmdSharedAccept, "D", "inv-d", at(9, 8)),
	} {
		if err := b.Check(c); !errors.Is(err, ErrNotFound) {
			t.Errorf("%s: %v, want ErrNotFound", name, err)
		}
	}
	acc := answer("acc-d", event.CmdSharedAccept, "D", "inv-d", at(4, 9))
	eff = mustApply(t, b, acc)
	if b.RoleOf("D") != Contributor || len(eff.Updates) != 1 || len(eff.Members) != 1 || eff.Members[0].Kind != event.CmdSetMembership {
		t.Fatalf("accept %+v", eff)
	}
	if again := mustApply(t, b, acc); len(again.Updates) != 0 || len(again.Members) != 1 || again.Members[0].Kind != event.CmdSetMembership {
		t.Fatalf("redelivered accept %+v", again)
	}
	if err := b.Check(answer("acc-2", event.CmdSharedAccept, "D", "inv-d", at(4, 10))); !errors.Is(err, ErrNotFound) {
		t.Fatalf("accepting twice: %v", err)
	}
	if eff = b.ApplySpend(spend("D2", "D", 2_000, 1, tag("BDG-456"), posted(at(5, 10)))); b.View(at(5, 12)).SpentMinor != 2_000 {
		t.Fatalf("member's spend %+v", eff.Updates)
	}

	// Declined, and cancelled by the owner.
	mustApply(t, b, cmd("inv-e", event.CmdSharedAddMember, "A", "E", "viewer", 5))
	eff = mustApply(t, b, answer("dec-e", event.CmdSharedDecline, "E", "inv-e", at(5, 9)))
	if b.RoleOf("E") != "" || len(b.Invitations) != 0 || len(eff.Members) != 1 || eff.Members[0].Kind != event.CmdUninvite || eff.Members[0].InvitationID != "inv-e" {
		t.Fatalf("decline %+v %+v", eff, b.Invitations)
	}
	mustApply(t, b, cmd("inv-f", event.CmdSharedAddMember, "A", "F", "viewer", 5))
	if err := b.Check(cmd("", event.CmdSharedRemoveMember, "B", "F", "", 5)); !errors.Is(err, ErrForbidden) {
		t.Fatalf("a contributor cancels: %v", err)
	}
	eff = mustApply(t, b, cmd("rm-f", event.CmdSharedRemoveMember, "A", "F", "", 5))
	if len(b.Pending(at(5, 9))) != 0 || len(eff.Members) != 1 || eff.Members[0].Kind != event.CmdUninvite {
		t.Fatalf("cancel %+v", eff)
	}
	// An expired invitation is forgotten at the next command and can be
	// made again.
	mustApply(t, b, cmd("inv-g", event.CmdSharedAddMember, "A", "G", "viewer", 6))
	mustApply(t, b, cmd("inv-g2", event.CmdSharedAddMember, "A", "G", "viewer", 14))
	if p := b.Pending(at(14, 9)); len(p) != 1 || p[0].ID != "inv-g2" || len(b.Invitations) != 1 {
		t.Fatalf("invitations %+v", b.Invitations)
	}
	roundTrip(t, b)
}
