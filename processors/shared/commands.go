package shared

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"finstream/processors/budget"
	"finstream/processors/category"
	"finstream/processors/event"
	"finstream/processors/period"
)

// Errors of commands; the API maps them to 422, 404, 403 and 409.
var (
	ErrInvalid   = errors.New("invalid")
	ErrNotFound  = errors.New("not found")
	ErrForbidden = errors.New("forbidden")
	ErrConflict  = errors.New("conflict")
)

// Effects are the records one applied input writes: budget updates (key
// budget id), alerts (key recipient user id) and membership commands for
// members' user states (key user id).
type Effects struct {
	Updates []event.BudgetUpdate
	Alerts  []event.Alert
	Members []event.UserCommand
}

func (e *Effects) add(o Effects) {
	e.Updates = append(e.Updates, o.Updates...)
	e.Alerts = append(e.Alerts, o.Alerts...)
	e.Members = append(e.Members, o.Members...)
}

// ValidID reports whether id can name a shared budget: 1 to 64 ASCII
// letters, digits, '-' or '_' (no ':', which personal budget ids use).
func ValidID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// ValidateCreate checks a create command's settings, so the API can answer
// 422 at once. It returns an error wrapping ErrInvalid.
func ValidateCreate(cmd event.SharedCommand, knownCurrency func(string) bool) error {
	_, err := newBudget(cmd, knownCurrency)
	return err
}

// Create applies a create command: a new budget whose only participant is
// the actor, as owner from cmd.IssuedAt. Period defaults to monthly and
// thresholds to DefaultThresholdsBP.
func Create(cmd event.SharedCommand, knownCurrency func(string) bool) (*Budget, Effects, error) {
	b, err := newBudget(cmd, knownCurrency)
	if err != nil {
		return nil, Effects{}, err
	}
	b.init()
	b.setRole(cmd.ActorID, Owner, cmd.IssuedAt)
	b.remember(cmd.CommandID)
	b.Version = 1
	return b, Effects{
		Updates: []event.BudgetUpdate{b.memberUpdate(cmd)},
		Members: []event.UserCommand{b.membership(cmd.ActorID, cmd.CommandID)},
	}, nil
}

func newBudget(cmd event.SharedCommand, knownCurrency func(string) bool) (*Budget, error) {
	name := strings.TrimSpace(cmd.Name)
	switch {
	case !ValidID(cmd.BudgetID):
		return nil, fmt.Errorf("%w: budget_id must be 1-64 letters, digits, '-' or '_'", ErrInvalid)
	case cmd.ActorID == "":
		return nil, fmt.Errorf("%w: no creator", ErrInvalid)
	case name == "" || utf8.RuneCountInString(name) > 100:
		return nil, fmt.Errorf("%w: name must have 1 to 100 characters", ErrInvalid)
	case cmd.Category != "" && !category.Valid(cmd.Category):
		return nil, fmt.Errorf("%w: unknown category %q", ErrInvalid, cmd.Category)
	case cmd.LimitMinor <= 0:
		return nil, fmt.Errorf("%w: limit_minor must be > 0", ErrInvalid)
	case !knownCurrency(cmd.Currency):
		return nil, fmt.Errorf("%w: unknown currency %q", ErrInvalid, cmd.Currency)
	}
	k := period.Kind(cmd.Period)
	if k == "" {
		k = period.Monthly
	}
	if !k.Valid() {
		return nil, fmt.Errorf("%w: period must be monthly or weekly, not %q", ErrInvalid, cmd.Period)
	}
	ts, err := thresholds(cmd.ThresholdsBP)
	if err != nil {
		return nil, err
	}
	return &Budget{
		BudgetID: cmd.BudgetID, Name: name, Category: cmd.Category, Currency: cmd.Currency,
		Period: k, LimitMinor: cmd.LimitMinor, ThresholdsBP: ts, CreatedAt: cmd.IssuedAt, CreatedBy: cmd.ActorID,
	}, nil
}

