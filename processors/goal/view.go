package goal

import "finstream/processors/event"

// View is a goal as GET /v1/me/goals shows it.
type View struct {
	GoalID        string                  `json:"goal_id"`
	Name          string                  `json:"name"`
	Currency      string                  `json:"currency"`
	TargetMinor   int64                   `json:"target_minor"`
	SavedMinor    int64                   `json:"saved_minor"`
	ProgressBP    int64                   `json:"progress_bp"`
	MilestonesBP  []int64                 `json:"milestones_bp"`
	ProjectedDate *string                 `json:"projected_date"`
	TargetDate    *string                 `json:"target_date"`
	OnTrack       bool                    `json:"on_track"`
	Version       int64                   `json:"version"`
	OwnerID       string                  `json:"owner_id"`
	Role          string                  `json:"role"`
	AccountID     string                  `json:"account_id,omitempty"`
	Participants  []event.GoalContributor `json:"participants"`
	// MonthlyNeededMinor is what must be saved per month to reach the
	// target by TargetDate (MonthlyNeeded; State.Plan fills it as of the
	// reader's clock); null without a target date.
	MonthlyNeededMinor *int64 `json:"monthly_needed_minor"`
}

// Views lists the goals the user owns, by id.
func (s *State) Views() []View {
	out := []View{}
	for _, id := range s.goalIDs() {
		v, _ := s.View(id, s.UserID)
		out = append(out, v)
	}
	return out
}

// View is goal id as participant viewer sees it; false when the goal does
// not exist or viewer does not take part in it.
func (s *State) View(id, viewer string) (View, bool) {
	g := s.Goals[id]
	if g == nil || g.Participants[viewer] == nil {
		return View{}, false
	}
	p := Project(g, s.location())
	v := View{
		GoalID: g.ID, Name: g.Name, Currency: g.Currency, TargetMinor: g.TargetMinor, SavedMinor: g.SavedMinor,
		ProgressBP: ProgressBP(g.SavedMinor, g.TargetMinor), MilestonesBP: append([]int64{}, g.Announced...),
		OnTrack: p.OnTrack, Version: g.Version, OwnerID: s.UserID, Role: g.Participants[viewer].Role,
		AccountID: s.accountOf(g), Participants: contributors(g),
	}
	if p.Date != "" {
		v.ProjectedDate = &p.Date
	}
	if g.TargetDate != "" {
		td := g.TargetDate
		v.TargetDate = &td
	}
	return v, true
}

// Shared lists the others' goals the user takes part in (owner, goal id),
// for a reader to look up in their owners' states.
func (s *State) Shared() []Membership {
	out := []Membership{}
	for _, k := range s.membershipKeys() {
		if m := s.Memberships[k]; !m.Pending {
			out = append(out, *m)
		}
	}
	return out
}
