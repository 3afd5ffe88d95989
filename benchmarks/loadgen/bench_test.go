package loadgen

import (
	"syscall"
	"testing"
	"time"

	"finstream/processors/cdc"
)

// BenchmarkGenerator measures the generator alone (structured events, no
// encoding), with the truth bookkeeping Run does: the ceiling of what one
// core offers a sink. cpu-ns/event is process CPU time, which stays
// meaningful on a loaded machine where wall-clock ns/op does not.
func BenchmarkGenerator(b *testing.B) {
	benchmarkGenerator(b, nil)
}

// BenchmarkGeneratorEncoded adds the project's cdc.Encoder in each format.
func BenchmarkGeneratorEncoded(b *testing.B) {
	for _, f := range []cdc.Format{cdc.FormatJSON, cdc.FormatJSONSchema, cdc.FormatAvro} {
		b.Run(string(f), func(b *testing.B) { benchmarkGenerator(b, cdcEncoder(b, f, &registry{})) })
	}
}

func benchmarkGenerator(b *testing.B, enc Encoder) {
	cfg := DefaultConfig()
	cfg.Users, cfg.Start = 100_000, testStart
	g, err := NewGenerator(cfg, enc, realCategorize)
	if err != nil {
		b.Fatal(err)
	}
	tr := NewTruth()
	var bytes int64
	b.ReportAllocs()
	cpu0 := cpuTime(b)
	for b.Loop() {
		e, err := g.Next()
		if err != nil {
			b.Fatal(err)
		}
		tr.Apply(&e)
		bytes += int64(len(e.Key) + len(e.Value))
	}
	cpu := cpuTime(b) - cpu0
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/event")
	b.ReportMetric(float64(b.N)/cpu.Seconds(), "events/cpu-s")
	if enc != nil {
		b.ReportMetric(float64(bytes)/float64(b.N), "B/event")
	}
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
