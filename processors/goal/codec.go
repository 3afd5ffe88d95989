package goal

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"finstream/processors/cdc"
	"finstream/processors/compact"
)

// stateFormat is the first byte of a binary-encoded State; a value starting
// with '{' is the JSON of earlier builds (its per-transaction Flows are
// dropped on decode: a later change of such a transaction is applied as
// its first).
const (
	stateFormat   byte = 0xC3
	stateFormatC2 byte = 0xC2 // before the off-track month (of goals and movements)
	stateFormatC1 byte = 0xC1 // before invitations
)

// Codec is the goka codec of the finstream-goals table: State in a compact
// binary form (maps in key order, so equal states encode equally). Times
// decode in UTC. Decode returns a State value.
type Codec = compact.Codec[State, *State]

// MarshalBinary encodes the state.
func (s *State) MarshalBinary() ([]byte, error) {
	w := &compact.Writer{B: make([]byte, 0, 512)}
	w.Byte(stateFormat)
	w.Str(s.UserID)
	w.Str(s.TimeZone)
	w.Int(s.Version)
	w.Len(len(s.Goals))
	for _, id := range slices.Sorted(maps.Keys(s.Goals)) {
		writeGoal(w, s.Goals[id])
		w.Str(s.Goals[id].OffTrackMonth)
	}
	w.Len(len(s.Links))
	for _, acc := range slices.Sorted(maps.Keys(s.Links)) {
		w.Str(acc)
		w.Str(s.Links[acc])
	}
	w.Len(len(s.LinkPos))
	for _, acc := range slices.Sorted(maps.Keys(s.LinkPos)) {
		w.Str(acc)
		writePos(w, s.LinkPos[acc])
	}
	w.Len(len(s.Pending))
	for _, ch := range s.Pending {
		writeChange(w, ch)
	}
	w.Len(len(s.Memberships))
	for _, k := range slices.Sorted(maps.Keys(s.Memberships)) {
		m := s.Memberships[k]
		w.Str(m.OwnerID)
		w.Str(m.GoalID)
		w.Str(m.AccountID)
		w.Str(m.Role)
		w.Bool(m.Removed)
		w.Bool(m.Pending)
		w.Time(m.ExpiresAt)
	}
	w.Len(len(s.Recent))
	for _, m := range s.Recent {
		writeMovement(w, m)
	}
	return w.B, nil
}

// UnmarshalBinary decodes what MarshalBinary wrote, or the JSON of earlier
// builds.
func (s *State) UnmarshalBinary(b []byte) error {
	*s = State{}
	if len(b) > 0 && b[0] == '{' {
		if err := json.Unmarshal(b, s); err != nil {
			return fmt.Errorf("goal state (json): %w", err)
		}
		return nil
	}
	if len(b) == 0 || (b[0] != stateFormat && b[0] != stateFormatC2 && b[0] != stateFormatC1) {
		return fmt.Errorf("goal state: %w: unknown format", compact.ErrCorrupt)
	}
	invites, offTrack := b[0] != stateFormatC1, b[0] == stateFormat
	r := compact.NewReader(b[1:])
	s.UserID = r.Str()
	s.TimeZone = r.Str()
	s.Version = r.Int()
	s.init()
	for n := r.Len(); n > 0; n-- {
		g := readGoal(r, invites)
		if offTrack {
			g.OffTrackMonth = r.Str()
		}
		s.Goals[g.ID] = g
	}
	for n := r.Len(); n > 0; n-- {
		acc := r.Str()
		s.Links[acc] = r.Str()
	}
	for n := r.Len(); n > 0; n-- {
		acc := r.Str()
		s.LinkPos[acc] = readPos(r)
	}
	for n := r.Len(); n > 0; n-- {
		s.Pending = append(s.Pending, readChange(r))
	}
	for n := r.Len(); n > 0; n-- {
		m := &Membership{OwnerID: r.Str(), GoalID: r.Str(), AccountID: r.Str(), Role: r.Str(), Removed: r.Bool()}
		if invites {
			m.Pending, m.ExpiresAt = r.Bool(), r.Time()
		}
		s.Memberships[membershipKey(m.OwnerID, m.GoalID)] = m
	}
	for n := r.Len(); n > 0; n-- {
		s.Recent = append(s.Recent, readMovement(r, offTrack))
	}
	if err := r.Done(); err != nil {
		return fmt.Errorf("goal state: %w", err)
	}
	return nil
}

func writeGoal(w *compact.Writer, g *Goal) {
	w.Str(g.ID)
	w.Str(g.Name)
	w.Str(g.Currency)
	w.Int(g.TargetMinor)
	w.Date(g.TargetDate)
	w.Str(g.AccountID)
	w.Len(len(g.Participants))
	for _, id := range slices.Sorted(maps.Keys(g.Participants)) {
		w.Str(id)
		w.Str(g.Participants[id].Role)
		w.Int(g.Participants[id].SavedMinor)
	}
	w.Len(len(g.Invited))
	for _, id := range slices.Sorted(maps.Keys(g.Invited)) {
		w.Str(id)
		w.Str(g.Invited[id].Role)
		w.Time(g.Invited[id].ExpiresAt)
	}
	w.Int(g.SavedMinor)
	w.Len(len(g.Announced))
	for _, m := range g.Announced {
		w.Int(m)
	}
	w.Len(len(g.Daily))
	for _, d := range slices.Sorted(maps.Keys(g.Daily)) {
		w.Date(d)
		w.Int(g.Daily[d])
	}
	w.Date(g.FirstDate)
	w.Time(g.AsOf)
	w.Date(g.CompletedOn)
	w.Int(g.Version)
}

