package sinks

import (
	"context"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
)

// GroupLag returns, per topic, how many records group has not committed:
// the sum over partitions of the end offset minus the committed offset (the
// start offset where the group never committed). It works on Kafka and on
// kfake (OffsetFetch and ListOffsets only).
func GroupLag(ctx context.Context, adm *kadm.Client, group string, topics ...string) (map[string]int64, error) {
	ends, err := adm.ListEndOffsets(ctx, topics...)
	if err != nil {
		return nil, fmt.Errorf("lag of %s: end offsets: %w", group, err)
	}
	starts, err := adm.ListStartOffsets(ctx, topics...)
	if err != nil {
		return nil, fmt.Errorf("lag of %s: start offsets: %w", group, err)
	}
	committed, err := adm.FetchOffsetsForTopics(ctx, group, topics...)
	if err != nil {
		return nil, fmt.Errorf("lag of %s: committed offsets: %w", group, err)
	}
	lag := make(map[string]int64, len(topics))
	var perr error
	ends.Each(func(end kadm.ListedOffset) {
		if end.Err != nil {
			perr = fmt.Errorf("lag of %s: end offset of %s/%d: %w", group, end.Topic, end.Partition, end.Err)
			return
		}
		at := int64(0)
		if s, ok := starts.Lookup(end.Topic, end.Partition); ok && s.Err == nil {
			at = s.Offset
		}
		if c, ok := committed.Lookup(end.Topic, end.Partition); ok && c.Err == nil && c.At >= 0 {
			at = c.At
		}
		lag[end.Topic] += max(end.Offset-at, 0)
	})
	if perr != nil {
		return nil, perr
	}
	return lag, nil
}

// watchLag refreshes Metrics.Lag every LagInterval until ctx ends.
func (s *Sink) watchLag(ctx context.Context, adm *kadm.Client) {
	t := time.NewTicker(s.cfg.LagInterval)
	defer t.Stop()
	for {
		qctx, cancel := context.WithTimeout(ctx, max(s.cfg.LagInterval, time.Second))
		lag, err := GroupLag(qctx, adm, s.cfg.Group, s.topics...)
		cancel()
		if err == nil {
			for topic, n := range lag {
				s.m.Lag.WithLabelValues(topic).Set(float64(n))
			}
		} else if ctx.Err() == nil {
			s.log.Debug("sink: lag", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
