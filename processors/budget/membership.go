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
	s.uninviteBudget(m.BudgetID)
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

// maxRoutes bounds the shared budgets one change is sent to.
const maxRoutes = 8

// during reports whether t falls within the membership (from Since, until
// Until once removed).
func (m Membership) during(t time.Time) bool {
	return !t.Before(m.Since) && (!m.Removed || t.Before(m.Until))
}

// route returns the shared budgets a by-user record's change is sent to,
// from the user's memberships as the stage sees them when it applies the
// change: a spend (rec.Counts) tagged with a budget's id goes to that
// budget, whatever the user's role there (the budget decides, and shows a
// refusal); an untagged spend goes to every budget the user spends in whose
// category and currency it has, posted during the membership. At most
// maxRoutes, by budget id.
func route(rec cdc.TxnChange, ms map[string]*Membership) []string {
	if rec.Counts.Amount <= 0 {
		return nil
	}
	row := rec.Row
	if row.BudgetID != "" {
		return []string{row.BudgetID}
	}
	var out []string
	for id, m := range ms {
		if m.canSpend() && m.Category != "" && m.Category == rec.Category && m.Currency == row.Currency && m.during(row.PostedAt) {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	if len(out) > maxRoutes {
		out = out[:maxRoutes]
	}
	return out
}

// SharedSpends are the finstream.shared.spend records of a by-user record:
// one per shared budget the change before or this change was sent to, with
// the facts now and, where the change before went, the facts then.
func SharedSpends(rec cdc.TxnChange) []event.SharedSpend {
	if len(rec.SharedBefore)+len(rec.Shared) == 0 {
		return nil
	}
	ids := slices.Concat(rec.SharedBefore, rec.Shared)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	out := make([]event.SharedSpend, 0, len(ids))
	for _, id := range ids {
		sp := event.SharedSpend{
			BudgetID: id, TxnID: rec.Row.ID, UserID: rec.Row.UserID, Seq: rec.Seq, LSN: rec.Pos.LSN,
			Currency: rec.Row.Currency, Category: rec.Category, Merchant: rec.Row.MerchantName,
			BudgetTag: rec.Row.BudgetID, PostedAt: rec.Row.PostedAt, SourceTime: sourceTime(rec.Pos),
			MarkStream: rec.MarkStream, MarkPartition: rec.MarkPartition, MarkOffset: rec.MarkOffset, Resent: rec.Resent,
		}
		if rec.Op == OpRecategorize {
			sp.SourceTime = time.Time{}
		}
		if slices.Contains(rec.Shared, id) {
			sp.AmountMinor = rec.Counts.Amount
		}
		if slices.Contains(rec.SharedBefore, id) && rec.Prev != nil {
			c := rec.Counted
			sp.BeforeMinor, sp.BeforeCurrency, sp.BeforeCategory = c.Amount, c.Currency, c.Category
			sp.BeforeTag, sp.BeforePostedAt = rec.Prev.BudgetID, rec.Prev.PostedAt
		}
		out = append(out, sp)
	}
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
