package compact

import (
	"slices"
	"testing"
	"time"
)

func TestRoundTrip(t *testing.T) {
	at := time.Date(2026, 11, 19, 10, 0, 0, 0, time.UTC)
	var w Writer
	w.Byte(7)
	w.Uint(300)
	w.Int(-5)
	w.Str("฿1,500")
	w.Bool(true)
	w.Fixed64(Hash("T1", "3"))
	w.Float(0.85)
	w.Time(at)
	w.Time(time.Time{})
	for _, d := range []string{"2026-11-19", "", "1969-12-31", "not a date"} {
		w.Date(d)
	}
	Window{1, 2, 3}.Write(&w)

	r := NewReader(w.B)
	if r.Byte() != 7 || r.Uint() != 300 || r.Int() != -5 || r.Str() != "฿1,500" || !r.Bool() ||
		r.Fixed64() != Hash("T1", "3") || r.Float() != 0.85 || !r.Time().Equal(at) || !r.Time().IsZero() {
		t.Fatal("scalars did not round-trip")
	}
	for _, d := range []string{"2026-11-19", "", "1969-12-31", "not a date"} {
		if got := r.Date(); got != d {
			t.Errorf("date %q read as %q", d, got)
		}
	}
	if win := ReadWindow(r); len(win) != 3 || win[2] != 3 {
		t.Errorf("window %v", win)
	}
	if err := r.Done(); err != nil {
		t.Fatal(err)
	}
	short := NewReader(w.B[:5])
	short.Str()
	short.Str()
	if short.Done() == nil {
		t.Error("a truncated value read without error")
	}
}

func TestWindowKeepsTheNewest(t *testing.T) {
	var w Window
	for i := range uint64(10) {
		w.Add(i, 4)
	}
	w.Add(7, 4) // already in: moves to the newest end
	if len(w) != 4 || w[0] != 6 || w[3] != 7 || w.Contains(5) || !w.Contains(9) {
		t.Errorf("window %v", w)
	}
	if HashN(3, "T1") != Hash("T1", "3") || Hash("a", "b") == Hash("ab") {
		t.Error("hash of parts")
	}
}

// Interned strings and Instants round-trip; a reference to a string not
// yet read and a nanosecond beyond a second are corrupt.
func TestInternedAndInstant(t *testing.T) {
	at := time.Date(2026, 11, 20, 9, 30, 0, 5, time.UTC)
	w := &Writer{}
	for _, s := range []string{"THB", "", "THB", "groceries", ""} {
		w.Interned(s)
	}
	w.Instant(at)
	w.Instant(time.Time{})
	r := NewReader(w.B)
	var got []string
	for range 5 {
		got = append(got, r.Interned())
	}
	if a, z := r.Instant(), r.Instant(); !a.Equal(at) || !z.IsZero() || r.Done() != nil {
		t.Fatalf("instants %v %v: %v", a, z, r.Err())
	}
	if want := []string{"THB", "", "THB", "groceries", ""}; !slices.Equal(got, want) {
		t.Fatalf("strings %q", got)
	}
	if r := NewReader([]byte{2}); r.Interned() != "" || r.Err() == nil {
		t.Fatal("a reference to an unread string decoded")
	}
	bad := &Writer{}
	bad.Uint(1e9 + 2)
	bad.Int(at.Unix())
	if r := NewReader(bad.B); !r.Instant().IsZero() || r.Err() == nil {
		t.Fatal("an instant of 1e9+1 ns decoded")
	}
}
