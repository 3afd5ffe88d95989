package pushgw

import "github.com/prometheus/client_golang/prometheus"

// Metrics of the push-gateway sink. A nil *Metrics records nothing.
type Metrics struct {
	Delivered prometheus.Counter
	Retries   prometheus.Counter
	GaveUp    prometheus.Counter
}

// NewMetrics creates the metrics and registers them with reg (nil: not
// registered).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		Delivered: prometheus.NewCounter(prometheus.CounterOpts{Name: "finstream_push_delivered_total", Help: "Notifications the push gateway accepted."}),
		Retries:   prometheus.NewCounter(prometheus.CounterOpts{Name: "finstream_push_retries_total", Help: "Push attempts that failed and are retried."}),
		GaveUp:    prometheus.NewCounter(prometheus.CounterOpts{Name: "finstream_push_gave_up_total", Help: "Notifications given up to the DLQ."}),
	}
	if reg != nil {
		reg.MustRegister(m.Delivered, m.Retries, m.GaveUp)
	}
	return m
}

func (m *Metrics) delivered() {
	if m != nil {
		m.Delivered.Inc()
	}
}

func (m *Metrics) retried() {
	if m != nil {
		m.Retries.Inc()
	}
}

func (m *Metrics) gaveUp() {
	if m != nil {
		m.GaveUp.Inc()
	}
}
