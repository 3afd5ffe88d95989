package shared

import (
	"slices"
	"sort"
	"time"

	"finstream/processors/budget"
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

// Budget is one shared budget: the value of finstream-shared-table. It is not
// safe for concurrent use: goka gives each key to one goroutine at a time.
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
	// Members by user id, current and former (Role ""): their terms decide
	// what their transactions count.
	Members map[string]*Member `json:"members"`
	// Spend by period key; Contrib by "<period key>|<user id>".
	Spend   map[string]int64 `json:"spend,omitempty"`
	Contrib map[string]int64 `json:"contrib,omitempty"`
	// Txns by transaction id: the facts last applied and what they counted.
	Txns map[string]*Txn `json:"txns,omitempty"`
	// Commands are the ids of the last applied commands, oldest first.
	Commands []string `json:"commands,omitempty"`
	// Version increases with every change (every update written).
	Version int64 `json:"version"`
}

// Member is one participant, current or former.
type Member struct {
	Role  Role      `json:"role,omitempty"` // current role; "" once removed
	Since time.Time `json:"since"`          // start of the current membership
	Terms []Term    `json:"terms"`          // role changes, in order
}

// Term is a role held from an instant until the next term.
type Term struct {
	Role Role      `json:"role,omitempty"` // "" = not a participant
	From time.Time `json:"from"`
}

// Txn is what the budget remembers of one transaction.
type Txn struct {
	UserID    string    `json:"user_id"`
	Seq       int64     `json:"seq"`
	LSN       int64     `json:"lsn,omitempty"`
	Amount    int64     `json:"amount,omitempty"` // the transaction's spend (POSTED DEBIT amount, else 0)
	Currency  string    `json:"currency,omitempty"`
	Category  string    `json:"category,omitempty"`
	Merchant  string    `json:"merchant,omitempty"`
	Tag       string    `json:"tag,omitempty"` // the budget id the transaction is tagged with
	PostedAt  time.Time `json:"posted_at"`
	Counted   int64     `json:"counted,omitempty"`    // applied to Spend and Contrib
	PeriodKey string    `json:"period_key,omitempty"` // where Counted was applied
	Refused   string    `json:"refused,omitempty"`    // why a tagged spend did not count
	// SourceTime is the CDC source time of the change last applied, carried
	// into updates for latency measurement (not part of the logic).
	SourceTime time.Time `json:"source_time"`
}

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

// setRole starts a term of role (or "" to remove) for user at at. Terms stay
// ordered: an instant before the last term's start is moved to it.
func (b *Budget) setRole(user string, role Role, at time.Time) {
	m := b.Members[user]
	if m == nil {
		m = &Member{}
		b.Members[user] = m
	}
	if n := len(m.Terms); n > 0 && at.Before(m.Terms[n-1].From) {
		at = m.Terms[n-1].From
	}
	if m.Role == "" && role != "" {
		m.Since = at
	}
	m.Role = role
	m.Terms = append(m.Terms, Term{Role: role, From: at})
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
	if b.Txns == nil {
		b.Txns = map[string]*Txn{}
	}
}

// maxCommands is how many applied command ids a budget remembers.
const maxCommands = 64

func (b *Budget) seen(commandID string) bool {
	return commandID != "" && slices.Contains(b.Commands, commandID)
}

func (b *Budget) remember(commandID string) {
	if commandID == "" {
		return
	}
	b.Commands = append(b.Commands, commandID)
	if n := len(b.Commands); n > maxCommands {
		b.Commands = append([]string{}, b.Commands[n-maxCommands:]...)
	}
}
