package compact

import (
	"os"
	"path/filepath"
	"testing"
)

// Fixture reads hex with surrounding space and refuses another format, bad
// hex, an empty file and a missing one.
func TestFixture(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.hex", "  b70a55\n")
	if b, err := Fixture(good, 0xB7); err != nil || len(b) != 3 || b[2] != 0x55 {
		t.Fatalf("read %x, %v", b, err)
	}
	for name, path := range map[string]string{
		"another format": good,
		"bad hex":        write("bad.hex", "b7zz"),
		"empty":          write("empty.hex", "\n"),
		"missing":        filepath.Join(dir, "none.hex"),
	} {
		if _, err := Fixture(path, 0xA3); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
