package goal

import (
	"slices"
	"time"

	"finstream/processors/cdc"
	"finstream/processors/compact"
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
func counted(r cdc.Txn, deleted bool, cur string) int64 {
	if deleted || r.Status != "POSTED" || r.Currency != cur {
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

// rowTime is a row's event time: posted_at, else updated_at.
func rowTime(r cdc.Txn) time.Time {
	if r.PostedAt.IsZero() {
		return r.UpdatedAt
	}
	return r.PostedAt
}

// ApplyTxn applies a change of a transaction of this user (or one a
// participant forwarded). A movement on the account of a goal the user owns
// changes the goal by exactly the difference with what the transaction
// counted before; the contribution is attributed to the row's user when a
// participant, else to the owner. A movement on the account of another
// user's shared goal is forwarded to its owner. A transfer, deposit,
// withdrawal or interest on an account not yet known waits (MaxPending)
// until the account is linked.
//
// A record of the transaction stage (Seq > 0) carries the row it replaces
// (Prev): the difference is counted(Row) − counted(Prev), and a record
// whose (transaction id, Seq) is among the Recent movements is a re-send:
// it changes nothing and repeats the events of its change with the same
// ids. A record from before the stage (Seq 0) is identified by its CDC
// position: a change at or before the position remembered for the
// transaction (a duplicate, a replay) changes nothing, and the difference
// is taken with what the Recent window remembers the transaction counted
// (nothing when it left the window).
//
// ApplyTxn is ApplyTxnFrom for a change of unknown origin.
func (s *State) ApplyTxn(ch cdc.TxnChange) Effects { return s.ApplyTxnFrom(ch, "") }

// ApplyTxnFrom applies a change read from the input record in
// ("topic/partition/offset"): when a change from before the stage (Seq 0)
// is delivered again in that very record, its events are sent again (see
// Movement.Sent).
func (s *State) ApplyTxnFrom(ch cdc.TxnChange, in string) Effects {
	s.init()
	g := s.goalOf(ch.Row.AccountID)
	if g == nil && ch.Prev != nil {
		g = s.goalOf(ch.Prev.AccountID) // moved out of the goal's account
	}
	if g == nil {
		for _, k := range s.membershipKeys() {
			if m := s.Memberships[k]; !m.Removed && !m.Pending && m.AccountID != "" && m.AccountID == ch.Row.AccountID && m.OwnerID != s.UserID {
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
	var from uint64
	if in != "" {
		from = compact.Hash(in)
	}
	loc := s.location()
	acc := s.accountOf(g)
	now := Movement{TxnID: ch.Row.ID, Seq: ch.Seq, Pos: ch.Pos, GoalID: g.ID, In: from,
		Contributor: s.contributor(g, ch.Row.UserID), Date: date(rowTime(ch.Row), loc).Format(time.DateOnly)}
	if ch.Row.AccountID == acc {
		now.Amount = counted(ch.Row, ch.Deleted, g.Currency)
	}
	var old Movement // what the transaction counted before: nothing by default
	prev := s.recent(ch.Row.ID, ch.Seq)
	switch {
	case ch.Seq > 0 && prev != nil: // a re-sent record
		return s.resend(*prev)
	case ch.Seq > 0:
		if p := ch.Prev; p != nil && p.AccountID == acc {
			old = Movement{Amount: counted(*p, ch.PrevDeleted, g.Currency), Contributor: s.contributor(g, p.UserID),
				Date: date(rowTime(*p), loc).Format(time.DateOnly)}
		}
	case prev != nil && !ch.Pos.After(prev.Pos): // before the stage: a duplicate or a replay
		if from != 0 && prev.In == from {
			return s.resend(*prev)
		}
		return Effects{}
	case prev != nil:
		old = *prev
		now.Contributor = prev.Contributor // attribution is decided once
	}
	if now.Amount == 0 && old.Amount == 0 {
		s.remember(now)
		return Effects{} // never counted: nothing changed
	}
	if g.Daily == nil {
		g.Daily = map[string]int64{}
	}
	at := rowTime(ch.Row)
	if p := g.Participants[old.Contributor]; p != nil {
		p.SavedMinor -= old.Amount
	}
	g.SavedMinor -= old.Amount
	if old.Amount != 0 {
		g.Daily[old.Date] -= old.Amount
	}
	g.SavedMinor += now.Amount
	if p := g.Participants[now.Contributor]; p != nil {
		p.SavedMinor += now.Amount
	}
	if now.Amount != 0 {
		g.Daily[now.Date] += now.Amount
		if g.FirstDate == "" || now.Date < g.FirstDate {
			g.FirstDate = now.Date
		}
	}
	if at.After(g.AsOf) {
		g.AsOf = at
	}
	g.pruneDaily(loc)
	delta := now.Amount - old.Amount
	eff, reached := s.progressed(g, at, ch.Row.ID, delta, now.Contributor)
	off := s.offTrack(g, at)
	eff.Events = append(eff.Events, off...)
	now.Sent, now.Version, now.At, now.Delta, now.Milestones = true, g.Version, at, delta, reached
	if len(off) > 0 {
		now.OffTrack = g.OffTrackMonth
	}
	s.remember(now)
	return eff
}

// contributor is who a movement by user is attributed to: the user when a
// participant of g, else the owner.
func (s *State) contributor(g *Goal, user string) string {
	if p, ok := g.Participants[user]; ok && p != nil {
		return user
	}
	return s.UserID
}

// recent is the remembered movement of (txnID, seq), nil when none.
func (s *State) recent(txnID string, seq int64) *Movement {
	for i := len(s.Recent) - 1; i >= 0; i-- {
		if m := &s.Recent[i]; m.TxnID == txnID && m.Seq == seq {
			return m
		}
	}
	return nil
}

// remember records m as the latest movement of (m.TxnID, m.Seq) and keeps
// the newest MaxRecent movements.
func (s *State) remember(m Movement) {
	s.Recent = slices.DeleteFunc(s.Recent, func(r Movement) bool { return r.TxnID == m.TxnID && r.Seq == m.Seq })
	s.Recent = append(s.Recent, m)
	if n := len(s.Recent); n > MaxRecent {
		s.Recent = slices.Delete(s.Recent, 0, n-MaxRecent)
	}
	s.Version++
}

// resend repeats the events of movement m with their ids (nothing when it
// produced none or its goal is gone).
func (s *State) resend(m Movement) Effects {
	g := s.Goals[m.GoalID]
	if !m.Sent || g == nil {
		return Effects{}
	}
	eff := s.events(g, m.At, m.Version, m.TxnID, m.Delta, m.Contributor, m.Milestones)
	if m.OffTrack != "" {
		eff.Events = append(eff.Events, s.offTrackEvents(g, m.At, m.OffTrack)...)
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
