package compact

import (
	"encoding/hex"
	"fmt"
	"os"
	"strings"
)

// Fixture reads a value an earlier build wrote, kept in hex in a file (a
// test's testdata), and checks that it starts with the format byte.
func Fixture(path string, format byte) ([]byte, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	b, err := hex.DecodeString(strings.TrimSpace(string(raw)))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(b) == 0 || b[0] != format {
		return nil, fmt.Errorf("%s: not a value of format 0x%02X", path, format)
	}
	return b, nil
}
