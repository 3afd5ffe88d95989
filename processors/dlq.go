package processors

import (
	"strconv"

	"github.com/lovoo/goka"
	"github.com/lovoo/goka/codec"
)

// Bounds of a finstream.dlq record, so that the DLQ record of any input can
// be produced: the key and the error header are cut, and an original value
// that would not fit under the producer's limit is cut to what fits (header
// value.truncated holds its full length).
const (
	maxDLQKeyBytes   = 256
	maxDLQErrorBytes = 1024
	dlqHeadroom      = 4096 // headers, record overhead
)

// dlqOutput is the output edge every group needs for the DLQ.
func dlqOutput(cfg *Config) goka.Edge {
	return goka.Output(goka.Stream(cfg.Topics.DLQ), new(codec.Bytes))
}

// DLQHeaders are the headers of a finstream.dlq record. The error is cut to
// a bounded length.
func DLQHeaders(reason string, err error, topic string, partition int32, offset int64) goka.Headers {
	msg := err.Error()
	if len(msg) > maxDLQErrorBytes {
		msg = msg[:maxDLQErrorBytes] + "..."
	}
	return goka.Headers{
		"error":            []byte(msg),
		"reason":           []byte(reason),
		"source.topic":     []byte(topic),
		"source.partition": []byte(strconv.Itoa(int(partition))),
		"source.offset":    []byte(strconv.FormatInt(offset, 10)),
	}
}

// sendDLQ writes value to finstream.dlq under the input's key with the
// reason and the input's position, within cfg.MaxMessageBytes (the producer's limit),
// and counts it in DLQ (reason, source topic). ctx must be a group with
// dlqOutput.
func sendDLQ(ctx goka.Context, m *Metrics, cfg *Config, value []byte, reason string, why error, extra goka.Headers) {
	topic := string(ctx.Topic())
	m.DLQ.WithLabelValues(reason, topic).Inc()
	h := DLQHeaders(reason, why, topic, ctx.Partition(), ctx.Offset())
	for k, v := range extra {
		h[k] = v
	}
	if fit := cfg.MaxMessageBytes - dlqHeadroom - maxDLQKeyBytes; len(value) > fit {
		h["value.truncated"] = []byte(strconv.Itoa(len(value)))
		value = value[:max(fit, 0)]
	}
	key := ctx.Key()
	if len(key) > maxDLQKeyBytes {
		key = key[:maxDLQKeyBytes]
	}
	ctx.Emit(goka.Stream(cfg.Topics.DLQ), key, value, goka.WithCtxEmitHeaders(h))
}
