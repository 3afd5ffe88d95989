package budget

import (
	"testing"
)

// BenchmarkEvent is the users processor's cost per event for a user a year
// in (historyUser after 2,000 of historyTxn): decode the value, apply one
// new transaction, encode the value.
func BenchmarkEvent(b *testing.B) {
	s := historyUser()
	for i := range 2000 {
		s.ApplyTxnFrom(historyTxn(i, int64(i)), At(0, int64(i)))
	}
	raw, _ := Codec{}.Encode(s.State)
	b.Logf("users value %d bytes", len(raw))
	b.ReportAllocs()
	i := 2000
	for b.Loop() {
		v, err := Codec{}.Decode(raw)
		if err != nil {
			b.Fatal(err)
		}
		st := v.(State)
		bk := &Book{State: &st, Ledgers: s.Ledgers}
		bk.ApplyTxnFrom(historyTxn(i, int64(i)), At(0, int64(i)))
		raw, _ = Codec{}.Encode(bk.State)
		i++
	}
}
