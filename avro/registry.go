package avro

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sr/srfake"
)

// DefaultSchemasTopic is the topic the in-process registry keeps its log in,
// the name Confluent Schema Registry uses.
const DefaultSchemasTopic = "_schemas"

// produceTimeout bounds one write to the schema log.
const produceTimeout = 15 * time.Second

// RegistryConfig configures the in-process schema registry.
type RegistryConfig struct {
	// Brokers are the seed brokers of the Kafka cluster holding the log.
	// Required.
	Brokers []string
	// Topic is the compacted, single-partition topic the registrations are
	// kept in. Zero value means DefaultSchemasTopic ("_schemas").
	Topic string
	// Logger receives the registry's logs. Zero value means no logs.
	Logger *slog.Logger
	// KafkaOptions are extra franz-go options (TLS, SASL) of its clients.
	KafkaOptions []kgo.Opt
}

// Validate reports a configuration NewRegistry cannot start with.
func (c RegistryConfig) Validate() error {
	if len(c.Brokers) == 0 {
		return errors.New("schema registry: no brokers")
	}
	for _, b := range c.Brokers {
		if b == "" {
			return errors.New("schema registry: empty broker address")
		}
	}
	if c.Topic != "" && !validTopic(c.Topic) {
		return fmt.Errorf("schema registry: invalid topic name %q", c.Topic)
	}
	return nil
}

// validTopic reports whether t is a legal Kafka topic name.
func validTopic(t string) bool {
	if len(t) > 249 || t == "." || t == ".." {
		return false
	}
	for i := range len(t) {
		c := t[i]
		if !(c == '.' || c == '_' || c == '-' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9')) {
			return false
		}
	}
	return true
}

// Registry is the in-process schema registry of the embedded default: the
// Confluent REST API of srfake, made durable. Every successful registration
// and delete is written to the log topic (acks=all) before its response is
// sent, and NewRegistry replays the log so every schema keeps its id and
// version across restarts.
//
// Registry is an http.Handler. It serves every read of the Confluent API
// that srfake serves (GET /schemas/ids/{id}, GET /subjects/{s}/versions/...,
// POST /subjects/{s} lookups, compatibility checks), and these writes:
// POST /subjects/{s}/versions, DELETE /subjects/{s}/versions/{v} and
// DELETE /subjects/{s} (soft, or ?permanent=true). Writes it would not keep
// across a restart (config, mode, schema contexts) are refused with 405.
//
// Exactly one Registry may use a log topic at a time, as with Confluent's
// single leader. A Registry is safe for concurrent use; writes are
// serialized.
type Registry struct {
	fake  *srfake.Registry
	api   http.Handler // srfake's handler
	mux   *http.ServeMux
	kc    *kgo.Client
	topic string
	log   *slog.Logger

	mu      sync.Mutex // serializes writes, so memory and log change in the same order
	durable map[subjectVersion]durable
}

// NewRegistry connects to the brokers, creates the log topic if it is
// missing (1 partition, cleanup.policy=compact), reads the log from the
// beginning to its end and restores every registration with its id and
// version. ctx bounds the start only. The caller closes the Registry.
func NewRegistry(ctx context.Context, cfg RegistryConfig) (*Registry, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Topic == "" {
		cfg.Topic = DefaultSchemasTopic
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	kc, err := kgo.NewClient(append([]kgo.Opt{
		kgo.SeedBrokers(cfg.Brokers...),
		kgo.RecordPartitioner(kgo.ManualPartitioner()),
		kgo.ProducerLinger(0),
	}, cfg.KafkaOptions...)...)
	if err != nil {
		return nil, fmt.Errorf("schema registry: kafka client: %w", err)
	}
	fake := srfake.NewRegistry()
	r := &Registry{
		fake:    fake,
		api:     fake.Handler(),
		kc:      kc,
		topic:   cfg.Topic,
		log:     cfg.Logger.With("component", "schema-registry"),
		durable: make(map[subjectVersion]durable),
	}
	start := time.Now()
	if err := r.ensureTopic(ctx); err != nil {
		kc.Close()
		return nil, fmt.Errorf("schema registry: %w", err)
	}
	state, err := r.readLog(ctx, cfg.Brokers, cfg.KafkaOptions)
	if err != nil {
		kc.Close()
		return nil, fmt.Errorf("schema registry: %w", err)
	}
	if err := r.restore(ctx, state); err != nil {
		kc.Close()
		return nil, fmt.Errorf("schema registry: restore %s: %w", r.topic, err)
	}
	r.mux = r.routes()
	r.log.Info("schema registry restored", "topic", r.topic, "versions", len(state), "took", time.Since(start))
	return r, nil
}

// ServeHTTP serves the Confluent Schema Registry REST API.
func (r *Registry) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.mux.ServeHTTP(w, req)
}

// Close releases the Kafka client. Stop serving first (a write after Close
// fails with 500 and leaves nothing behind), and close the Registry before
// the broker it writes to: closing the client against a stopped broker
// takes about a second.
func (r *Registry) Close() {
	r.kc.Close()
}

func (r *Registry) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /subjects/{subject}/versions", r.register)
	mux.HandleFunc("DELETE /subjects/{subject}/versions/{version}", r.deleteVersion)
	mux.HandleFunc("DELETE /subjects/{subject}", r.deleteSubject)
	// Reads, and the POSTs that only read.
	mux.Handle("GET /", r.api)
	mux.Handle("POST /subjects/{subject}", r.api)
	mux.Handle("POST /compatibility/", r.api)
	mux.HandleFunc("/", func(w http.ResponseWriter, req *http.Request) {
		writeError(w, http.StatusMethodNotAllowed, http.StatusMethodNotAllowed,
			fmt.Sprintf("%s %s is not supported by the embedded schema registry", req.Method, req.URL.Path))
	})
	return mux
}
