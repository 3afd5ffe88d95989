package sinks

import "github.com/prometheus/client_golang/prometheus"

// Metrics of the sink. Labels are bounded: table, topic, operation, reason.
type Metrics struct {
	Rows     *prometheus.CounterVec // table: rows written (upserted, including no-op redeliveries)
	Records  *prometheus.CounterVec // topic: records consumed and committed
	Batches  prometheus.Counter
	BatchDur prometheus.Histogram
	Retries  *prometheus.CounterVec // op: migrate, write, decode, dlq
	DBUp     prometheus.Gauge       // 1 after a successful write, 0 while writes fail
	Lag      *prometheus.GaugeVec   // topic: records not yet committed by the sink's group
	DLQ      *prometheus.CounterVec // reason, topic
}

// NewMetrics creates the sink's metrics and registers them with reg (nil:
// not registered).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		Rows: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "finstream_sink_rows_written_total", Help: "Rows written to Postgres by the sink, per table.",
		}, []string{"table"}),
		Records: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "finstream_sink_records_total", Help: "Kafka records the sink wrote and committed, per topic.",
		}, []string{"topic"}),
		Batches: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "finstream_sink_batches_total", Help: "Batches committed to Postgres.",
		}),
		BatchDur: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "finstream_sink_batch_write_seconds", Help: "Time to write one batch (COPY + upsert + commit), retries included.",
			Buckets: []float64{.001, .002, .005, .01, .02, .05, .1, .2, .5, 1, 5, 30, 120},
		}),
		Retries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "finstream_sink_retries_total", Help: "Failed attempts that the sink backed off and retried, per operation.",
		}, []string{"op"}),
		DBUp: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "finstream_sink_database_up", Help: "1 when the sink's last write to Postgres succeeded, 0 while it fails.",
		}),
		Lag: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "finstream_sink_lag_records", Help: "Records of a topic not yet written and committed by the sink's consumer group.",
		}, []string{"topic"}),
		DLQ: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "finstream_sink_dlq_records_total", Help: "Records the sink sent to finstream.dlq, per reason and source topic.",
		}, []string{"reason", "topic"}),
	}
	if reg != nil {
		reg.MustRegister(m.Rows, m.Records, m.Batches, m.BatchDur, m.Retries, m.DBUp, m.Lag, m.DLQ)
	}
	return m
}