// thresholds validates thresholds (DefaultThresholdsBP when empty): sorted,
// unique, each 1..100000 bp.
func thresholds(in []int64) ([]int64, error) {
	if len(in) == 0 {
		return slices.Clone(DefaultThresholdsBP), nil
	}
	ts := slices.Sorted(slices.Values(in))
	for i, t := range ts {
		if t <= 0 || t > 100000 {
			return nil, fmt.Errorf("%w: threshold %d bp out of range 1..100000", ErrInvalid, t)
		}
		if i > 0 && ts[i-1] == t {
			return nil, fmt.Errorf("%w: threshold %d bp repeated", ErrInvalid, t)
		}
	}
	return ts, nil
}

// Check reports whether cmd would apply to b now: nil, or an error wrapping
// ErrForbidden (the actor may not), ErrNotFound (no such member or
// invitation), ErrConflict (already so, the last owner, the budget exists,
// already invited) or ErrInvalid. Only an owner manages (adding a member
// invites them; removing a pending invitee cancels the invitation); any
// participant may remove themselves; only the invitee answers an invitation.
func (b *Budget) Check(cmd event.SharedCommand) error {
	actor := b.RoleOf(cmd.ActorID)
	target, role := b.RoleOf(cmd.UserID), Role(cmd.Role)
	switch cmd.Kind {
	case event.CmdSharedCreate:
		return fmt.Errorf("%w: shared budget %s exists", ErrConflict, b.BudgetID)
	case event.CmdSharedAddMember, event.CmdSharedChangeRole:
		switch {
		case !actor.CanManage():
			return fmt.Errorf("%w: only an owner manages members", ErrForbidden)
		case cmd.UserID == "":
			return fmt.Errorf("%w: user_id is required", ErrInvalid)
		case !role.Valid():
			return fmt.Errorf("%w: role must be owner, contributor or viewer, not %q", ErrInvalid, cmd.Role)
		case target == role:
			return fmt.Errorf("%w: %s is already %s", ErrConflict, cmd.UserID, role)
		case cmd.Kind == event.CmdSharedAddMember && target != "":
			return fmt.Errorf("%w: %s is already a participant (%s)", ErrConflict, cmd.UserID, target)
		case cmd.Kind == event.CmdSharedAddMember:
			return b.checkInvite(cmd)
		case cmd.Kind == event.CmdSharedChangeRole && target == "":
			return fmt.Errorf("%w: %s is not a participant", ErrNotFound, cmd.UserID)
		case target == Owner && b.owners() == 1:
			return fmt.Errorf("%w: %s is the last owner", ErrConflict, cmd.UserID)
		}
	case event.CmdSharedRemoveMember:
		switch {
		case !actor.CanManage() && (actor == "" || cmd.UserID != cmd.ActorID):
			return fmt.Errorf("%w: only an owner removes other members", ErrForbidden)
		case target == "" && b.pending("", cmd.UserID, cmd.IssuedAt) != nil:
			return nil // cancels the invitation
		case target == "":
			return fmt.Errorf("%w: %s is not a participant", ErrNotFound, cmd.UserID)
		case target == Owner && b.owners() == 1:
			return fmt.Errorf("%w: %s is the last owner", ErrConflict, cmd.UserID)
		}
	case event.CmdSharedAccept, event.CmdSharedDecline:
		return b.checkAnswer(cmd)
	case event.CmdSharedSetLimit:
		if !actor.CanManage() {
			return fmt.Errorf("%w: only an owner changes the limit", ErrForbidden)
		}
		if cmd.LimitMinor <= 0 {
			return fmt.Errorf("%w: limit_minor must be > 0", ErrInvalid)
		}
		if len(cmd.ThresholdsBP) > 0 {
			if _, err := thresholds(cmd.ThresholdsBP); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("%w: unknown command kind %q", ErrInvalid, cmd.Kind)
	}
	return nil
}

// Apply applies a command to an existing budget. A command already applied
// (same id) changes nothing and only re-sends the membership command it
// caused; a command that does not pass Check changes nothing and returns
// its error.
func (b *Budget) Apply(cmd event.SharedCommand) (Effects, error) {
	b.init()
	if b.seen(cmd.CommandID) {
		return Effects{Members: b.resend(cmd)}, nil
	}
	if err := b.Check(cmd); err != nil {
		return Effects{}, err
	}
	b.remember(cmd.CommandID)
	var eff Effects
	inv := b.pending(cmd.InvitationID, cmd.ActorID, cmd.IssuedAt)
	if cmd.Kind == event.CmdSharedRemoveMember && b.RoleOf(cmd.UserID) == "" {
		inv = b.pending("", cmd.UserID, cmd.IssuedAt)
	}
	switch cmd.Kind {
	case event.CmdSharedAddMember:
		eff = b.invite(cmd)
	case event.CmdSharedAccept, event.CmdSharedDecline:
		eff = b.answer(cmd, *inv)
	case event.CmdSharedRemoveMember, event.CmdSharedChangeRole:
		if cmd.Kind == event.CmdSharedRemoveMember && b.RoleOf(cmd.UserID) == "" {
			eff = b.answer(cmd, *inv) // an owner cancels an invitation
			break
		}
		role := Role(cmd.Role)
		if cmd.Kind == event.CmdSharedRemoveMember {
			role = ""
		}
		b.setRole(cmd.UserID, role, cmd.IssuedAt)
		b.Version++
		eff.Updates = append(eff.Updates, b.memberUpdate(cmd))
		eff.Members = append(eff.Members, b.membership(cmd.UserID, cmd.CommandID))
	case event.CmdSharedSetLimit:
		wasLimit, was := b.LimitMinor, b.ThresholdsBP
		b.LimitMinor = cmd.LimitMinor
		if len(cmd.ThresholdsBP) > 0 {
			b.ThresholdsBP, _ = thresholds(cmd.ThresholdsBP)
		}
		for k, spent := range b.Spend { // what the old limit reached and the new does not is a drop
			used := budget.UsedBP(spent, b.LimitMinor)
			b.Drops.Reached(k, was, budget.UsedBP(spent, wasLimit), func(t int64) bool { return slices.Contains(b.ThresholdsBP, t) && used >= t })
		}
		b.Version++
		eff.Updates = append(eff.Updates, b.memberUpdate(cmd))
	}
	return eff, nil
}

// resend is the membership command a command applied before caused, as the
// member's state is now (idempotent where it is applied).
func (b *Budget) resend(cmd event.SharedCommand) []event.UserCommand {
	user := cmd.UserID
	switch cmd.Kind {
	case event.CmdSharedCreate, event.CmdSharedAccept, event.CmdSharedDecline:
		user = cmd.ActorID
	case event.CmdSharedSetLimit:
		return nil
	}
	if inv := b.pending("", user, cmd.IssuedAt); inv != nil {
		return []event.UserCommand{b.invitationCommand(*inv, event.CmdInvite, inv.ID, cmd.IssuedAt)}
	}
	if cmd.Kind == event.CmdSharedDecline {
		return []event.UserCommand{b.invitationCommand(Invitation{ID: cmd.InvitationID, UserID: user}, event.CmdUninvite, cmd.CommandID, cmd.IssuedAt)}
	}
	if b.Members[user] == nil {
		return nil
	}
	return []event.UserCommand{b.membership(user, cmd.CommandID)}
}

// membership is the command telling user's state its current membership.
func (b *Budget) membership(user, commandID string) event.UserCommand {
	m := b.Members[user]
	c := event.UserCommand{CommandID: commandID + ":" + user, UserID: user, BudgetID: b.BudgetID, Kind: event.CmdRemoveMembership}
	if m != nil && m.Role != "" {
		c.Kind, c.Role, c.IssuedAt = event.CmdSetMembership, string(m.Role), m.Since
		c.Name, c.Category, c.Currency, c.Period = b.Name, b.Category, b.Currency, string(b.Period)
	} else if m != nil {
		c.IssuedAt = m.Until
	}
	return c
}

// memberUpdate is the update written for a settings or membership change:
// the period containing the command's instant, attributed to the actor.
func (b *Budget) memberUpdate(cmd event.SharedCommand) event.BudgetUpdate {
	at := cmd.IssuedAt
	u := b.update(b.periodOf(at).Key, at)
	u.UserID = cmd.ActorID
	return u
}

func (b *Budget) periodOf(t time.Time) period.Period { return period.Of(b.Period, t, b.location()) }

// periodByKey is the budget's period with the given key (the one containing
// at, when it is that one).
func (b *Budget) periodByKey(key string, at time.Time) period.Period {
	if p := b.periodOf(at); p.Key == key {
		return p
	}
	if p, ok := period.ParseKey(key, b.location()); ok {
		return p
	}
	return period.Period{Kind: b.Period, Key: key}
}
