package avro

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/linkedin/goavro/v2"
)

// Schemas holds the generated .avsc files of finstream's records
// (schemas/<name>.avsc), for tools and readers that want the schemas without
// the Go types. They are written by WriteSchemaFile from SchemaOf; the test
// TestSchemasUpToDate fails when one is stale and rewrites them all with
// `go test ./avro -run TestSchemasUpToDate -update`.
//
//go:embed schemas/*.avsc
var Schemas embed.FS

// WriteSchemaFile writes schema, pretty-printed, to dir/<name>.avsc (name may
// already end in .avsc). The schema must parse as Avro; name must be a plain
// file name. The file is replaced atomically.
func WriteSchemaFile(dir, name, schema string) error {
	name = strings.TrimSuffix(name, ".avsc")
	if name == "" || name != filepath.Base(name) || strings.ContainsAny(name, `/\`) || name == "." || name == ".." {
		return fmt.Errorf("write schema file: bad name %q", name)
	}
	content, err := formatSchema(schema)
	if err != nil {
		return fmt.Errorf("write schema file %s: %w", name, err)
	}
	f, err := os.CreateTemp(dir, "."+name+".avsc.*")
	if err != nil {
		return fmt.Errorf("write schema file %s: %w", name, err)
	}
	defer os.Remove(f.Name()) // no-op after the rename
	if _, err := f.Write(content); err != nil {
		f.Close()
		return fmt.Errorf("write schema file %s: %w", name, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write schema file %s: %w", name, err)
	}
	if err := os.Chmod(f.Name(), 0o644); err != nil {
		return fmt.Errorf("write schema file %s: %w", name, err)
	}
	if err := os.Rename(f.Name(), filepath.Join(dir, name+".avsc")); err != nil {
		return fmt.Errorf("write schema file %s: %w", name, err)
	}
	return nil
}

// formatSchema validates schema as Avro and returns the .avsc file content:
// the JSON indented by two spaces, with a final newline.
func formatSchema(schema string) ([]byte, error) {
	if _, err := goavro.NewCodec(schema); err != nil {
		return nil, fmt.Errorf("invalid Avro schema: %w", err)
	}
	var out bytes.Buffer
	if err := json.Indent(&out, []byte(schema), "", "  "); err != nil {
		return nil, err
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}
