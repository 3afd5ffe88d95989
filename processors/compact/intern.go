package compact

import "time"

// Interned appends s once per Writer: the first time as 0 and the string,
// later as 1 + the index of its first writing. For the strings a value
// repeats (subjects, period keys, currencies); read with Reader.Interned.
func (w *Writer) Interned(s string) {
	if i, ok := w.seen[s]; ok {
		w.Len(i + 1)
		return
	}
	if w.seen == nil {
		w.seen = map[string]int{}
	}
	w.seen[s] = len(w.seen)
	w.Len(0)
	w.Str(s)
}

// Interned reads a string written by Writer.Interned.
func (r *Reader) Interned() string {
	i := r.Uint()
	if i == 0 {
		s := r.Str()
		if r.err == nil {
			r.strs = append(r.strs, s)
		}
		return s
	}
	if i > uint64(len(r.strs)) {
		r.fail("string reference")
		return ""
	}
	return r.strs[i-1]
}

// Instant appends t as 1 + its nanosecond then its Unix second, 0 for the
// zero time: six bytes for a time to the second, against Time's nine.
// It decodes in UTC.
func (w *Writer) Instant(t time.Time) {
	if t.IsZero() {
		w.Uint(0)
		return
	}
	w.Uint(uint64(t.Nanosecond()) + 1)
	w.Int(t.Unix())
}

// Instant reads a time written by Writer.Instant.
func (r *Reader) Instant() time.Time {
	ns := r.Uint()
	if ns == 0 {
		return time.Time{}
	}
	if ns > 1e9 {
		r.fail("instant")
		return time.Time{}
	}
	return time.Unix(r.Int(), int64(ns-1)).UTC()
}
