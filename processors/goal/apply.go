package goal

import (
	"slices"
	"time"

	"finstream/processors/cdc"
)

// Apply applies a message of the loopback topic read from the input record
// in ("topic/partition/offset"; "" when unknown, see ApplyTxnFrom).
func (s *State) Apply(m Message, in string) Effects {
	switch {
	case m.Account != nil:
		return s.ApplyAccount(*m.Account)
	case m.Member != nil:
		return s.ApplyMembership(*m.Member)
	case m.Txn != nil:
		return s.ApplyTxnFrom(*m.Txn, in)
	}
	return Effects{}
}

// counted is what a transaction row counts for a goal of currency cur: a
// POSTED CREDIT into the account +amount, a POSTED DEBIT out of it
// −amount, anything else (pending, reversed, failed, deleted, another
// currency) 0.
func counted(ch cdc.TxnChange, cur string) int64 {
	r := ch.Row
	if ch.Deleted || r.Status != "POSTED" || r.Currency != cur {
		return 0
	}
	switch r.Direction {
	case "CREDIT":
		return r.AmountMinor
	case "DEBIT":
		return -r.AmountMinor
	}
	return 0
}

// ApplyTxn applies a change of a transaction of this user (or one a
// participant forwarded). A movement on the account of a goal the user owns
// changes the goal by exactly the difference with what the transaction
// counted before: a change at or before the CDC position already applied
// for that transaction (a duplicate, a replay) changes nothing. The
// contribution is attributed to the row's user when a participant, else to
// the owner. A movement on the account of another user's shared goal is
// forwarded to its owner. A transfer, deposit, withdrawal or interest on an
// account not yet known waits (MaxPending) until the account is linked.
//
// ApplyTxn is ApplyTxnFrom for a change of unknown origin.
func (s *State) ApplyTxn(ch cdc.TxnChange) Effects { return s.ApplyTxnFrom(ch, "") }

// ApplyTxnFrom applies a change read from the input record in
// ("topic/partition/offset"): when that very record is delivered again, the
// events its change produced are sent again (see Flow.In).
func (s *State) ApplyTxnFrom(ch cdc.TxnChange, in string) Effects {
	s.init()
	g := s.goalOf(ch.Row.AccountID)
	if g == nil {
		for _, k := range s.membershipKeys() {
			if m := s.Memberships[k]; !m.Removed && m.AccountID != "" && m.AccountID == ch.Row.AccountID && m.OwnerID != s.UserID {
				if ch.Row.UserID == "" {
					ch.Row.UserID = s.UserID
				}
				return Effects{Forwards: []Forward{{To: m.OwnerID, Msg: Message{Txn: &ch}}}}
			}
		}
		if !s.wait(ch) {
			return Effects{Untouched: true}
		}
		return Effects{}
	}
	prev := g.Flows[ch.Row.ID]
	if prev != nil && !ch.Pos.After(prev.Pos) {
		if in != "" && prev.In == in {
			return Effects{Events: slices.Clone(prev.Sent)}
		}
		return Effects{}
	}
	if g.Flows == nil {
		g.Flows = map[string]*Flow{}
	}
	if g.Daily == nil {
		g.Daily = map[string]int64{}
	}
	loc := s.location()
	at := ch.Row.PostedAt
	if at.IsZero() {
		at = ch.Row.UpdatedAt
	}
	amount := counted(ch, g.Currency)
	contributor := s.UserID
	if p, ok := g.Participants[ch.Row.UserID]; ok && p != nil {
		contributor = ch.Row.UserID
	}
	now := &Flow{Pos: ch.Pos, Amount: amount, Contributor: contributor, Date: date(at, loc).Format(time.DateOnly), In: in}
	if prev != nil {
		now.Contributor = prev.Contributor // attribution is decided once
		if p := g.Participants[prev.Contributor]; p != nil {
			p.SavedMinor -= prev.Amount
		}
		g.SavedMinor -= prev.Amount
		g.Daily[prev.Date] -= prev.Amount
	}
	g.Flows[ch.Row.ID] = now
	if amount == 0 && (prev == nil || prev.Amount == 0) {
		return Effects{} // never counted: nothing changed
	}
	g.SavedMinor += amount
	if p := g.Participants[now.Contributor]; p != nil {
		p.SavedMinor += amount
	}
	g.Daily[now.Date] += amount
	if amount != 0 && (g.FirstDate == "" || now.Date < g.FirstDate) {
		g.FirstDate = now.Date
	}
	if at.After(g.AsOf) {
		g.AsOf = at
	}
	g.pruneDaily(loc)
	delta := amount
	if prev != nil {
		delta -= prev.Amount
	}
	eff := s.progressed(g, at, ch.Row.ID, delta, now.Contributor)
	if in != "" {
		now.Sent = slices.Clone(eff.Events)
	}
	return eff
}

