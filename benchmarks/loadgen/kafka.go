package loadgen

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// KafkaSink is a Sink producing to Kafka with franz-go: asynchronous
// produce with at most 65,536 records in flight (Send waits for a slot, or
// for ctx), a short linger, and the default partitioner, which hashes keys
// with murmur2 as Debezium's Java producer does. The first delivery error is
// returned by the following Send and by Flush.
//
// A record, once accepted by Send, no longer depends on Send's ctx: it is
// delivered or fails by itself, so a stopped Run can still Flush what it
// sent. Send and Flush are safe for concurrent use. Close it when done.
type KafkaSink struct {
	cl     *kgo.Client
	ctx    context.Context // records' context, canceled by Close
	cancel context.CancelFunc
	slots  chan struct{} // one per record in flight

	mu  sync.Mutex
	err error
}

// Producer defaults of NewKafkaSink.
const (
	sinkLinger   = 5 * time.Millisecond
	sinkInFlight = 1 << 16
)

// NewKafkaSink returns a sink producing to brokers. opts are appended to
// the sink's defaults (and so override them), e.g. kgo.ProducerLinger.
func NewKafkaSink(brokers []string, opts ...kgo.Opt) (*KafkaSink, error) {
	if len(brokers) == 0 {
		return nil, errors.New("kafka sink: no brokers")
	}
	base := []kgo.Opt{
		kgo.SeedBrokers(brokers...),
		kgo.ProducerLinger(sinkLinger),
		// Above the sink's own bound, so that Produce never blocks.
		kgo.MaxBufferedRecords(2 * sinkInFlight),
	}
	cl, err := kgo.NewClient(append(base, opts...)...)
	if err != nil {
		return nil, fmt.Errorf("kafka sink: new client: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &KafkaSink{cl: cl, ctx: ctx, cancel: cancel, slots: make(chan struct{}, sinkInFlight)}, nil
}

// Send buffers one record, waiting while sinkInFlight records are
// unacknowledged. It returns ctx's error if ctx ends first, and the first
// delivery error so far.
func (s *KafkaSink) Send(ctx context.Context, topic string, key, value []byte) error {
	if err := s.failed(); err != nil {
		return err
	}
	select {
	case s.slots <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	s.cl.Produce(s.ctx, &kgo.Record{Topic: topic, Key: key, Value: value}, s.promise)
	return nil
}

func (s *KafkaSink) promise(r *kgo.Record, err error) {
	<-s.slots
	if err == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err == nil {
		s.err = fmt.Errorf("produce to %s: %w", r.Topic, err)
	}
}

func (s *KafkaSink) failed() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// Flush waits until every record sent is acknowledged (or failed) and
// returns the first delivery error, or ctx's error if it ends first.
func (s *KafkaSink) Flush(ctx context.Context) error {
	if err := s.cl.Flush(ctx); err != nil {
		return fmt.Errorf("kafka sink flush: %w", err)
	}
	return s.failed()
}

// Close fails the records still buffered and closes the client; Flush
// first to deliver them.
func (s *KafkaSink) Close() {
	s.cancel()
	s.cl.Close()
}
