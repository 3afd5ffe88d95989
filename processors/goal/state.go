package goal

import (
	"slices"
	"strings"
	"time"

	"finstream/processors/cdc"
	"finstream/processors/event"
	"finstream/processors/period"
)

// Roles of a goal's participants, as for shared budgets.
const (
	RoleOwner       = "owner"       // all rights
	RoleContributor = "contributor" // contributions count and are attributed, reads
	RoleViewer      = "viewer"      // reads
)

// MilestonesBP are the milestones announced once each.
var MilestonesBP = [...]int64{2500, 5000, 7500, 10000}

// Bounds and the projection window.
const (
	// RateWindowDays is the window of the contribution rate: the net
	// contributions of the last RateWindowDays days (fewer when the goal's
	// first contribution is more recent) divided by that many days.
	RateWindowDays = 90
	// MaxPending bounds the money movements kept for accounts not (yet)
	// known to be a goal's (the newest are kept): a transfer that arrives
	// before its GOAL account row or the goal's PUT waits here.
	MaxPending = 8
	// MaxRecent bounds the movements remembered per user (Recent): the
	// duplicate guard by (transaction id, seq) and the re-send memory. A
	// redelivery after a crash repeats the records since the last committed
	// offset, a second or so of one user's traffic, far fewer than 16
	// movements into goal accounts.
	MaxRecent = 16
)

// State is what the goals processor keeps for one user (the value of its
// table): the goals the user owns, the goal accounts seen for the user, the
// shared goals of others the user takes part in. Not safe for concurrent use.
type State struct {
	UserID   string `json:"user_id"`
	TimeZone string `json:"time_zone,omitempty"`
	// Goals the user owns, by goal id.
	Goals map[string]*Goal `json:"goals,omitempty"`
	// Links are the user's GOAL accounts from core banking: account id → goal id.
	Links   map[string]string       `json:"links,omitempty"`
	LinkPos map[string]cdc.Position `json:"link_pos,omitempty"`
	Pending []cdc.TxnChange         `json:"pending,omitempty"`
	// Memberships are others' goals the user takes part in, by owner|goal.
	Memberships map[string]*Membership `json:"memberships,omitempty"`
	// Recent are the last MaxRecent movements applied to the user's goals,
	// oldest first: which (transaction, seq) were applied, and what each
	// produced, so that a re-sent record changes nothing and repeats its
	// events with the same ids.
	Recent  []Movement `json:"recent,omitempty"`
	Version int64      `json:"version"`
}

// Goal is one savings goal. SavedMinor is the net of every counted
// movement into and out of its account: an aggregate, with no memory per
// transaction (see State.Recent). Its size is bounded by its participants
// and the RateWindowDays dates of Daily.
type Goal struct {
	ID           string                  `json:"id"`
	Name         string                  `json:"name"`
	Currency     string                  `json:"currency"`
	TargetMinor  int64                   `json:"target_minor"`
	TargetDate   string                  `json:"target_date,omitempty"` // "2026-12-31"
	AccountID    string                  `json:"account_id,omitempty"`  // from the PUT; else the linked account
	Participants map[string]*Participant `json:"participants"`
	// Invited are the pending invitations by invitee (invitations.go).
	Invited    map[string]*Invite `json:"invited,omitempty"`
	SavedMinor int64              `json:"saved_minor"`
	Announced  []int64            `json:"announced,omitempty"`
	// Daily is the net contribution per date of the rate window.
	Daily       map[string]int64 `json:"daily,omitempty"`
	FirstDate   string           `json:"first_date,omitempty"`
	AsOf        time.Time        `json:"as_of"` // latest event time of a flow
	CompletedOn string           `json:"completed_on,omitempty"`
	Version     int64            `json:"version"`
	// OffTrackMonth is the month ("2026-11") of the last off-track event.
	OffTrackMonth string `json:"off_track_month,omitempty"`
}

// Participant is a participant of a goal with what they put in, net.
type Participant struct {
	Role       string `json:"role"`
	SavedMinor int64  `json:"saved_minor"`
}

