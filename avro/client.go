package avro

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"

	"github.com/linkedin/goavro/v2"
	"github.com/twmb/franz-go/pkg/sr"
	"golang.org/x/sync/singleflight"
)

// ErrUnknownSchemaID reports a schema id the registry does not know. A record
// framed with such an id can never be decoded (send it to the DLQ), unlike a
// registry that cannot be reached, which is worth a retry.
var ErrUnknownSchemaID = errors.New("unknown schema id")

// Client is a schema-registry client with caches: registrations by (subject,
// schema), schemas and parsed codecs by id. Ids are immutable, so lookups by
// id are cached for the life of the Client; the registry is asked at most
// once per id even when many goroutines miss at the same time.
//
// A Client is safe for concurrent use.
type Client struct {
	sr *sr.Client

	mu      sync.RWMutex
	ids     map[registration]int
	schemas map[int]string
	codecs  map[int]*goavro.Codec

	fetch singleflight.Group
}

type registration struct{ subject, schema string }

// NewClient returns a Client for the registry at url (for example
// "http://127.0.0.1:8081"). opts are passed to sr.NewClient after
// sr.URLs(url), so they may add authentication, an http.Client (the default
// has a 5 s timeout) or further URLs.
func NewClient(url string, opts ...sr.ClientOpt) (*Client, error) {
	if url == "" {
		return nil, errors.New("schema registry client: empty URL")
	}
	cl, err := sr.NewClient(append([]sr.ClientOpt{sr.URLs(url)}, opts...)...)
	if err != nil {
		return nil, fmt.Errorf("schema registry client %s: %w", url, err)
	}
	return &Client{
		sr:      cl,
		ids:     make(map[registration]int),
		schemas: make(map[int]string),
		codecs:  make(map[int]*goavro.Codec),
	}, nil
}

// Register registers the Avro schema under subject and returns its id. It is
// idempotent: the registry returns the existing id for a schema it already
// holds, and this Client answers repeated calls from its cache.
func (c *Client) Register(ctx context.Context, subject, schema string) (int, error) {
	key := registration{subject, schema}
	c.mu.RLock()
	id, ok := c.ids[key]
	c.mu.RUnlock()
	if ok {
		return id, nil
	}
	id, err := c.sr.RegisterSchema(ctx, subject, sr.Schema{Schema: schema, Type: sr.TypeAvro}, -1, -1)
	if err != nil {
		return 0, fmt.Errorf("register schema under %q: %w", subject, err)
	}
	c.mu.Lock()
	c.ids[key] = id
	c.schemas[id] = schema
	c.mu.Unlock()
	return id, nil
}

// SchemaByID returns the text of the schema with the given id. An id the
// registry does not know yields an error wrapping ErrUnknownSchemaID.
func (c *Client) SchemaByID(ctx context.Context, id int) (string, error) {
	c.mu.RLock()
	s, ok := c.schemas[id]
	c.mu.RUnlock()
	if ok {
		return s, nil
	}
	v, err, _ := c.fetch.Do(strconv.Itoa(id), func() (any, error) {
		got, err := c.sr.SchemaByID(ctx, id)
		if err != nil {
			var re *sr.ResponseError
			if errors.As(err, &re) && (re.StatusCode == http.StatusNotFound || re.ErrorCode == sr.ErrSchemaNotFound.Code) {
				return nil, fmt.Errorf("schema id %d: %w", id, ErrUnknownSchemaID)
			}
			return nil, fmt.Errorf("fetch schema id %d: %w", id, err)
		}
		if got.Type != sr.TypeAvro {
			return nil, fmt.Errorf("schema id %d is %s, not AVRO", id, got.Type)
		}
		c.mu.Lock()
		c.schemas[id] = got.Schema
		c.mu.Unlock()
		return got.Schema, nil
	})
	if err != nil {
		return "", err
	}
	return v.(string), nil
}

// Codec returns the parsed goavro codec of the schema with the given id,
// fetching the schema on first use.
func (c *Client) Codec(ctx context.Context, id int) (*goavro.Codec, error) {
	c.mu.RLock()
	codec, ok := c.codecs[id]
	c.mu.RUnlock()
	if ok {
		return codec, nil
	}
	schema, err := c.SchemaByID(ctx, id)
	if err != nil {
		return nil, err
	}
	codec, err = goavro.NewCodec(schema)
	if err != nil {
		return nil, fmt.Errorf("parse schema id %d: %w", id, err)
	}
	c.mu.Lock()
	if existing, ok := c.codecs[id]; ok {
		codec = existing
	} else {
		c.codecs[id] = codec
	}
	c.mu.Unlock()
	return codec, nil
}
