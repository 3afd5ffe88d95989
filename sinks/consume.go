package sinks

import (
	"context"
	"errors"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// drainTimeout bounds the last writes and commits on shutdown.
const drainTimeout = 10 * time.Second

// pending is one batch: records in poll order and their rows. Once handed
// to a writer goroutine it is not touched by the consumer until done is
// closed; err then says whether it was written.
type pending struct {
	rows  Batch
	recs  []entry
	first time.Time // when the first record arrived
	done  chan struct{}
	err   error
}

type entry struct {
	rec  *kgo.Record
	dead bool // sent to finstream.dlq: it has no rows
}

// consume polls and batches records, hands due batches to at most Writers
// writer goroutines, and commits the batches' offsets in poll order as
// they are written, until ctx ends (then it drains) or a batch cannot be
// committed (the afterWrite hook).
func (s *Sink) consume(ctx context.Context, cl *kgo.Client) error {
	wctx, stopWriters := context.WithCancel(ctx)
	defer stopWriters()
	p := &pending{}
	var inflight []*pending
	fail := func(err error) error {
		stopWriters()
		for _, q := range inflight {
			<-q.done
		}
		return err
	}
	for {
		if err := s.commitWritten(ctx, cl, &inflight, false); err != nil {
			if ctx.Err() != nil {
				return s.drain(cl, append(inflight, p))
			}
			return fail(err)
		}
		if len(p.recs) > 0 && (p.rows.Len() >= s.cfg.BatchRows || time.Since(p.first) >= s.cfg.BatchDelay) {
			for len(inflight) >= s.cfg.Writers && ctx.Err() == nil {
				if err := s.commitWritten(ctx, cl, &inflight, true); err != nil {
					if ctx.Err() != nil {
						return s.drain(cl, append(inflight, p))
					}
					return fail(err)
				}
			}
			if ctx.Err() == nil {
				p.done = make(chan struct{})
				go func(p *pending) {
					defer close(p.done)
					p.err = s.flush(wctx, cl, p)
				}(p)
				inflight = append(inflight, p)
				p = &pending{}
			}
		}
		if ctx.Err() == nil {
			if err := s.poll(ctx, cl, p, len(inflight) > 0); err != nil && ctx.Err() == nil {
				return fail(err)
			}
		}
		if ctx.Err() != nil {
			return s.drain(cl, append(inflight, p))
		}
	}
}

// commitWritten commits the offsets of the written batches at the head of
// inflight, in order, and removes them. With wait it first waits for the
// head batch.
func (s *Sink) commitWritten(ctx context.Context, cl *kgo.Client, inflight *[]*pending, wait bool) error {
	for len(*inflight) > 0 {
		head := (*inflight)[0]
		if wait {
			<-head.done
			wait = false
		}
		select {
		case <-head.done:
		default:
			return nil
		}
		if head.err != nil {
			return head.err // only when ctx ended: the caller drains
		}
		if err := s.commit(ctx, cl, head); err != nil {
			return err
		}
		*inflight = (*inflight)[1:]
	}
	return nil
}

// commit commits the offsets of a written batch. One attempt: a failed
// commit (a rebalance, Kafka away) only means these records may be
// delivered again, which writes nothing new; the next commit covers them.
func (s *Sink) commit(ctx context.Context, cl *kgo.Client, p *pending) error {
	if s.afterWrite != nil {
		if err := s.afterWrite(); err != nil {
			return err
		}
	}
	recs := make([]*kgo.Record, len(p.recs))
	for i, e := range p.recs {
		recs[i] = e.rec
		s.m.Records.WithLabelValues(e.rec.Topic).Inc()
	}
	if err := cl.CommitRecords(ctx, recs...); err != nil && ctx.Err() == nil {
		s.log.Warn("sink: offset commit failed; records may be delivered again", "err", err)
	}
	return nil
}

// drain finishes on shutdown: in order, it waits for each batch, writes it
// again if its write was cut short, and commits it, while Postgres and
// Kafka answer within drainTimeout. From the first batch it cannot write
// on, nothing is committed: those records are delivered again on the next
// start.
func (s *Sink) drain(cl *kgo.Client, batches []*pending) error {
	ctx, cancel := context.WithTimeout(context.Background(), drainTimeout)
	defer cancel()
	for i, p := range batches {
		if p.done != nil {
			<-p.done
		} else if len(p.recs) == 0 {
			continue
		} else {
			p.err = errors.New("not written yet")
		}
		if p.err != nil {
			p.err = s.flush(ctx, cl, p)
		}
		if p.err == nil {
			p.err = s.commit(ctx, cl, p)
		}
		if p.err != nil {
			for _, q := range batches[i+1:] {
				if q.done != nil {
					<-q.done
				}
			}
			s.log.Warn("sink: batches not written on shutdown; they will be consumed again", "batches", len(batches)-i, "err", p.err)
			return nil
		}
	}
	return nil
}

// poll adds the records of one poll to p. While p holds records it waits
// at most until the batch is due; while batches are being written, at most
// BatchDelay, so their offsets are committed soon when the stream is idle.
func (s *Sink) poll(ctx context.Context, cl *kgo.Client, p *pending, writing bool) error {
	pctx := ctx
	var deadline time.Time
	switch {
	case len(p.recs) > 0:
		deadline = p.first.Add(s.cfg.BatchDelay)
	case writing:
		deadline = time.Now().Add(s.cfg.BatchDelay)
	}
	if !deadline.IsZero() {
		var cancel context.CancelFunc
		pctx, cancel = context.WithDeadline(ctx, deadline)
		defer cancel()
	}
	fetches := cl.PollRecords(pctx, max(s.cfg.BatchRows-p.rows.Len(), 1))
	if fetches.IsClientClosed() {
		return errors.New("sink: kafka client closed")
	}
	fetches.EachError(func(topic string, partition int32, err error) {
		if !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
			s.log.Warn("sink: fetch", "topic", topic, "partition", partition, "err", err)
		}
	})
	var err error
	fetches.EachRecord(func(r *kgo.Record) {
		if err == nil {
			err = s.add(ctx, cl, p, r)
		}
	})
	return err
}

// add decodes r into p. A record that cannot be decoded goes to the DLQ; a
// registry that cannot be reached is waited for. On error (ctx ended) r is
// not added, so no later offset of its partition is committed either.
func (s *Sink) add(ctx context.Context, cl *kgo.Client, p *pending, r *kgo.Record) error {
	dead := false
	if proj := s.byTopic[r.Topic]; proj != nil && r.Value != nil {
		err := s.retry(ctx, "decode", func(context.Context) error { return proj.Rows(r.Value, &p.rows) },
			func(err error) bool { return !registryUnreachable(err) })
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if err := s.dlq(ctx, cl, r, "undecodable", err); err != nil {
				return err
			}
			dead = true
		}
	}
	if len(p.recs) == 0 {
		p.first = time.Now()
	}
	p.recs = append(p.recs, entry{rec: r, dead: dead})
	return nil
}
