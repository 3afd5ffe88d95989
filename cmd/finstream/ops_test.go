package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"

	"finstream/avro"
	"finstream/processors"
	"finstream/topics"
)

// opsPaths are the ops surfaces: on --ops-listen only.
var opsPaths = []string{"/metrics", "/v1/ops/lag", "/ops"}

func httpGet(t testing.TB, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// checkListeners checks that public (empty: the role has none) answers 404
// for every ops path of want and 200 for the probes, and that ops serves
// want, /healthz and /readyz.
func checkListeners(t *testing.T, role, public, ops string, want ...string) {
	t.Helper()
	if public != "" {
		for _, p := range opsPaths {
			if code, body := httpGet(t, "http://"+public+p); code != http.StatusNotFound {
				t.Errorf("%s public GET %s: %d %.200s, want 404", role, p, code, body)
			}
		}
		for _, p := range []string{"/healthz", "/readyz"} {
			if code, body := httpGet(t, "http://"+public+p); code != http.StatusOK {
				t.Errorf("%s public GET %s: %d %.200s, want 200", role, p, code, body)
			}
		}
	}
	for _, p := range append([]string{"/healthz", "/readyz"}, want...) {
		if code, body := httpGet(t, "http://"+ops+p); code != http.StatusOK {
			t.Errorf("%s ops GET %s: %d %.200s, want 200", role, p, code, body)
		}
	}
	if _, body := httpGet(t, "http://"+ops+"/metrics"); !strings.Contains(body, "\nfinstream_ready 1\n") {
		t.Errorf("%s ops /metrics has no finstream_ready 1", role)
	}
}

// `run` serves the ops surfaces on --ops-listen and nowhere else.
func TestRunServesOpsOnOpsListener(t *testing.T) {
	n := newNode(t)
	n.start()
	// n.start waits for the API's readiness (its views); the ops /readyz
	// is the whole role's (its groups too), which may come later.
	waitOK(t, 60*time.Second, "run's groups", "http://"+n.ops+"/readyz", n.exited, n.log)
	checkListeners(t, "run", n.listen, n.ops, opsPaths...)
	// run's default soft memory limit is set (GOMEMLIMIT would win).
	if os.Getenv("GOMEMLIMIT") == "" {
		want, _ := parseMemoryLimit(DefaultRunMemoryLimit)
		if got := metricValue(t, n.ops, "go_gc_gomemlimit_bytes"); got != float64(want) {
			t.Errorf("run's go_gc_gomemlimit_bytes %v, want %d (%s)", got, want, DefaultRunMemoryLimit)
		}
	}
	if _, body := httpGet(t, "http://"+n.ops+"/v1/ops/lag"); !strings.Contains(body, `"groups"`) {
		t.Errorf("ops /v1/ops/lag: %.300s", body)
	}
}

// role is one role process of roleProcs.
type roleProc struct {
	name, public, ops string
	log               *syncBuffer
	cmd               *exec.Cmd
	exited            chan error
}

// startRole runs the binary with args plus --ops-listen (and --listen when
// public) and stops it with SIGTERM at cleanup.
func startRole(t testing.TB, name string, public bool, args ...string) *roleProc {
	t.Helper()
	listen := ""
	if public {
		listen = freeAddr(t)
	}
	return startRoleAt(t, name, freeAddr(t), listen, args...)
}

// startRoleAt is startRole on the given addresses (listen "" for a role
// without a public listener), for a role restarted where it was.
func startRoleAt(t testing.TB, name, ops, listen string, args ...string) *roleProc {
	t.Helper()
	p := &roleProc{name: name, ops: ops, public: listen, log: &syncBuffer{}, exited: make(chan error, 1)}
	args = append([]string{name, "--ops-listen", p.ops}, args...)
	if listen != "" {
		args = append(args, "--listen", p.public)
	}
	cmd := exec.Command(binary, args...)
	p.cmd = cmd
	cmd.Stdout, cmd.Stderr = p.log, p.log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-p.exited:
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			t.Errorf("%s did not stop within 30s of SIGTERM", name)
		}
		if t.Failed() {
			t.Logf("%s log:\n%s", name, problems(p.log.String()))
		}
	})
	return p
}

// waitReady waits until the role's ops /readyz answers 200.
func (p *roleProc) waitReady(t testing.TB) {
	t.Helper()
	waitOK(t, 90*time.Second, p.name, "http://"+p.ops+"/readyz", p.exited, p.log)
}

// startBareCluster is a 3-broker kfake cluster without any topic and an
// in-process schema registry on it; it returns the seed broker and the
// registry URL.
func startBareCluster(t *testing.T) (string, string) {
	t.Helper()
	c, err := kfake.NewCluster(kfake.NumBrokers(3))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	brokers := c.ListenAddrs()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// The registry's own log, as an operator's Schema Registry creates it.
	schemas := topics.Topic{Name: topics.Schemas, Partitions: 1, Compacted: true, Codec: topics.CodecJSON, RetentionMS: -1, RetentionBytes: -1}
	if err := topics.EnsureTopics(ctx, brokers, []topics.Topic{schemas}, 0); err != nil {
		t.Fatal(err)
	}
	reg, err := avro.NewRegistry(ctx, avro.RegistryConfig{Brokers: brokers})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(reg.Close)
	srv := httptest.NewServer(reg)
	t.Cleanup(srv.Close)
	return strings.Join(brokers, ","), srv.URL
}

