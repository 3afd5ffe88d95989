package avro

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
)

func testContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func newCluster(t *testing.T, opts ...kfake.Opt) *kfake.Cluster {
	t.Helper()
	c, err := kfake.NewCluster(append([]kfake.Opt{kfake.NumBrokers(1)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close) // registered before any registry's, so it runs after them
	return c
}

// served is a Registry served over real HTTP, with a Client talking to it.
type served struct {
	reg    *Registry
	srv    *httptest.Server
	client *Client
}

func serveRegistry(t *testing.T, ctx context.Context, brokers []string) *served {
	t.Helper()
	reg, err := NewRegistry(ctx, RegistryConfig{Brokers: brokers})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(reg)
	client, err := NewClient(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	s := &served{reg: reg, srv: srv, client: client}
	t.Cleanup(s.close)
	return s
}

func (s *served) close() {
	s.srv.Close()
	s.reg.Close()
}

func mustRegister(t *testing.T, ctx context.Context, c *Client, subject, schema string) int {
	t.Helper()
	id, err := c.Register(ctx, subject, schema)
	if err != nil {
		t.Fatalf("register %s: %v", subject, err)
	}
	return id
}

func recordSchema(name string, fields ...string) string {
	fs := make([]map[string]string, 0, len(fields))
	for _, f := range fields {
		fs = append(fs, map[string]string{"name": f, "type": "string"})
	}
	b, _ := json.Marshal(map[string]any{"type": "record", "name": name, "namespace": "test", "fields": fs})
	return string(b)
}

func endOffset(t *testing.T, ctx context.Context, brokers []string, topic string) int64 {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	offs, err := kadm.NewClient(cl).ListEndOffsets(ctx, topic)
	if err != nil {
		t.Fatal(err)
	}
	o, ok := offs.Lookup(topic, 0)
	if !ok || o.Err != nil {
		t.Fatalf("end offset of %s: %v", topic, o.Err)
	}
	return o.Offset
}

func TestRegistrySurvivesRestart(t *testing.T) {
	ctx := testContext(t)
	dir := t.TempDir()
	cluster := newCluster(t, kfake.DataDir(dir))
	brokers := cluster.ListenAddrs()

	a, b, c := recordSchema("A", "x"), recordSchema("B", "y"), recordSchema("C", "z")
	first := serveRegistry(t, ctx, brokers)
	ids := map[string]int{
		"s1/a": mustRegister(t, ctx, first.client, "s1", a),
		"s1/b": mustRegister(t, ctx, first.client, "s1", b),
		"s2/c": mustRegister(t, ctx, first.client, "s2", c),
		"s3/a": mustRegister(t, ctx, first.client, "s3", a), // same schema, same id
	}
	if ids["s1/a"] != ids["s3/a"] {
		t.Fatalf("one schema under two subjects got ids %d and %d", ids["s1/a"], ids["s3/a"])
	}
	if ids["s1/a"] == ids["s1/b"] || ids["s1/b"] == ids["s2/c"] || ids["s1/a"] == ids["s2/c"] {
		t.Fatalf("distinct schemas share ids: %v", ids)
	}
	first.close()

	// Same broker, new registry: every id and version is back.
	second := serveRegistry(t, ctx, brokers)
	before := endOffset(t, ctx, brokers, DefaultSchemasTopic)
	check := func(s *served) {
		t.Helper()
		for key, schema := range map[string]string{"s1/a": a, "s1/b": b, "s2/c": c, "s3/a": a} {
			got, err := s.client.SchemaByID(ctx, ids[key])
			if err != nil || got != schema {
				t.Fatalf("schema id %d after restart = %q, %v; want %q", ids[key], got, err, schema)
			}
			subject := key[:2]
			if id := mustRegister(t, ctx, s.client, subject, schema); id != ids[key] {
				t.Fatalf("re-registering %s after restart gave id %d, want %d", key, id, ids[key])
			}
		}
		latest, err := s.client.sr.SchemaByVersion(ctx, "s1", -1)
		if err != nil || latest.Version != 2 || latest.ID != ids["s1/b"] {
			t.Fatalf("s1 latest = version %d id %d (%v), want version 2 id %d", latest.Version, latest.ID, err, ids["s1/b"])
		}
	}
	check(second)
	if after := endOffset(t, ctx, brokers, DefaultSchemasTopic); after != before {
		t.Fatalf("re-registering known schemas wrote %d records", after-before)
	}

	d := recordSchema("D", "w")
	idD := mustRegister(t, ctx, second.client, "s4", d)
	for key, id := range ids {
		if idD <= id {
			t.Fatalf("fresh schema got id %d, not above %s's %d", idD, key, id)
		}
	}
	second.close()

	// The broker restarts too, from its data directory.
	cluster.Close()
	cluster = newCluster(t, kfake.DataDir(dir))
	third := serveRegistry(t, ctx, cluster.ListenAddrs())
	check(third)
	if id := mustRegister(t, ctx, third.client, "s4", d); id != idD {
		t.Fatalf("D after broker restart: id %d, want %d", id, idD)
	}
}
