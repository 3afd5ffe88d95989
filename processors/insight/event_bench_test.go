package insight

import "testing"

// BenchmarkEvent is the insights processor's cost per input for a user
// 2,000 transactions in (three a day): decode the value, apply the next
// record (categorized or budget update), encode the value.
func BenchmarkEvent(b *testing.B) {
	h := newHistory(4, 8)
	s := &State{UserID: "USR-1"}
	for range 2000 {
		for _, v := range h.next() {
			apply(s, v)
		}
	}
	raw, err := Codec{}.Encode(s)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("insights value %d bytes", len(raw))
	var next []any
	b.ReportAllocs()
	for b.Loop() {
		if len(next) == 0 {
			next = h.next()
		}
		v, err := Codec{}.Decode(raw)
		if err != nil {
			b.Fatal(err)
		}
		st := v.(State)
		apply(&st, next[0])
		next = next[1:]
		if raw, err = (Codec{}).Encode(&st); err != nil {
			b.Fatal(err)
		}
	}
}
