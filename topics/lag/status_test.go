package lag

import (
	"testing"
	"time"
)

// w builds a window of commits one second apart from t0: each pair is
// (offset, lag).
func w(pairs ...int64) []Commit {
	var out []Commit
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, Commit{Offset: pairs[i], Lag: pairs[i+1], Time: sec(float64(i / 2))})
	}
	return out
}

// at sets the commit times of c to the given seconds.
func at(c []Commit, secs ...float64) []Commit {
	for i := range c {
		c[i].Time = sec(secs[i])
	}
	return c
}

func TestEvaluate(t *testing.T) {
	tests := []struct {
		name    string
		window  []Commit
		logEnds []int64
		lag     int64
		now     time.Time
		want    Status
	}{
		{"no current lag", w(10, 5, 10, 9), nil, 0, sec(100), OK},
		{"empty window", nil, nil, 7, sec(1), OK},
		// Burrow's rule: any zero lag in the window is OK.
		{"lag was zero in the window", w(10, 0, 12, 3, 15, 5), []int64{10, 15, 20}, 5, sec(2), OK},
		{"keeping up: lag goes down somewhere", w(10, 5, 20, 8, 30, 4, 40, 6), []int64{15, 28, 34, 46}, 6, sec(3), OK},
		{"falling behind: offsets move, lag never decreases", w(10, 5, 20, 8, 30, 8, 40, 12), []int64{15, 28, 38, 52}, 12, sec(3), Warn},
		{"stalled: committing the same offset with lag", w(10, 5, 10, 5, 10, 7, 10, 9), []int64{15, 15, 17, 19}, 9, sec(3), Stall},
		{"rewind: offset goes back", w(10, 5, 20, 3, 15, 8), []int64{15, 23, 23}, 8, sec(2), Rewind},
		{"rewind beats stall and warn", w(10, 5, 10, 5, 8, 7), []int64{15, 15, 15}, 7, sec(2), Rewind},
		// Rule 4 of the wiki: no commit for longer than the window spans.
		{"stopped: last commit older than the window's span",
			at(w(10, 5, 20, 5, 30, 5), 0, 1, 2), []int64{35, 35, 35}, 5, sec(5), Stop},
		{"not stopped yet: now-last equals the span",
			at(w(10, 5, 20, 8, 30, 4), 0, 1, 2), []int64{15, 28, 34}, 4, sec(4), OK},
		{"not stopped: a recent log end shows it was caught up",
			at(w(30, 0, 30, 0, 30, 2), 0, 0, 0), []int64{30, 30, 32}, 2, sec(10), OK},
		{"stopped once the recent log ends all pass it",
			at(w(30, 2, 30, 4, 30, 6), 0, 0, 0), []int64{32, 34, 36}, 6, sec(10), Stop},
		{"stop is checked before zero lag in the window",
			at(w(10, 0, 20, 0, 30, 0), 0, 1, 2), []int64{35, 40, 45}, 15, sec(9), Stop},
		{"one entry is not enough to call it stalled", w(10, 5), []int64{15}, 5, sec(0), OK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Evaluate(tt.window, tt.logEnds, tt.lag, tt.now); got != tt.want {
				t.Errorf("Evaluate = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestGroupStatus(t *testing.T) {
	tests := []struct {
		parts       []Status
		worst, want Status
	}{
		{nil, OK, OK},
		{[]Status{OK, OK}, OK, OK},
		{[]Status{OK, Warn}, Warn, Warn},
		{[]Status{Warn, Stop, OK}, Stop, Err},
		{[]Status{Stall, Stop}, Stall, Err},
		{[]Status{Rewind, Warn}, Rewind, Err},
	}
	for _, tt := range tests {
		w := Worst(tt.parts...)
		if w != tt.worst || w.Group() != tt.want {
			t.Errorf("Worst(%v) = %s (group %s), want %s (group %s)", tt.parts, w, w.Group(), tt.worst, tt.want)
		}
	}
}
