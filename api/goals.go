package api

import (
	"errors"
	"net/http"
	"slices"
	"time"

	"github.com/lovoo/goka"

	"finstream/processors/cdc"
	"finstream/processors/event"
	"finstream/processors/goal"
)

// getGoals lists the goals the user owns, then the shared goals of others
// they take part in (read from their owners' states).
func (c *Copilot) getGoals(w http.ResponseWriter, r *http.Request, user string) {
	var version int64
	list, ok := readAt(w, r, c.unavailable, func() (list []goal.View, v int64, err error) {
		list, version, err = userGoals(c.cfg.Goals, user, c.cfg.Now())
		return list, version, err
	})
	if ok {
		writeJSON(w, http.StatusOK, map[string]any{"goals": list, "version": version})
	}
}

// userGoals lists the goals user owns, then the shared goals of others they
// take part in, planned at now, with the version of the user's goal state.
func userGoals(goals *goka.View, user string, now time.Time) ([]goal.View, int64, error) {
	st, err := read[goal.State](goals, user)
	if err != nil {
		return nil, 0, err
	}
	st.UserID = user
	list := st.Views()
	for i := range list {
		st.Plan(&list[i], now)
	}
	for _, m := range st.Shared() {
		owner, err := read[goal.State](goals, m.OwnerID)
		if err != nil {
			return nil, 0, err
		}
		owner.UserID = m.OwnerID
		if v, ok := owner.View(m.GoalID, user); ok {
			owner.Plan(&v, now)
			list = append(list, v)
		}
	}
	return list, st.Version, nil
}

// ownState is the user's goal state for checking a command on a private
// copy with the processor's own logic.
func (c *Copilot) ownState(w http.ResponseWriter, user string) (*goal.State, bool) {
	st, err := read[goal.State](c.cfg.Goals, user)
	if err != nil {
		c.unavailable(w, err)
		return nil, false
	}
	st.UserID = user
	return &st, true
}

func (c *Copilot) putGoal(w http.ResponseWriter, r *http.Request, user string) {
	var req struct {
		Name        string  `json:"name"`
		TargetMinor *int64  `json:"target_minor"`
		Currency    string  `json:"currency"`
		TargetDate  *string `json:"target_date"`
		AccountID   *string `json:"account_id"`
	}
	if !decodeBody(w, r, &req) {
		return
	}
	if req.TargetMinor == nil {
		writeError(w, http.StatusUnprocessableEntity, "invalid", "target_minor is required")
		return
	}
	set := goal.Settings{ID: r.PathValue("id"), Name: req.Name, TargetMinor: *req.TargetMinor, Currency: req.Currency}
	if req.TargetDate != nil {
		set.TargetDate = *req.TargetDate
	}
	if req.AccountID != nil {
		set.AccountID = *req.AccountID
	}
	if err := set.Validate(cdc.KnownCurrency); err != nil {
		goalError(w, err)
		return
	}
	if set.AccountID != "" {
		owner, err := c.accountOwner(set.AccountID)
		if err != nil {
			c.unavailable(w, err)
			return
		}
		if owner != "" && owner != user {
			writeError(w, http.StatusForbidden, "forbidden", "account "+set.AccountID+" is not yours")
			return
		}
	}
	st, ok := c.ownState(w, user)
	if !ok {
		return
	}
	before := st.Version
	if _, err := st.SetGoal(set, c.cfg.Now()); err != nil {
		goalError(w, err)
		return
	}
	c.sendGoal(w, r, event.GoalCommand{UserID: user, Kind: event.CmdSetGoal, GoalID: set.ID, Name: set.Name,
		TargetMinor: set.TargetMinor, Currency: set.Currency, TargetDate: set.TargetDate, AccountID: set.AccountID},
		versionAfter(goalsPath, before, st.Version))
}

func (c *Copilot) deleteGoal(w http.ResponseWriter, r *http.Request, user string) {
	c.checkAndSend(w, r, user, event.GoalCommand{UserID: user, Kind: event.CmdDeleteGoal, GoalID: r.PathValue("id")})
}

