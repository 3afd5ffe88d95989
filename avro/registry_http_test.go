package avro

import (
	"bytes"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"
	"github.com/twmb/franz-go/pkg/sr"
)

func TestRegistryConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		cfg  RegistryConfig
		ok   bool
	}{
		{"minimal", RegistryConfig{Brokers: []string{"127.0.0.1:9092"}}, true},
		{"custom topic", RegistryConfig{Brokers: []string{"b:9092"}, Topic: "finstream._schemas-1"}, true},
		{"no brokers", RegistryConfig{}, false},
		{"empty broker", RegistryConfig{Brokers: []string{""}}, false},
		{"bad topic", RegistryConfig{Brokers: []string{"b:9092"}, Topic: "a/b"}, false},
		{"dot topic", RegistryConfig{Brokers: []string{"b:9092"}, Topic: ".."}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.cfg.Validate(); (err == nil) != tt.ok {
				t.Fatalf("Validate() = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

func TestRegistryRefusesWhatItCannotKeep(t *testing.T) {
	ctx := testContext(t)
	cluster := newCluster(t)
	s := serveRegistry(t, ctx, cluster.ListenAddrs())

	tests := []struct {
		name, method, path, body string
		status                   int
	}{
		{"config write", http.MethodPut, "/config", `{"compatibility":"NONE"}`, http.StatusMethodNotAllowed},
		{"mode write", http.MethodPut, "/mode/s", `{"mode":"READONLY"}`, http.StatusMethodNotAllowed},
		{"context registration", http.MethodPost, "/contexts/.x/subjects/s/versions", `{"schema":"\"string\""}`, http.StatusMethodNotAllowed},
		{"invalid avro", http.MethodPost, "/subjects/s/versions", `{"schema":"{\"type\":\"record\"}"}`, http.StatusUnprocessableEntity},
		{"not json", http.MethodPost, "/subjects/s/versions", `{`, http.StatusUnprocessableEntity},
		{"bad version", http.MethodDelete, "/subjects/s/versions/latest", ``, http.StatusBadRequest},
		{"unknown id", http.MethodGet, "/schemas/ids/99", ``, http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequestWithContext(ctx, tt.method, s.srv.URL+tt.path, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.status {
				t.Fatalf("%s %s = %d, want %d", tt.method, tt.path, resp.StatusCode, tt.status)
			}
		})
	}
	if got, err := s.client.sr.Subjects(ctx); err != nil || len(got) != 0 {
		t.Fatalf("subjects after refused writes = %v, %v; want none", got, err)
	}
}

// TestRegistryRollsBackUnpersisted fails one write to the log: the client
// gets an error and the registry does not keep what the log does not hold.
func TestRegistryRollsBackUnpersisted(t *testing.T) {
	ctx := testContext(t)
	cluster := newCluster(t)
	brokers := cluster.ListenAddrs()
	s := serveRegistry(t, ctx, brokers)

	cluster.ControlKey(int16(kmsg.Produce), func(req kmsg.Request) (kmsg.Response, error, bool) {
		preq := req.(*kmsg.ProduceRequest)
		resp := preq.ResponseKind().(*kmsg.ProduceResponse)
		for _, rt := range preq.Topics {
			st := kmsg.NewProduceResponseTopic()
			st.Topic, st.TopicID = rt.Topic, rt.TopicID
			for _, rp := range rt.Partitions {
				sp := kmsg.NewProduceResponseTopicPartition()
				sp.Partition = rp.Partition
				sp.ErrorCode = kerr.InvalidRecord.Code
				st.Partitions = append(st.Partitions, sp)
			}
			resp.Topics = append(resp.Topics, st)
		}
		return resp, nil, true
	})
	a := recordSchema("A", "x")
	_, err := s.client.Register(ctx, "s", a)
	var re *sr.ResponseError
	if !errors.As(err, &re) || re.StatusCode != http.StatusInternalServerError {
		t.Fatalf("register with a failing log = %v, want a 500", err)
	}
	if _, err := s.client.sr.SchemaByVersion(ctx, "s", -1); err == nil {
		t.Fatal("the unpersisted version is still served")
	}

	id := mustRegister(t, ctx, s.client, "s", a) // the log works again
	s.close()
	again := serveRegistry(t, ctx, brokers)
	if got := mustRegister(t, ctx, again.client, "s", a); got != id {
		t.Fatalf("after restart id %d, want %d", got, id)
	}
	if ss, err := again.client.sr.SchemaByVersion(ctx, "s", -1); err != nil || ss.ID != id {
		t.Fatalf("latest after restart = %+v, %v", ss, err)
	}
}

func TestRegistryDeletesSurviveRestart(t *testing.T) {
	ctx := testContext(t)
	cluster := newCluster(t)
	brokers := cluster.ListenAddrs()
	s := serveRegistry(t, ctx, brokers)

	a, b, c := recordSchema("A", "x"), recordSchema("B", "y"), recordSchema("C", "z")
	idA := mustRegister(t, ctx, s.client, "s", a)
	mustRegister(t, ctx, s.client, "s", b)
	mustRegister(t, ctx, s.client, "gone", c)
	if err := s.client.sr.DeleteSchema(ctx, "s", 1, sr.SoftDelete); err != nil {
		t.Fatal(err)
	}
	if _, err := s.client.sr.DeleteSubject(ctx, "gone", sr.HardDelete); err != nil {
		t.Fatal(err)
	}
	s.close()

	again := serveRegistry(t, ctx, brokers)
	vs, err := again.client.sr.SubjectVersions(ctx, "s")
	if err != nil || !slices.Equal(vs, []int{2}) {
		t.Fatalf("versions of s = %v, %v; want [2]", vs, err)
	}
	if got, err := again.client.SchemaByID(ctx, idA); err != nil || got != a {
		t.Fatalf("soft-deleted schema by id = %q, %v", got, err)
	}
	if _, err := again.client.sr.SubjectVersions(ctx, "gone"); err == nil {
		t.Fatal("permanently deleted subject came back")
	}
	// Re-registering the soft-deleted schema makes a new version with its id.
	if id := mustRegister(t, ctx, again.client, "s", a); id != idA {
		t.Fatalf("re-registered a got id %d, want %d", id, idA)
	}
	if vs, _ := again.client.sr.SubjectVersions(ctx, "s"); !slices.Equal(vs, []int{2, 3}) {
		t.Fatalf("versions of s = %v, want [2 3]", vs)
	}
}

func TestRegistryServesCodecs(t *testing.T) {
	ctx := testContext(t)
	cluster := newCluster(t)
	s := serveRegistry(t, ctx, cluster.ListenAddrs())
	codec, err := NewCodec[Example](ctx, s.client, "finstream.example-value")
	if err != nil {
		t.Fatal(err)
	}
	want := fullExample()
	b, err := codec.Encode(want)
	if err != nil {
		t.Fatal(err)
	}
	// A fresh client (empty caches) fetches the writer schema by id.
	fresh, err := NewClient(s.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	reader, err := NewCodec[Example](ctx, fresh, "finstream.example-value")
	if err != nil {
		t.Fatal(err)
	}
	got, err := reader.DecodeValue(b)
	if err != nil {
		t.Fatal(err)
	}
	normalizeTimes(&want)
	if gotB, wantB := mustJSON(t, got), mustJSON(t, want); !bytes.Equal(gotB, wantB) {
		t.Fatalf("got %s\nwant %s", gotB, wantB)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := JSONCodec[Example]{}.Encode(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRegistryConcurrentRegistrations(t *testing.T) {
	ctx := testContext(t)
	cluster := newCluster(t)
	brokers := cluster.ListenAddrs()
	s := serveRegistry(t, ctx, brokers)

	const n = 8
	ids := make([][2]int, n)
	errs := make(chan error, 2*n)
	done := make(chan struct{})
	for i := range n {
		go func() {
			defer func() { done <- struct{}{} }()
			for j, schema := range []string{recordSchema("Shared", "x"), recordSchema("Own"+strconv.Itoa(i), "x")} {
				id, err := s.client.Register(ctx, "s"+strconv.Itoa(i%2), schema)
				errs <- err
				ids[i][j] = id
			}
		}()
	}
	for range n {
		<-done
	}
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	seen := make(map[int]int)
	for i := range n {
		if ids[i][0] != ids[0][0] {
			t.Fatalf("the shared schema got ids %d and %d", ids[0][0], ids[i][0])
		}
		if j, dup := seen[ids[i][1]]; dup {
			t.Fatalf("schemas %d and %d share id %d", i, j, ids[i][1])
		}
		seen[ids[i][1]] = i
	}
	s.close()
	again := serveRegistry(t, ctx, brokers)
	for i := range n {
		if id := mustRegister(t, ctx, again.client, "s"+strconv.Itoa(i%2), recordSchema("Own"+strconv.Itoa(i), "x")); id != ids[i][1] {
			t.Fatalf("schema %d after restart: id %d, want %d", i, id, ids[i][1])
		}
	}
}
