package shared

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"

	"finstream/processors/budget"
	"finstream/processors/compact"
	"finstream/processors/period"
)

// format is the first byte of a binary-encoded Budget; formatD1 is the
// format before drops and crossings (Budget.Drops, Fired.Nth). A value that
// starts with '{' is the JSON of the format before it (read by readLegacy).
const (
	format   byte = 0xD2
	formatD1 byte = 0xD1
)

// Codec is the goka codec of finstream-shared-table (Budget values).
type Codec = compact.Codec[Budget, *Budget]

// MarshalBinary encodes the budget (maps in key order, so equal budgets
// encode equally).
func (b *Budget) MarshalBinary() ([]byte, error) {
	w := compact.Writer{B: make([]byte, 0, 256)}
	w.Byte(format)
	for _, s := range []string{b.BudgetID, b.Name, b.Category, b.Currency, string(b.Period), b.TimeZone, b.CreatedBy} {
		w.Str(s)
	}
	w.Int(b.LimitMinor)
	w.Len(len(b.ThresholdsBP))
	for _, t := range b.ThresholdsBP {
		w.Int(t)
	}
	w.Time(b.CreatedAt)
	w.Len(len(b.Members))
	for _, id := range slices.Sorted(maps.Keys(b.Members)) {
		m := b.Members[id]
		w.Str(id)
		w.Str(string(m.Role))
		w.Time(m.Since)
		w.Time(m.Until)
		w.Len(len(m.Terms))
		for _, t := range m.Terms {
			w.Str(string(t.Role))
			w.Time(t.From)
		}
	}
	writeAmounts(&w, b.Spend)
	writeAmounts(&w, b.Contrib)
	w.Len(len(b.Invitations))
	for _, inv := range b.Invitations {
		for _, s := range []string{inv.ID, inv.UserID, string(inv.Role), inv.InvitedBy} {
			w.Str(s)
		}
		w.Time(inv.ExpiresAt)
	}
	w.Time(b.Latest)
	w.Time(b.LatestPosted)
	b.Commands.Write(&w)
	b.Marks.Write(&w)
	w.Len(len(b.Fired))
	for _, f := range b.Fired {
		for _, s := range []string{f.TxnID, f.PeriodKey, f.UserID, f.Merchant} {
			w.Str(s)
		}
		for _, n := range []int64{f.Seq, f.Amount, f.Spent, f.Limit} {
			w.Int(n)
		}
		w.Time(f.EventTime)
		w.Len(len(f.Thresholds))
		for _, t := range f.Thresholds {
			w.Int(t)
		}
		w.Len(len(f.Recipients))
		for _, id := range f.Recipients {
			w.Str(id)
		}
		w.Len(len(f.Nth))
		for _, n := range f.Nth {
			w.Int(n)
		}
	}
	w.Int(b.Version)
	w.Len(len(b.Drops))
	for _, d := range b.Drops {
		w.Str(d.Key)
		w.Int(d.ThresholdBP)
		w.Int(d.Count)
	}
	if b.PushedPeriod != "" { // an optional trailer: earlier values have none
		w.Str(b.PushedPeriod)
	}
	return w.B, nil
}

