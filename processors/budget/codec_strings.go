package budget

// The strings a value repeats or that share a prefix, written shorter
// (stateFormat 0xB7, alertLogFormat 0xA2).

// interned writes s once per writer: the first time as 0 and the string,
// later as 1 + the index of its first writing (merchant names a budget's
// builders and the recurring merchants share).
func (w *writer) interned(s string) {
	if i, ok := w.seen[s]; ok {
		w.uint(i + 1)
		return
	}
	if w.seen == nil {
		w.seen = map[string]int{}
	}
	w.seen[s] = len(w.seen)
	w.uint(0)
	w.str(s)
}

// interned reads what writer.interned wrote.
func (r *reader) interned() string {
	i := r.uvarint()
	if i == 0 {
		s := r.str()
		r.names = append(r.names, s)
		return s
	}
	if i > uint64(len(r.names)) {
		r.fail()
		return ""
	}
	return r.names[i-1]
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
