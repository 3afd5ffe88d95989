package avro

import (
	"context"
	"errors"
	"testing"
)

// FuzzCodecDecode feeds arbitrary bytes to a Codec, framed with its schema
// id and unframed: Decode never panics, fails with an error for what is
// not a record of the schema, and what it accepts encodes again and
// decodes again.
func FuzzCodecDecode(f *testing.F) {
	ctx := context.Background()
	codec, err := NewCodec[Example](ctx, newFakeRegistry(f), "finstream.example-value")
	if err != nil {
		f.Fatal(err)
	}
	full := fullExample()
	for _, v := range []Example{{}, full} {
		b, err := codec.EncodeValue(&v)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add(b[:len(b)/2])
	}
	f.Add([]byte{0, 0, 0, 0, 1})
	f.Add([]byte{0, 0x7f, 0xff, 0xff, 0xff, 2, 4})
	f.Add([]byte{1, 2, 3})
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, in := range [][]byte{data, Frame(codec.SchemaID(), data)} {
			v, err := codec.DecodeValue(in)
			if err != nil {
				if _, _, ferr := Unframe(in); ferr != nil && !errors.Is(err, ErrNotFramed) {
					t.Fatalf("unframed input %q: error %v does not wrap ErrNotFramed", in, err)
				}
				continue
			}
			again, err := codec.EncodeValue(&v)
			if err != nil {
				t.Fatalf("decoded %q to %+v, which does not encode: %v", in, v, err)
			}
			// (Map order makes the bytes differ between encodings, and a NaN
			// differs from itself: the second decoding must only succeed.)
			if _, err := codec.DecodeValue(again); err != nil {
				t.Fatalf("re-encoded %+v does not decode: %v", v, err)
			}
		}
	})
}

// FuzzUnframe: Unframe never panics and inverts Frame.
func FuzzUnframe(f *testing.F) {
	f.Add(1, []byte("payload"))
	f.Add(0, []byte{})
	f.Fuzz(func(t *testing.T, id int, payload []byte) {
		if id < 0 {
			id = -(id + 1)
		}
		id %= 1 << 31
		gotID, got, err := Unframe(Frame(id, payload))
		if err != nil || gotID != id || string(got) != string(payload) {
			t.Fatalf("Unframe(Frame(%d, %q)) = %d, %q, %v", id, payload, gotID, got, err)
		}
		_, _, _ = Unframe(payload)
	})
}