// UnmarshalBinary decodes what MarshalBinary wrote, or the JSON of the
// format before it.
func (b *Budget) UnmarshalBinary(data []byte) error {
	*b = Budget{}
	if len(data) == 0 {
		return nil
	}
	if data[0] == '{' {
		return b.readLegacy(data)
	}
	if data[0] != format && data[0] != formatD1 {
		return fmt.Errorf("shared budget: unknown format byte 0x%02x", data[0])
	}
	d1 := data[0] == formatD1
	r := compact.NewReader(data[1:])
	var kind string
	for _, p := range []*string{&b.BudgetID, &b.Name, &b.Category, &b.Currency, &kind, &b.TimeZone, &b.CreatedBy} {
		*p = r.Str()
	}
	b.Period = period.Kind(kind)
	b.LimitMinor = r.Int()
	b.ThresholdsBP = readInts(r)
	b.CreatedAt = r.Time()
	n := r.Len()
	b.Members = make(map[string]*Member, n)
	for range n {
		id := r.Str()
		m := &Member{Role: Role(r.Str()), Since: r.Time(), Until: r.Time()}
		if n := r.Len(); n > 0 {
			m.Terms = make([]Term, n)
			for i := range m.Terms {
				m.Terms[i] = Term{Role: Role(r.Str()), From: r.Time()}
			}
		}
		b.Members[id] = m
	}
	b.Spend, b.Contrib = readAmounts(r), readAmounts(r)
	if n := r.Len(); n > 0 {
		b.Invitations = make([]Invitation, n)
		for i := range b.Invitations {
			inv := &b.Invitations[i]
			inv.ID, inv.UserID, inv.Role, inv.InvitedBy = r.Str(), r.Str(), Role(r.Str()), r.Str()
			inv.ExpiresAt = r.Time()
		}
	}
	b.Latest = r.Time()
	b.LatestPosted = r.Time()
	b.Commands = compact.ReadWindow(r)
	b.Marks = compact.ReadMarks(r)
	if n := r.Len(); n > 0 {
		b.Fired = make([]Fired, n)
		for i := range b.Fired {
			f := &b.Fired[i]
			for _, p := range []*string{&f.TxnID, &f.PeriodKey, &f.UserID, &f.Merchant} {
				*p = r.Str()
			}
			for _, p := range []*int64{&f.Seq, &f.Amount, &f.Spent, &f.Limit} {
				*p = r.Int()
			}
			f.EventTime = r.Time()
			f.Thresholds = readInts(r)
			if n := r.Len(); n > 0 {
				f.Recipients = make([]string, n)
				for j := range f.Recipients {
					f.Recipients[j] = r.Str()
				}
			}
			if !d1 {
				f.Nth = readInts(r)
			}
		}
	}
	b.Version = r.Int()
	if !d1 {
		for n := r.Len(); n > 0; n-- {
			b.Drops = append(b.Drops, budget.Drop{Key: r.Str(), ThresholdBP: r.Int(), Count: r.Int()})
		}
	}
	if r.More() {
		b.PushedPeriod = r.Str()
	}
	if err := r.Done(); err != nil {
		return fmt.Errorf("shared budget: %w", err)
	}
	return nil
}

func writeAmounts(w *compact.Writer, m map[string]int64) {
	w.Len(len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		w.Str(k)
		w.Int(m[k])
	}
}

func readAmounts(r *compact.Reader) map[string]int64 {
	n := r.Len()
	m := make(map[string]int64, n)
	for range n {
		k := r.Str()
		m[k] = r.Int()
	}
	return m
}

func readInts(r *compact.Reader) []int64 {
	n := r.Len()
	if n == 0 {
		return nil
	}
	out := make([]int64, n)
	for i := range out {
		out[i] = r.Int()
	}
	return out
}

// readLegacy reads the JSON value of the format before the bounded one:
// settings, members, spend and contributions are kept; the transactions it
// remembered are dropped (the transaction stage did not remember where it
// sent them, so a change of a transaction counted before the upgrade does
// not move the totals: a replay into fresh groups rebuilds them exactly).
func (b *Budget) readLegacy(data []byte) error {
	var old struct {
		Budget
		Members map[string]struct {
			Role  Role      `json:"role"`
			Since time.Time `json:"since"`
			Terms []Term    `json:"terms"`
		} `json:"members"`
		Commands []string `json:"commands"`
	}
	if err := json.Unmarshal(data, &old); err != nil {
		return fmt.Errorf("shared budget (JSON): %w", err)
	}
	*b = old.Budget
	b.Members = make(map[string]*Member, len(old.Members))
	for id, m := range old.Members {
		mem := &Member{Role: m.Role, Since: m.Since, Terms: m.Terms}
		if n := len(m.Terms); n > maxTerms {
			mem.Terms = m.Terms[n-maxTerms:]
		}
		if m.Role == "" && len(m.Terms) > 0 {
			mem.Until = m.Terms[len(m.Terms)-1].From
		}
		b.Members[id] = mem
	}
	b.Commands = nil
	for _, c := range old.Commands {
		b.remember(c)
	}
	b.init()
	b.trimMembers()
	return nil
}
