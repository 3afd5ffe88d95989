package sinks

import (
	"context"
	"errors"
	"net"
	"net/url"
	"strconv"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sr"

	"finstream/avro"
)

// flush writes p's rows in one transaction, retrying while Postgres fails
// (it returns an error only when ctx ends). When Postgres rejects the
// batch's data, it writes record by record and sends the rejected records
// to the DLQ.
func (s *Sink) flush(ctx context.Context, cl *kgo.Client, p *pending) error {
	start := time.Now()
	err := s.retry(ctx, "write", func(ctx context.Context) error { return s.write(ctx, &p.rows) }, Rejected)
	if Rejected(err) {
		s.log.Warn("sink: batch rejected; writing its records one by one", "records", len(p.recs), "err", err)
		err = s.isolate(ctx, cl, p)
	}
	if err != nil {
		return err
	}
	s.m.DBUp.Set(1)
	s.m.BatchDur.Observe(time.Since(start).Seconds())
	s.m.Batches.Inc()
	for t, rows := range p.rows.rows {
		if len(rows) > 0 {
			s.m.Rows.WithLabelValues(t).Add(float64(len(rows)))
		}
	}
	return nil
}

// write makes one attempt to write b, within WriteTimeout.
func (s *Sink) write(ctx context.Context, b *Batch) error {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.WriteTimeout)
	defer cancel()
	return s.writer.Write(ctx, b)
}

// isolate writes each live record of p in its own transaction and sends
// the records whose rows Postgres rejects to the DLQ.
func (s *Sink) isolate(ctx context.Context, cl *kgo.Client, p *pending) error {
	var one Batch
	for _, e := range p.recs {
		if e.dead || e.rec.Value == nil {
			continue
		}
		one.Reset()
		if err := s.byTopic[e.rec.Topic].Rows(e.rec.Value, &one); err != nil {
			return err // decoded before, so the registry is away: retry the batch later
		}
		err := s.retry(ctx, "write", func(ctx context.Context) error { return s.write(ctx, &one) }, Rejected)
		if Rejected(err) {
			err = s.dlq(ctx, cl, e.rec, "rejected", err)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// dlq sends r's original bytes to finstream.dlq with the headers the
// processors use (error, reason, source.topic/partition/offset), retrying
// while Kafka fails.
func (s *Sink) dlq(ctx context.Context, cl *kgo.Client, r *kgo.Record, reason string, cause error) error {
	s.log.Warn("sink: record to dlq", "reason", reason, "topic", r.Topic, "partition", r.Partition, "offset", r.Offset, "err", cause)
	out := &kgo.Record{Topic: s.cfg.DLQ, Key: r.Key, Value: r.Value, Headers: []kgo.RecordHeader{
		{Key: "error", Value: []byte(cause.Error())},
		{Key: "reason", Value: []byte(reason)},
		{Key: "source.topic", Value: []byte(r.Topic)},
		{Key: "source.partition", Value: []byte(strconv.Itoa(int(r.Partition)))},
		{Key: "source.offset", Value: []byte(strconv.FormatInt(r.Offset, 10))},
	}}
	err := s.retry(ctx, "dlq", func(ctx context.Context) error { return cl.ProduceSync(ctx, out).FirstErr() },
		func(error) bool { return false })
	if err == nil {
		s.m.DLQ.WithLabelValues(reason, r.Topic).Inc()
	}
	return err
}

// registryUnreachable reports whether a decode failed because the schema
// registry could not be asked (worth waiting for), rather than because the
// record is bad.
func registryUnreachable(err error) bool {
	if errors.Is(err, avro.ErrUnknownSchemaID) || errors.Is(err, avro.ErrNotFramed) {
		return false
	}
	var ue *url.Error
	var ne net.Error
	var re *sr.ResponseError
	return errors.As(err, &ue) || errors.As(err, &ne) || (errors.As(err, &re) && re.StatusCode >= 500)
}
