package period

import (
	"testing"
	"time"
)

// Pay-months from the 25th: 24 November is in the one from 25 October, 25
// November starts the next (30 days to 25 December); keys parse back.
func TestAnchoredPeriods(t *testing.T) {
	bkk, _ := Zone("Asia/Bangkok")
	p := Anchored(25, time.Date(2026, 11, 24, 23, 59, 0, 0, bkk), bkk)
	if p.Key != "2026-10@25" || !p.Start.Equal(time.Date(2026, 10, 25, 0, 0, 0, 0, bkk)) || !p.End.Equal(time.Date(2026, 11, 25, 0, 0, 0, 0, bkk)) {
		t.Fatalf("24 Nov: %+v", p)
	}
	q := Anchored(25, time.Date(2026, 11, 25, 0, 0, 0, 0, bkk), bkk)
	if q.Key != "2026-11@25" || q.Days() != 30 || q.DaysLeft(time.Date(2026, 12, 24, 9, 0, 0, 0, bkk)) != 1 {
		t.Fatalf("25 Nov: %+v days %d", q, q.Days())
	}
	// Elapsed: 5 December is day 11 of 30: 3666 bp.
	if e := q.ElapsedBP(time.Date(2026, 12, 5, 9, 0, 0, 0, bkk)); e != 3666 {
		t.Fatalf("elapsed %d", e)
	}
	for _, k := range []string{"2026-10@25", "2026-12@02", "2026-11", "2026-W47"} {
		if back, ok := ParseKey(k, bkk); !ok || back.Key != k {
			t.Fatalf("ParseKey(%s) = %+v %v", k, back, ok)
		}
	}
	if _, ok := ParseKey("2026-11@31", bkk); ok {
		t.Fatal("anchor 31 parsed")
	}
	if Anchored(1, q.Start, bkk).Key != "2026-11" || OfBudget(Weekly, 25, q.Start, bkk).Kind != Weekly {
		t.Fatal("anchor 1 or weekly is the calendar period")
	}
}
