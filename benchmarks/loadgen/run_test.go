package loadgen

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestRunSendsCountAndTruth(t *testing.T) {
	cfg := testConfig(100)
	cfg.Count = 5000
	cfg.TruthOut = filepath.Join(t.TempDir(), "truth.json")
	sink := &memSink{}
	var reports []Stats
	tr, err := Run(context.Background(), cfg, jsonEncoder{}, categorize, sink, func(s Stats) { reports = append(reports, s) })
	if err != nil {
		t.Fatal(err)
	}
	if len(sink.records) != 5000 || tr.Sent() != 5000 || sink.flushes != 1 {
		t.Fatalf("sink got %d records, %d flushes; truth counts %d", len(sink.records), sink.flushes, tr.Sent())
	}
	// Run sends exactly the generator's stream, and its truth is the
	// stream's.
	_, evs := generate(t, cfg, jsonEncoder{}, 5000)
	for i, e := range evs {
		r := sink.records[i]
		if r.topic != e.Topic || !bytes.Equal(r.key, e.Key) || !bytes.Equal(r.value, e.Value) {
			t.Fatalf("record %d differs from the generator's event", i)
		}
	}
	var want, got bytes.Buffer
	if err := truthOf(evs).WriteJSON(&want); err != nil {
		t.Fatal(err)
	}
	if err := tr.WriteJSON(&got); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(want.Bytes(), got.Bytes()) {
		t.Fatal("Run's truth differs from the stream's")
	}
	file, err := os.ReadFile(cfg.TruthOut)
	if err != nil || !bytes.Equal(file, got.Bytes()) {
		t.Fatalf("truth file: %v, %d bytes, want %d", err, len(file), got.Len())
	}
	last := reports[len(reports)-1]
	if last.Sent != 5000 || last.ByKind["create"] == 0 || last.Elapsed <= 0 {
		t.Fatalf("last progress %+v", last)
	}
}

func TestRunStopsGracefullyOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sink := &memSink{onSend: func(n int) {
		if n == 300 {
			cancel()
		}
	}}
	tr, err := Run(ctx, testConfig(50), jsonEncoder{}, categorize, sink, nil)
	if err != nil {
		t.Fatalf("a cancel is a graceful stop, got %v", err)
	}
	if tr.Sent() != 300 || len(sink.records) != 300 || sink.flushes != 1 {
		t.Fatalf("truth counts %d, sink got %d records and %d flushes", tr.Sent(), len(sink.records), sink.flushes)
	}
}

func TestRunReportsSinkError(t *testing.T) {
	sink := &memSink{failAt: 10}
	cfg := testConfig(50)
	cfg.Count = 100
	tr, err := Run(context.Background(), cfg, jsonEncoder{}, categorize, sink, nil)
	if !errors.Is(err, errSend) {
		t.Fatalf("error %v, want %v", err, errSend)
	}
	if tr == nil || tr.Sent() != 9 {
		t.Fatalf("truth so far %v, want 9 events", tr)
	}
}

// TestRunIsPaced checks Run sleeps as the token bucket says; the exact
// schedule is TestPacerRate's. Only a lower bound is asserted: a loaded
// machine may run slower, never faster.
func TestRunIsPaced(t *testing.T) {
	cfg := testConfig(50)
	cfg.Rate, cfg.Count = 4000, 1000
	start := time.Now()
	if _, err := Run(context.Background(), cfg, jsonEncoder{}, categorize, &memSink{}, nil); err != nil {
		t.Fatal(err)
	}
	// (1000 - a burst of 40) / 4000 per second.
	if took := time.Since(start); took < 230*time.Millisecond {
		t.Fatalf("1000 events at 4000/s took %v", took)
	}
}

func TestRunStopsAfterDuration(t *testing.T) {
	cfg := testConfig(50)
	cfg.Rate, cfg.Duration = 1000, 50*time.Millisecond
	tr, err := Run(context.Background(), cfg, jsonEncoder{}, categorize, &memSink{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// At most the burst plus 50 ms of events, give or take a sleep.
	if tr.Sent() == 0 || tr.Sent() > 70 {
		t.Fatalf("sent %d events in 50ms at 1000/s", tr.Sent())
	}
}

func TestRunNeedsEncoderAndSink(t *testing.T) {
	if _, err := Run(context.Background(), Config{}, nil, categorize, &memSink{}, nil); err == nil {
		t.Fatal("nil encoder accepted")
	}
	if _, err := Run(context.Background(), Config{}, jsonEncoder{}, categorize, nil, nil); err == nil {
		t.Fatal("nil sink accepted")
	}
	if _, err := NewGenerator(Config{}, nil, nil); err == nil {
		t.Fatal("nil categorizer accepted")
	}
}
