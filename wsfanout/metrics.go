package wsfanout

import (
	"fmt"
	"strconv"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the hub's Prometheus metrics. Labels are bounded: message
// types, rejection reasons and partitions, never a user id.
type metrics struct {
	connections prometheus.Gauge
	sentByType  map[string]prometheus.Counter // read-only after newMetrics
	drops       prometheus.Counter
	latency     prometheus.Histogram
	rejected    *prometheus.CounterVec
	tailLag     *prometheus.GaugeVec
	tailRecords prometheus.Counter
	tailErrors  prometheus.Counter

	lagMu     sync.Mutex
	lagLabels map[int32]prometheus.Gauge
}

var messageTypes = []string{TypeSubscribed, TypeUnsubscribed, TypeSnapshot, TypeBudgetUpdate,
	TypeNotification, TypePresence, TypePong, TypeError}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	sent := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "finstream_ws_messages_sent_total",
		Help: "WebSocket messages written to sockets, by message type.",
	}, []string{"type"})
	m := &metrics{
		connections: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "finstream_ws_connections",
			Help: "Open WebSocket connections (devices).",
		}),
		sentByType: make(map[string]prometheus.Counter, len(messageTypes)),
		drops: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "finstream_ws_slow_consumer_drops_total",
			Help: "Devices closed because their queue overflowed (close code 4008).",
		}),
		latency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "finstream_ws_delivery_latency_seconds",
			Help:    "Budget update event_time to the update written to a device's socket.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 15), // 1 ms .. 16 s
		}),
		rejected: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "finstream_ws_rejected_total",
			Help: "WebSocket connections refused before the upgrade, or ended by the server for their token's expiry (reason token_expired), by reason.",
		}, []string{"reason"}),
		tailLag: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "finstream_ws_tail_lag_records",
			Help: "Records of finstream.budget.updates not yet read by this instance's tailer, by partition.",
		}, []string{"partition"}),
		tailRecords: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "finstream_ws_tail_records_total",
			Help: "Budget update records read by the tailer.",
		}),
		tailErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "finstream_ws_tail_decode_errors_total",
			Help: "Budget update records the tailer could not decode (skipped).",
		}),
		lagLabels: make(map[int32]prometheus.Gauge),
	}
	for _, t := range messageTypes {
		m.sentByType[t] = sent.WithLabelValues(t)
	}
	if reg == nil {
		return m, nil
	}
	for _, c := range []prometheus.Collector{m.connections, sent, m.drops, m.latency, m.rejected, m.tailLag, m.tailRecords, m.tailErrors} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("wsfanout: register metrics: %w", err)
		}
	}
	return m, nil
}

func (m *metrics) sent(kind string) {
	if c, ok := m.sentByType[kind]; ok {
		c.Inc()
	}
}

func (m *metrics) lag(partition int32) prometheus.Gauge {
	m.lagMu.Lock()
	defer m.lagMu.Unlock()
	g, ok := m.lagLabels[partition]
	if !ok {
		g = m.tailLag.WithLabelValues(strconv.Itoa(int(partition)))
		m.lagLabels[partition] = g
	}
	return g
}
