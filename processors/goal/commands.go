package goal

import (
	"errors"
	"fmt"
	"time"

	"finstream/processors/event"
)

// Errors of commands; the API maps them to 422, 404 and 403.
var (
	ErrInvalid   = errors.New("invalid")
	ErrNotFound  = errors.New("not found")
	ErrForbidden = errors.New("forbidden")
)

// Settings are a goal's settings from PUT /v1/me/goals/{id}.
type Settings struct {
	ID          string
	Name        string
	TargetMinor int64
	Currency    string
	TargetDate  string // "" or "2026-12-31"
	AccountID   string // "" means the GOAL account carrying the goal's id
}

// Validate checks the settings; knownCurrency reports ISO-4217 codes.
func (c Settings) Validate(knownCurrency func(string) bool) error {
	switch {
	case c.ID == "" || len(c.ID) > 128:
		return fmt.Errorf("%w: goal id must be 1..128 characters", ErrInvalid)
	case c.Name == "" || len(c.Name) > 200:
		return fmt.Errorf("%w: name must be 1..200 characters", ErrInvalid)
	case c.TargetMinor <= 0:
		return fmt.Errorf("%w: target_minor must be > 0", ErrInvalid)
	case !knownCurrency(c.Currency):
		return fmt.Errorf("%w: unknown currency %q", ErrInvalid, c.Currency)
	}
	if c.TargetDate != "" {
		if _, err := time.Parse(time.DateOnly, c.TargetDate); err != nil {
			return fmt.Errorf("%w: target_date must be a date like 2026-12-31", ErrInvalid)
		}
	}
	return nil
}

// SetGoal creates or changes a goal the user owns, at event time at (the
// command's). A goal's currency cannot change once money counted. A lower
// target can reach milestones at once (announced); a higher one forgets the
// announcements the new progress no longer reaches, so they are announced
// again when reached against the new target. The same settings again
// change nothing.
func (s *State) SetGoal(c Settings, at time.Time) (Effects, error) {
	s.init()
	g := s.Goals[c.ID]
	if g == nil {
		g = &Goal{ID: c.ID, Participants: map[string]*Participant{s.UserID: {Role: RoleOwner}}}
	} else {
		if g.Name == c.Name && g.TargetMinor == c.TargetMinor && g.Currency == c.Currency && g.TargetDate == c.TargetDate && g.AccountID == c.AccountID {
			return Effects{}, nil
		}
		if g.Currency != c.Currency && g.SavedMinor != 0 {
			return Effects{}, fmt.Errorf("%w: the goal's currency is %s", ErrInvalid, g.Currency)
		}
	}
	oldAccount := ""
	if s.Goals[c.ID] != nil {
		oldAccount = s.accountOf(g)
	}
	g.Name, g.TargetMinor, g.Currency, g.TargetDate, g.AccountID = c.Name, c.TargetMinor, c.Currency, c.TargetDate, c.AccountID
	s.Goals[c.ID] = g
	progress := ProgressBP(g.SavedMinor, g.TargetMinor)
	kept := g.Announced[:0]
	for _, m := range g.Announced {
		if progress >= m {
			kept = append(kept, m)
		}
	}
	g.Announced = kept
	eff, _ := s.progressed(g, at, "", 0, "")
	if acc := s.accountOf(g); acc != oldAccount {
		eff.add(s.announceMembers(g))
		eff.add(s.release(g))
	}
	return eff, nil
}

// DeleteGoal removes a goal the user owns; its participants forget it.
func (s *State) DeleteGoal(id string, at time.Time) (Effects, error) {
	s.init()
	g := s.Goals[id]
	if g == nil {
		return Effects{}, fmt.Errorf("goal %q: %w", id, ErrNotFound)
	}
	ev := s.event(g, at)
	ev.Kind, ev.EventID = event.GoalDeleted, fmt.Sprintf("%s|%s|deleted|v%d", s.UserID, g.ID, g.Version+1)
	eff := Effects{Events: s.fanOut(g, ev)}
	for _, id := range participantIDs(g) {
		if id != s.UserID {
			eff.Forwards = append(eff.Forwards, Forward{To: id, Msg: Message{Member: &Membership{OwnerID: s.UserID, GoalID: g.ID, Removed: true}}})
		}
	}
	delete(s.Goals, id)
	s.Version++
	return eff, nil
}

