package shared

import (
	"sort"
	"time"

	"finstream/processors/budget"
	"finstream/processors/compact"
	"finstream/processors/event"
	"finstream/processors/period"
)

// Role is a participant's role in a shared budget.
type Role string

// Roles. The zero Role means "not a participant".
const (
	Owner       Role = "owner"       // all rights
	Contributor Role = "contributor" // spend counts, reads
	Viewer      Role = "viewer"      // reads
)

// Valid reports whether r is one of the three roles.
func (r Role) Valid() bool { return r == Owner || r == Contributor || r == Viewer }

// CanSpend reports whether spend by a participant with role r counts.
func (r Role) CanSpend() bool { return r == Owner || r == Contributor }

// CanManage reports whether role r may manage members and the limit.
func (r Role) CanManage() bool { return r == Owner }

// Budget is one shared budget: the value of finstream-shared-table. Every
// field is bounded whatever the members' history: the budget remembers no
// transaction (the transaction stage remembers what each one offered here;
// see ApplySpend). It is not safe for concurrent use: goka gives each key to
// one goroutine at a time.
type Budget struct {
	BudgetID     string      `json:"budget_id"`
	Name         string      `json:"name"`
	Category     string      `json:"category,omitempty"` // "" counts tagged spend only
	Currency     string      `json:"currency"`
	Period       period.Kind `json:"period"`
	LimitMinor   int64       `json:"limit_minor"`
	ThresholdsBP []int64     `json:"thresholds_bp"`
	TimeZone     string      `json:"time_zone,omitempty"` // "" means period.DefaultZone
	CreatedAt    time.Time   `json:"created_at"`
	CreatedBy    string      `json:"created_by"`
	// Members by user id: at most maxParticipants current ones, and former
	// ones (Role "") up to maxMembers in all, the longest gone dropped first.
	Members map[string]*Member `json:"members"`
	// Spend by period key, for the periods of the retention window
	// (keepPeriods); Contrib by "<period key>|<user id>", for the last
	// keepContribPeriods periods.
	Spend   map[string]int64 `json:"spend,omitempty"`
	Contrib map[string]int64 `json:"contrib,omitempty"`
	// Invitations are the pending invitations (at most maxInvitations;
	// expired ones are dropped at the next command).
	Invitations []Invitation `json:"invitations,omitempty"`
	// Latest is the latest CDC source time applied: the clock of the
	// retention window (never posted_at, which the source controls).
	Latest time.Time `json:"latest"`
	// LatestPosted is the latest posted_at applied (at most a day past its
	// source time): a role change takes effect after it, so that what an
	// applied transaction counted never changes (see setRole).
	LatestPosted time.Time `json:"latest_posted"`
	// Commands are hashes of the last maxCommands applied command ids.
	Commands compact.Window `json:"commands,omitempty"`
	// Marks are, per transaction-stage stream and partition, the highest
	// stage input offset applied (the duplicate guard of ApplySpend).
	Marks compact.Marks `json:"marks,omitempty"`
	// Fired are the last keepFired spends that fired alerts, so that a
	// redelivered one re-sends its alerts with their ids.
	Fired []Fired `json:"fired,omitempty"`
	// Version increases with every change (every update written).
	Version int64 `json:"version"`
	// Drops count how often a period's usage fell back below a threshold:
	// alert ids name the n-th crossing (budget.Drops).
	Drops budget.Drops `json:"drops,omitempty"`
	// PushedPeriod is the key of the last period whose start a clock tick
	// pushed (tick.go).
	PushedPeriod string `json:"pushed_period,omitempty"`
}

// Member is one participant, current or former.
type Member struct {
	Role  Role      `json:"role,omitempty"`  // current role; "" once removed
	Since time.Time `json:"since"`           // start of the current (or last) membership
	Until time.Time `json:"until,omitempty"` // when it ended, once removed
	// Terms are the member's roles over time, the last maxTerms: what
	// their transactions count is decided by the role at posted_at.
	Terms []Term `json:"terms"`
}

// Term is a role held from an instant until the next term.
type Term struct {
	Role Role      `json:"role,omitempty"` // "" = not a participant
	From time.Time `json:"from"`
}

// Fired is a spend that crossed thresholds: what its alerts were made of.
type Fired struct {
	TxnID      string    `json:"txn_id"`
	Seq        int64     `json:"seq"`
	PeriodKey  string    `json:"period_key"`
	UserID     string    `json:"user_id"`
	Merchant   string    `json:"merchant"`
	Amount     int64     `json:"amount"`
	Spent      int64     `json:"spent"`
	Limit      int64     `json:"limit"`
	EventTime  time.Time `json:"event_time"`
	Thresholds []int64   `json:"thresholds"`
	// Nth is the crossing of each threshold (empty in an earlier build's
	// value: its alerts named the transaction, see legacyAlertID).
	Nth        []int64  `json:"nth,omitempty"`
	Recipients []string `json:"recipients"`
}

