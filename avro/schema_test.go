package avro

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/linkedin/goavro/v2"
)

// Kind is a named string type, as domain enums are.
type Kind string

// Party is a nested record, used several times in Example.
type Party struct {
	UserID string `json:"user_id"`
	Role   string `json:"role,omitempty"`
}

// Example covers every Go kind the schema derivation supports.
type Example struct {
	ID       string           `json:"id"`
	Active   bool             `json:"active"`
	Count    int              `json:"count"`
	Small    int32            `json:"small"`
	Amount   int64            `json:"amount_minor"`
	Ratio    float64          `json:"ratio"`
	Score    float32          `json:"score"`
	At       time.Time        `json:"at"`
	Raw      []byte           `json:"raw"`
	Tags     []string         `json:"tags"`
	Limits   map[string]int64 `json:"limits"`
	Owner    Party            `json:"owner"`
	Members  []Party          `json:"members"`
	ByRole   map[string]Party `json:"by_role"`
	Note     *string          `json:"note"`
	Sponsor  *Party           `json:"sponsor"`
	ClosedAt *time.Time       `json:"closed_at"`
	Kind     Kind             `json:"kind"`
	NoTag    string
	Skipped  string `json:"-"`
	internal int
}

const exampleSchema = `{"type":"record","name":"Example","namespace":"finstream","fields":[
 {"name":"id","type":"string","default":""},
 {"name":"active","type":"boolean","default":false},
 {"name":"count","type":"int","default":0},
 {"name":"small","type":"int","default":0},
 {"name":"amount_minor","type":"long","default":0},
 {"name":"ratio","type":"double","default":0},
 {"name":"score","type":"float","default":0},
 {"name":"at","type":{"type":"long","logicalType":"timestamp-micros"},"default":-62135596800000000},
 {"name":"raw","type":"bytes","default":""},
 {"name":"tags","type":{"type":"array","items":"string"},"default":[]},
 {"name":"limits","type":{"type":"map","values":"long"},"default":{}},
 {"name":"owner","type":{"type":"record","name":"Party","namespace":"finstream","fields":[
   {"name":"user_id","type":"string","default":""},
   {"name":"role","type":"string","default":""}]},"default":{"user_id":"","role":""}},
 {"name":"members","type":{"type":"array","items":"finstream.Party"},"default":[]},
 {"name":"by_role","type":{"type":"map","values":"finstream.Party"},"default":{}},
 {"name":"note","type":["null","string"],"default":null},
 {"name":"sponsor","type":["null","finstream.Party"],"default":null},
 {"name":"closed_at","type":["null",{"type":"long","logicalType":"timestamp-micros"}],"default":null},
 {"name":"kind","type":"string","default":""},
 {"name":"NoTag","type":"string","default":""}]}`

func TestSchemaOfEveryKind(t *testing.T) {
	got, err := SchemaOf[Example]()
	if err != nil {
		t.Fatal(err)
	}
	var gotV, wantV any
	if err := json.Unmarshal([]byte(got), &gotV); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(exampleSchema), &wantV); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(gotV, wantV) {
		t.Fatalf("SchemaOf[Example] =\n%s\nwant\n%s", got, exampleSchema)
	}
	if _, err := goavro.NewCodec(got); err != nil {
		t.Fatalf("goavro rejects the derived schema: %v", err)
	}
}

// Node is recursive through a slice and a pointer.
type Node struct {
	Name     string `json:"name"`
	Children []Node `json:"children"`
	Parent   *Node  `json:"parent"`
}

func TestSchemaOfRecursive(t *testing.T) {
	got, err := SchemaOf[Node]()
	if err != nil {
		t.Fatal(err)
	}
	want := `{"type":"record","name":"Node","namespace":"finstream","fields":[{"name":"name","type":"string","default":""},{"name":"children","type":{"type":"array","items":"finstream.Node"},"default":[]},{"name":"parent","type":["null","finstream.Node"],"default":null}]}`
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	if _, err := goavro.NewCodec(got); err != nil {
		t.Fatal(err)
	}
}

type (
	withUint   struct{ N uint64 }
	withIface  struct{ V any }
	withIntMap struct{ M map[int]string }
	withPtrPtr struct{ P **string }
	withAnon   struct{ A struct{ X int } }
	withBadTag struct {
		X int `json:"bad-name"`
	}
	withDupTag struct {
		A int `json:"X"`
		X int
	}
	withEmbedded struct{ Party }
	withArray    struct{ A [3]int }
)

func TestSchemaOfRejects(t *testing.T) {
	tests := []struct {
		name   string
		schema func() (string, error)
		want   string
	}{
		{"top level not struct", SchemaOf[string], "must be a struct"},
		{"time at top level", SchemaOf[time.Time], "must be a struct"},
		{"unsigned", SchemaOf[withUint], "uint64"},
		{"interface", SchemaOf[withIface], "interface"},
		{"int map key", SchemaOf[withIntMap], "string keys"},
		{"pointer to pointer", SchemaOf[withPtrPtr], "pointer to pointer"},
		{"anonymous struct", SchemaOf[withAnon], "needs a name"},
		{"invalid field name", SchemaOf[withBadTag], "bad-name"},
		{"duplicate field name", SchemaOf[withDupTag], `"X"`},
		{"embedded", SchemaOf[withEmbedded], "embedded"},
		{"go array", SchemaOf[withArray], "[3]int"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.schema()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}
