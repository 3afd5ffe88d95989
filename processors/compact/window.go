package compact

import (
	"hash/fnv"
	"slices"
	"strconv"
)

// Hash is the 64-bit FNV-1a hash of parts joined by a NUL byte: the same in
// every process and build, so a hash stored in a table stays valid. Two
// different ids collide with probability about n²/2⁶⁵ in a window of n.
func Hash(parts ...string) uint64 {
	h := fnv.New64a()
	for i, p := range parts {
		if i > 0 {
			h.Write([]byte{0})
		}
		h.Write([]byte(p))
	}
	return h.Sum64()
}

// HashN is Hash of parts followed by n in decimal.
func HashN(n int64, parts ...string) uint64 {
	return Hash(append(parts, strconv.FormatInt(n, 10))...)
}

// Window is a bounded set of recently added hashes, oldest first: adding
// beyond Cap forgets the oldest. It is what a table keeps instead of every
// id ever seen; its bound is the caller's constant, passed to Add.
type Window []uint64

// Contains reports whether h is in the window.
func (w Window) Contains(h uint64) bool { return slices.Contains(w, h) }

// Add appends h (moving it to the newest end if present) and keeps the
// newest max hashes.
func (w *Window) Add(h uint64, max int) {
	if i := slices.Index(*w, h); i >= 0 {
		*w = slices.Delete(*w, i, i+1)
	}
	*w = append(*w, h)
	if n := len(*w); n > max {
		*w = slices.Delete(*w, 0, n-max)
	}
}

// Write encodes the window (count, then 8 bytes per hash).
func (w Window) Write(wr *Writer) {
	wr.Len(len(w))
	for _, h := range w {
		wr.Fixed64(h)
	}
}

// ReadWindow decodes a window written by Window.Write.
func ReadWindow(r *Reader) Window {
	n := r.Len()
	if n == 0 {
		return nil
	}
	w := make(Window, 0, n)
	for range n {
		w = append(w, r.Fixed64())
	}
	return w
}
