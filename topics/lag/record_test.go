package lag

import (
	"fmt"
	"testing"
)

// offline is a Monitor without a Kafka client, fed observations by hand.
func offline(t *testing.T, partial bool) *Monitor {
	t.Helper()
	cfg := Config{Brokers: []string{"unused:9092"}, Window: 3, PartialWindows: partial}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	return &Monitor{cfg: cfg, metrics: newMetrics(nil), partitions: map[tp]*partitionHistory{}, groups: map[string]*groupState{}}
}

// obs is an observation of one group reading topic "in" with one partition.
type obs struct {
	at        float64
	end       int64
	committed int64 // -1: none
	owned     bool
}

func (o obs) observation(group string) observation {
	p := tp{"in", 0}
	g := observedGroup{name: group, kind: KindGroup, state: "Empty", topics: []string{"in"},
		committed: map[tp]int64{}, owners: map[tp]member{}}
	if o.committed >= 0 {
		g.committed[p] = o.committed
	}
	if o.owned {
		g.state, g.members = "Stable", 1
		g.owners[p] = member{id: "m-1", host: "10.0.0.1"}
	}
	return observation{at: sec(o.at), ends: map[tp]int64{p: o.end}, starts: map[tp]int64{p: 0}, groups: []observedGroup{g}}
}

func TestRecordStatus(t *testing.T) {
	tests := []struct {
		name       string
		samples    []obs
		want       []Status // group reason after each sample
		wantStatus Status   // group status at the end
	}{
		{"live consumer keeping up",
			[]obs{{0, 100, 100, true}, {1, 150, 140, true}, {2, 200, 200, true}, {3, 260, 250, true}},
			[]Status{OK, OK, OK, OK}, OK},
		{"live consumer falling behind",
			[]obs{{0, 100, 90, true}, {1, 200, 150, true}, {2, 300, 220, true}, {3, 400, 280, true}},
			[]Status{OK, Warn, Warn, Warn}, Warn},
		{"live member that does not move: stalled",
			[]obs{{0, 100, 50, true}, {1, 120, 50, true}, {2, 140, 50, true}},
			[]Status{OK, Stall, Stall}, Err},
		{"consumer gone with lag: stopped from the second sample",
			[]obs{{0, 100, 50, false}, {1, 120, 50, false}, {2, 140, 50, false}},
			[]Status{OK, Stop, Stop}, Err},
		{"consumer gone while caught up: stopped once the window of log ends passes it",
			[]obs{{0, 100, 100, false}, {1, 110, 100, false}, {2, 120, 100, false}, {3, 130, 100, false}, {4, 140, 100, false}},
			[]Status{OK, OK, OK, Stop, Stop}, Err},
		{"consumer comes back and catches up",
			[]obs{{0, 100, 50, false}, {1, 120, 50, false}, {2, 140, 140, true}, {3, 150, 150, true}},
			[]Status{OK, Stop, OK, OK}, OK},
		{"offset reset backwards by a live consumer",
			[]obs{{0, 100, 80, true}, {1, 110, 95, true}, {2, 120, 10, true}},
			[]Status{OK, OK, Rewind}, Err},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := offline(t, true)
			var s Snapshot
			for i, o := range tt.samples {
				s = m.record(o.observation("finstream-g"))
				if got := s.Groups[0].Reason; got != tt.want[i] {
					t.Fatalf("sample %d: reason %s, want %s (partitions %+v)", i, got, tt.want[i], s.Groups[0].Partitions)
				}
			}
			if got := s.Groups[0].Status; got != tt.wantStatus {
				t.Errorf("status %s, want %s", got, tt.wantStatus)
			}
		})
	}
}

func TestRecordLag(t *testing.T) {
	m := offline(t, false)
	// 100 records/s produced; the consumer commits 1000 behind.
	var s Snapshot
	for i := range 4 {
		end := int64(1000 + 100*i)
		s = m.record(obs{float64(i), end, end - 150, true}.observation("finstream-g"))
	}
	g := s.Groups[0]
	p := g.Partitions[0]
	if p.CurrentOffset != 1150 || p.LogEndOffset != 1300 || p.LagMessages != 150 || g.LagMessages != 150 {
		t.Errorf("offsets %+v", p)
	}
	// The log end was at 1150 at 1.5 s; now is 3 s.
	if d := p.LagSeconds - 1.5; d < -1e-6 || d > 1e-6 || p.Estimate != Interpolated || g.LagSeconds != p.LagSeconds {
		t.Errorf("lag seconds %v (%v), group %v, want 1.5", p.LagSeconds, p.Estimate, g.LagSeconds)
	}
	// Window 3: samples 1..3, 2 s apart.
	if g.ConsumedPerSecond != 100 || g.ProducedPerSecond != 100 {
		t.Errorf("rates %v consumed/s, %v produced/s, want 100", g.ConsumedPerSecond, g.ProducedPerSecond)
	}
	if p.ConsumerID != "m-1" || p.Host != "10.0.0.1" || g.Members != 1 || g.State != "Stable" {
		t.Errorf("membership %+v %+v", g, p)
	}
	if h := m.Snapshot(true).Groups; len(h) != 0 {
		t.Errorf("Snapshot reads the stored snapshot, not record's result: %v", h)
	}
}

func TestRecordUncommittedAndGone(t *testing.T) {
	m := offline(t, false)
	s := m.record(obs{0, 500, -1, false}.observation("finstream-new"))
	p := s.Groups[0].Partitions[0]
	if p.CurrentOffset != -1 || p.LagMessages != 500 {
		t.Errorf("a partition never committed counts from the log start: %+v", p)
	}
	s = m.record(observation{at: sec(1), ends: map[tp]int64{}, starts: map[tp]int64{}})
	if len(s.Groups) != 0 || len(m.groups) != 0 {
		t.Errorf("a group no longer listed is forgotten: %+v", s.Groups)
	}
}

// By default a partition is OK until its window is full; then the rules
// apply to the whole window.
func TestRecordWaitsForAFullWindow(t *testing.T) {
	m := offline(t, false)
	var got []Status
	for _, o := range []obs{{0, 100, 50, false}, {1, 120, 50, false}, {2, 140, 50, false}, {3, 160, 50, false}} {
		got = append(got, m.record(o.observation("finstream-g")).Groups[0].Reason)
	}
	if want := []Status{OK, OK, Stop, Stop}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("reasons %v, want %v", got, want)
	}
}
