package budget

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"finstream/processors/cdc"
	"finstream/processors/period"
)

// stateFormat is the first byte of a binary-encoded State. stateFormatV1
// (without Txn.Fired) and a value starting with '{' (the JSON
// encoding of earlier builds) still decode.
const (
	stateFormat   byte = 0xB2
	stateFormatV1 byte = 0xB1
)

// Codec is the goka codec of the finstream-users table: a compact binary
// encoding of State (the table is written on every event, so JSON's cost
// showed in profiles). Decode returns a State value.
type Codec struct{}

// Encode encodes a State or *State.
func (Codec) Encode(v any) ([]byte, error) {
	switch s := v.(type) {
	case State:
		return s.MarshalBinary()
	case *State:
		return s.MarshalBinary()
	}
	return nil, fmt.Errorf("budget codec: cannot encode %T", v)
}

// Decode decodes what Encode wrote (or the JSON of earlier builds).
func (Codec) Decode(b []byte) (any, error) {
	var s State
	err := s.UnmarshalBinary(b)
	return s, err
}

// MarshalBinary encodes the state.
func (s *State) MarshalBinary() ([]byte, error) {
	w := writer{b: make([]byte, 0, 256+len(s.Txns)*160)}
	w.b = append(w.b, stateFormat)
	w.str(s.UserID)
	w.str(s.TimeZone)
	w.int(s.Version)
	w.uint(len(s.Rules))
	for k, v := range s.Rules {
		w.str(k)
		w.str(v)
	}
	w.uint(len(s.Budgets))
	for _, b := range s.Budgets {
		w.str(b.Category)
		w.str(string(b.Period))
		w.str(b.Currency)
		w.int(b.LimitMinor)
		w.uint(len(b.ThresholdsBP))
		for _, t := range b.ThresholdsBP {
			w.int(t)
		}
		w.int(b.Version)
	}
	w.uint(len(s.Spend))
	for k, v := range s.Spend {
		w.str(k)
		w.int(v)
	}
	w.uint(len(s.Txns))
	for id, t := range s.Txns {
		w.str(id)
		w.txn(t)
	}
	s.writeShared(&w)
	w.str(s.LatestMonth) // after everything: a value written before it decodes to ""
	return w.b, nil
}

// UnmarshalBinary decodes what MarshalBinary wrote, or JSON.
func (s *State) UnmarshalBinary(b []byte) error {
	*s = State{}
	if len(b) == 0 {
		return nil
	}
	if b[0] == '{' {
		return json.Unmarshal(b, s)
	}
	if b[0] != stateFormat && b[0] != stateFormatV1 {
		return fmt.Errorf("budget state: unknown format byte 0x%02x", b[0])
	}
	r := reader{b: b[1:], v1: b[0] == stateFormatV1}
	s.UserID = r.str()
	s.TimeZone = r.str()
	s.Version = r.int()
	if n := r.len(); n > 0 {
		s.Rules = make(map[string]string, n)
		for range n {
			k := r.str()
			s.Rules[k] = r.str()
		}
	}
	if n := r.len(); n > 0 {
		s.Budgets = make(map[string]*Budget, n)
		for range n {
			bd := &Budget{Category: r.str(), Period: period.Kind(r.str()), Currency: r.str(), LimitMinor: r.int()}
			if m := r.len(); m > 0 {
				bd.ThresholdsBP = make([]int64, m)
				for i := range bd.ThresholdsBP {
					bd.ThresholdsBP[i] = r.int()
				}
			}
			bd.Version = r.int()
			s.Budgets[bd.Category] = bd
		}
	}
	if n := r.len(); n > 0 {
		s.Spend = make(map[string]int64, n)
		for range n {
			k := r.str()
			s.Spend[k] = r.int()
		}
	}
	if n := r.len(); n > 0 {
		s.Txns = make(map[string]*Txn, n)
		for range n {
			id := r.str()
			s.Txns[id] = r.txn(id)
		}
	}
	s.readShared(&r)
	if r.err == nil && len(r.b) > 0 {
		s.LatestMonth = r.str()
	}
	if r.err != nil {
		return fmt.Errorf("budget state of %q: %w", s.UserID, r.err)
	}
	if len(r.b) != 0 {
		return fmt.Errorf("budget state of %q: %d trailing bytes", s.UserID, len(r.b))
	}
	return nil
}

