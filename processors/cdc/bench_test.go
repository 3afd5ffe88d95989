package cdc

import (
	"context"
	"testing"
)

func BenchmarkDecodeTxnJSON(b *testing.B) {
	benchmarkDecodeTxn(b, []byte(samplePayload))
}

func BenchmarkDecodeTxnJSONSchema(b *testing.B) {
	benchmarkDecodeTxn(b, []byte(sampleWithSchema))
}

func BenchmarkDecodeTxnAvro(b *testing.B) {
	reg := newRegistry(b)
	enc, err := NewEncoder(context.Background(), FormatAvro, reg, "core.public.transactions")
	if err != nil {
		b.Fatal(err)
	}
	_, value, err := enc.EncodeTxn(OpCreate, nil, &sampleTxn, samplePos)
	if err != nil {
		b.Fatal(err)
	}
	benchmarkDecodeTxn(b, value, reg)
}

func benchmarkDecodeTxn(b *testing.B, value []byte, schemas ...SchemaSource) {
	var src SchemaSource
	if len(schemas) > 0 {
		src = schemas[0]
	}
	dec := NewDecoder(src)
	ctx := context.Background()
	if _, err := dec.DecodeTxn(ctx, value); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(value)))
	for b.Loop() {
		if _, err := dec.DecodeTxn(ctx, value); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncodeTxnJSON(b *testing.B) {
	enc, err := NewEncoder(context.Background(), FormatJSON, nil, "core.public.transactions")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := enc.EncodeTxn(OpCreate, nil, &sampleTxn, samplePos); err != nil {
			b.Fatal(err)
		}
	}
}
