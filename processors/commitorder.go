package processors

import (
	"context"
	"sync"

	"github.com/IBM/sarama"
	"github.com/lovoo/goka"
)

// orderedCommits wraps goka's consumer group so that a partition's offset is
// committed only up to its oldest record whose processing has not finished.
//
// goka marks a record's offset (offset+1) as soon as all that record's emits
// are acknowledged, and acknowledgements come back in any order: a record
// whose only emit goes to a fast output partition is marked before an older
// record still waiting on a slower one. sarama's offset manager keeps the
// highest offset marked, so it could commit past the older record; a crash
// then (kill -9) skips it for good, and its outputs are lost. Here a mark is
// held back until every older record of the partition is marked too.
func orderedCommits(b goka.ConsumerGroupBuilder) goka.ConsumerGroupBuilder {
	return func(brokers []string, group, clientID string) (sarama.ConsumerGroup, error) {
		cg, err := b(brokers, group, clientID)
		if err != nil {
			return nil, err
		}
		return &orderedGroup{ConsumerGroup: cg}, nil
	}
}

type orderedGroup struct{ sarama.ConsumerGroup }

func (g *orderedGroup) Consume(ctx context.Context, topics []string, h sarama.ConsumerGroupHandler) error {
	return g.ConsumerGroup.Consume(ctx, topics, &orderedHandler{h: h, sessions: map[sarama.ConsumerGroupSession]*orderedSession{}})
}

// orderedHandler hands goka a session whose marks are held in order, and
// claims whose records are registered as in flight before goka sees them.
type orderedHandler struct {
	h        sarama.ConsumerGroupHandler
	mu       sync.Mutex
	sessions map[sarama.ConsumerGroupSession]*orderedSession
}

func (o *orderedHandler) session(s sarama.ConsumerGroupSession) *orderedSession {
	o.mu.Lock()
	defer o.mu.Unlock()
	w, ok := o.sessions[s]
	if !ok {
		w = &orderedSession{ConsumerGroupSession: s, parts: map[topicPartition]*inFlight{}}
		o.sessions[s] = w
	}
	return w
}

func (o *orderedHandler) Setup(s sarama.ConsumerGroupSession) error { return o.h.Setup(o.session(s)) }

func (o *orderedHandler) Cleanup(s sarama.ConsumerGroupSession) error {
	err := o.h.Cleanup(o.session(s))
	o.mu.Lock()
	delete(o.sessions, s)
	o.mu.Unlock()
	return err
}

func (o *orderedHandler) ConsumeClaim(s sarama.ConsumerGroupSession, c sarama.ConsumerGroupClaim) error {
	w := o.session(s)
	ch := make(chan *sarama.ConsumerMessage, cap(c.Messages()))
	go func() {
		defer close(ch)
		for msg := range c.Messages() {
			w.delivered(msg.Topic, msg.Partition, msg.Offset)
			select {
			case ch <- msg:
			case <-s.Context().Done():
				return // sarama drains the claim itself
			}
		}
	}()
	return o.h.ConsumeClaim(w, &orderedClaim{ConsumerGroupClaim: c, ch: ch})
}

type orderedClaim struct {
	sarama.ConsumerGroupClaim
	ch chan *sarama.ConsumerMessage
}

func (c *orderedClaim) Messages() <-chan *sarama.ConsumerMessage { return c.ch }

type topicPartition struct {
	topic     string
	partition int32
}

// orderedSession forwards a partition's mark only up to the oldest record
// delivered and not yet marked.
type orderedSession struct {
	sarama.ConsumerGroupSession
	mu    sync.Mutex
	parts map[topicPartition]*inFlight
}

func (w *orderedSession) delivered(topic string, partition int32, offset int64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	tp := topicPartition{topic, partition}
	f := w.parts[tp]
	if f == nil {
		f = &inFlight{done: map[int64]bool{}}
		w.parts[tp] = f
	}
	f.add(offset)
}

// MarkOffset takes goka's mark of the record at next-1 and forwards the
// offset after the longest run of finished records from the oldest.
func (w *orderedSession) MarkOffset(topic string, partition int32, next int64, metadata string) {
	w.mu.Lock()
	f := w.parts[topicPartition{topic, partition}]
	if f == nil { // not delivered through this session: nothing to order
		w.mu.Unlock()
		w.ConsumerGroupSession.MarkOffset(topic, partition, next, metadata)
		return
	}
	commit, ok := f.finish(next - 1)
	w.mu.Unlock()
	if ok {
		w.ConsumerGroupSession.MarkOffset(topic, partition, commit, metadata)
	}
}

func (w *orderedSession) MarkMessage(msg *sarama.ConsumerMessage, metadata string) {
	w.MarkOffset(msg.Topic, msg.Partition, msg.Offset+1, metadata)
}

// inFlight are a partition's delivered offsets, oldest first, and which of
// them have finished.
type inFlight struct {
	offsets []int64
	head    int
	done    map[int64]bool
}

func (f *inFlight) add(offset int64) {
	if f.head > 0 && f.head == len(f.offsets) {
		f.offsets, f.head = f.offsets[:0], 0
	}
	f.offsets = append(f.offsets, offset)
}

// finish records that the record at offset finished and returns the offset
// to commit (the one after the newest record of the finished run from the
// oldest) when that run grew.
func (f *inFlight) finish(offset int64) (int64, bool) {
	if f.head == len(f.offsets) || offset < f.offsets[f.head] {
		return 0, false // not in flight (already committed)
	}
	f.done[offset] = true
	commit, ok := int64(0), false
	for f.head < len(f.offsets) && f.done[f.offsets[f.head]] {
		delete(f.done, f.offsets[f.head])
		commit, ok = f.offsets[f.head]+1, true
		f.head++
	}
	if f.head > 4096 && f.head*2 > len(f.offsets) { // reclaim the consumed front
		n := copy(f.offsets, f.offsets[f.head:])
		f.offsets, f.head = f.offsets[:n], 0
	}
	return commit, ok
}
