package avro

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sr"
)

// The records of the _schemas topic, shaped as Confluent Schema Registry
// writes them, so that the log reads the same to either.
type (
	// logKey is the key of every record. A SCHEMA key names one subject
	// version; compaction keeps its last value (a null value, a tombstone,
	// is a permanent delete). NOOP keys mark a position in the log.
	logKey struct {
		KeyType string `json:"keytype"`
		Subject string `json:"subject,omitempty"`
		Version int    `json:"version,omitempty"`
		Magic   int    `json:"magic"`
	}

	// logValue is the value of a SCHEMA key.
	logValue struct {
		Subject    string               `json:"subject"`
		Version    int                  `json:"version"`
		ID         int                  `json:"id"`
		SchemaType sr.SchemaType        `json:"schemaType,omitempty"`
		References []sr.SchemaReference `json:"references,omitempty"`
		Metadata   *sr.SchemaMetadata   `json:"metadata,omitempty"`
		RuleSet    *sr.SchemaRuleSet    `json:"ruleSet,omitempty"`
		Schema     string               `json:"schema"`
		Deleted    bool                 `json:"deleted"`
	}
)

const (
	keySchema = "SCHEMA"
	keyNoop   = "NOOP"
)

type subjectVersion struct {
	subject string
	version int
}

// durable is what the log holds for one subject version.
type durable struct {
	id      int
	deleted bool
}

func schemaRecord(ss sr.SubjectSchema, deleted bool) (*kgo.Record, error) {
	key, err := json.Marshal(logKey{KeyType: keySchema, Subject: ss.Subject, Version: ss.Version, Magic: 1})
	if err != nil {
		return nil, err
	}
	value, err := json.Marshal(logValue{
		Subject: ss.Subject, Version: ss.Version, ID: ss.ID,
		SchemaType: ss.Type, References: ss.References,
		Metadata: ss.SchemaMetadata, RuleSet: ss.SchemaRuleSet,
		Schema: ss.Schema.Schema, Deleted: deleted,
	})
	if err != nil {
		return nil, err
	}
	return &kgo.Record{Key: key, Value: value}, nil
}

func tombstoneRecord(subject string, version int) (*kgo.Record, error) {
	key, err := json.Marshal(logKey{KeyType: keySchema, Subject: subject, Version: version, Magic: 1})
	if err != nil {
		return nil, err
	}
	return &kgo.Record{Key: key}, nil
}

// write appends records to the log and waits until the broker acknowledged
// all of them (acks=all). It does not give up when the caller's request is
// cancelled, so that memory and log do not drift apart on a client timeout.
func (r *Registry) write(ctx context.Context, recs ...*kgo.Record) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), produceTimeout)
	defer cancel()
	for _, rec := range recs {
		rec.Topic, rec.Partition = r.topic, 0
	}
	if err := r.kc.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		return fmt.Errorf("write %s: %w", r.topic, err)
	}
	return nil
}

// ensureTopic creates the log topic (1 partition, compacted) if it is missing
// and checks an existing one has exactly 1 partition: the log's order is
// what makes ids reproducible.
func (r *Registry) ensureTopic(ctx context.Context) error {
	adm := kadm.NewClient(r.kc)
	configs := map[string]*string{"cleanup.policy": kadm.StringPtr("compact")}
	_, err := adm.CreateTopic(ctx, 1, -1, configs, r.topic)
	if err == nil {
		r.log.Info("created schema log topic", "topic", r.topic)
		return nil
	}
	if !errors.Is(err, kerr.TopicAlreadyExists) {
		return fmt.Errorf("create topic %s: %w", r.topic, err)
	}
	topics, err := adm.ListTopics(ctx, r.topic)
	if err != nil {
		return fmt.Errorf("describe topic %s: %w", r.topic, err)
	}
	td := topics[r.topic]
	if td.Err != nil {
		return fmt.Errorf("describe topic %s: %w", r.topic, td.Err)
	}
	if n := len(td.Partitions); n != 1 {
		return fmt.Errorf("topic %s has %d partitions, the schema log needs exactly 1", r.topic, n)
	}
	if rcs, err := adm.DescribeTopicConfigs(ctx, r.topic); err == nil {
		if rc, err := rcs.On(r.topic, nil); err == nil {
			for _, c := range rc.Configs {
				if c.Key == "cleanup.policy" && c.Value != nil && *c.Value != "compact" {
					r.log.Warn("schema log topic is not compacted", "topic", r.topic, "cleanup.policy", *c.Value)
				}
			}
		}
	}
	return nil
}

// readLog marks the end of the log with a NOOP record, then reads the log
// from the beginning through that mark, keeping the last value of every
// SCHEMA key (as compaction would). Marking the end, as Confluent Schema
// Registry does, makes the read stop at a record that exists whatever
// compaction removed before it.
func (r *Registry) readLog(ctx context.Context, seeds []string, opts []kgo.Opt) (map[subjectVersion]*logValue, error) {
	noop, err := json.Marshal(logKey{KeyType: keyNoop})
	if err != nil {
		return nil, err
	}
	mark := &kgo.Record{Key: noop}
	if err := r.write(ctx, mark); err != nil {
		return nil, fmt.Errorf("mark end of %s: %w", r.topic, err)
	}
	cl, err := kgo.NewClient(append([]kgo.Opt{
		kgo.SeedBrokers(seeds...),
		kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{r.topic: {0: kgo.NewOffset().AtStart()}}),
	}, opts...)...)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", r.topic, err)
	}
	defer cl.Close()

	state := make(map[subjectVersion]*logValue)
	for {
		fetches := cl.PollFetches(ctx)
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("read %s: %w", r.topic, err)
		}
		for _, fe := range fetches.Errors() {
			if !kerr.IsRetriable(fe.Err) {
				return nil, fmt.Errorf("read %s: %w", r.topic, fe.Err)
			}
		}
		done := false
		fetches.EachRecord(func(rec *kgo.Record) {
			if rec.Offset > mark.Offset {
				return
			}
			r.applyLogRecord(state, rec)
			done = done || rec.Offset == mark.Offset
		})
		if done {
			return state, nil
		}
	}
}

// applyLogRecord folds one log record into state. Records this registry
// does not write (other key types, malformed records) are skipped.
func (r *Registry) applyLogRecord(state map[subjectVersion]*logValue, rec *kgo.Record) {
	var key logKey
	if err := json.Unmarshal(rec.Key, &key); err != nil {
		r.log.Warn("skipping schema log record with malformed key", "offset", rec.Offset, "err", err)
		return
	}
	if key.KeyType != keySchema {
		return // NOOP, and CONFIG, MODE, ... which this registry does not keep
	}
	sv := subjectVersion{key.Subject, key.Version}
	if rec.Value == nil {
		delete(state, sv)
		return
	}
	var v logValue
	if err := json.Unmarshal(rec.Value, &v); err != nil || v.Subject != key.Subject || v.Version != key.Version || v.ID <= 0 || v.Version <= 0 {
		r.log.Warn("skipping malformed schema log record", "offset", rec.Offset, "subject", key.Subject, "version", key.Version, "err", err)
		return
	}
	state[sv] = &v
}
