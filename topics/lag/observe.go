package lag

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/twmb/franz-go/pkg/kadm"
)

// observe asks the cluster for the groups, their members and committed
// offsets, then the log start and end of every partition they read.
// Committed offsets are fetched before log ends, so a lag is never negative.
func (m *Monitor) observe(ctx context.Context) (observation, error) {
	names := m.cfg.Groups
	if len(names) == 0 {
		listed, err := m.adm.ListGroups(ctx)
		if err != nil && len(listed) == 0 {
			return observation{}, fmt.Errorf("list groups: %w", err)
		}
		for _, g := range listed.Groups() {
			if strings.HasPrefix(g, m.cfg.GroupPrefix) {
				names = append(names, g)
			}
		}
	}
	var described kadm.DescribedGroups
	if len(names) > 0 {
		var err error
		described, err = m.adm.DescribeGroups(ctx, names...)
		if err != nil && len(described) == 0 {
			return observation{}, fmt.Errorf("describe groups: %w", err)
		}
	}
	topicSet := map[string]bool{}
	var groups []observedGroup
	for _, name := range names {
		g := observedGroup{name: name, kind: KindGroup, state: "Unknown", committed: map[tp]int64{}, owners: map[tp]member{}}
		gt := map[string]bool{}
		if d, ok := described[name]; ok && d.Err == nil {
			g.state, g.members = d.State, len(d.Members)
			for _, mem := range d.Members {
				if meta, ok := mem.Join.AsConsumer(); ok {
					for _, t := range meta.Topics {
						gt[t] = true
					}
				}
				if as, ok := mem.Assigned.AsConsumer(); ok {
					for _, t := range as.Topics {
						gt[t.Topic] = true
						for _, p := range t.Partitions {
							g.owners[tp{t.Topic, p}] = member{id: mem.MemberID, host: mem.ClientHost}
						}
					}
				}
			}
		}
		offs, err := m.adm.FetchOffsets(ctx, name)
		if err != nil {
			return observation{}, fmt.Errorf("fetch offsets of %s: %w", name, err)
		}
		offs.Each(func(r kadm.OffsetResponse) {
			if r.Err == nil && r.At >= 0 {
				g.committed[tp{r.Topic, r.Partition}] = r.At
				gt[r.Topic] = true
			}
		})
		g.topics = setToSlice(gt, topicSet)
		groups = append(groups, g)
	}
	m.mu.Lock()
	tailers := append([]Tailer(nil), m.tailers...)
	m.mu.Unlock()
	for _, t := range tailers {
		g := observedGroup{name: t.Name, kind: KindTailer, state: "Tailing", members: 1, committed: map[tp]int64{}, owners: map[tp]member{}}
		gt := map[string]bool{}
		for topic, ps := range t.Positions() {
			gt[topic] = true
			for p, off := range ps {
				g.committed[tp{topic, p}] = off
				g.owners[tp{topic, p}] = member{id: t.Name}
			}
		}
		g.topics = setToSlice(gt, topicSet)
		groups = append(groups, g)
	}
	o := observation{ends: map[tp]int64{}, starts: map[tp]int64{}, groups: groups}
	if len(topicSet) > 0 {
		topics := setToSlice(topicSet, nil)
		ends, err := m.adm.ListEndOffsets(ctx, topics...)
		if err != nil {
			return observation{}, fmt.Errorf("list end offsets: %w", err)
		}
		starts, err := m.adm.ListStartOffsets(ctx, topics...)
		if err != nil {
			return observation{}, fmt.Errorf("list start offsets: %w", err)
		}
		ends.Each(func(l kadm.ListedOffset) {
			if l.Err == nil {
				o.ends[tp{l.Topic, l.Partition}] = l.Offset
			}
		})
		starts.Each(func(l kadm.ListedOffset) {
			if l.Err == nil {
				o.starts[tp{l.Topic, l.Partition}] = l.Offset
			}
		})
	}
	o.at = m.cfg.Now()
	return o, nil
}

// setToSlice returns the keys of set, sorted, and adds them to all.
func setToSlice(set map[string]bool, all map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
		if all != nil {
			all[k] = true
		}
	}
	slices.Sort(out)
	return out
}
