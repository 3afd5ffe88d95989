package budget

import (
	"slices"
	"time"

	"finstream/processors/category"
	"finstream/processors/period"
)

// sources are the category sources in a fixed order: their index + 1 is
// their code in the binary format (0: the name follows).
var sources = []string{string(category.SourceUserRule), string(category.SourceMCC), string(category.SourceMerchant), string(category.SourceFallback)}

// periodKinds are the budget periods in a fixed order: their index + 1 is
// their code (from 0xB8; 0: the name follows).
var periodKinds = []string{string(period.Monthly), string(period.Weekly)}

// writePlan writes a budget's rollover, anchor day, pace and builders
// (from stateFormatV6 0xB6): rollover, anchor, since, pace period,
// builders' period, count and entries (from 0xB7 each id prefix-coded
// against the id before it, each merchant name interned; from 0xB8 the
// period keys interned and each time the step from the one before).
func writePlan(w *writer, b *Budget) {
	w.bool(b.Rollover)
	w.uint(b.AnchorDay)
	w.time(b.AnchorSince)
	w.interned(b.Since)
	w.interned(b.PaceAlerted)
	w.interned(b.Builders.PeriodKey)
	w.int(b.Builders.Count)
	w.uint(len(b.Builders.Top))
	var at int64
	for _, t := range b.Builders.Top {
		w.prefixed(t.TxnID)
		w.interned(t.Merchant)
		w.int(t.AmountMinor)
		code(w, t.Source, sources)
		sec := t.PostedAt.Unix() // kept to the second
		w.int(sec - at)
		at = sec
	}
}

func readPlan(r *reader, b *Budget) {
	b.Rollover = r.byte() == 1
	b.AnchorDay = int(r.uvarint())
	b.AnchorSince = r.time()
	b.Since, b.PaceAlerted, b.Builders.PeriodKey = r.interned8(), r.interned8(), r.interned8()
	b.Builders.Count = r.int()
	if n := r.len(); n > 0 {
		b.Builders.Top = make([]Builder, n)
		var at int64
		for i := range b.Builders.Top {
			t := &b.Builders.Top[i]
			t.TxnID, t.Merchant = r.txnID(), r.name()
			t.AmountMinor = r.int()
			t.Source = decode(r, sources)
			at = r.step(at)
			t.PostedAt = time.Unix(at, 0).UTC()
		}
	}
}

// writeRecurring writes the recurring merchants: per merchant its key,
// name (interned from 0xB7), category code, currency (interned from 0xB8),
// amount, cadence, count and last time (from 0xB8 the step from the one
// before).
func writeRecurring(w *writer, rs []Recurring) {
	w.uint(len(rs))
	var at int64
	for _, r := range rs {
		w.str(r.Merchant)
		w.interned(r.Name)
		code(w, r.Category, slugs)
		w.interned(r.Currency)
		w.int(r.AmountMinor)
		w.uint(r.Cadence)
		w.uint(r.Count)
		sec := r.Last.Unix() // kept to the second
		w.int(sec - at)
		at = sec
	}
}

func readRecurring(r *reader) []Recurring {
	n := r.len()
	if n == 0 {
		return nil
	}
	out := make([]Recurring, n)
	var at int64
	for i := range out {
		x := &out[i]
		x.Merchant, x.Name = r.str(), r.name()
		x.Category = decode(r, slugs)
		x.Currency, x.AmountMinor = r.interned8(), r.int()
		x.Cadence, x.Count = int(r.uvarint()), int(r.uvarint())
		at = r.step(at)
		x.Last = time.Unix(at, 0).UTC()
	}
	return out
}

// code writes v as its index + 1 in list, or 0 and v itself.
func code(w *writer, v string, list []string) {
	if i := slices.Index(list, v); i >= 0 {
		w.uint(i + 1)
		return
	}
	w.uint(0)
	w.str(v)
}

// decode reads what code wrote.
func decode(r *reader, list []string) string {
	c := int(r.uvarint())
	switch {
	case c == 0:
		return r.str()
	case c <= len(list):
		return list[c-1]
	}
	r.fail()
	return ""
}

// txnID reads a builder's transaction id: prefix-coded, or in full before
// 0xB7.
func (r *reader) txnID() string {
	if r.pre7 {
		return r.str()
	}
	return r.prefixed()
}

// interned8 reads a string interned from 0xB8 (budgets' currencies and
// period keys, recurring merchants' currencies), in full before.
func (r *reader) interned8() string {
	if r.pre8 {
		return r.str()
	}
	return r.interned()
}

// step reads a time in Unix seconds: the step from at, or (before 0xB8) the
// time itself.
func (r *reader) step(at int64) int64 {
	if r.pre8 {
		return r.int()
	}
	return at + r.int()
}

// name reads a merchant name: interned, or in full before 0xB7.
func (r *reader) name() string {
	if r.pre7 {
		return r.str()
	}
	return r.interned()
}