func readGoal(r *compact.Reader, invites bool) *Goal {
	g := &Goal{ID: r.Str(), Name: r.Str(), Currency: r.Str(), TargetMinor: r.Int(), TargetDate: r.Date(), AccountID: r.Str(),
		Participants: map[string]*Participant{}}
	for n := r.Len(); n > 0; n-- {
		id := r.Str()
		g.Participants[id] = &Participant{Role: r.Str(), SavedMinor: r.Int()}
	}
	if n := 0; invites {
		if n = r.Len(); n > 0 {
			g.Invited = make(map[string]*Invite, n)
		}
		for ; n > 0; n-- {
			id := r.Str()
			g.Invited[id] = &Invite{Role: r.Str(), ExpiresAt: r.Time()}
		}
	}
	g.SavedMinor = r.Int()
	for n := r.Len(); n > 0; n-- {
		g.Announced = append(g.Announced, r.Int())
	}
	if n := r.Len(); n > 0 {
		g.Daily = make(map[string]int64, n)
		for ; n > 0; n-- {
			d := r.Date()
			g.Daily[d] = r.Int()
		}
	}
	g.FirstDate = r.Date()
	g.AsOf = r.Time()
	g.CompletedOn = r.Date()
	g.Version = r.Int()
	return g
}

func writePos(w *compact.Writer, p cdc.Position) {
	w.Int(p.LSN)
	w.Int(p.TsMs)
}

func readPos(r *compact.Reader) cdc.Position { return cdc.Position{LSN: r.Int(), TsMs: r.Int()} }

// writeChange writes what goals read of a waiting change: the row's
// identity, account, user, direction, type, status, amount, currency and
// times, the position, seq and the previous row.
func writeChange(w *compact.Writer, ch cdc.TxnChange) {
	w.Str(string(ch.Op))
	writeRow(w, ch.Row)
	w.Bool(ch.Deleted)
	writePos(w, ch.Pos)
	w.Int(ch.Seq)
	w.Bool(ch.Prev != nil)
	if ch.Prev != nil {
		writeRow(w, *ch.Prev)
	}
	w.Bool(ch.PrevDeleted)
}

func readChange(r *compact.Reader) cdc.TxnChange {
	ch := cdc.TxnChange{Op: cdc.Op(r.Str()), Row: readRow(r), Deleted: r.Bool(), Pos: readPos(r), Seq: r.Int()}
	if r.Bool() {
		p := readRow(r)
		ch.Prev = &p
	}
	ch.PrevDeleted = r.Bool()
	return ch
}

func writeRow(w *compact.Writer, t cdc.Txn) {
	for _, f := range []string{t.ID, t.AccountID, t.UserID, t.Direction, t.Type, t.Status, t.Currency} {
		w.Str(f)
	}
	w.Int(t.AmountMinor)
	w.Time(t.PostedAt)
	w.Time(t.UpdatedAt)
}

func readRow(r *compact.Reader) cdc.Txn {
	t := cdc.Txn{ID: r.Str(), AccountID: r.Str(), UserID: r.Str(), Direction: r.Str(), Type: r.Str(), Status: r.Str(), Currency: r.Str()}
	t.AmountMinor = r.Int()
	t.PostedAt = r.Time()
	t.UpdatedAt = r.Time()
	return t
}

func writeMovement(w *compact.Writer, m Movement) {
	w.Str(m.TxnID)
	w.Int(m.Seq)
	writePos(w, m.Pos)
	w.Str(m.GoalID)
	w.Int(m.Amount)
	w.Str(m.Contributor)
	w.Date(m.Date)
	w.Fixed64(m.In)
	w.Bool(m.Sent)
	if !m.Sent {
		return
	}
	w.Int(m.Version)
	w.Time(m.At)
	w.Int(m.Delta)
	w.Len(len(m.Milestones))
	for _, bp := range m.Milestones {
		w.Int(bp)
	}
	w.Str(m.OffTrack)
}

func readMovement(r *compact.Reader, offTrack bool) Movement {
	m := Movement{TxnID: r.Str(), Seq: r.Int(), Pos: readPos(r), GoalID: r.Str(), Amount: r.Int(), Contributor: r.Str(), Date: r.Date(), In: r.Fixed64(), Sent: r.Bool()}
	if !m.Sent {
		return m
	}
	m.Version = r.Int()
	m.At = r.Time()
	m.Delta = r.Int()
	for n := r.Len(); n > 0; n-- {
		m.Milestones = append(m.Milestones, r.Int())
	}
	if offTrack {
		m.OffTrack = r.Str()
	}
	return m
}
