package processors

import (
	"fmt"
	"reflect"

	"github.com/IBM/sarama"
	"github.com/lovoo/goka"
	"github.com/prometheus/client_golang/prometheus"
)

// Reasons a value a processor would write is refused (DLQ reason header,
// finstream_values_refused_total reason label).
const (
	ReasonOutputTooLarge = "output_too_large" // an output record over MaxMessageBytes
	ReasonStateTooLarge  = "state_too_large"  // a table value over MaxStateBytes
	ReasonEncodeFailed   = "encode_failed"    // the topic's codec cannot encode the value
	ReasonStateRefused   = "state_refused"    // an output of an input whose state was refused
)

// guard is every processor's context wrapper. It counts each input
// (Processed) and checks every value a callback writes before goka's
// producer sees it: goka stops the whole processor when an Emit or
// SetValue fails (encoding, or sarama's MaxMessageBytes), and the input,
// never committed, stops it again at every restart. A value that cannot be
// encoded or is too large is instead refused: not written, counted in
// Refused, and reported on finstream.dlq (empty value; headers reason,
// error, target.topic and the input's position). A refused table value
// also drops the input's other outputs, which describe a state that was not
// stored.
type guard struct {
	group     string
	m         *Metrics
	cfg       *Config
	edges     map[string]guardedEdge // output, loop and table topics
	loop      string
	table     string
	hasDLQ    bool
	processed map[string]prometheus.Counter
}

type guardedEdge struct {
	codec  goka.Codec // encodes the value
	passes bool       // the graph's codec takes encoded bytes as they are
}

func newGuard(gg *goka.GroupGraph, cfg *Config, m *Metrics) *guard {
	g := &guard{group: string(gg.Group()), m: m, cfg: cfg, edges: map[string]guardedEdge{}, processed: map[string]prometheus.Counter{}}
	add := func(e goka.Edge) {
		c, passes := e.Codec(), false
		if ec, ok := c.(encodedCodec); ok {
			c, passes = ec.inner, true
		}
		g.edges[e.Topic()] = guardedEdge{codec: c, passes: passes}
	}
	for _, e := range gg.OutputStreams() {
		add(e)
		g.hasDLQ = g.hasDLQ || e.Topic() == cfg.Topics.DLQ
	}
	if l := gg.LoopStream(); l != nil {
		add(l)
		g.loop = l.Topic()
		g.processed[l.Topic()] = m.Processed.WithLabelValues(g.group, l.Topic())
	}
	if t := gg.GroupTable(); t != nil {
		add(t)
		g.table = t.Topic()
	}
	for _, e := range gg.InputStreams() {
		g.processed[e.Topic()] = m.Processed.WithLabelValues(g.group, e.Topic())
	}
	return g
}

// option is the goka option that installs the guard.
func (g *guard) option() goka.ProcessorOption {
	return goka.WithContextWrapper(func(ctx goka.Context) goka.Context {
		if c := g.processed[string(ctx.Topic())]; c != nil {
			c.Inc()
		}
		return &guardedContext{gokaContext: ctx, g: g}
	})
}

// check encodes value for topic and returns what to hand to goka: the
// encoded bytes where the graph's codec passes them, else value. ok is
// false when the value was refused.
func (g *guard) check(ctx goka.Context, topic, key string, value any, limit int, tooLarge string) (any, bool) {
	e, known := g.edges[topic]
	if !known || value == nil {
		return value, true // goka reports an undeclared topic or nil itself
	}
	data, err := e.codec.Encode(value)
	if err != nil {
		// The cause may quote the value: it stays out of the header.
		g.refuse(ctx, topic, ReasonEncodeFailed, fmt.Errorf("cannot encode a %T for %s", value, topic))
		return nil, false
	}
	msg := sarama.ProducerMessage{Key: sarama.StringEncoder(key), Value: sarama.ByteEncoder(data)}
	if size := msg.ByteSize(2); size > limit {
		g.refuse(ctx, topic, tooLarge, fmt.Errorf("a record for %s of %d bytes (key %d, value %d) is over the limit of %d", topic, size, len(key), len(data), limit))
		return nil, false
	}
	if e.passes {
		return encoded(data), true
	}
	return value, true
}

// refuse reports a value that is not written.
func (g *guard) refuse(ctx goka.Context, topic, reason string, why error) {
	g.m.Refused.WithLabelValues(g.group, topic, reason).Inc()
	g.report(ctx, topic, reason, why, nil)
}

