package main

import (
	"context"
	"io"
	"log/slog"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"finstream/avro"
	"finstream/processors"
)

// role is what every scale-out role that talks to Kafka sets up first.
type role struct {
	log     *slog.Logger
	brokers []string
	reg     *avro.Client
	codecs  *processors.Codecs // nil when the role asked for none
	metrics *prometheus.Registry
}

// setupRole checks the shared flags and the role's own checks (cheap,
// before anything touches the network), then connects to the schema
// registry, registers the internal schemas when withCodecs, and makes the
// role's metrics registry with the Go and process collectors.
func (o *options) setupRole(ctx context.Context, stderr io.Writer, withCodecs bool, checks ...func() error) (*role, error) {
	log, brokers, err := o.checkKafkaRole(stderr, checks...)
	if err != nil {
		return nil, err
	}
	reg, err := o.registryClient(o.registry)
	if err != nil {
		return nil, err
	}
	r := &role{log: log, brokers: brokers, reg: reg, metrics: newMetricsRegistry()}
	if withCodecs {
		if r.codecs, err = codecs(ctx, reg, log); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// newMetricsRegistry is a registry with the Go runtime and process
// collectors.
func newMetricsRegistry() *prometheus.Registry {
	m := prometheus.NewRegistry()
	m.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// listenCheck is a setupRole check of --listen.
func (o *options) listenCheck() error { return checkAddr("listen", o.listen) }

// secretCheck is a setupRole check that tokens can be verified: a JWT
// secret or --jwks-url, and valid token flags.
func (o *options) secretCheck() error { _, err := o.tokenConfig(); return err }