// Bounds of a Budget value.
const (
	maxParticipants    = 32 // current participants
	maxMembers         = 64 // current and former
	maxCommands        = 64 // applied command ids remembered
	keepFired          = 4  // alert-firing spends remembered
	keepContribPeriods = 3  // periods with per-participant spend
	maxTerms           = 8  // role changes remembered per member
)

// Reasons a tagged spend is refused.
const (
	RefusedNotParticipant = "not_a_participant"
	RefusedViewer         = "viewer_cannot_spend"
	RefusedCurrency       = "currency_mismatch"
)

// DefaultThresholdsBP are the thresholds of a budget created without any.
var DefaultThresholdsBP = budget.DefaultThresholdsBP

// RoleOf is the current role of user ("" for a non-participant).
func (b *Budget) RoleOf(user string) Role {
	if m := b.Members[user]; m != nil {
		return m.Role
	}
	return ""
}

// roleAt is the role user held at t.
func (b *Budget) roleAt(user string, t time.Time) Role {
	m := b.Members[user]
	if m == nil {
		return ""
	}
	var r Role
	for _, term := range m.Terms {
		if term.From.After(t) {
			break
		}
		r = term.Role
	}
	return r
}

// setRole gives user role (or "" to remove) from at on, or from just after
// LatestPosted when that is later: no transaction the budget applied falls
// under the new term, so re-deciding the facts of any of them (a later
// change carries them) gives what it counted.
func (b *Budget) setRole(user string, role Role, at time.Time) {
	if !at.After(b.LatestPosted) {
		at = b.LatestPosted.Add(time.Nanosecond)
	}
	m := b.Members[user]
	if m == nil {
		m = &Member{}
		b.Members[user] = m
	}
	if n := len(m.Terms); n > 0 && at.Before(m.Terms[n-1].From) {
		at = m.Terms[n-1].From
	}
	switch {
	case role == "":
		m.Until = at
	case m.Role == "":
		m.Since, m.Until = at, time.Time{}
	}
	m.Role = role
	m.Terms = append(m.Terms, Term{Role: role, From: at})
	if n := len(m.Terms); n > maxTerms {
		m.Terms = append([]Term(nil), m.Terms[n-maxTerms:]...)
	}
	b.trimMembers()
}

// trimMembers drops former members, the longest gone first, beyond
// maxMembers.
func (b *Budget) trimMembers() {
	for len(b.Members) > maxMembers {
		gone := ""
		for id, m := range b.Members {
			if m.Role == "" && (gone == "" || m.Until.Before(b.Members[gone].Until) || m.Until.Equal(b.Members[gone].Until) && id < gone) {
				gone = id
			}
		}
		if gone == "" {
			return
		}
		delete(b.Members, gone)
	}
}

// current counts the current participants.
func (b *Budget) current() int {
	n := 0
	for _, m := range b.Members {
		if m.Role != "" {
			n++
		}
	}
	return n
}

// owners counts the current owners.
func (b *Budget) owners() int {
	n := 0
	for _, m := range b.Members {
		if m.Role == Owner {
			n++
		}
	}
	return n
}

// participants lists the current participants sorted by user id, with their
// spend in the period with the given key.
func (b *Budget) participants(key string) []event.ParticipantSpend {
	total := b.Spend[key]
	out := []event.ParticipantSpend{}
	for id, m := range b.Members {
		if m.Role == "" {
			continue
		}
		spent := b.Contrib[contribKey(key, id)]
		out = append(out, event.ParticipantSpend{UserID: id, Role: string(m.Role), SpentMinor: spent, ShareBP: budget.UsedBP(spent, total)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].UserID < out[j].UserID })
	return out
}

func contribKey(periodKey, user string) string { return periodKey + "|" + user }

// location is the budget's zone, the default zone when it cannot be loaded.
func (b *Budget) location() *time.Location {
	return period.ZoneOrDefault(b.TimeZone)
}

func (b *Budget) init() {
	if b.Members == nil {
		b.Members = map[string]*Member{}
	}
	if b.Spend == nil {
		b.Spend = map[string]int64{}
	}
	if b.Contrib == nil {
		b.Contrib = map[string]int64{}
	}
}

func (b *Budget) seen(commandID string) bool {
	return commandID != "" && b.Commands.Contains(compact.Hash(commandID))
}

func (b *Budget) remember(commandID string) {
	if commandID != "" {
		b.Commands.Add(compact.Hash(commandID), maxCommands)
	}
}
