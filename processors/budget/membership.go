package budget

import (
	"fmt"
	"slices"
	"sort"
	"time"

	"finstream/processors/cdc"
	"finstream/processors/event"
)

// Membership is the user's participation in a shared budget, as the
// shared-budget group last told it (event.CmdSetMembership). Since is when
// the current membership began.
type Membership struct {
	BudgetID string    `json:"budget_id"`
	Name     string    `json:"name"`
	Role     string    `json:"role"`
	Category string    `json:"category,omitempty"`
	Currency string    `json:"currency"`
	Period   string    `json:"period"`
	Since    time.Time `json:"since"`
	// Removed says the membership ended at Until.
	Removed bool      `json:"removed,omitempty"`
	Until   time.Time `json:"until,omitempty"`
}

func (m Membership) equal(o Membership) bool {
	since := m.Since.Equal(o.Since)
	m.Since, o.Since = time.Time{}, time.Time{}
	return since && m == o
}

// canSpend reports whether the member's spend may count (owner, contributor).
func (m Membership) canSpend() bool { return m.Role == "owner" || m.Role == "contributor" }

// SharedFacts are the facts of a transaction a shared budget decides on.
type SharedFacts struct {
	Amount   int64     `json:"amount,omitempty"`
	Currency string    `json:"currency,omitempty"`
	Category string    `json:"category,omitempty"`
	Tag      string    `json:"tag,omitempty"`
	PostedAt time.Time `json:"posted_at"`
}

// maxMemberships bounds the memberships a user's state keeps, removed ones
// included (they route the later changes of transactions sent before).
const maxMemberships = 64

// SetMembership records the user's membership of a shared budget. The
// user's transactions posted since it began count there from now on (the
// state keeps no transactions, so those that came before the membership
// are not sent again). The same membership again changes nothing.
func (s *State) SetMembership(m Membership) (Effects, error) {
	if m.BudgetID == "" || m.Role == "" {
		return Effects{}, fmt.Errorf("%w: membership without budget id or role", ErrInvalid)
	}
	if s.Memberships == nil {
		s.Memberships = map[string]*Membership{}
	}
	if old := s.Memberships[m.BudgetID]; old != nil && old.equal(m) {
		return Effects{}, nil
	}
	s.Memberships[m.BudgetID] = &m
	s.trimMemberships()
	s.Version++
	return Effects{}, nil
}

// RemoveMembership ends the user's membership of a shared budget: new
// transactions are no longer sent there by category. The membership is
// kept, ended, so that later changes of transactions posted while it ran
// still reach the budget (it decides what they count by the user's role at
// their posted_at).
func (s *State) RemoveMembership(budgetID string, at time.Time) {
	m, ok := s.Memberships[budgetID]
	if !ok || m.Removed {
		return
	}
	m.Removed, m.Until = true, at
	s.Version++
}

// trimMemberships drops removed memberships, oldest first, beyond
// maxMemberships.
func (s *State) trimMemberships() {
	for len(s.Memberships) > maxMemberships {
		var oldest *Membership
		for _, m := range s.Memberships {
			if m.Removed && (oldest == nil || m.Since.Before(oldest.Since)) {
				oldest = m
			}
		}
		if oldest == nil {
			return
		}
		delete(s.Memberships, oldest.BudgetID)
	}
}

// SharedMemberships lists the user's shared-budget memberships by budget id.
func (s *State) SharedMemberships() []Membership {
	out := make([]Membership, 0, len(s.Memberships))
	for _, m := range s.Memberships {
		if !m.Removed {
			out = append(out, *m)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].BudgetID < out[j].BudgetID })
	return out
}

// route returns the records to send to shared budgets for a by-user
// record: its facts now, to every budget that its previous or its current
// facts may count for. Both are decided by the memberships alone (tagged
// with the budget's id, or in the category of a budget the user spends in,
// posted while the membership ran), so no transaction is remembered; a
// shared budget ignores a record whose Seq it has already applied.
func (s *State) route(rec cdc.TxnChange) []event.SharedSpend {
	now := SharedFacts{Amount: rec.Counts.Amount, Currency: rec.Row.Currency, Category: rec.Category, Tag: rec.Row.BudgetID, PostedAt: rec.Row.PostedAt}
	var to []string
	if now.Amount > 0 {
		to = s.sharedTargets(now)
	}
	if rec.Prev != nil && rec.Counted.Amount > 0 {
		prev := SharedFacts{Amount: rec.Counted.Amount, Currency: rec.Counted.Currency, Category: rec.Counted.Category, Tag: rec.Prev.BudgetID, PostedAt: rec.Prev.PostedAt}
		to = append(to, s.sharedTargets(prev)...)
	}
	if len(to) == 0 {
		return nil
	}
	slices.Sort(to)
	to = slices.Compact(to)
	out := make([]event.SharedSpend, 0, len(to))
	for _, id := range to {
		out = append(out, event.SharedSpend{
			BudgetID: id, TxnID: rec.Row.ID, UserID: s.UserID, Seq: rec.Seq, LSN: rec.Pos.LSN,
			AmountMinor: now.Amount, Currency: now.Currency, Category: now.Category,
			Merchant: rec.Row.MerchantName, BudgetTag: now.Tag, PostedAt: now.PostedAt,
			SourceTime: sourceTime(rec.Pos),
		})
	}
	return out
}

// sharedTargets are the shared budgets a spend with facts f may count for:
// the one it is tagged with (whatever the user's role there: a refusal is
// recorded), else every budget the user spends in whose category and
// currency it has, posted since the user joined.
func (s *State) sharedTargets(f SharedFacts) []string {
	if f.Tag != "" {
		return []string{f.Tag}
	}
	var out []string
	for id, m := range s.Memberships {
		if m.canSpend() && m.Category != "" && m.Category == f.Category && m.Currency == f.Currency && !f.PostedAt.Before(m.Since) && (!m.Removed || f.PostedAt.Before(m.Until)) {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}

// writeShared appends the memberships to a binary-encoded State (Codec).
func (s *State) writeShared(w *writer) {
	w.uint(len(s.Memberships))
	for id, m := range s.Memberships {
		for _, f := range []string{id, m.BudgetID, m.Name, m.Role, m.Category, m.Currency, m.Period} {
			w.str(f)
		}
		w.time(m.Since)
		w.bool(m.Removed)
		w.time(m.Until)
	}
}

// readShared reads what writeShared wrote.
func (s *State) readShared(r *reader) {
	if n := r.len(); n > 0 {
		s.Memberships = make(map[string]*Membership, n)
		for range n {
			id := r.str()
			m := &Membership{BudgetID: r.str(), Name: r.str(), Role: r.str(), Category: r.str(), Currency: r.str(), Period: r.str()}
			m.Since = r.time()
			m.Removed = r.byte() == 1
			m.Until = r.time()
			s.Memberships[id] = m
		}
	}
}