// Every role runs against a bare 3-broker cluster as its own process: the
// processors role creates every topic, table and loop with replication
// min(3, brokers) = 3 (goka creates none), and each role serves its ops
// surfaces on --ops-listen only.
func TestRolesCreateTopicsAndServeOps(t *testing.T) {
	brokers, registry := startBareCluster(t)
	kafka := []string{"--brokers", brokers, "--registry", registry}

	out, err := exec.Command(binary, "topics", "--brokers", brokers).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "MISSING") {
		t.Fatalf("topics before any role: %v\n%s", err, out)
	}
	out, err = exec.Command(binary, "topics", "--brokers", brokers, "--create", "--replication-factor", "4").CombinedOutput()
	if err == nil || strings.Count(strings.TrimSpace(string(out)), "\n") != 0 || !strings.Contains(string(out), "replication factor 4") {
		t.Fatalf("topics --create --replication-factor 4 on 3 brokers: want one line and an error, got %v\n%s", err, out)
	}

	proc := startRole(t, "processors", false, append(kafka, "--data-dir", t.TempDir())...)
	proc.waitReady(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ds, err := topics.Describe(ctx, strings.Split(brokers, ","), topics.All(0), true)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		switch {
		case !d.Known:
			t.Errorf("topic %s exists but is not in topics.All (created by goka?)", d.Name)
		case !d.Exists:
			t.Errorf("topic %s missing after the processors role started", d.Name)
		case d.Replication != 3:
			t.Errorf("topic %s has replication %d, want min(3, brokers) = 3", d.Name, d.Replication)
		}
	}
	out, err = exec.Command(binary, "topics", "--brokers", brokers).CombinedOutput()
	if err != nil || strings.Contains(string(out), "MISSING") || !strings.Contains(string(out), topics.TableUsers) {
		t.Fatalf("topics after the processors role: %v\n%s", err, out)
	}

	apiRole := startRole(t, "api", true, append(kafka, "--dev")...)
	ws := startRole(t, "wsfanout", true, append(kafka, "--dev")...)
	sink := startRole(t, "sink", false, append(kafka, "--database-url", "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=1")...)
	brk := startRole(t, "broker", false, "--data-dir", t.TempDir(), "--broker-listen", freeAddr(t), "--registry-listen", freeAddr(t), "--ops-pprof")
	for _, p := range []*roleProc{apiRole, ws, sink, brk} {
		p.waitReady(t)
	}
	checkListeners(t, "processors", "", proc.ops, "/metrics")
	checkGroups(t, "processors", proc.ops, string(processors.GroupUsers), string(processors.GroupRekeyTxns))
	checkGroups(t, "api", apiRole.ops, "view:"+topics.TableUsers)
	checkGroups(t, "wsfanout", ws.ops, "view:"+topics.TableShared)
	checkListeners(t, "api", apiRole.public, apiRole.ops, opsPaths...)
	checkListeners(t, "wsfanout", ws.public, ws.ops, "/metrics")
	checkListeners(t, "sink", "", sink.ops, "/metrics")
	checkListeners(t, "broker", "", brk.ops, "/metrics", "/debug/pprof/", "/debug/pprof/heap")
	// Profiles only where --ops-pprof asks for them.
	if code, _ := httpGet(t, "http://"+proc.ops+"/debug/pprof/heap"); code != http.StatusNotFound {
		t.Errorf("processors without --ops-pprof: GET /debug/pprof/heap %d, want 404", code)
	}
}

// checkGroups checks that the ops /readyz of a role lists every group of
// want as ready with all 8 partitions (one instance owns them all).
func checkGroups(t *testing.T, role, ops string, want ...string) {
	t.Helper()
	code, body := httpGet(t, "http://"+ops+"/readyz")
	var b readyzBody
	if err := json.Unmarshal([]byte(body), &b); err != nil || code != http.StatusOK || b.Status != "ready" {
		t.Fatalf("%s /readyz: %d %s (%v)", role, code, body, err)
	}
	got := map[string]groupState{}
	for _, g := range b.Groups {
		got[g.Group] = g
	}
	for _, w := range want {
		if g, ok := got[w]; !ok || !g.Ready || g.Partitions != int(topics.DefaultPartitions) || g.Recovering != 0 {
			t.Errorf("%s /readyz: %s is %+v, want ready with %d partitions", role, w, g, topics.DefaultPartitions)
		}
	}
}

// metricValue is the value of the unlabelled metric name on ops /metrics.
func metricValue(t *testing.T, ops, name string) float64 {
	t.Helper()
	_, body := httpGet(t, "http://"+ops+"/metrics")
	for _, line := range strings.Split(body, "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("%s: %v", line, err)
			}
			return f
		}
	}
	t.Fatalf("ops /metrics has no %s", name)
	return 0
}
