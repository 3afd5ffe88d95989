package budget

import (
	"fmt"

	"finstream/processors/category"
	"finstream/processors/cdc"
)

// ledgerFormat is the first byte of a binary-encoded Ledger; 0xC2 is the
// format before the detailed category (read as the primary's generic code),
// 0xC1 the format before shared-budget routes (read as none).
const (
	ledgerFormat   byte = 0xC3
	ledgerFormatC2 byte = 0xC2
	ledgerFormatC1 byte = 0xC1
)

// LedgerCodec is the goka codec of the finstream-txns table (Ledger
// values, binary). Decode returns a Ledger value.
type LedgerCodec struct{}

// Encode encodes a Ledger or *Ledger.
func (LedgerCodec) Encode(v any) ([]byte, error) {
	switch l := v.(type) {
	case Ledger:
		return l.MarshalBinary()
	case *Ledger:
		return l.MarshalBinary()
	}
	return nil, fmt.Errorf("ledger codec: cannot encode %T", v)
}

// Decode decodes what Encode wrote.
func (LedgerCodec) Decode(b []byte) (any, error) {
	var l Ledger
	err := l.UnmarshalBinary(b)
	return l, err
}

// MarshalBinary encodes the ledger. A change's previous row is written
// once: as "the row of the change before" when it is.
func (l *Ledger) MarshalBinary() ([]byte, error) {
	w := writer{b: make([]byte, 0, 64+len(l.Changes)*160)}
	w.b = append(w.b, ledgerFormat)
	w.uint(len(l.Changes))
	for i, c := range l.Changes {
		w.int(int64(c.In.Stream))
		w.int(int64(c.In.Partition))
		w.int(c.In.Offset)
		w.bool(c.In.Known)
		rec := &c.Rec
		w.str(string(rec.Op))
		w.row(&rec.Row)
		w.bool(rec.Deleted)
		w.int(rec.Pos.LSN)
		w.int(rec.Pos.TsMs)
		w.int(rec.Seq)
		switch {
		case rec.Prev == nil:
			w.b = append(w.b, 0)
		case i > 0 && *rec.Prev == l.Changes[i-1].Rec.Row:
			w.b = append(w.b, 2)
		default:
			w.b = append(w.b, 1)
			w.row(rec.Prev)
		}
		w.bool(rec.PrevDeleted)
		w.str(rec.Category)
		w.str(rec.Source)
		w.float(rec.Confidence)
		w.contribution(rec.Counted)
		w.contribution(rec.Counts)
		w.int(int64(rec.MarkStream))
		w.int(int64(rec.MarkPartition))
		w.int(rec.MarkOffset)
		w.strs(rec.SharedBefore)
		w.strs(rec.Shared)
		w.str(rec.Detailed)
	}
	return w.b, nil
}

// UnmarshalBinary decodes what MarshalBinary wrote.
func (l *Ledger) UnmarshalBinary(b []byte) error {
	*l = Ledger{}
	if len(b) == 0 {
		return nil
	}
	if b[0] != ledgerFormat && b[0] != ledgerFormatC2 && b[0] != ledgerFormatC1 {
		return fmt.Errorf("ledger: unknown format byte 0x%02x", b[0])
	}
	r := &reader{b: b[1:]}
	if n := r.len(); n > 0 {
		l.Changes = make([]Change, n)
		for i := range l.Changes {
			c := &l.Changes[i]
			c.In = Input{Stream: int32(r.int()), Partition: int32(r.int()), Offset: r.int(), Known: r.byte() == 1}
			rec := &c.Rec
			rec.Op = cdc.Op(r.str())
			rec.Row = r.row()
			rec.Deleted = r.byte() == 1
			rec.Pos = cdc.Position{LSN: r.int(), TsMs: r.int()}
			rec.Seq = r.int()
			switch r.byte() {
			case 1:
				p := r.row()
				rec.Prev = &p
			case 2:
				if i == 0 {
					r.fail()
					break
				}
				p := l.Changes[i-1].Rec.Row
				rec.Prev = &p
			}
			rec.PrevDeleted = r.byte() == 1
			rec.Category, rec.Source = r.str(), r.str()
			rec.Confidence = r.float()
			rec.Counted = r.contribution()
			rec.Counts = r.contribution()
			rec.MarkStream, rec.MarkPartition, rec.MarkOffset = int32(r.int()), int32(r.int()), r.int()
			if b[0] != ledgerFormatC1 {
				rec.SharedBefore, rec.Shared = r.strs(), r.strs()
			}
			if b[0] == ledgerFormat {
				rec.Detailed = r.str()
			} else if rec.Category != "" {
				rec.Detailed = category.Generic(rec.Category)
			}
		}
	}
	if r.err != nil {
		return fmt.Errorf("ledger: %w", r.err)
	}
	if len(r.b) != 0 {
		return fmt.Errorf("ledger: %d trailing bytes", len(r.b))
	}
	return nil
}

func (w *writer) row(t *cdc.Txn) {
	for _, s := range []string{t.ID, t.AccountID, t.UserID, t.Direction, t.Type, t.Status, t.Currency, t.MerchantName, t.MerchantID, t.Channel, t.BudgetID} {
		w.str(s)
	}
	w.int(t.AmountMinor)
	w.int(int64(t.MCC))
	w.time(t.PostedAt)
	w.time(t.UpdatedAt)
}

func (r *reader) row() cdc.Txn {
	var t cdc.Txn
	for _, p := range []*string{&t.ID, &t.AccountID, &t.UserID, &t.Direction, &t.Type, &t.Status, &t.Currency, &t.MerchantName, &t.MerchantID, &t.Channel, &t.BudgetID} {
		*p = r.str()
	}
	t.AmountMinor = r.int()
	t.MCC = int(r.int())
	t.PostedAt = r.time()
	t.UpdatedAt = r.time()
	return t
}

func (w *writer) contribution(c cdc.Contribution) {
	w.int(c.Amount)
	if c.Amount == 0 {
		return
	}
	w.str(c.Category)
	w.str(c.Currency)
	w.str(c.Month)
	w.str(c.Week)
}

func (r *reader) contribution() cdc.Contribution {
	c := cdc.Contribution{Amount: r.int()}
	if c.Amount == 0 {
		return c
	}
	c.Category, c.Currency, c.Month, c.Week = r.str(), r.str(), r.str(), r.str()
	return c
}

func (w *writer) strs(ss []string) {
	w.uint(len(ss))
	for _, s := range ss {
		w.str(s)
	}
}

func (r *reader) strs() []string {
	n := r.len()
	if n == 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = r.str()
	}
	return out
}