// SetMember invites a user to take part in a goal the user owns (they join
// when they accept: AnswerInvite), or changes a participant's role
// (contributor or viewer; the owner's role cannot change).
func (s *State) SetMember(goalID, member, role string, at time.Time) (Effects, error) {
	s.init()
	g := s.Goals[goalID]
	switch {
	case g == nil:
		return Effects{}, fmt.Errorf("goal %q: %w", goalID, ErrNotFound)
	case role != RoleContributor && role != RoleViewer:
		return Effects{}, fmt.Errorf("%w: role must be contributor or viewer", ErrInvalid)
	case member == "" || member == s.UserID:
		return Effects{}, fmt.Errorf("%w: the owner is already a participant", ErrInvalid)
	}
	p := g.Participants[member]
	if p == nil {
		return s.invite(g, member, role, at)
	}
	if p.Role == role {
		return Effects{}, nil
	}
	p.Role = role
	eff, _ := s.progressed(g, at, "", 0, "")
	eff.add(s.announceMembers(g))
	return eff, nil
}

// RemoveMember removes a participant (not the owner). What they put in
// stays in the goal, attributed to the owner from then on.
func (s *State) RemoveMember(goalID, member string, at time.Time) (Effects, error) {
	s.init()
	g := s.Goals[goalID]
	if g == nil {
		return Effects{}, fmt.Errorf("goal %q: %w", goalID, ErrNotFound)
	}
	p := g.Participants[member]
	if p == nil && g.Invited[member] != nil && at.Before(g.Invited[member].ExpiresAt) {
		return s.AnswerInvite(goalID, member, false, at) // the owner cancels the invitation
	}
	if p == nil {
		return Effects{}, fmt.Errorf("participant %q: %w", member, ErrNotFound)
	}
	if p.Role == RoleOwner {
		return Effects{}, fmt.Errorf("%w: the owner cannot be removed", ErrForbidden)
	}
	g.Participants[s.UserID].SavedMinor += p.SavedMinor
	for i := range s.Recent {
		if m := &s.Recent[i]; m.GoalID == g.ID && m.Contributor == member {
			m.Contributor = s.UserID
		}
	}
	delete(g.Participants, member)
	eff, _ := s.progressed(g, at, "", 0, "")
	eff.Forwards = append(eff.Forwards, Forward{To: member, Msg: Message{Member: &Membership{OwnerID: s.UserID, GoalID: g.ID, Removed: true}}})
	return eff, nil
}

// Command applies a goal command (event.GoalCommand) of this user.
func (s *State) Command(c event.GoalCommand, knownCurrency func(string) bool) (Effects, error) {
	switch c.Kind {
	case event.CmdSetGoal:
		st := Settings{ID: c.GoalID, Name: c.Name, TargetMinor: c.TargetMinor, Currency: c.Currency, TargetDate: c.TargetDate, AccountID: c.AccountID}
		if err := st.Validate(knownCurrency); err != nil {
			return Effects{}, err
		}
		return s.SetGoal(st, c.IssuedAt)
	case event.CmdDeleteGoal:
		return s.DeleteGoal(c.GoalID, c.IssuedAt)
	case event.CmdAddGoalMember:
		return s.SetMember(c.GoalID, c.MemberID, c.Role, c.IssuedAt)
	case event.CmdRemoveGoalMember:
		return s.RemoveMember(c.GoalID, c.MemberID, c.IssuedAt)
	case event.CmdAcceptGoalMember, event.CmdDeclineGoalMember:
		return s.AnswerInvite(c.GoalID, c.MemberID, c.Kind == event.CmdAcceptGoalMember, c.IssuedAt)
	}
	return Effects{}, fmt.Errorf("%w: unknown goal command %q", ErrInvalid, c.Kind)
}
