package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A report keeps what was written by hand around its marks, and replaces
// only what it generated before.
func TestReportKeepsTheMeasurementsByHand(t *testing.T) {
	path := filepath.Join(t.TempDir(), "RESULTS.md")
	hand := "# finstream benchmarks\n\n## An A/B by hand\n\nfigures\n\n"
	old := hand + string(wrapGenerated("old tables\n")) + "\n## What would close the gap\n\nanalysis\n"
	if err := os.WriteFile(path, []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := report(path, map[string]string{}, sweepConfig{dir: t.TempDir(), beforeDir: t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	got := string(b)
	if !strings.HasPrefix(got, hand+generatedBegin+"\nProduced by `make bench`") {
		t.Fatalf("the part by hand before the marks changed, or the report is not inside them:\n%s", got)
	}
	if strings.Contains(got, "old tables") {
		t.Fatalf("the old generated part stayed:\n%s", got)
	}
	if !strings.HasSuffix(got, generatedEnd+"\n\n## What would close the gap\n\nanalysis\n") {
		t.Fatalf("the part by hand after the marks changed:\n%s", got)
	}
	if n := strings.Count(got, generatedBegin); n != 1 {
		t.Fatalf("%d begin marks", n)
	}
}

func TestSpliceGeneratedNeedsBothMarks(t *testing.T) {
	for _, old := range []string{"no marks", generatedBegin + "\nonly the first", "only the last\n" + generatedEnd + "\n" + generatedBegin} {
		if _, ok := spliceGenerated([]byte(old), "x"); ok {
			t.Fatalf("spliced into %q", old)
		}
	}
}
