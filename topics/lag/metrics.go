package lag

import (
	"strconv"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the Monitor's Prometheus metrics. Labels are bounded: group
// (finstream's groups and tailers), topic, partition and status; never a
// user id.
type metrics struct {
	lagMessages  *prometheus.GaugeVec // group, topic, partition
	lagSeconds   *prometheus.GaugeVec // group
	status       *prometheus.GaugeVec // group, status: 1 for the group's status, 0 for the others
	partitions   *prometheus.GaugeVec // group, status: partitions in each status
	offset       *prometheus.GaugeVec // group, topic, partition
	logEnd       *prometheus.GaugeVec // topic, partition
	sampleErrors prometheus.Counter
	known        map[string]bool // groups with series
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		lagMessages: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "finstream_consumer_lag_messages",
			Help: "Log-end offset minus the group's committed offset, per partition.",
		}, []string{"group", "topic", "partition"}),
		lagSeconds: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "finstream_consumer_lag_seconds",
			Help: "How far behind in time the group is: the largest, over its partitions, of now minus the time the log end was at the committed offset (interpolated from sampled log-end offsets).",
		}, []string{"group"}),
		status: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "finstream_consumer_status",
			Help: "1 for the group's status by Burrow's rules (OK, WARN, ERR), 0 for the others.",
		}, []string{"group", "status"}),
		partitions: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "finstream_consumer_partitions",
			Help: "Partitions of the group in each status by Burrow's rules (OK, WARN, STOP, STALL, REWIND).",
		}, []string{"group", "status"}),
		offset: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "finstream_consumer_offset",
			Help: "The group's committed offset (next offset to read) per partition; its rate is the group's consumption rate.",
		}, []string{"group", "topic", "partition"}),
		logEnd: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "finstream_log_end_offset",
			Help: "Log-end offset (high watermark) per partition of the topics finstream's groups read; its rate is the produce rate.",
		}, []string{"topic", "partition"}),
		sampleErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "finstream_lag_sample_errors_total",
			Help: "Lag samples that failed (broker unreachable, ...).",
		}),
		known: map[string]bool{},
	}
	if reg != nil {
		reg.MustRegister(m.lagMessages, m.lagSeconds, m.status, m.partitions, m.offset, m.logEnd, m.sampleErrors)
	}
	return m
}

// update sets every gauge from s and deletes the series of groups gone.
func (m *metrics) update(s Snapshot) {
	seen := make(map[string]bool, len(s.Groups))
	for _, g := range s.Groups {
		seen[g.Group] = true
		m.lagSeconds.WithLabelValues(g.Group).Set(g.LagSeconds)
		for _, st := range GroupStatuses {
			m.status.WithLabelValues(g.Group, string(st)).Set(b2f(g.Status == st))
		}
		count := map[Status]int{}
		for _, p := range g.Partitions {
			part := strconv.Itoa(int(p.Partition))
			count[p.Status]++
			m.lagMessages.WithLabelValues(g.Group, p.Topic, part).Set(float64(p.LagMessages))
			m.offset.WithLabelValues(g.Group, p.Topic, part).Set(float64(max(p.CurrentOffset, 0)))
			m.logEnd.WithLabelValues(p.Topic, part).Set(float64(p.LogEndOffset))
		}
		for _, st := range PartitionStatuses {
			m.partitions.WithLabelValues(g.Group, string(st)).Set(float64(count[st]))
		}
	}
	for g := range m.known {
		if !seen[g] {
			l := prometheus.Labels{"group": g}
			m.lagMessages.DeletePartialMatch(l)
			m.lagSeconds.DeletePartialMatch(l)
			m.status.DeletePartialMatch(l)
			m.partitions.DeletePartialMatch(l)
			m.offset.DeletePartialMatch(l)
		}
	}
	m.known = seen
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
