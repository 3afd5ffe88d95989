package compact

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"time"
)

// ErrCorrupt is returned (wrapped) for a value that does not decode.
var ErrCorrupt = errors.New("corrupt value")

// Writer appends varint-encoded fields to B. The zero value is ready.
type Writer struct {
	B    []byte
	strs Strings // what Interned wrote
}

// Byte appends one byte.
func (w *Writer) Byte(b byte) { w.B = append(w.B, b) }

// Uint appends an unsigned varint.
func (w *Writer) Uint(n uint64) { w.B = binary.AppendUvarint(w.B, n) }

// Len appends a length or count.
func (w *Writer) Len(n int) { w.Uint(uint64(n)) }

// Int appends a signed (zig-zag) varint.
func (w *Writer) Int(n int64) { w.B = binary.AppendVarint(w.B, n) }

// Str appends a length-prefixed string.
func (w *Writer) Str(s string) { w.Len(len(s)); w.B = append(w.B, s...) }

// Bool appends 0 or 1.
func (w *Writer) Bool(v bool) {
	if v {
		w.Byte(1)
		return
	}
	w.Byte(0)
}

// Fixed64 appends 8 bytes (for hashes, which varints would not shorten).
func (w *Writer) Fixed64(n uint64) { w.B = binary.LittleEndian.AppendUint64(w.B, n) }

// Float appends a float64 (IEEE bits).
func (w *Writer) Float(f float64) { w.Fixed64(math.Float64bits(f)) }

// Time appends t as Unix nanoseconds, 0 for the zero time (an instant
// exactly at the epoch is written 1 ns later); it decodes in UTC (zones are
// the reader's business).
func (w *Writer) Time(t time.Time) {
	if t.IsZero() {
		w.Int(0)
		return
	}
	n := t.UnixNano()
	if n == 0 {
		n = 1
	}
	w.Int(n)
}

// Reader reads what Writer wrote. After the first error every read returns
// zero values and Err reports the error.
type Reader struct {
	b    []byte
	err  error
	strs Strings // what Interned read
}

// NewReader reads b.
func NewReader(b []byte) *Reader { return &Reader{b: b} }

// Err is the first error met, wrapping ErrCorrupt.
func (r *Reader) Err() error { return r.err }

// Fail records that what was invalid (a value the caller decodes and
// finds out of range): every later read returns zero values, Err the error.
func (r *Reader) Fail(what string) { r.fail(what) }

func (r *Reader) fail(what string) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: truncated or invalid %s", ErrCorrupt, what)
	}
	r.b = nil
}

// Byte reads one byte.
func (r *Reader) Byte() byte {
	if len(r.b) < 1 {
		r.fail("byte")
		return 0
	}
	v := r.b[0]
	r.b = r.b[1:]
	return v
}

// Uint reads an unsigned varint.
func (r *Reader) Uint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail("uvarint")
		return 0
	}
	r.b = r.b[n:]
	return v
}

// Len reads a length or count, refusing one longer than what is left.
func (r *Reader) Len() int {
	n := r.Uint()
	if n > uint64(len(r.b)) {
		r.fail("length")
		return 0
	}
	return int(n)
}

// Int reads a signed varint.
func (r *Reader) Int() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.fail("varint")
		return 0
	}
	r.b = r.b[n:]
	return v
}

// Str reads a length-prefixed string.
func (r *Reader) Str() string {
	n := r.Len()
	if r.err != nil {
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

// More reports whether bytes are left: an optional trailer follows.
func (r *Reader) More() bool { return len(r.b) > 0 }

// Bool reads a bool.
func (r *Reader) Bool() bool { return r.Byte() != 0 }

// Fixed64 reads 8 bytes.
func (r *Reader) Fixed64() uint64 {
	if len(r.b) < 8 {
		r.fail("fixed64")
		return 0
	}
	v := binary.LittleEndian.Uint64(r.b)
	r.b = r.b[8:]
	return v
}

// Float reads a float64.
func (r *Reader) Float() float64 { return math.Float64frombits(r.Fixed64()) }

// Time reads a time written by Writer.Time (UTC).
func (r *Reader) Time() time.Time {
	n := r.Int()
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// Done reports an error if bytes are left over or a read failed.
func (r *Reader) Done() error {
	if r.err == nil && len(r.b) != 0 {
		r.err = fmt.Errorf("%w: %d bytes left over", ErrCorrupt, len(r.b))
	}
	return r.err
}

// Date appends a calendar date "2006-01-02" as its day number d (days since
// 1970-01-01), written d+1 from 1970 on and d−1 before it, so that 0 can
// mean "" and -1 a string that is no date (written after the marker, so it
// survives unchanged).
func (w *Writer) Date(d string) {
	if d == "" {
		w.Int(0)
		return
	}
	t, err := time.Parse(time.DateOnly, d)
	if err != nil || t.Format(time.DateOnly) != d {
		w.Int(-1)
		w.Str(d)
		return
	}
	d0 := t.Unix() / 86400
	if d0 >= 0 {
		w.Int(d0 + 1)
	} else {
		w.Int(d0 - 1)
	}
}

// Date reads a date written by Writer.Date.
func (r *Reader) Date() string {
	n := r.Int()
	switch {
	case n == 0:
		return ""
	case n == -1:
		return r.Str()
	case n > 0:
		n--
	default:
		n++
	}
	return time.Unix(n*86400, 0).UTC().Format(time.DateOnly)
}
