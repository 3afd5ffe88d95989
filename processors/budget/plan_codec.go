package budget

import (
	"slices"
	"time"

	"finstream/processors/category"
)

// sources are the category sources in a fixed order: their index + 1 is
// their code in the binary format (0: the name follows).
var sources = []string{string(category.SourceUserRule), string(category.SourceMCC), string(category.SourceMerchant), string(category.SourceFallback)}

// writePlan writes a budget's rollover, anchor day, pace and builders
// (from stateFormatV6 0xB6): rollover, anchor, since, pace period,
// builders' period, count and entries (from 0xB7 each id prefix-coded
// against the id before it, each merchant name interned).
func writePlan(w *writer, b *Budget) {
	w.bool(b.Rollover)
	w.uint(b.AnchorDay)
	w.time(b.AnchorSince)
	w.str(b.Since)
	w.str(b.PaceAlerted)
	w.str(b.Builders.PeriodKey)
	w.int(b.Builders.Count)
	w.uint(len(b.Builders.Top))
	for _, t := range b.Builders.Top {
		w.prefixed(t.TxnID)
		w.interned(t.Merchant)
		w.int(t.AmountMinor)
		code(w, t.Source, sources)
		w.int(t.PostedAt.Unix()) // kept to the second
	}
}

func readPlan(r *reader, b *Budget) {
	b.Rollover = r.byte() == 1
	b.AnchorDay = int(r.uvarint())
	b.AnchorSince = r.time()
	b.Since = r.str()
	b.PaceAlerted = r.str()
	b.Builders.PeriodKey = r.str()
	b.Builders.Count = r.int()
	if n := r.len(); n > 0 {
		b.Builders.Top = make([]Builder, n)
		for i := range b.Builders.Top {
			t := &b.Builders.Top[i]
			t.TxnID, t.Merchant = r.txnID(), r.name()
			t.AmountMinor = r.int()
			t.Source = decode(r, sources)
			t.PostedAt = time.Unix(r.int(), 0).UTC()
		}
	}
}

// writeRecurring writes the recurring merchants: per merchant its key,
// name (interned from 0xB7), category code, currency, amount, cadence,
// count and last time.
func writeRecurring(w *writer, rs []Recurring) {
	w.uint(len(rs))
	for _, r := range rs {
		w.str(r.Merchant)
		w.interned(r.Name)
		code(w, r.Category, slugs)
		w.str(r.Currency)
		w.int(r.AmountMinor)
		w.uint(r.Cadence)
		w.uint(r.Count)
		w.int(r.Last.Unix()) // kept to the second
	}
}

func readRecurring(r *reader) []Recurring {
	n := r.len()
	if n == 0 {
		return nil
	}
	out := make([]Recurring, n)
	for i := range out {
		x := &out[i]
		x.Merchant, x.Name = r.str(), r.name()
		x.Category = decode(r, slugs)
		x.Currency, x.AmountMinor = r.str(), r.int()
		x.Cadence, x.Count = int(r.uvarint()), int(r.uvarint())
		x.Last = time.Unix(r.int(), 0).UTC()
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

// name reads a merchant name: interned, or in full before 0xB7.
func (r *reader) name() string {
	if r.pre7 {
		return r.str()
	}
	return r.interned()
}
