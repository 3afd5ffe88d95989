package lag

import "time"

// Snapshot is the lag of every watched group at the last sample; it is what
// GET /v1/ops/lag answers. Values are copies: the caller may keep them.
type Snapshot struct {
	// SampledAt is the time of the last sample (zero before the first).
	SampledAt time.Time `json:"sampled_at"`
	// IntervalSeconds is the time between samples.
	IntervalSeconds float64 `json:"interval_seconds"`
	// Window is the number of samples the status rules look at.
	Window int `json:"window"`
	// Error is the last sample's error, if it failed ("" when it worked).
	Error string `json:"error,omitempty"`
	// Groups are sorted by name.
	Groups []GroupLag `json:"groups"`
}

// Kinds of consumers.
const (
	KindGroup  = "group"  // a Kafka consumer group (offsets committed to the broker)
	KindTailer = "tailer" // a groupless reader whose positions are reported in process
)

// GroupLag is one consumer group's (or tailer's) lag.
type GroupLag struct {
	Group string `json:"group"`
	// Kind is KindGroup or KindTailer.
	Kind string `json:"kind"`
	// State is the Kafka group state (Stable, Empty, PreparingRebalance,
	// ...), "Tailing" for a tailer.
	State string `json:"state"`
	// Members is the number of members of the group.
	Members int `json:"members"`
	// Status is the group status by Burrow's rules: OK, WARN or ERR.
	Status Status `json:"status"`
	// Reason is the worst partition status (OK, WARN, STOP, STALL,
	// REWIND): what made the group's Status.
	Reason Status `json:"reason"`
	// LagMessages is the sum of the partitions' lag in messages.
	LagMessages int64 `json:"lag_messages"`
	// LagSeconds is the largest of the partitions' lag in seconds.
	LagSeconds float64 `json:"lag_seconds"`
	// ConsumedPerSecond is the rate at which the group's offsets advanced
	// over the window; ProducedPerSecond the rate at which the log ends of
	// its partitions did.
	ConsumedPerSecond float64 `json:"consumed_per_second"`
	ProducedPerSecond float64 `json:"produced_per_second"`
	// Topics the group reads, sorted.
	Topics []string `json:"topics"`
	// Partitions sorted by topic then partition.
	Partitions []PartitionLag `json:"partitions"`
	// History is the group's recent samples, oldest first; only when asked
	// for (Snapshot(true)).
	History []GroupPoint `json:"history,omitempty"`
}

// PartitionLag is a group's lag on one partition.
type PartitionLag struct {
	Topic     string `json:"topic"`
	Partition int32  `json:"partition"`
	// CurrentOffset is the committed offset (the next offset the group
	// reads); -1 when the group never committed on this partition, then the
	// lag counts from the log start.
	CurrentOffset int64 `json:"current_offset"`
	LogEndOffset  int64 `json:"log_end_offset"`
	LagMessages   int64 `json:"lag_messages"`
	// LagSeconds is now minus the time the log end was at the group's
	// offset, from the history of log-end offsets; Estimate says how.
	LagSeconds float64  `json:"lag_seconds"`
	Estimate   Estimate `json:"estimate"`
	// Status by Burrow's rules: OK, WARN, STOP, STALL or REWIND.
	Status Status `json:"status"`
	// ConsumerID and Host of the member the partition is assigned to (""
	// when unassigned).
	ConsumerID string `json:"consumer_id,omitempty"`
	Host       string `json:"host,omitempty"`
}

// GroupPoint is one sample of a group, for charts.
type GroupPoint struct {
	Time              time.Time `json:"t"`
	LagMessages       int64     `json:"lag_messages"`
	LagSeconds        float64   `json:"lag_seconds"`
	ConsumedPerSecond float64   `json:"consumed_per_second"`
	ProducedPerSecond float64   `json:"produced_per_second"`
	Status            Status    `json:"status"`
}

func (s Snapshot) clone(withHistory bool) Snapshot {
	out := s
	out.Groups = make([]GroupLag, len(s.Groups))
	for i, g := range s.Groups {
		g.Topics = append([]string(nil), g.Topics...)
		g.Partitions = append([]PartitionLag(nil), g.Partitions...)
		if withHistory {
			g.History = append([]GroupPoint(nil), g.History...)
		} else {
			g.History = nil
		}
		out.Groups[i] = g
	}
	return out
}
