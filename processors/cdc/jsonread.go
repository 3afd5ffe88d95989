package cdc

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

// jsonReader is a strict, allocation-lean JSON reader for change events: it
// walks the envelope and rows in one pass without reflection, interpreting
// only the members the decoder uses and skipping (but still checking) the
// rest, such as the schema block. encoding/json costs several times more on
// this hot path.
type jsonReader struct {
	data []byte
	pos  int
}

// maxJSONDepth bounds nesting of skipped values, as encoding/json does.
const maxJSONDepth = 10000

// syntaxError is malformed JSON.
type syntaxError struct {
	offset int
	msg    string
}

func (e *syntaxError) Error() string {
	return fmt.Sprintf("invalid JSON at offset %d: %s", e.offset, e.msg)
}

func (r *jsonReader) fail(msg string) error { return &syntaxError{offset: r.pos, msg: msg} }

func (r *jsonReader) space() {
	for r.pos < len(r.data) && isJSONSpace(r.data[r.pos]) {
		r.pos++
	}
}

// peek returns the next non-space byte, or 0 at the end.
func (r *jsonReader) peek() byte {
	r.space()
	if r.pos >= len(r.data) {
		return 0
	}
	return r.data[r.pos]
}

// end checks that only white space follows the value.
func (r *jsonReader) end() error {
	if r.peek() != 0 {
		return r.fail("data after the top-level value")
	}
	return nil
}

// enter consumes the '{' of an object and reports whether it has members.
// Read members with key, the value, then more:
//
//	ok, err := r.enter()
//	for ok && err == nil {
//		k, err := r.key(); ...; read the value; ok, err = r.more()
//	}
func (r *jsonReader) enter() (bool, error) {
	if r.peek() != '{' {
		return false, r.fail("want an object")
	}
	r.pos++
	if r.peek() == '}' {
		r.pos++
		return false, nil
	}
	return true, nil
}

// key reads a member name and its ':'. The name is valid until the next read.
func (r *jsonReader) key() ([]byte, error) {
	if r.peek() != '"' {
		return nil, r.fail("want a member name")
	}
	k, err := r.stringBytes()
	if err != nil {
		return nil, err
	}
	if r.peek() != ':' {
		return nil, r.fail("want ':'")
	}
	r.pos++
	r.space()
	return k, nil
}

// more consumes the ',' (true) or '}' (false) after a member's value.
func (r *jsonReader) more() (bool, error) {
	switch r.peek() {
	case ',':
		r.pos++
		return true, nil
	case '}':
		r.pos++
		return false, nil
	default:
		return false, r.fail("want ',' or '}'")
	}
}

// null consumes a null literal if one is next.
func (r *jsonReader) null() bool {
	if r.peek() == 'n' && len(r.data)-r.pos >= 4 && string(r.data[r.pos:r.pos+4]) == "null" {
		r.pos += 4
		return true
	}
	return false
}

// stringBytes reads a string literal and returns its content: a slice of
// the input when it has no escapes and is valid UTF-8, else a decoded copy.
func (r *jsonReader) stringBytes() ([]byte, error) {
	start := r.pos // at '"'
	r.pos++
	simple := true
	for r.pos < len(r.data) {
		c := r.data[r.pos]
		switch {
		case c == '"':
			r.pos++
			raw := r.data[start:r.pos]
			inner := raw[1 : len(raw)-1]
			if simple && utf8.Valid(inner) {
				return inner, nil
			}
			var s string
			if err := json.Unmarshal(raw, &s); err != nil {
				return nil, &syntaxError{offset: start, msg: "bad string: " + err.Error()}
			}
			return []byte(s), nil
		case c == '\\':
			simple = false
			r.pos += 2
		case c < 0x20:
			return nil, r.fail("control character in string")
		default:
			r.pos++
		}
	}
	return nil, r.fail("unterminated string")
}

