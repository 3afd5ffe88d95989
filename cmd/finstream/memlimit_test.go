package main

import (
	"log/slog"
	"runtime/debug"
	"testing"
)

// --memory-limit takes what GOMEMLIMIT takes and refuses the rest.
func TestParseMemoryLimit(t *testing.T) {
	for in, want := range map[string]int64{"": 0, "0": 0, "off": 0, "384MiB": 384 << 20, "1GiB": 1 << 30, "2TiB": 2 << 40, "512KiB": 512 << 10, "1000B": 1000, "123456": 123456} {
		if got, ok := parseMemoryLimit(in); !ok || got != want {
			t.Errorf("parseMemoryLimit(%q) = %d %v, want %d", in, got, ok, want)
		}
	}
	for _, bad := range []string{"384MB", "-1", "1.5GiB", "GiB", "lots", "9999999999TiB"} {
		if _, ok := parseMemoryLimit(bad); ok {
			t.Errorf("parseMemoryLimit(%q) accepted", bad)
		}
	}
}

// apply sets the runtime's limit, unless GOMEMLIMIT is in the environment.
func TestMemoryLimitApply(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(before) })
	t.Setenv("GOMEMLIMIT", "")
	(&memoryLimit{value: "300MiB"}).apply(slog.New(slog.DiscardHandler))
	if got := debug.SetMemoryLimit(-1); got != 300<<20 {
		t.Fatalf("limit %d after --memory-limit 300MiB", got)
	}
	t.Setenv("GOMEMLIMIT", "1GiB")
	(&memoryLimit{value: "200MiB"}).apply(slog.New(slog.DiscardHandler))
	if got := debug.SetMemoryLimit(-1); got != 300<<20 {
		t.Fatalf("limit %d: --memory-limit overrode GOMEMLIMIT", got)
	}
}
