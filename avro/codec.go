package avro

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"sync/atomic"
	"time"

	"github.com/linkedin/goavro/v2"
)

// fetchTimeout bounds a writer-schema fetch made from Decode, which has no
// context of its own.
const fetchTimeout = 10 * time.Second

// Codec encodes values of the struct type T as Confluent-framed Avro and
// decodes them back. It implements goka's Codec interface, so a goka group
// can use it for streams and tables.
//
// Encode writes with T's own schema (registered under the codec's subject).
// Decode reads the writer's schema id from the frame, fetches that schema
// from the registry once, resolves it against T once, and caches the plan:
// records written with an older or newer schema decode, fields the writer
// lacks take their zero values and fields T lacks are skipped.
//
// A Codec is safe for concurrent use.
type Codec[T any] struct {
	reg     *Client
	subject string
	id      int
	schema  string
	codec   *goavro.Codec
	model   *model
	hint    atomic.Int64 // size of the last encoded record, to size buffers
	natives sync.Pool    // *nativeTree: goavro native forms to reuse (encode.go)

	own     *readPlan  // the plan of id, T's own schema: most records' writer
	mu      sync.Mutex // serializes building a read plan, not using one
	readers sync.Map   // writer schema id → *readPlan
}

// nativeTree is the native form of the last value encoded with it, whose
// maps and slices the next encoding overwrites.
type nativeTree struct{ native any }

// readPlan decodes records written with one writer schema into T, or holds
// the reason it cannot (a writer schema T cannot read stays unreadable).
type readPlan struct {
	codec *goavro.Codec
	dec   decodeFn
	err   error
}

// NewCodec derives T's Avro schema (see SchemaOf), registers it under subject
// (for a topic's values, "<topic>-value") and returns a codec framing with
// the id the registry assigned.
func NewCodec[T any](ctx context.Context, reg *Client, subject string) (*Codec[T], error) {
	if reg == nil {
		return nil, errors.New("avro codec: nil registry client")
	}
	m, err := modelOf(reflect.TypeFor[T]())
	if err != nil {
		return nil, err
	}
	schema, err := schemaJSON(m)
	if err != nil {
		return nil, err
	}
	codec, err := goavro.NewCodec(schema)
	if err != nil {
		return nil, fmt.Errorf("avro codec %v: parse derived schema: %w", m.t, err)
	}
	id, err := reg.Register(ctx, subject, schema)
	if err != nil {
		return nil, fmt.Errorf("avro codec %v: %w", m.t, err)
	}
	c := &Codec[T]{reg: reg, subject: subject, id: id, schema: schema, codec: codec, model: m}
	c.hint.Store(128)
	if c.own, err = c.readPlanFor(ctx, id); err != nil {
		return nil, err
	}
	return c, nil
}

// SchemaID returns the registry id of T's schema, the id Encode frames with.
func (c *Codec[T]) SchemaID() int { return c.id }

// Subject returns the subject T's schema is registered under.
func (c *Codec[T]) Subject() string { return c.subject }

// Schema returns T's Avro schema as JSON.
func (c *Codec[T]) Schema() string { return c.schema }

// Encode encodes value, a T or a non-nil *T, as Confluent-framed Avro.
func (c *Codec[T]) Encode(value any) ([]byte, error) {
	switch v := value.(type) {
	case *T:
		if v == nil {
			return nil, fmt.Errorf("avro encode %v: nil pointer", c.model.t)
		}
		return c.encode(v)
	case T:
		return c.encode(&v)
	}
	return nil, fmt.Errorf("avro encode %v: got %T", c.model.t, value)
}

// EncodeValue is Encode for a *T, without the interface conversion.
func (c *Codec[T]) EncodeValue(v *T) ([]byte, error) {
	if v == nil {
		return nil, fmt.Errorf("avro encode %v: nil pointer", c.model.t)
	}
	return c.encode(v)
}

func (c *Codec[T]) encode(v *T) ([]byte, error) {
	tree, _ := c.natives.Get().(*nativeTree)
	if tree == nil {
		tree = new(nativeTree)
	}
	defer c.natives.Put(tree)
	native, err := c.model.enc(reflect.ValueOf(v).Elem(), tree.native)
	if err != nil {
		return nil, fmt.Errorf("avro encode %v: %w", c.model.t, err)
	}
	tree.native = native
	// The record is the caller's from here (goka's producer keeps it until
	// it is sent), so it gets a buffer of its own, sized by the last one.
	buf := appendHeader(make([]byte, 0, c.hint.Load()), c.id)
	buf, err = c.codec.BinaryFromNative(buf, native)
	if err != nil {
		return nil, fmt.Errorf("avro encode %v: %w", c.model.t, err)
	}
	c.hint.Store(int64(len(buf)))
	return buf, nil
}

// Decode decodes a Confluent-framed Avro record into a T (a value, not a
// pointer). Errors wrap ErrNotFramed for bytes without the frame and
// ErrUnknownSchemaID for an id the registry does not know.
func (c *Codec[T]) Decode(data []byte) (any, error) {
	v, err := c.DecodeValue(data)
	if err != nil {
		return nil, err
	}
	return v, nil
}

// DecodeValue is Decode returning a T, without the interface conversion.
func (c *Codec[T]) DecodeValue(data []byte) (T, error) {
	var out T
	id, payload, err := Unframe(data)
	if err != nil {
		return out, fmt.Errorf("avro decode %v: %w", c.model.t, err)
	}
	plan, err := c.readPlan(id)
	if err != nil {
		return out, fmt.Errorf("avro decode %v: %w", c.model.t, err)
	}
	native, rest, err := plan.codec.NativeFromBinary(payload)
	if err != nil {
		return out, fmt.Errorf("avro decode %v (schema id %d): %w", c.model.t, id, err)
	}
	if len(rest) != 0 {
		return out, fmt.Errorf("avro decode %v (schema id %d): %d trailing bytes", c.model.t, id, len(rest))
	}
	if err := plan.dec(native, reflect.ValueOf(&out).Elem()); err != nil {
		return out, fmt.Errorf("avro decode %v (schema id %d): %w", c.model.t, id, err)
	}
	return out, nil
}

func (c *Codec[T]) readPlan(id int) (*readPlan, error) {
	if id == c.id && c.own != nil {
		return c.own, c.own.err
	}
	if p, ok := c.readers.Load(id); ok {
		return p.(*readPlan), p.(*readPlan).err
	}
	ctx, cancel := context.WithTimeout(context.Background(), fetchTimeout)
	defer cancel()
	return c.readPlanFor(ctx, id)
}

// readPlanFor builds and caches the plan for writer schema id. Fetch failures
// are not cached (an unreachable registry is retried on the next record);
// a schema T cannot read is.
func (c *Codec[T]) readPlanFor(ctx context.Context, id int) (*readPlan, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if p, ok := c.readers.Load(id); ok {
		return p.(*readPlan), p.(*readPlan).err
	}
	codec, err := c.reg.Codec(ctx, id)
	if err != nil {
		return nil, err
	}
	schema, err := c.reg.SchemaByID(ctx, id)
	if err != nil {
		return nil, err
	}
	p := &readPlan{codec: codec}
	if fast, ok := readSchema(schema); ok {
		if fc, err := goavro.NewCodec(fast); err == nil {
			p.codec, schema = fc, fast
		}
	}
	w, err := parseWriter(schema)
	if err == nil {
		p.dec, err = buildDecoder(w, c.model)
	}
	if err != nil {
		p.err = fmt.Errorf("schema id %d is not readable as %v: %w", id, c.model.t, err)
	}
	c.readers.Store(id, p)
	return p, p.err
}