// wait keeps a money movement on an unknown account, in case the account
// turns out to be a goal's (its row or the goal's PUT arrives later).
// It reports whether it kept it.
func (s *State) wait(ch cdc.TxnChange) bool {
	switch ch.Row.Type {
	case "TRANSFER", "DEPOSIT", "WITHDRAWAL", "INTEREST":
	default:
		return false
	}
	s.Pending = append(s.Pending, ch)
	if n := len(s.Pending); n > MaxPending {
		s.Pending = slices.Delete(s.Pending, 0, n-MaxPending)
	}
	s.Version++
	return true
}

// release applies the waiting movements on the goal's account.
func (s *State) release(g *Goal) Effects {
	acc := s.accountOf(g)
	var eff Effects
	if acc == "" {
		return eff
	}
	var rest []cdc.TxnChange
	var mine []cdc.TxnChange
	for _, ch := range s.Pending {
		if ch.Row.AccountID == acc {
			mine = append(mine, ch)
		} else {
			rest = append(rest, ch)
		}
	}
	s.Pending = rest
	for _, ch := range mine {
		eff.add(s.ApplyTxn(ch))
	}
	return eff
}

// ApplyAccount records a GOAL account row of this user: its goal_id links
// the account to the goal of that id (unless the goal's PUT named another
// account). A change at or before the position applied is ignored.
func (s *State) ApplyAccount(ch cdc.AccountChange) Effects {
	s.init()
	r := ch.Row
	if r.Type != "GOAL" || r.GoalID == "" || ch.Deleted {
		return Effects{}
	}
	if pos, ok := s.LinkPos[r.ID]; ok && !ch.Pos.After(pos) {
		return Effects{}
	}
	s.LinkPos[r.ID] = ch.Pos
	if s.Links[r.ID] == r.GoalID {
		return Effects{}
	}
	s.Links[r.ID] = r.GoalID
	s.Version++
	var eff Effects
	if g := s.Goals[r.GoalID]; g != nil && s.accountOf(g) == r.ID {
		eff.add(s.announceMembers(g))
		eff.add(s.release(g))
	}
	return eff
}

// ApplyMembership records (or, Removed, forgets) another user's goal this
// user takes part in.
func (s *State) ApplyMembership(m Membership) Effects {
	s.init()
	k := membershipKey(m.OwnerID, m.GoalID)
	if m.Removed {
		if _, ok := s.Memberships[k]; ok {
			delete(s.Memberships, k)
			s.Version++
		}
		return Effects{}
	}
	if old := s.Memberships[k]; old != nil && *old == m {
		return Effects{}
	}
	s.Memberships[k] = &m
	s.Version++
	return Effects{}
}

func (s *State) membershipKeys() []string {
	ks := make([]string, 0, len(s.Memberships))
	for k := range s.Memberships {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// announceMembers forwards the goal's membership to every participant but
// the owner, so that their movements into the account reach the owner and
// their GET /v1/me/goals lists the goal.
func (s *State) announceMembers(g *Goal) Effects {
	var eff Effects
	for _, id := range participantIDs(g) {
		if id == s.UserID {
			continue
		}
		m := Membership{OwnerID: s.UserID, GoalID: g.ID, AccountID: s.accountOf(g), Role: g.Participants[id].Role}
		eff.Forwards = append(eff.Forwards, Forward{To: id, Msg: Message{Member: &m}})
	}
	return eff
}
