package wsfanout

import (
	"context"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"finstream/processors/event"
)

// Tail feeds hub from topic (finstream.budget.updates) until ctx ends, then
// returns nil. It uses no consumer group: every instance reads every
// partition, from the end at start, so each wsfanout instance behind a load
// balancer sees every update. opts are appended to the client's options
// (kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()) to replay, for
// instance). A record that decode rejects is logged, counted and skipped;
// tombstones are skipped. The lag of each partition (high watermark minus
// the next offset to read) is the gauge finstream_ws_tail_lag_records.
func Tail(ctx context.Context, brokers []string, topic string, decode func([]byte) (event.BudgetUpdate, error), hub *Hub, opts ...kgo.Opt) error {
	base := []kgo.Opt{
		kgo.SeedBrokers(brokers...),
		kgo.ConsumeTopics(topic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtEnd()),
		kgo.FetchMaxWait(time.Second),
		kgo.MetadataMinAge(time.Second), // find new partitions soon
	}
	cl, err := kgo.NewClient(append(base, opts...)...)
	if err != nil {
		return fmt.Errorf("tail %s: %w", topic, err)
	}
	defer cl.Close()
	log := hub.cfg.Logger.With("topic", topic)
	log.Info("tailing budget updates")
	m := hub.metrics
	for {
		fetches := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			return nil
		}
		fetches.EachError(func(t string, p int32, err error) {
			log.Warn("fetch budget updates", "partition", p, "err", err)
		})
		fetches.EachPartition(func(p kgo.FetchTopicPartition) {
			for _, r := range p.Records {
				m.tailRecords.Inc()
				if r.Value == nil {
					continue
				}
				u, err := decode(r.Value)
				if err != nil {
					m.tailErrors.Inc()
					log.Warn("undecodable budget update skipped", "partition", r.Partition, "offset", r.Offset, "err", err)
					continue
				}
				hub.Publish(u)
			}
			if n := len(p.Records); n > 0 {
				m.lag(p.Partition).Set(float64(max(0, p.HighWatermark-p.Records[n-1].Offset-1)))
			}
		})
	}
}

// CodecDecoder adapts a codec whose Decode returns an event.BudgetUpdate
// (or a pointer to one), such as processors.Codecs.BudgetUpdates, to Tail's
// decode function.
func CodecDecoder(codec interface{ Decode([]byte) (any, error) }) func([]byte) (event.BudgetUpdate, error) {
	return func(b []byte) (event.BudgetUpdate, error) {
		v, err := codec.Decode(b)
		if err != nil {
			return event.BudgetUpdate{}, err
		}
		switch u := v.(type) {
		case event.BudgetUpdate:
			return u, nil
		case *event.BudgetUpdate:
			if u != nil {
				return *u, nil
			}
		}
		return event.BudgetUpdate{}, fmt.Errorf("decode budget update: codec returned %T", v)
	}
}
