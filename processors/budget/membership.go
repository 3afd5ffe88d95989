package budget

import (
	"fmt"
	"slices"
	"sort"
	"time"

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
}

func (m Membership) equal(o Membership) bool {
	since := m.Since.Equal(o.Since)
	m.Since, o.Since = time.Time{}, time.Time{}
	return since && m == o
}

// canSpend reports whether the member's spend may count (owner, contributor).
func (m Membership) canSpend() bool { return m.Role == "owner" || m.Role == "contributor" }

// SharedRoute is what a transaction last sent to shared budgets: the
// budgets it was sent to (every later change goes to each of them), the
// facts sent and the sequence number of the last send.
type SharedRoute struct {
	Seq     int64       `json:"seq"`
	Budgets []string    `json:"budgets"`
	Sent    SharedFacts `json:"sent"`
}

// SharedFacts are the facts of a transaction a shared budget decides on.
type SharedFacts struct {
	Amount   int64     `json:"amount,omitempty"`
	Currency string    `json:"currency,omitempty"`
	Category string    `json:"category,omitempty"`
	Tag      string    `json:"tag,omitempty"`
	PostedAt time.Time `json:"posted_at"`
}

func (f SharedFacts) equal(o SharedFacts) bool {
	return f.Amount == o.Amount && f.Currency == o.Currency && f.Category == o.Category && f.Tag == o.Tag && f.PostedAt.Equal(o.PostedAt)
}

// SetMembership records the user's membership of a shared budget and sends
// the user's transactions that now may count there (in its category, posted
// since the membership began) and were not sent yet. The same membership
// again changes nothing.
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
	s.Version++
	ids := make([]string, 0, len(s.Txns))
	for id := range s.Txns {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var eff Effects
	for _, id := range ids {
		eff.Shared = append(eff.Shared, s.route(s.Txns[id])...)
	}
	return eff, nil
}

// RemoveMembership forgets the user's membership of a shared budget: new
// transactions are no longer sent there by category. Transactions sent
// before keep sending their changes (the shared budget decides what they
// count by the user's role at their posted_at).
func (s *State) RemoveMembership(budgetID string) {
	if _, ok := s.Memberships[budgetID]; !ok {
		return
	}
	delete(s.Memberships, budgetID)
	s.Version++
}

// SharedMemberships lists the user's shared-budget memberships by budget id.
func (s *State) SharedMemberships() []Membership {
	out := make([]Membership, 0, len(s.Memberships))
	for _, m := range s.Memberships {
		out = append(out, *m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].BudgetID < out[j].BudgetID })
	return out
}

// route returns the records to send to shared budgets after a change of e:
// its facts to every budget it was sent to when they changed, and to every
// budget it newly may count for (tagged with its id, or in the category of
// a budget the user spends in, posted since joining) when it is spend.
func (s *State) route(e *Txn) []event.SharedSpend {
	facts := SharedFacts{Amount: e.Counted.Amount, Currency: e.Row.Currency, Category: e.Category, Tag: e.Row.BudgetID, PostedAt: e.Row.PostedAt}
	r := e.Shared
	var to []string
	if r != nil && !r.Sent.equal(facts) {
		to = append(to, r.Budgets...)
	}
	if facts.Amount > 0 {
		for _, id := range s.sharedTargets(facts) {
			if r == nil || !slices.Contains(r.Budgets, id) {
				to = append(to, id)
			}
		}
	}
	if len(to) == 0 {
		return nil
	}
	if r == nil {
		r = &SharedRoute{}
		e.Shared = r
	}
	r.Seq++
	r.Sent = facts
	for _, id := range to {
		if !slices.Contains(r.Budgets, id) {
			r.Budgets = append(r.Budgets, id)
		}
	}
	slices.Sort(r.Budgets)
	slices.Sort(to)
	return s.sharedRecords(e, slices.Compact(to))
}

// resendShared repeats what e last sent, for a redelivered input: if the
// records were lost between storing the state and producing them, they are
// produced now; if not, the receiver ignores them (same Seq).
func (s *State) resendShared(e *Txn) []event.SharedSpend {
	if e == nil || e.Shared == nil {
		return nil
	}
	return s.sharedRecords(e, e.Shared.Budgets)
}

func (s *State) sharedRecords(e *Txn, budgets []string) []event.SharedSpend {
	r := e.Shared
	out := make([]event.SharedSpend, 0, len(budgets))
	for _, id := range budgets {
		out = append(out, event.SharedSpend{
			BudgetID: id, TxnID: e.Row.ID, UserID: s.UserID, Seq: r.Seq, LSN: e.Pos.LSN,
			AmountMinor: r.Sent.Amount, Currency: r.Sent.Currency, Category: r.Sent.Category,
			Merchant: e.Row.MerchantName, BudgetTag: r.Sent.Tag, PostedAt: r.Sent.PostedAt,
			SourceTime: sourceTime(e.Pos),
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
		if m.canSpend() && m.Category != "" && m.Category == f.Category && m.Currency == f.Currency && !f.PostedAt.Before(m.Since) {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}

// writeShared appends the memberships and the transactions' shared routes to
// a binary-encoded State (Codec), after everything else, so a value written
// before they existed still decodes.
func (s *State) writeShared(w *writer) {
	w.uint(len(s.Memberships))
	for id, m := range s.Memberships {
		for _, f := range []string{id, m.BudgetID, m.Name, m.Role, m.Category, m.Currency, m.Period} {
			w.str(f)
		}
		w.time(m.Since)
	}
	n := 0
	for _, t := range s.Txns {
		if t.Shared != nil {
			n++
		}
	}
	w.uint(n)
	for id, t := range s.Txns {
		r := t.Shared
		if r == nil {
			continue
		}
		w.str(id)
		w.int(r.Seq)
		w.uint(len(r.Budgets))
		for _, b := range r.Budgets {
			w.str(b)
		}
		w.int(r.Sent.Amount)
		w.str(r.Sent.Currency)
		w.str(r.Sent.Category)
		w.str(r.Sent.Tag)
		w.time(r.Sent.PostedAt)
	}
}

// readShared reads what writeShared wrote, if anything is left to read.
func (s *State) readShared(r *reader) {
	if r.err != nil || len(r.b) == 0 {
		return
	}
	if n := r.len(); n > 0 {
		s.Memberships = make(map[string]*Membership, n)
		for range n {
			id := r.str()
			m := &Membership{BudgetID: r.str(), Name: r.str(), Role: r.str(), Category: r.str(), Currency: r.str(), Period: r.str()}
			m.Since = r.time()
			s.Memberships[id] = m
		}
	}
	for n := r.len(); n > 0; n-- {
		id := r.str()
		route := &SharedRoute{Seq: r.int()}
		if k := r.len(); k > 0 {
			route.Budgets = make([]string, k)
			for i := range route.Budgets {
				route.Budgets[i] = r.str()
			}
		}
		route.Sent = SharedFacts{Amount: r.int(), Currency: r.str(), Category: r.str(), Tag: r.str()}
		route.Sent.PostedAt = r.time()
		if t := s.Txns[id]; t != nil {
			t.Shared = route
		}
	}
}
