package main

import (
	"flag"
	"log/slog"
	"math"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
)

// DefaultRunMemoryLimit is run's --memory-limit: everything in one process
// (broker, registry, every group, API) on a laptop-sized budget. With it,
// run --simulate 200's RSS stayed at 367–378 MiB from minute 8 to 30
// (benchmarks/datadir/README.md, "Memory limit").
const DefaultRunMemoryLimit = "384MiB"

// memoryLimit is --memory-limit: the Go runtime's soft memory limit
// (runtime/debug.SetMemoryLimit, the GOMEMLIMIT of the environment). Without
// one the heap grows to twice the live data before a collection (GOGC=100),
// so RSS is about twice what the process holds.
type memoryLimit struct {
	value string
}

// flag registers --memory-limit with its default (a GOMEMLIMIT value, or ""
// for none).
func (m *memoryLimit) flag(fs *flag.FlagSet, def string) {
	m.value = def
	fs.StringVar(&m.value, "memory-limit", def, `soft limit of the Go runtime's memory, as GOMEMLIMIT takes it ("384MiB", "1GiB"; "0" or "off": none); a GOMEMLIMIT in the environment wins. The collector runs more often near it instead of letting the heap double; it is not a hard cap`)
}

// check is a setupRole check: the value parses.
func (m *memoryLimit) check() error {
	if _, ok := parseMemoryLimit(m.value); !ok {
		return badConfig("--memory-limit %q: want bytes with an optional B, KiB, MiB, GiB or TiB suffix (\"384MiB\"), or 0 or off for none", m.value)
	}
	return nil
}

// apply sets the limit unless the environment set GOMEMLIMIT.
func (m *memoryLimit) apply(log *slog.Logger) {
	if env := os.Getenv("GOMEMLIMIT"); env != "" {
		log.Info("memory limit from GOMEMLIMIT", "limit", env)
		return
	}
	n, _ := parseMemoryLimit(m.value)
	if n <= 0 {
		return
	}
	debug.SetMemoryLimit(n)
	log.Info("memory limit", "bytes", n)
}

// parseMemoryLimit parses what GOMEMLIMIT takes: a byte count with an
// optional unit (B, KiB, MiB, GiB, TiB); "", "0" and "off" are no limit (0).
func parseMemoryLimit(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if s == "" || s == "0" || s == "off" {
		return 0, true
	}
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"TiB", 1 << 40}, {"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"B", 1}} {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSuffix(s, u.suffix), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n > math.MaxInt64/mult {
		return 0, false
	}
	return n * mult, true
}
