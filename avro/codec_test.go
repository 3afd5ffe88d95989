package avro

import (
	"context"
	"errors"
	"net/http/httptest"
	"reflect"
	"testing"
	"time"

	"github.com/linkedin/goavro/v2"
	"github.com/lovoo/goka"
	"github.com/twmb/franz-go/pkg/sr/srfake"
)

// Both codecs are goka codecs.
var (
	_ goka.Codec = (*Codec[Example])(nil)
	_ goka.Codec = JSONCodec[Example]{}
)

// fakeRegistryURL serves srfake's handler on an httptest.Server.
func fakeRegistryURL(t testing.TB) string {
	t.Helper()
	srv := httptest.NewServer(srfake.NewRegistry().Handler())
	t.Cleanup(srv.Close)
	return srv.URL
}

// newFakeRegistry returns a Client talking over HTTP to a new srfake.
func newFakeRegistry(t testing.TB) *Client {
	t.Helper()
	return newTestClient(t, fakeRegistryURL(t))
}

func newTestClient(t testing.TB, url string) *Client {
	t.Helper()
	c, err := NewClient(url)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func fullExample() Example {
	note := "shared with Ann"
	closed := time.Date(2026, 3, 1, 8, 30, 0, 123456000, time.UTC)
	return Example{
		ID: "txn-1", Active: true, Count: -42, Small: 7, Amount: 150000, Ratio: 0.25, Score: 1.5,
		At:       time.Date(2026, 2, 14, 19, 5, 6, 789123000, time.FixedZone("ICT", 7*3600)),
		Raw:      []byte{0, 1, 2, 255},
		Tags:     []string{"groceries", "weekly"},
		Limits:   map[string]int64{"THB": 500000, "USD": 10000},
		Owner:    Party{UserID: "u1", Role: "owner"},
		Members:  []Party{{UserID: "u2", Role: "contributor"}, {UserID: "u3"}},
		ByRole:   map[string]Party{"viewer": {UserID: "u4", Role: "viewer"}},
		Note:     &note,
		Sponsor:  &Party{UserID: "u9"},
		ClosedAt: &closed,
		Kind:     Kind("shared"),
		NoTag:    "kept",
	}
}

// normalizeTimes makes times comparable with reflect.DeepEqual: decoded
// times are in UTC.
func normalizeTimes(e *Example) {
	e.At = e.At.UTC()
	if e.ClosedAt != nil {
		c := e.ClosedAt.UTC()
		e.ClosedAt = &c
	}
}

func TestCodecRoundTrip(t *testing.T) {
	ctx := context.Background()
	codec, err := NewCodec[Example](ctx, newFakeRegistry(t), "finstream.example-value")
	if err != nil {
		t.Fatal(err)
	}
	full := fullExample()
	tests := []struct {
		name  string
		value any
		want  Example
	}{
		{"value", full, full},
		{"pointer", &full, full},
		{"zero value", Example{}, Example{}},
		{"sub-millisecond time", Example{At: time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC)}, Example{At: time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC)}},
		{"empty collections decode as nil", Example{Tags: []string{}, Limits: map[string]int64{}, Raw: []byte{}}, Example{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := codec.Encode(tt.value)
			if err != nil {
				t.Fatal(err)
			}
			id, _, err := Unframe(b)
			if err != nil || id != codec.SchemaID() {
				t.Fatalf("frame id = %d (%v), want %d", id, err, codec.SchemaID())
			}
			got, err := codec.Decode(b)
			if err != nil {
				t.Fatal(err)
			}
			gotEx, ok := got.(Example)
			if !ok {
				t.Fatalf("Decode returned %T, want Example", got)
			}
			want := tt.want
			normalizeTimes(&want)
			if !reflect.DeepEqual(gotEx, want) {
				t.Fatalf("round trip:\n got %+v\nwant %+v", gotEx, want)
			}
			if tt.want.At.IsZero() && !gotEx.At.IsZero() {
				t.Fatalf("zero time decoded as %v", gotEx.At)
			}
		})
	}
}

