package processors

import (
	"github.com/lovoo/goka"
	"github.com/prometheus/client_golang/prometheus"
)

// Metrics of the processors. Labels are bounded: processor group, topic and
// a short machine reason; never a user or account id.
type Metrics struct {
	Processed *prometheus.CounterVec // processor, topic
	DLQ       *prometheus.CounterVec // reason, topic
	Latency   *prometheus.HistogramVec
}

// NewMetrics creates the metrics and registers them with reg (nil: not
// registered, useful in tests).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		Processed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "finstream_events_processed_total", Help: "Records processed, per processor group and input topic.",
		}, []string{"processor", "topic"}),
		DLQ: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "finstream_dlq_records_total", Help: "Records sent to finstream.dlq, per reason and source topic.",
		}, []string{"reason", "topic"}),
		Latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "finstream_stage_latency_seconds",
			Help:    "Event time (CDC source ts_ms) to processed, per processor group.",
			Buckets: []float64{.001, .002, .005, .01, .02, .05, .1, .2, .5, 1, 2, 5, 10, 30},
		}, []string{"processor"}),
	}
	if reg != nil {
		reg.MustRegister(m.Processed, m.DLQ, m.Latency)
	}
	return m
}

// counting is a goka option that counts every record the group's callbacks
// process, per input topic (loopback included), in Processed. The counters
// are bound once: nothing is looked up per record.
func (m *Metrics) counting(gg *goka.GroupGraph) goka.ProcessorOption {
	group := string(gg.Group())
	counters := map[string]prometheus.Counter{}
	for _, e := range gg.InputStreams() {
		counters[e.Topic()] = m.Processed.WithLabelValues(group, e.Topic())
	}
	if l := gg.LoopStream(); l != nil {
		counters[l.Topic()] = m.Processed.WithLabelValues(group, l.Topic())
	}
	return goka.WithContextWrapper(func(ctx goka.Context) goka.Context {
		if c := counters[string(ctx.Topic())]; c != nil {
			c.Inc()
		}
		return ctx
	})
}
