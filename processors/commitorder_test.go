package processors

import (
	"context"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/IBM/sarama"
)

// fakeSession records what reaches sarama's offset manager.
type fakeSession struct {
	sarama.ConsumerGroupSession // nil: only what is overridden is called
	ctx                         context.Context
	mu                          sync.Mutex
	marks                       []int64
}

func (s *fakeSession) Context() context.Context { return s.ctx }
func (s *fakeSession) MarkOffset(_ string, _ int32, offset int64, _ string) {
	s.mu.Lock()
	s.marks = append(s.marks, offset)
	s.mu.Unlock()
}

type fakeClaim struct {
	sarama.ConsumerGroupClaim
	ch chan *sarama.ConsumerMessage
}

func (c *fakeClaim) Messages() <-chan *sarama.ConsumerMessage { return c.ch }

// markingHandler stands for goka: it reads the claim and marks its records in
// the order given (acknowledgements that come back out of order).
type markingHandler struct {
	order []int64
	seen  []int64
}

func (h *markingHandler) Setup(sarama.ConsumerGroupSession) error   { return nil }
func (h *markingHandler) Cleanup(sarama.ConsumerGroupSession) error { return nil }
func (h *markingHandler) ConsumeClaim(s sarama.ConsumerGroupSession, c sarama.ConsumerGroupClaim) error {
	for m := range c.Messages() {
		h.seen = append(h.seen, m.Offset)
	}
	for _, o := range h.order {
		s.MarkMessage(&sarama.ConsumerMessage{Topic: "t", Partition: 3, Offset: o}, "")
	}
	return nil
}

func TestOrderedCommitsNeverPassARecordInFlight(t *testing.T) {
	for _, tc := range []struct {
		name      string
		delivered []int64
		order     []int64 // the order goka marks them in
		want      []int64 // what reaches sarama
	}{
		{"in order", []int64{10, 11, 12}, []int64{10, 11, 12}, []int64{11, 12, 13}},
		{"newest first", []int64{10, 11, 12}, []int64{12, 11, 10}, []int64{13}},
		{"one straggler", []int64{10, 11, 12, 13}, []int64{11, 12, 10, 13}, []int64{13, 14}},
		{"gaps (compaction)", []int64{10, 15, 20}, []int64{20, 10, 15}, []int64{11, 21}},
		{"the oldest never finishes", []int64{10, 11, 12}, []int64{11, 12}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			sess := &fakeSession{ctx: ctx}
			claim := &fakeClaim{ch: make(chan *sarama.ConsumerMessage, len(tc.delivered))}
			for _, o := range tc.delivered {
				claim.ch <- &sarama.ConsumerMessage{Topic: "t", Partition: 3, Offset: o}
			}
			close(claim.ch)
			h := &markingHandler{order: tc.order}
			oh := &orderedHandler{h: h, sessions: map[sarama.ConsumerGroupSession]*orderedSession{}}
			if err := oh.ConsumeClaim(sess, claim); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(h.seen, tc.delivered) {
				t.Fatalf("handler saw %v, want %v", h.seen, tc.delivered)
			}
			if !reflect.DeepEqual(sess.marks, tc.want) {
				t.Fatalf("committed marks %v, want %v", sess.marks, tc.want)
			}
		})
	}
}

// The consumed front of a partition that always has a record in flight is
// reclaimed: memory stays bounded however long it runs.
func TestInFlightReclaimsItsFront(t *testing.T) {
	f := &inFlight{done: map[int64]bool{}}
	f.add(0)
	for i := int64(1); i < 100_000; i++ {
		f.add(i)
		if c, ok := f.finish(i - 1); !ok || c != i {
			t.Fatalf("finish %d: commit %d %v, want %d", i-1, c, ok, i)
		}
	}
	if n := len(f.offsets) - f.head; n != 1 || len(f.done) != 0 || cap(f.offsets) > 10_000 {
		t.Fatalf("%d in flight (want 1), %d done left, capacity %d", n, len(f.done), cap(f.offsets))
	}
}
