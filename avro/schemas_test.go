package avro

import (
	"bytes"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite schemas/*.avsc from the Go types")

// schemaFiles lists the published schemas: schemas/<name>.avsc is the schema
// of each type. Add finstream's record types here (this test may import the
// packages that define them).
var schemaFiles = []struct {
	name   string
	schema func() (string, error)
}{
	{"example", SchemaOf[Example]},
}

func TestSchemasUpToDate(t *testing.T) {
	listed := make(map[string]bool)
	for _, f := range schemaFiles {
		listed[f.name+".avsc"] = true
		schema, err := f.schema()
		if err != nil {
			t.Fatalf("%s: %v", f.name, err)
		}
		if *update {
			if err := WriteSchemaFile("schemas", f.name, schema); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := formatSchema(schema)
		if err != nil {
			t.Fatalf("%s: %v", f.name, err)
		}
		got, err := Schemas.ReadFile("schemas/" + f.name + ".avsc")
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("schemas/%s.avsc is stale (err %v); run go test ./avro -run TestSchemasUpToDate -update", f.name, err)
		}
	}
	entries, err := fs.ReadDir(Schemas, "schemas")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !listed[e.Name()] {
			t.Errorf("schemas/%s has no type in schemaFiles: add its type or delete it", e.Name())
		}
	}
}

func TestWriteSchemaFile(t *testing.T) {
	dir := t.TempDir()
	schema, err := SchemaOf[Party]()
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteSchemaFile(dir, "party.avsc", schema); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dir, "party.avsc"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(got), "{\n  \"type\": \"record\",") || !strings.HasSuffix(string(got), "}\n") {
		t.Fatalf("unexpected content:\n%s", got)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*")); len(left) != 0 {
		t.Fatalf("temporary files left: %v", left)
	}

	for _, tt := range []struct{ name, schema string }{
		{"", schema},
		{"../x", schema},
		{"a/b", schema},
		{"bad", `{"type":"record"}`},
		{"bad", `not json`},
	} {
		if err := WriteSchemaFile(dir, tt.name, tt.schema); err == nil {
			t.Errorf("WriteSchemaFile(%q, %q) succeeded", tt.name, tt.schema)
		}
	}
}