func (c *Copilot) addGoalMember(w http.ResponseWriter, r *http.Request, user string) {
	var req struct {
		UserID string `json:"user_id"`
		Role   string `json:"role"`
	}
	if !decodeBody(w, r, &req) {
		return
	}
	c.checkAndSend(w, r, user, event.GoalCommand{UserID: user, Kind: event.CmdAddGoalMember, GoalID: r.PathValue("id"), MemberID: req.UserID, Role: req.Role})
}

func (c *Copilot) removeGoalMember(w http.ResponseWriter, r *http.Request, user string) {
	c.checkAndSend(w, r, user, event.GoalCommand{UserID: user, Kind: event.CmdRemoveGoalMember, GoalID: r.PathValue("id"), MemberID: r.PathValue("user_id")})
}

// checkAndSend applies cmd to a private copy of the user's state (404, 403
// and 422 at once) and sends it.
func (c *Copilot) checkAndSend(w http.ResponseWriter, r *http.Request, user string, cmd event.GoalCommand) {
	st, ok := c.ownState(w, user)
	if !ok {
		return
	}
	cmd.IssuedAt = c.cfg.Now()
	before := st.Version
	if _, err := st.Command(cmd, cdc.KnownCurrency); err != nil {
		goalError(w, err)
		return
	}
	c.sendGoal(w, r, cmd, versionAfter(goalsPath, before, st.Version))
}

// goalsPath is the applies_to of the commands on the user's own goals.
const goalsPath = "/v1/me/goals"

// sendGoal sends cmd and answers 202 with at: nil for a command on another
// user's goal state (answering an invitation), whose version GET
// /v1/me/goals does not answer.
func (c *Copilot) sendGoal(w http.ResponseWriter, r *http.Request, cmd event.GoalCommand, at *minVersion) {
	cmd.CommandID = newCommandID()
	cmd.IssuedAt = c.cfg.Now()
	c.emit(r.Context(), w, c.cfg.GoalCommands, cmd.UserID, cmd.CommandID, cmd, at)
}

// getGoalInvitations lists the user's pending invitations to others' goals.
func (c *Copilot) getGoalInvitations(w http.ResponseWriter, r *http.Request, user string) {
	st, ok := readAt(w, r, c.unavailable, func() (goal.State, int64, error) {
		st, err := read[goal.State](c.cfg.Goals, user)
		return st, st.Version, err
	})
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"invitations": st.Invitations(c.cfg.Now()), "version": st.Version})
}

// answerGoalInvitation accepts or declines the user's invitation to goal
// {goal_id} of {owner_id}: 404 unless the user holds it, pending.
func (c *Copilot) answerGoalInvitation(kind string) authed {
	return func(w http.ResponseWriter, r *http.Request, user string) {
		ownerID, goalID := r.PathValue("owner_id"), r.PathValue("goal_id")
		mine, err := read[goal.State](c.cfg.Goals, user)
		if err != nil {
			c.unavailable(w, err)
			return
		}
		now := c.cfg.Now()
		if !slices.ContainsFunc(mine.Invitations(now), func(m goal.Membership) bool { return m.OwnerID == ownerID && m.GoalID == goalID }) {
			writeError(w, http.StatusNotFound, "not_found", "no pending invitation to goal "+goalID+" of "+ownerID)
			return
		}
		owner, err := read[goal.State](c.cfg.Goals, ownerID)
		if err != nil {
			c.unavailable(w, err)
			return
		}
		owner.UserID = ownerID
		cmd := event.GoalCommand{UserID: ownerID, Kind: kind, GoalID: goalID, MemberID: user, IssuedAt: now}
		// The invitee's state learned of it from the owner's, so a view of
		// the owner's that does not show it yet is behind: the goals group
		// checks again when it applies the answer.
		if _, err := owner.Command(cmd, cdc.KnownCurrency); err != nil && !errors.Is(err, goal.ErrNotFound) {
			goalError(w, err)
			return
		}
		c.sendGoal(w, r, cmd, nil)
	}
}
