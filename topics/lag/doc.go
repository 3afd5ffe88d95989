// Package lag measures how far finstream's consumers are behind: per
// partition in messages, per group in seconds, and a status per group by
// Burrow's evaluation rules.
//
// # Flow
//
// A Monitor samples the cluster every Interval with franz-go's kadm (works on
// kfake, which has no __consumer_offsets topic, and on Kafka alike):
// ListGroups (groups named GroupPrefix*, "finstream-" by default),
// DescribeGroups (state, members, assignments), FetchOffsets per group
// (committed offsets), then ListEndOffsets and ListStartOffsets of every
// topic the groups read. Tailers, readers without a group, report their
// positions in process and are treated as groups. Each sample is folded into
// the history (record) and becomes a Snapshot and Prometheus metrics.
//
// # Lag in messages
//
// Log-end offset minus committed offset, never negative; a partition the
// group never committed on counts from the log start (what the group will
// read under auto.offset.reset=earliest).
//
// # Lag in seconds
//
// As kafka-lag-exporter does: each partition keeps a Table of (log-end
// offset, time) points, sampled; the time lag of a committed offset is now
// minus the time at which the log end was at that offset, interpolated
// linearly between the two points around it. Older than the history, the
// trend of the whole history (first to last point) is extended back
// (Extrapolated); with no trend (one point, or nothing produced across the
// history) the lag is at least the age of the oldest point (AtLeast). A
// group's lag in seconds is its largest partition's.
//
// # Status: Burrow's rules and how samples map to them
//
// Burrow keeps, per group and partition, a window of the last N commits it
// read from __consumer_offsets (offset, commit time, lag then) and the last N
// log-end offsets, and evaluates (Evaluate, after Burrow's
// core/internal/evaluator/caching.go and its wiki page "Consumer Lag
// Evaluation Rules"):
//
//  1. no current lag: OK;
//  2. STOP when now minus the last commit time exceeds the span of the
//     window's commit times, unless a recent log end was at or below the last
//     committed offset (the consumer was caught up a moment ago);
//  3. if any lag in the window is zero: OK;
//  4. REWIND if the offset goes backwards; STALL if it never changes across
//     the window (the consumer commits the same offset); WARN if the lag
//     never decreases (offsets move but it falls behind); else OK.
//
// A partition is OK until its window holds Window samples, unless
// PartialWindows (Burrow evaluates any window by default; two samples say
// little of a trend). The group status is its worst partition status, with STOP, STALL and
// REWIND reported as ERR; GroupLag.Reason keeps the partition status.
//
// OffsetFetch tells the committed offset but not when it was committed, so
// the Monitor adds one window entry per sample and derives the commit time
// from membership: a partition assigned to a live member of the group (or a
// tailer's) was committed "now", because a live consumer commits on its
// interval (sarama's and kgo's auto-commit, 1 s and 5 s); an unassigned
// partition (the group is empty: its consumers are gone) was last committed
// when its offset last changed. So a consumer that is there but does not
// advance with lag is STALL, one that left with lag is STOP (if it was caught
// up when it left, once the window of log ends no longer shows it caught
// up), and one that keeps up is OK. Groups using the KIP-848 protocol are
// not described by DescribeGroups: their partitions count as unassigned.
package lag
