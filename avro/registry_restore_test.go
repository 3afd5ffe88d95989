package avro

import (
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"testing"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sr"
)

// TestRegistryRestoresLog restores a log with the cases ids make hard: ids
// with gaps, one id under two subjects, a version number that was
// permanently deleted, soft and permanent deletes, and records to skip.
func TestRegistryRestoresLog(t *testing.T) {
	ctx := testContext(t)
	cluster := newCluster(t)
	brokers := cluster.ListenAddrs()

	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.DefaultProduceTopic(DefaultSchemasTopic))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	if _, err := kadm.NewClient(cl).CreateTopic(ctx, 1, -1, map[string]*string{"cleanup.policy": kadm.StringPtr("compact")}, DefaultSchemasTopic); err != nil {
		t.Fatal(err)
	}
	a, b, c, d := recordSchema("A", "x"), recordSchema("B", "y"), recordSchema("C", "z"), recordSchema("D", "w")
	value := func(subject string, version, id int, schema string, deleted bool) *kgo.Record {
		rec, err := schemaRecord(sr.SubjectSchema{Subject: subject, Version: version, ID: id, Schema: sr.Schema{Schema: schema}}, deleted)
		if err != nil {
			t.Fatal(err)
		}
		return rec
	}
	tombstone := func(subject string, version int) *kgo.Record {
		rec, err := tombstoneRecord(subject, version)
		if err != nil {
			t.Fatal(err)
		}
		return rec
	}
	recs := []*kgo.Record{
		{Key: []byte(`{"keytype":"NOOP","magic":0}`)},
		value("s1", 1, 5, a, false),
		value("s2", 1, 7, b, false),
		{Key: []byte(`{"keytype":"CONFIG","subject":"s2","magic":0}`), Value: []byte(`{"compatibilityLevel":"FULL"}`)},
		value("s2", 2, 11, d, false),
		value("s2", 3, 5, a, false), // id 5 again, after a version number that is gone
		value("s1", 2, 9, c, false),
		value("s1", 2, 9, c, true), // soft-deleted
		tombstone("s2", 2),         // permanently deleted
		{Key: []byte(`{"keytype":"SCHEMA","subject":"s9","version":1,"magic":1}`), Value: []byte(`not json`)},
		{Key: []byte(`garbage`), Value: []byte(`{}`)},
	}
	if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		t.Fatal(err)
	}

	s := serveRegistry(t, ctx, brokers)
	for id, want := range map[int]string{5: a, 7: b, 9: c} {
		got, err := s.client.SchemaByID(ctx, id)
		if err != nil || got != want {
			t.Fatalf("schema id %d = %q, %v; want %q", id, got, err, want)
		}
	}
	if _, err := s.client.SchemaByID(ctx, 11); err == nil {
		t.Fatal("permanently deleted id 11 still served")
	}
	ss, err := s.client.sr.SchemaByVersion(ctx, "s2", 3)
	if err != nil || ss.ID != 5 {
		t.Fatalf("s2 version 3 = id %d (%v), want 5", ss.ID, err)
	}
	versions := func(subject, query string) []int {
		t.Helper()
		resp, err := http.Get(s.srv.URL + "/subjects/" + subject + "/versions" + query)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		var vs []int
		if err := json.Unmarshal(body, &vs); err != nil {
			t.Fatalf("versions of %s: %s", subject, body)
		}
		return vs
	}
	if got := versions("s2", ""); !slices.Equal(got, []int{1, 3}) {
		t.Fatalf("s2 versions = %v, want [1 3]", got)
	}
	if got := versions("s1", ""); !slices.Equal(got, []int{1}) {
		t.Fatalf("s1 versions = %v, want [1] (2 is soft-deleted)", got)
	}
	if got := versions("s1", "?deleted=true"); !slices.Equal(got, []int{1, 2}) {
		t.Fatalf("s1 versions with deleted = %v, want [1 2]", got)
	}

	// Registrations go on from the restored state.
	if id := mustRegister(t, ctx, s.client, "s2", a); id != 5 {
		t.Fatalf("re-registering a under s2 gave id %d, want 5", id)
	}
	if id := mustRegister(t, ctx, s.client, "s4", b); id != 7 {
		t.Fatalf("registering b under a new subject gave id %d, want 7", id)
	}
	idE := mustRegister(t, ctx, s.client, "s4", recordSchema("E", "v"))
	if idE <= 9 {
		t.Fatalf("fresh schema got id %d, want one above the restored ids", idE)
	}
	ss, err = s.client.sr.SchemaByVersion(ctx, "s2", -1)
	if err != nil || ss.Version != 3 {
		t.Fatalf("s2 latest = version %d (%v), want 3", ss.Version, err)
	}
	if id := mustRegister(t, ctx, s.client, "s2", c); id != 9 {
		t.Fatalf("c under s2 got id %d, want 9", id)
	}
	if ss, err = s.client.sr.SchemaByVersion(ctx, "s2", -1); err != nil || ss.Version != 4 {
		t.Fatalf("new s2 version = %d (%v), want 4", ss.Version, err)
	}
}
