package lag

import (
	"cmp"
	"slices"
	"time"
)

// tp names a topic partition.
type tp struct {
	topic     string
	partition int32
}

func (a tp) compare(b tp) int {
	if c := cmp.Compare(a.topic, b.topic); c != 0 {
		return c
	}
	return cmp.Compare(a.partition, b.partition)
}

// observation is one sample of the cluster, the Monitor's only input: it is
// built from kadm answers (observe) or by hand in tests.
type observation struct {
	at     time.Time
	ends   map[tp]int64 // log-end offsets
	starts map[tp]int64 // log-start offsets
	groups []observedGroup
}

type observedGroup struct {
	name, kind, state string
	members           int
	topics            []string      // every topic the group reads
	committed         map[tp]int64  // committed offsets (absent: none)
	owners            map[tp]member // assigned partitions
}

type member struct{ id, host string }

// partitionHistory is what the Monitor remembers of a partition's log end.
type partitionHistory struct {
	table *Table
	ends  []int64 // the last window log-end offsets (Burrow's broker offsets)
}

// entry is one sample of a group on a partition.
type entry struct {
	Commit
	at  time.Time // when sampled
	pos int64     // next offset the group reads (committed, or log start)
	end int64
}

type groupPartition struct {
	window     []entry
	lastOffset int64     // committed offset at the last sample
	since      time.Time // when lastOffset was first seen
}

type groupState struct {
	parts   map[tp]*groupPartition
	history []GroupPoint
}

// record folds an observation into the history and returns the snapshot.
// The caller holds m.mu.
func (m *Monitor) record(o observation) Snapshot {
	w := m.cfg.Window
	for p, end := range o.ends {
		ph := m.partitions[p]
		if ph == nil {
			ph = &partitionHistory{table: NewTable(m.cfg.History)}
			m.partitions[p] = ph
		}
		ph.table.Add(Point{Offset: end, Time: o.at})
		ph.ends = appendCapped(ph.ends, end, w)
	}
	snap := Snapshot{SampledAt: o.at, IntervalSeconds: m.cfg.Interval.Seconds(), Window: w, Groups: []GroupLag{}}
	seen := make(map[string]bool, len(o.groups))
	for _, g := range o.groups {
		seen[g.name] = true
		gs := m.groups[g.name]
		if gs == nil {
			gs = &groupState{parts: map[tp]*groupPartition{}}
			m.groups[g.name] = gs
		}
		gl := m.evaluateGroup(o, g, gs)
		gs.history = appendCapped(gs.history, GroupPoint{
			Time: o.at, LagMessages: gl.LagMessages, LagSeconds: gl.LagSeconds,
			ConsumedPerSecond: gl.ConsumedPerSecond, ProducedPerSecond: gl.ProducedPerSecond, Status: gl.Status,
		}, m.cfg.HistoryPoints)
		snap.Groups = append(snap.Groups, gl)
	}
	for name := range m.groups {
		if !seen[name] {
			delete(m.groups, name)
		}
	}
	slices.SortFunc(snap.Groups, func(a, b GroupLag) int { return cmp.Compare(a.Group, b.Group) })
	return snap
}

func (m *Monitor) evaluateGroup(o observation, g observedGroup, gs *groupState) GroupLag {
	gl := GroupLag{Group: g.name, Kind: g.kind, State: g.state, Members: g.members, Topics: slices.Clone(g.topics)}
	slices.Sort(gl.Topics)
	// A group subscribes to whole topics; a tailer reads the partitions it
	// reports.
	var parts []tp
	for p := range o.ends {
		if _, reported := g.committed[p]; reported || (g.kind != KindTailer && slices.Contains(g.topics, p.topic)) {
			parts = append(parts, p)
		}
	}
	slices.SortFunc(parts, tp.compare)
	statuses := make([]Status, 0, len(parts))
	var maxSeconds time.Duration
	live := make(map[tp]bool, len(parts))
	for _, p := range parts {
		live[p] = true
		end := o.ends[p]
		committed, ok := g.committed[p]
		if !ok {
			committed = -1
		}
		pos := committed
		if pos < 0 {
			pos = o.starts[p]
		}
		lagN := max(end-pos, 0)
		gp := gs.parts[p]
		if gp == nil {
			gp = &groupPartition{lastOffset: committed, since: o.at}
			gs.parts[p] = gp
		}
		if committed != gp.lastOffset {
			gp.lastOffset, gp.since = committed, o.at
		}
		// When did the consumer commit? A member that owns the partition is
		// alive and commits on its interval: now. Otherwise the last commit is
		// the moment the offset last changed.
		owner, owned := g.owners[p]
		commitAt := gp.since
		if owned {
			commitAt = o.at
		}
		gp.window = appendCapped(gp.window, entry{
			Commit: Commit{Offset: committed, Lag: lagN, Time: commitAt}, at: o.at, pos: pos, end: end,
		}, m.cfg.Window)

		ph := m.partitions[p]
		secs, est := ph.table.TimeLag(pos, o.at)
		st := OK
		if len(gp.window) == m.cfg.Window || m.cfg.PartialWindows {
			st = Evaluate(commits(gp.window), ph.ends, lagN, o.at)
		}
		statuses = append(statuses, st)
		maxSeconds = max(maxSeconds, secs)
		gl.LagMessages += lagN
		gl.Partitions = append(gl.Partitions, PartitionLag{
			Topic: p.topic, Partition: p.partition, CurrentOffset: committed, LogEndOffset: end,
			LagMessages: lagN, LagSeconds: secs.Seconds(), Estimate: est, Status: st,
			ConsumerID: owner.id, Host: owner.host,
		})
		first, last := gp.window[0], gp.window[len(gp.window)-1]
		if dt := last.at.Sub(first.at).Seconds(); dt > 0 {
			gl.ConsumedPerSecond += float64(max(last.pos-first.pos, 0)) / dt
			gl.ProducedPerSecond += float64(max(last.end-first.end, 0)) / dt
		}
	}
	for p := range gs.parts {
		if !live[p] {
			delete(gs.parts, p)
		}
	}
	gl.LagSeconds = maxSeconds.Seconds()
	gl.Reason = Worst(statuses...)
	gl.Status = gl.Reason.Group()
	return gl
}

func commits(es []entry) []Commit {
	out := make([]Commit, len(es))
	for i, e := range es {
		out[i] = e.Commit
	}
	return out
}

// appendCapped appends v and drops the oldest values beyond n.
func appendCapped[T any](s []T, v T, n int) []T {
	s = append(s, v)
	if len(s) > n {
		s = append(s[:0], s[len(s)-n:]...)
	}
	return s
}
