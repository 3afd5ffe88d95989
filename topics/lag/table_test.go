package lag

import (
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

// sec is t0 plus s seconds.
func sec(s float64) time.Time { return t0.Add(time.Duration(s * float64(time.Second))) }

func table(limit int, pts ...Point) *Table {
	t := NewTable(limit)
	for _, p := range pts {
		t.Add(p)
	}
	return t
}

func TestTableAdd(t *testing.T) {
	tests := []struct {
		name  string
		limit int
		add   []Point
		want  []Point
	}{
		{"keeps order", 10, []Point{{10, sec(0)}, {20, sec(1)}, {30, sec(2)}}, []Point{{10, sec(0)}, {20, sec(1)}, {30, sec(2)}}},
		{"slides at the limit", 3, []Point{{10, sec(0)}, {20, sec(1)}, {30, sec(2)}, {40, sec(3)}}, []Point{{20, sec(1)}, {30, sec(2)}, {40, sec(3)}}},
		{"flat stretch keeps its two ends", 10,
			[]Point{{10, sec(0)}, {20, sec(1)}, {20, sec(2)}, {20, sec(3)}, {20, sec(4)}, {25, sec(5)}},
			[]Point{{10, sec(0)}, {20, sec(1)}, {20, sec(4)}, {25, sec(5)}}},
		{"ignores a point not newer", 10, []Point{{10, sec(1)}, {20, sec(1)}, {30, sec(0)}}, []Point{{10, sec(1)}}},
		{"restarts when the offset goes back (topic recreated)", 10, []Point{{10, sec(0)}, {20, sec(1)}, {5, sec(2)}}, []Point{{5, sec(2)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := table(tt.limit, tt.add...).Points()
			if len(got) != len(tt.want) {
				t.Fatalf("points %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i].Offset != tt.want[i].Offset || !got[i].Time.Equal(tt.want[i].Time) {
					t.Fatalf("points %v, want %v", got, tt.want)
				}
			}
		})
	}
}

func TestTimeLag(t *testing.T) {
	// 100 records/s from offset 1000 at t0 to 2000 at t0+10s.
	steady := table(60, Point{1000, sec(0)}, Point{1500, sec(5)}, Point{2000, sec(10)})
	// Nothing produced between 3 s and 8 s, then a burst.
	bursty := table(60, Point{0, sec(0)}, Point{300, sec(3)}, Point{300, sec(5)}, Point{300, sec(8)}, Point{400, sec(9)})
	tests := []struct {
		name    string
		tab     *Table
		offset  int64
		now     time.Time
		want    time.Duration
		wantEst Estimate
	}{
		{"empty history", NewTable(10), 5, sec(1), 0, Unknown},
		{"at the log end", steady, 2000, sec(11), 0, CaughtUp},
		{"past the sampled log end", steady, 2100, sec(11), 0, CaughtUp},
		{"on a point", steady, 1500, sec(10), 5 * time.Second, Interpolated},
		{"between points", steady, 1250, sec(10), 7500 * time.Millisecond, Interpolated},
		{"later now adds to the lag", steady, 1250, sec(12), 9500 * time.Millisecond, Interpolated},
		{"older than the history: extrapolated on the trend", steady, 500, sec(10), 15 * time.Second, Extrapolated},
		{"flat stretch: the last time the log end was there", bursty, 300, sec(9), 1 * time.Second, Interpolated},
		{"in the burst after the flat stretch", bursty, 350, sec(9), 500 * time.Millisecond, Interpolated},
		{"before the flat stretch", bursty, 150, sec(9), 7500 * time.Millisecond, Interpolated},
		{"one point: at least its age", table(10, Point{100, sec(0)}), 50, sec(4), 4 * time.Second, AtLeast},
		{"flat history: at least its age", table(10, Point{100, sec(0)}, Point{100, sec(6)}), 50, sec(8), 8 * time.Second, AtLeast},
		{"never negative", steady, 1999, sec(0), 0, Interpolated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, est := tt.tab.TimeLag(tt.offset, tt.now)
			if est != tt.wantEst {
				t.Errorf("estimate %v, want %v", est, tt.wantEst)
			}
			if d := got - tt.want; d < -time.Millisecond || d > time.Millisecond {
				t.Errorf("TimeLag(%d) = %v, want %v", tt.offset, got, tt.want)
			}
		})
	}
}
