package compact

import "time"

// Strings numbers the distinct strings of one value in the order they are
// first met, for an encoding that writes each once: a writer writes Ref(s)
// and, when it is 0, the string; a reader reads a reference and Adds the
// string that follows a 0, or Gets the string of another. The zero value
// is ready.
type Strings struct {
	index map[string]int
	list  []string
}

// Ref is 0 the first time s is met (it is numbered then), else 1 + its
// number.
func (t *Strings) Ref(s string) int {
	if i, ok := t.index[s]; ok {
		return i + 1
	}
	if t.index == nil {
		t.index = map[string]int{}
	}
	t.index[s] = len(t.index)
	return 0
}

// Add numbers s, read after a reference 0.
func (t *Strings) Add(s string) { t.list = append(t.list, s) }

// Get is the string of reference ref (≥ 1); false for one not yet added.
func (t *Strings) Get(ref uint64) (string, bool) {
	if ref == 0 || ref > uint64(len(t.list)) {
		return "", false
	}
	return t.list[ref-1], true
}

// Interned appends s once per Writer: the first time as 0 and the string,
// later as 1 + its number (Strings). For the strings a value repeats
// (subjects, period keys, currencies); read with Reader.Interned.
func (w *Writer) Interned(s string) {
	ref := w.strs.Ref(s)
	w.Len(ref)
	if ref == 0 {
		w.Str(s)
	}
}

// Interned reads a string written by Writer.Interned.
func (r *Reader) Interned() string {
	ref := r.Uint()
	if ref == 0 {
		s := r.Str()
		r.strs.Add(s)
		return s
	}
	s, ok := r.strs.Get(ref)
	if !ok {
		r.fail("string reference")
	}
	return s
}

// Instant appends t as 1 + its nanosecond then its Unix second, 0 for the
// zero time: six bytes for a time to the second, against Time's nine.
// It decodes in UTC.
func (w *Writer) Instant(t time.Time) { w.InstantFrom(t, 0) }

// InstantFrom appends t as Instant does, its Unix second less from: a
// time near one written before takes fewer bytes.
func (w *Writer) InstantFrom(t time.Time, from int64) {
	if t.IsZero() {
		w.Uint(0)
		return
	}
	w.Uint(uint64(t.Nanosecond()) + 1)
	w.Int(t.Unix() - from)
}

// Instant reads a time written by Writer.Instant.
func (r *Reader) Instant() time.Time { return r.InstantFrom(0) }

// InstantFrom reads a time written by Writer.InstantFrom with from.
func (r *Reader) InstantFrom(from int64) time.Time {
	ns := r.Uint()
	if ns == 0 {
		return time.Time{}
	}
	if ns > 1e9 {
		r.fail("instant")
		return time.Time{}
	}
	return time.Unix(from+r.Int(), int64(ns-1)).UTC()
}