// skipString checks and skips a string literal without decoding it.
func (r *jsonReader) skipString() error {
	r.pos++ // '"'
	for r.pos < len(r.data) {
		c := r.data[r.pos]
		switch {
		case c == '"':
			r.pos++
			return nil
		case c == '\\':
			if r.pos+1 >= len(r.data) {
				return r.fail("unterminated string")
			}
			switch r.data[r.pos+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				r.pos += 2
			case 'u':
				if len(r.data)-r.pos < 6 || !isHex4(r.data[r.pos+2:r.pos+6]) {
					return r.fail("bad \\u escape")
				}
				r.pos += 6
			default:
				return r.fail("bad escape")
			}
		case c < 0x20:
			return r.fail("control character in string")
		default:
			r.pos++
		}
	}
	return r.fail("unterminated string")
}

func isHex4(b []byte) bool {
	for _, c := range b {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// number reads a number literal per RFC 8259 and returns its text.
func (r *jsonReader) number() ([]byte, error) {
	start := r.pos
	d := r.data
	if r.pos < len(d) && d[r.pos] == '-' {
		r.pos++
	}
	switch {
	case r.pos < len(d) && d[r.pos] == '0':
		r.pos++
	case r.pos < len(d) && d[r.pos] >= '1' && d[r.pos] <= '9':
		r.digits()
	default:
		return nil, r.fail("bad number")
	}
	if r.pos < len(d) && d[r.pos] == '.' {
		r.pos++
		if r.digits() == 0 {
			return nil, r.fail("bad fraction")
		}
	}
	if r.pos < len(d) && (d[r.pos] == 'e' || d[r.pos] == 'E') {
		r.pos++
		if r.pos < len(d) && (d[r.pos] == '+' || d[r.pos] == '-') {
			r.pos++
		}
		if r.digits() == 0 {
			return nil, r.fail("bad exponent")
		}
	}
	return d[start:r.pos], nil
}

func (r *jsonReader) digits() int {
	n := 0
	for r.pos < len(r.data) && r.data[r.pos] >= '0' && r.data[r.pos] <= '9' {
		r.pos++
		n++
	}
	return n
}

// literal consumes the literal word if it is next.
func (r *jsonReader) literal(word string) error {
	if len(r.data)-r.pos < len(word) || string(r.data[r.pos:r.pos+len(word)]) != word {
		return r.fail("bad literal")
	}
	r.pos += len(word)
	return nil
}

// scalar reads any value as a scalar; objects and arrays are checked,
// skipped and reported as kindOther.
func (r *jsonReader) scalar() (scalar, error) {
	switch c := r.peek(); {
	case c == '"':
		b, err := r.stringBytes()
		if err != nil {
			return scalar{}, err
		}
		return scalar{kind: kindString, s: string(b)}, nil
	case c == 'n':
		return scalar{kind: kindNull}, r.literal("null")
	case c == 't':
		return scalar{kind: kindOther}, r.literal("true")
	case c == 'f':
		return scalar{kind: kindOther}, r.literal("false")
	case c == '{' || c == '[':
		return scalar{kind: kindOther}, r.skip(0)
	default:
		b, err := r.number()
		if err != nil {
			return scalar{}, err
		}
		if i, ok := parseInt(b); ok {
			return scalar{kind: kindInt, i: i}, nil
		}
		return scalar{kind: kindNumber, s: string(b)}, nil
	}
}

// skip checks and skips one value.
func (r *jsonReader) skip(depth int) error {
	if depth > maxJSONDepth {
		return r.fail("nested too deeply")
	}
	switch c := r.peek(); c {
	case '{':
		ok, err := r.enter()
		for ok && err == nil {
			if _, err = r.key(); err != nil {
				return err
			}
			if err = r.skip(depth + 1); err != nil {
				return err
			}
			ok, err = r.more()
		}
		return err
	case '[':
		r.pos++
		if r.peek() == ']' {
			r.pos++
			return nil
		}
		for {
			if err := r.skip(depth + 1); err != nil {
				return err
			}
			switch r.peek() {
			case ',':
				r.pos++
			case ']':
				r.pos++
				return nil
			default:
				return r.fail("want ',' or ']'")
			}
		}
	case '"':
		return r.skipString()
	default:
		_, err := r.scalar()
		return err
	}
}