// report logs a refused value or input (never its content: a decoder's
// error may quote the record, so it goes to the DLQ header only, next to
// the original bytes) and sends it to finstream.dlq with a target.topic
// header.
func (g *guard) report(ctx goka.Context, topic, reason string, why error, value []byte) {
	logged := any(why)
	if reason == ReasonUndecodable {
		logged = "see the DLQ record"
	}
	g.cfg.Logger.Warn("record refused", "group", g.group, "target", topic, "reason", reason, "err", logged,
		"source_topic", string(ctx.Topic()), "source_partition", ctx.Partition(), "source_offset", ctx.Offset())
	if g.hasDLQ {
		sendDLQ(ctx, g.m, g.cfg, value, reason, why, goka.Headers{"target.topic": []byte(topic)})
	} else {
		g.m.DLQ.WithLabelValues(reason, string(ctx.Topic())).Inc()
	}
}

// gokaContext names the embedded goka.Context (its own field name, Context,
// would hide the Context method).
type gokaContext = goka.Context

// guardedContext is a goka.Context whose writes the guard checks.
type guardedContext struct {
	gokaContext
	g       *guard
	refused bool // a table value of this input was refused
}

// Emit checks the value, then emits it. finstream.dlq records are bounded
// by sendDLQ and pass unchecked.
func (c *guardedContext) Emit(topic goka.Stream, key string, value any, opts ...goka.ContextOption) {
	if string(topic) == c.g.cfg.Topics.DLQ {
		c.gokaContext.Emit(topic, key, value, opts...)
		return
	}
	if v, ok := c.allowed(string(topic), key, value, c.g.cfg.MaxMessageBytes, ReasonOutputTooLarge); ok {
		c.gokaContext.Emit(topic, key, v, opts...)
	}
}

// Loopback checks the value, then loops it back.
func (c *guardedContext) Loopback(key string, value any, opts ...goka.ContextOption) {
	if v, ok := c.allowed(c.g.loop, key, value, c.g.cfg.MaxMessageBytes, ReasonOutputTooLarge); ok {
		c.gokaContext.Loopback(key, v, opts...)
	}
}

// SetValue checks the value against MaxStateBytes (and MaxMessageBytes: it
// is produced to the changelog), then stores it.
func (c *guardedContext) SetValue(value any, opts ...goka.ContextOption) {
	limit := min(c.g.cfg.MaxStateBytes, c.g.cfg.MaxMessageBytes)
	if v, ok := c.allowed(c.g.table, c.Key(), value, limit, ReasonStateTooLarge); ok {
		c.gokaContext.SetValue(v, opts...)
		return
	}
	c.refused = true
}

func (c *guardedContext) allowed(topic, key string, value any, limit int, tooLarge string) (any, bool) {
	if c.refused {
		c.g.m.Refused.WithLabelValues(c.g.group, topic, ReasonStateRefused).Inc()
		return nil, false
	}
	return c.g.check(c.gokaContext, topic, key, value, limit, tooLarge)
}

// encoded is a value the guard encoded already.
type encoded []byte

// encodedCodec is a graph codec that takes encoded values as they are, so
// the guard's check does not cost a second encoding. Decode is inner's;
// a tolerant one (an input's, see input) returns an undecodable value
// instead of an error.
type encodedCodec struct {
	inner    goka.Codec
	tolerant bool
}

func (c encodedCodec) Encode(value any) ([]byte, error) {
	if b, ok := value.(encoded); ok {
		return b, nil
	}
	return c.inner.Encode(value)
}

func (c encodedCodec) Decode(data []byte) (any, error) {
	v, err := c.inner.Decode(data)
	if err != nil && c.tolerant {
		return undecodable{raw: data, err: err}, nil
	}
	return v, err
}

var codecType = reflect.TypeFor[goka.Codec]()

// passingEncoded returns a copy of c whose codecs (Copilot's included) are
// encodedCodecs. Calling it again changes nothing.
func (c *Codecs) passingEncoded() *Codecs {
	if c == nil {
		return nil
	}
	out := *c
	wrapCodecFields(reflect.ValueOf(&out).Elem())
	if c.Copilot != nil {
		cp := *c.Copilot
		wrapCodecFields(reflect.ValueOf(&cp).Elem())
		out.Copilot = &cp
	}
	return &out
}

func wrapCodecFields(v reflect.Value) {
	for i := range v.NumField() {
		f := v.Field(i)
		if f.Type() != codecType || f.IsNil() {
			continue
		}
		if _, done := f.Interface().(encodedCodec); !done {
			f.Set(reflect.ValueOf(goka.Codec(encodedCodec{inner: f.Interface().(goka.Codec)})))
		}
	}
}