func TestCodecIdempotentRegistration(t *testing.T) {
	ctx := context.Background()
	reg := newFakeRegistry(t)
	a, err := NewCodec[Example](ctx, reg, "s-value")
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewCodec[Example](ctx, reg, "s-value")
	if err != nil {
		t.Fatal(err)
	}
	if a.SchemaID() != b.SchemaID() {
		t.Fatalf("same schema got ids %d and %d", a.SchemaID(), b.SchemaID())
	}
}

func TestCodecEncodeErrors(t *testing.T) {
	codec, err := NewCodec[Example](context.Background(), newFakeRegistry(t), "s-value")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []any{nil, (*Example)(nil), "text", Party{}} {
		if _, err := codec.Encode(v); err == nil {
			t.Errorf("Encode(%T) succeeded", v)
		}
	}
	type wide struct {
		N int `json:"n"`
	}
	wc, err := NewCodec[wide](context.Background(), newFakeRegistry(t), "w-value")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := wc.Encode(wide{N: 1 << 40}); err == nil {
		t.Error("Encode of an int beyond 32 bits succeeded")
	}
}

// exampleV1 is an older writer of Example: fewer fields, one field T no
// longer has, a narrower integer, and nullability that changed since.
const exampleV1 = `{"type":"record","name":"Example","namespace":"finstream","fields":[
 {"name":"id","type":"string"},
 {"name":"count","type":"int"},
 {"name":"amount_minor","type":"int"},
 {"name":"gone","type":"string"},
 {"name":"note","type":"string"},
 {"name":"kind","type":["null","string"]},
 {"name":"owner","type":{"type":"record","name":"Party","fields":[{"name":"user_id","type":"string"}]}}]}`

