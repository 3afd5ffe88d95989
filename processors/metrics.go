package processors

import (
	"github.com/prometheus/client_golang/prometheus"
)

// Metrics of the processors. Labels are bounded: processor group, topic and
// a short machine reason; never a user or account id.
type Metrics struct {
	Processed *prometheus.CounterVec // processor, topic
	DLQ       *prometheus.CounterVec // reason, topic
	Refused   *prometheus.CounterVec // processor, topic (the target), reason
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
		Refused: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "finstream_values_refused_total",
			Help: "Outputs and table values not written because they cannot be encoded or exceed their limit, per processor group, target topic and reason.",
		}, []string{"processor", "topic", "reason"}),
		Latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "finstream_stage_latency_seconds",
			Help:    "Event time (CDC source ts_ms) to processed, per processor group.",
			Buckets: []float64{.001, .002, .005, .01, .02, .05, .1, .2, .5, 1, 2, 5, 10, 30},
		}, []string{"processor"}),
	}
	if reg != nil {
		reg.MustRegister(m.Processed, m.DLQ, m.Refused, m.Latency)
	}
	return m
}