// Movement is one change of a transaction applied to a goal, as State.Recent
// remembers it.
//
// A record of the transaction stage (Seq > 0) is identified by (TxnID,
// Seq) and carries the row it replaces (Prev), so the goal moves by the
// difference and nothing else needs remembering. A record from before the
// stage (Seq 0, no Prev) is identified by TxnID and ordered by Pos; Amount,
// Contributor and Date are then what the transaction counted, for the
// difference of its next change: a change of a transaction that left the
// window is applied as its first.
type Movement struct {
	TxnID       string       `json:"txn_id"`
	Seq         int64        `json:"seq,omitempty"`
	Pos         cdc.Position `json:"pos"`
	GoalID      string       `json:"goal_id"`
	Amount      int64        `json:"amount"`
	Contributor string       `json:"contributor"`
	Date        string       `json:"date"`
	// In is the hash (compact.Hash) of the input record
	// ("topic/partition/offset") that applied the change, 0 when unknown.
	In uint64 `json:"in,omitempty"`
	// Sent says the change produced events: a GoalUpdated of goal version
	// Version at event time At, with the signed change Delta, and a
	// GoalMilestone per Milestones. They are re-sent with the same ids and
	// attribution (and the goal's totals of the time of re-sending) when
	// the record is delivered again; consumers de-duplicate by event id.
	Sent       bool      `json:"sent,omitempty"`
	Version    int64     `json:"version,omitempty"`
	At         time.Time `json:"at"`
	Delta      int64     `json:"delta,omitempty"`
	Milestones []int64   `json:"milestones,omitempty"`
	// OffTrack is the month of the goal_off_track event the change sent
	// ("" for none), re-sent with it.
	OffTrack string `json:"off_track,omitempty"`
}

// Membership is another user's goal this user takes part in.
type Membership struct {
	OwnerID   string `json:"owner_id"`
	GoalID    string `json:"goal_id"`
	AccountID string `json:"account_id,omitempty"`
	Role      string `json:"role"`
	Removed   bool   `json:"removed,omitempty"`
	// Pending: an invitation, until ExpiresAt, not yet accepted: it
	// forwards nothing and shows no goal.
	Pending   bool      `json:"pending,omitempty"`
	ExpiresAt time.Time `json:"expires_at,omitempty"`
}

// Message is the value of the goals group's loopback topic: one of a GOAL
// account row for its owner, a membership for a participant, or a
// transaction forwarded from a participant to the goal's owner.
type Message struct {
	Account *cdc.AccountChange `json:"account,omitempty"`
	Member  *Membership        `json:"member,omitempty"`
	Txn     *cdc.TxnChange     `json:"txn,omitempty"`
}

// Forward is a Message to deliver to another user's state (goka Loopback).
type Forward struct {
	To  string
	Msg Message
}

// Effects are what one input changed: goal events to write (key: the
// event's UserID) and messages to forward.
type Effects struct {
	Events   []event.GoalEvent
	Forwards []Forward
	// Untouched says the input did not concern the state at all (a purchase
	// of a user with no goal account involved, the bulk of the stream):
	// there is nothing to store.
	Untouched bool
}

func (e *Effects) add(o Effects) {
	e.Events = append(e.Events, o.Events...)
	e.Forwards = append(e.Forwards, o.Forwards...)
}

func (s *State) init() {
	if s.Goals == nil {
		s.Goals = map[string]*Goal{}
	}
	if s.Links == nil {
		s.Links = map[string]string{}
	}
	if s.LinkPos == nil {
		s.LinkPos = map[string]cdc.Position{}
	}
	if s.Memberships == nil {
		s.Memberships = map[string]*Membership{}
	}
}

func (s *State) location() *time.Location {
	return period.ZoneOrDefault(s.TimeZone)
}

// SetTimeZone sets the zone dates are computed in (for later changes).
func (s *State) SetTimeZone(name string) error {
	if _, err := period.Zone(name); err != nil {
		return err
	}
	s.TimeZone = name
	return nil
}

// goalOf returns the goal whose account is accountID.
func (s *State) goalOf(accountID string) *Goal {
	if accountID == "" {
		return nil
	}
	for _, id := range s.goalIDs() {
		if g := s.Goals[id]; s.accountOf(g) == accountID {
			return g
		}
	}
	return nil
}

// accountOf is the goal's account: the one given in the PUT, else a GOAL
// account of the user carrying the goal's id.
func (s *State) accountOf(g *Goal) string {
	if g.AccountID != "" {
		return g.AccountID
	}
	var ids []string
	for acc, gid := range s.Links {
		if gid == g.ID {
			ids = append(ids, acc)
		}
	}
	if len(ids) == 0 {
		return ""
	}
	slices.Sort(ids)
	return ids[0]
}

func (s *State) goalIDs() []string {
	ids := make([]string, 0, len(s.Goals))
	for id := range s.Goals {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

func membershipKey(owner, goal string) string { return owner + "|" + goal }

// participantIDs are the goal's participants, owner first, then by id.
func participantIDs(g *Goal) []string {
	ids := make([]string, 0, len(g.Participants))
	for id := range g.Participants {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b string) int {
		ao, bo := g.Participants[a].Role == RoleOwner, g.Participants[b].Role == RoleOwner
		if ao != bo {
			if ao {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
	return ids
}
