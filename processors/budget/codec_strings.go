package budget

// The strings a value repeats or that share a prefix, written shorter
// (stateFormat 0xB7 and later, alertLogFormat 0xA2).

// interned writes s once per writer: the first time as 0 and the string,
// later as 1 + its number (compact.Strings): the merchant names a budget's
// builders and the recurring merchants share.
func (w *writer) interned(s string) {
	ref := w.seen.Ref(s)
	w.uint(ref)
	if ref == 0 {
		w.str(s)
	}
}

// interned reads what writer.interned wrote.
func (r *reader) interned() string {
	ref := r.uvarint()
	if ref == 0 {
		s := r.str()
		r.names.Add(s)
		return s
	}
	s, ok := r.names.Get(ref)
	if !ok {
		r.fail()
	}
	return s
}

// prefixed writes s as the length of the prefix it shares with the string
// prefixed wrote before, then the rest: transaction ids of one source
// mostly share all but their last digits ("TXN-…-0000012345").
func (w *writer) prefixed(s string) {
	n := 0
	for n < len(s) && n < len(w.prev) && s[n] == w.prev[n] {
		n++
	}
	w.uint(n)
	w.str(s[n:])
	w.prev = s
}

// prefixed reads what writer.prefixed wrote.
func (r *reader) prefixed() string {
	n := r.uvarint()
	if n > uint64(len(r.prev)) {
		r.fail()
		return ""
	}
	s := r.prev[:n] + r.str()
	r.prev = s
	return s
}