type writer struct{ b []byte }

func (w *writer) uint(n int)      { w.b = binary.AppendUvarint(w.b, uint64(n)) }
func (w *writer) int(n int64)     { w.b = binary.AppendVarint(w.b, n) }
func (w *writer) str(s string)    { w.uint(len(s)); w.b = append(w.b, s...) }
func (w *writer) float(f float64) { w.b = binary.LittleEndian.AppendUint64(w.b, math.Float64bits(f)) }
func (w *writer) bool(v bool) {
	if v {
		w.b = append(w.b, 1)
	} else {
		w.b = append(w.b, 0)
	}
}

// time writes 0 for the zero time, else 1 + Unix nanoseconds + zone offset
// (the location's name is not kept: transaction times are instants).
func (w *writer) time(t time.Time) {
	if t.IsZero() {
		w.b = append(w.b, 0)
		return
	}
	w.b = append(w.b, 1)
	w.int(t.UnixNano())
}

func (w *writer) txn(t *Txn) {
	w.int(t.Pos.LSN)
	w.int(t.Pos.TsMs)
	r := &t.Row
	for _, s := range []string{r.AccountID, r.UserID, r.Direction, r.Type, r.Status, r.Currency, r.MerchantName, r.MerchantID, r.Channel, r.BudgetID} {
		w.str(s)
	}
	w.int(r.AmountMinor)
	w.int(int64(r.MCC))
	w.time(r.PostedAt)
	w.time(r.UpdatedAt)
	w.bool(t.Deleted)
	w.str(t.Category)
	w.str(t.Source)
	w.float(t.Confidence)
	c := &t.Counted
	w.int(c.Amount)
	w.str(c.Category)
	w.str(c.Currency)
	w.str(c.Month)
	w.str(c.Week)
	w.int(t.Version)
	// Fired alerts are rare (a few per budget and period): JSON keeps this
	// short.
	if len(t.Fired) == 0 {
		w.str("")
	} else {
		b, _ := json.Marshal(t.Fired) // plain structs: cannot fail
		w.str(string(b))
	}
}

var errShort = errors.New("truncated")

type reader struct {
	b   []byte
	err error
	v1  bool // stateFormatV1: no Txn.Fired
}

func (r *reader) fail() {
	if r.err == nil {
		r.err = errShort
	}
	r.b = nil
}

func (r *reader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) len() int {
	v := r.uvarint()
	if v > uint64(len(r.b)) { // every element takes at least a byte
		r.fail()
		return 0
	}
	return int(v)
}

func (r *reader) int() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) str() string {
	n := r.len()
	if r.err != nil {
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

func (r *reader) byte() byte {
	if len(r.b) == 0 {
		r.fail()
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *reader) float() float64 {
	if len(r.b) < 8 {
		r.fail()
		return 0
	}
	f := math.Float64frombits(binary.LittleEndian.Uint64(r.b))
	r.b = r.b[8:]
	return f
}

func (r *reader) time() time.Time {
	if r.byte() == 0 {
		return time.Time{}
	}
	return time.Unix(0, r.int()).UTC()
}

func (r *reader) txn(id string) *Txn {
	t := &Txn{Pos: cdc.Position{LSN: r.int(), TsMs: r.int()}}
	row := &t.Row
	row.ID = id
	for _, p := range []*string{&row.AccountID, &row.UserID, &row.Direction, &row.Type, &row.Status, &row.Currency, &row.MerchantName, &row.MerchantID, &row.Channel, &row.BudgetID} {
		*p = r.str()
	}
	row.AmountMinor = r.int()
	row.MCC = int(r.int())
	row.PostedAt = r.time()
	row.UpdatedAt = r.time()
	t.Deleted = r.byte() == 1
	t.Category = r.str()
	t.Source = r.str()
	t.Confidence = r.float()
	t.Counted = Contribution{Amount: r.int(), Category: r.str(), Currency: r.str(), Month: r.str(), Week: r.str()}
	t.Version = r.int()
	if r.v1 {
		return t
	}
	if a := r.str(); a != "" && r.err == nil {
		if err := json.Unmarshal([]byte(a), &t.Fired); err != nil {
			r.err = fmt.Errorf("alerts of %s: %w", id, err)
		}
	}
	return t
}
