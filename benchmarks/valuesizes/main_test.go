package main

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// A short replay stores values in both tables and reports every part of
// both values; the parts of a value add up to at most its whole.
func TestReplayReportsBothValues(t *testing.T) {
	var out strings.Builder
	if err := run(&out, 3, 3000); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	t.Log(text)
	for _, table := range []string{"users table", "insights table"} {
		m := regexp.MustCompile(table + `: +(\d+) writes, average (\d+) B, largest (\d+) B`).FindStringSubmatch(text)
		if m == nil {
			t.Fatalf("no line for the %s in\n%s", table, text)
		}
		writes, _ := strconv.Atoi(m[1])
		avg, _ := strconv.Atoi(m[2])
		largest, _ := strconv.Atoi(m[3])
		if writes == 0 || avg == 0 || largest < avg {
			t.Fatalf("%s: %d writes, average %d, largest %d", table, writes, avg, largest)
		}
	}
	for _, section := range strings.Split(text, "\n\n")[1:3] {
		lines := strings.Split(strings.TrimSpace(section), "\n")
		whole, sum := 0, 0
		for i, l := range lines[1:] {
			f := strings.Fields(l)
			n, err := strconv.Atoi(f[len(f)-1])
			if err != nil {
				t.Fatalf("line %q: %v", l, err)
			}
			if i == 0 {
				whole = n
				continue
			}
			sum += n
		}
		if whole == 0 || sum > whole || len(lines) < 6 {
			t.Fatalf("section %q: parts add up to %d of %d", lines[0], sum, whole)
		}
	}
}
