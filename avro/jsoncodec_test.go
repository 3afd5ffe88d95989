package avro

import (
	"reflect"
	"testing"
)

func TestJSONCodec(t *testing.T) {
	var c JSONCodec[Example]
	full := fullExample()
	for _, v := range []any{full, &full} {
		b, err := c.Encode(v)
		if err != nil {
			t.Fatal(err)
		}
		got, err := c.Decode(b)
		if err != nil {
			t.Fatal(err)
		}
		gotEx, ok := got.(Example)
		if !ok {
			t.Fatalf("Decode returned %T, want Example", got)
		}
		want := full
		want.Skipped = ""
		if !gotEx.At.Equal(want.At) {
			t.Fatalf("time: got %v want %v", gotEx.At, want.At)
		}
		gotEx.At = want.At
		gotEx.ClosedAt, want.ClosedAt = nil, nil
		if !reflect.DeepEqual(gotEx, want) {
			t.Fatalf("round trip:\n got %+v\nwant %+v", gotEx, want)
		}
	}
	for _, v := range []any{nil, (*Example)(nil), 42} {
		if _, err := c.Encode(v); err == nil {
			t.Errorf("Encode(%T) succeeded", v)
		}
	}
	if _, err := c.Decode([]byte("{")); err == nil {
		t.Error("Decode of malformed JSON succeeded")
	}
}