func TestCodecDecodesOlderSchema(t *testing.T) {
	ctx := context.Background()
	reg := newFakeRegistry(t)
	oldID, err := reg.Register(ctx, "finstream.example-value", exampleV1)
	if err != nil {
		t.Fatal(err)
	}
	codec, err := NewCodec[Example](ctx, reg, "finstream.example-value")
	if err != nil {
		t.Fatal(err)
	}
	if codec.SchemaID() == oldID {
		t.Fatal("new schema got the old id")
	}
	old, err := goavro.NewCodec(exampleV1)
	if err != nil {
		t.Fatal(err)
	}
	payload, err := old.BinaryFromNative(nil, map[string]any{
		"id": "txn-7", "count": int32(3), "amount_minor": int32(9900), "gone": "dropped",
		"note": "hello", "kind": goavro.Union("string", "personal"),
		"owner": map[string]any{"user_id": "u1"},
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := codec.Decode(Frame(oldID, payload))
	if err != nil {
		t.Fatal(err)
	}
	note := "hello"
	want := Example{ID: "txn-7", Count: 3, Amount: 9900, Note: &note, Kind: "personal", Owner: Party{UserID: "u1"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("decode of v1 record:\n got %+v\nwant %+v", got, want)
	}
}

func TestCodecDecodeErrors(t *testing.T) {
	codec, err := NewCodec[Example](context.Background(), newFakeRegistry(t), "s-value")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data []byte
		is   error
	}{
		{"unknown schema id", Frame(codec.SchemaID()+100, []byte{0}), ErrUnknownSchemaID},
		{"not framed", []byte(`{"id":"x"}`), ErrNotFramed},
		{"empty", nil, ErrNotFramed},
		{"truncated payload", Frame(codec.SchemaID(), []byte{0x10, 'a'}), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := codec.Decode(tt.data)
			if err == nil {
				t.Fatal("Decode succeeded")
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Fatalf("error = %v, want %v", err, tt.is)
			}
		})
	}
}

func TestCodecRejectsIncompatibleWriter(t *testing.T) {
	ctx := context.Background()
	reg := newFakeRegistry(t)
	id, err := reg.Register(ctx, "other-value", `{"type":"record","name":"Example","fields":[{"name":"id","type":"long"}]}`)
	if err != nil {
		t.Fatal(err)
	}
	codec, err := NewCodec[Example](ctx, reg, "s-value")
	if err != nil {
		t.Fatal(err)
	}
	for range 2 { // the second answer comes from the cached plan
		if _, err := codec.Decode(Frame(id, []byte{2})); err == nil {
			t.Fatal("decoded a long into a string field")
		}
	}
}

func BenchmarkCodec(b *testing.B) {
	codec, err := NewCodec[Example](context.Background(), newFakeRegistry(b), "bench-value")
	if err != nil {
		b.Fatal(err)
	}
	v := fullExample()
	data, err := codec.Encode(&v)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("Encode", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if _, err := codec.Encode(&v); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Decode", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if _, err := codec.Decode(data); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func TestCodecConcurrentDecode(t *testing.T) {
	ctx := context.Background()
	url := fakeRegistryURL(t)
	reg := newTestClient(t, url)
	writer, err := NewCodec[Example](ctx, reg, "s-value")
	if err != nil {
		t.Fatal(err)
	}
	oldID, err := reg.Register(ctx, "s-value", exampleV1)
	if err != nil {
		t.Fatal(err)
	}
	old, err := goavro.NewCodec(exampleV1)
	if err != nil {
		t.Fatal(err)
	}
	payload, err := old.BinaryFromNative(nil, map[string]any{
		"id": "old", "count": int32(1), "amount_minor": int32(2), "gone": "", "note": "", "kind": nil,
		"owner": map[string]any{"user_id": "u"},
	})
	if err != nil {
		t.Fatal(err)
	}
	records := [][]byte{Frame(oldID, payload)}
	for i := range 4 {
		b, err := writer.Encode(Example{ID: "new", Count: i})
		if err != nil {
			t.Fatal(err)
		}
		records = append(records, b)
	}
	// A reader on a fresh client misses every cache at once.
	reader, err := NewCodec[Example](ctx, newTestClient(t, url), "s-value")
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			var err error
			for _, rec := range records {
				if _, e := reader.Decode(rec); e != nil && err == nil {
					err = e
				}
			}
			errs <- err
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

// An encoding reuses the native maps and slices of the previous one (see
// encode.go): records of changing shape encode as a codec with nothing to
// reuse writes them.
func TestCodecEncodesAfterReuse(t *testing.T) {
	ctx := context.Background()
	reg := newFakeRegistry(t)
	codec, err := NewCodec[Example](ctx, reg, "s-value")
	if err != nil {
		t.Fatal(err)
	}
	full := fullExample()
	fewer := fullExample()
	fewer.Members = fewer.Members[:1]
	fewer.Tags = nil
	fewer.Limits = map[string]int64{"EUR": 1}
	fewer.Note, fewer.ClosedAt = nil, nil
	fewer.Sponsor = &Party{UserID: "u10", Role: "viewer"}
	fewer.ID, fewer.Amount, fewer.Count = "txn-2", 150001, 300
	more := fullExample()
	more.Members = append(more.Members, Party{UserID: "u5"}, Party{UserID: "u6", Role: "owner"})
	more.Sponsor = nil
	for i, v := range []Example{full, fewer, {}, more, full, fewer, more} {
		got, err := codec.Encode(&v)
		if err != nil {
			t.Fatal(err)
		}
		fresh, err := NewCodec[Example](ctx, reg, "s-value")
		if err != nil {
			t.Fatal(err)
		}
		want, err := fresh.Encode(&v)
		if err != nil {
			t.Fatal(err)
		}
		// Compared decoded: map entries are written in Go's map order.
		gotV, err := fresh.Decode(got)
		if err != nil {
			t.Fatal(err)
		}
		wantV, err := fresh.Decode(want)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(gotV, wantV) || len(got) != len(want) {
			t.Fatalf("record %d: encoded after reuse as %+v, want %+v", i, gotV, wantV)
		}
	}
}
