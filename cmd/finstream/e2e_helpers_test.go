package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"finstream/api"
	"finstream/avro"
	"finstream/processors/event"
	"finstream/topics"
)

// binary is the finstream binary built once for the end-to-end tests.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "finstream-e2e")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "finstream")
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build finstream:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func freeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// node is one `finstream run` process with its addresses.
type node struct {
	t                        *testing.T
	dataDir                  string
	broker, registry, listen string
	ops                      string // --ops-listen
	// names is the generation the node's API reads (zero: the default),
	// for caughtUp and alerts.
	names  topics.Names
	cmd    *exec.Cmd
	log    *syncBuffer
	exited chan error
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func newNode(t *testing.T) *node {
	return &node{t: t, dataDir: t.TempDir(), broker: freeAddr(t), registry: freeAddr(t), listen: freeAddr(t), ops: freeAddr(t)}
}

// start runs `finstream run --dev` and waits until /readyz answers 200.
// The API's rate limits are off (the tests are one address acting as many
// users and poll); extra flags may turn them on again.
func (n *node) start(extra ...string) {
	n.t.Helper()
	args := append([]string{"run", "--dev", "--data-dir", n.dataDir, "--broker-listen", n.broker,
		"--registry-listen", n.registry, "--listen", n.listen, "--ops-listen", n.ops, "--rate-user", "-1", "--rate-ip", "-1"}, extra...)
	n.cmd = exec.Command(binary, args...)
	n.log = &syncBuffer{}
	n.cmd.Stdout, n.cmd.Stderr = n.log, n.log
	if err := n.cmd.Start(); err != nil {
		n.t.Fatal(err)
	}
	n.exited = make(chan error, 1)
	go func() { n.exited <- n.cmd.Wait() }()
	n.t.Cleanup(func() {
		n.stop()
		if n.t.Failed() {
			n.t.Logf("finstream log (warnings and errors):\n%s", problems(n.log.String()))
		}
	})
	waitOK(n.t, 60*time.Second, "finstream", "http://"+n.listen+"/readyz", n.exited, n.log)
}

// waitOK waits until url answers 200, failing at once when the process
// (exited) ends first.
func waitOK(t testing.TB, d time.Duration, what, url string, exited chan error, log fmt.Stringer) {
	t.Helper()
	waitFor(t, d, what+" ready", func() (bool, string) {
		select {
		case err := <-exited:
			exited <- err
			t.Fatalf("%s exited: %v\n%s", what, err, log)
		default:
		}
		resp, err := http.Get(url)
		if err != nil {
			return false, err.Error()
		}
		resp.Body.Close()
		return resp.StatusCode == 200, resp.Status
	})
}

// stop sends SIGTERM and waits for a clean exit.
func (n *node) stop() {
	if n.cmd == nil || n.cmd.Process == nil {
		return
	}
	_ = n.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-n.exited:
		if err != nil && !strings.Contains(err.Error(), "killed") {
			n.t.Errorf("finstream exit: %v\n%s", err, n.log)
		}
	case <-time.After(30 * time.Second):
		_ = n.cmd.Process.Kill()
		n.t.Errorf("finstream did not stop within 30s of SIGTERM\n%s", n.log)
	}
	n.cmd = nil
}

// kill sends SIGKILL (a crash).
func (n *node) kill() {
	_ = n.cmd.Process.Kill()
	<-n.exited
	n.cmd = nil
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t testing.TB, d time.Duration, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		ok, last := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s (last: %s)", d, what, last)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// call does an API request as user and decodes the JSON answer.
func (n *node) call(method, path, user, body string) (int, map[string]any) {
	n.t.Helper()
	req, _ := http.NewRequest(method, "http://"+n.listen+path, strings.NewReader(body))
	tok, err := api.Token([]byte(api.DevSecret), user, time.Now(), time.Hour)
	if err != nil {
		n.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		n.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	return resp.StatusCode, out
}

func (n *node) client() *kgo.Client {
	n.t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(n.broker))
	if err != nil {
		n.t.Fatal(err)
	}
	n.t.Cleanup(cl.Close)
	return cl
}

// produce writes raw records to a topic and waits for the acks.
func (n *node) produce(topic string, kv ...[2]string) {
	n.t.Helper()
	cl := n.client()
	for _, r := range kv {
		rec := &kgo.Record{Topic: topic, Key: []byte(r[0]), Value: []byte(r[1])}
		if err := cl.ProduceSync(context.Background(), rec).FirstErr(); err != nil {
			n.t.Fatal(err)
		}
	}
}

// generation is the node's generation of names.
func (n *node) generation() topics.Names { return n.names.OrDefault() }

// groupInputs are the input topics of each consumer group of the hot path
// and the assistant in the generation g.
func groupInputs(g topics.Names) map[string][]string {
	users := []string{g.TxnByUser, topics.CommandsUser}
	if g.SeparateUserCommands() {
		users = append(users, g.UserCommandsDerived)
	}
	return map[string][]string{
		g.GroupRekeyTxns:     {topics.CDCTransactions},
		g.GroupRekeyAccounts: {topics.CDCAccounts},
		g.GroupAccounts:      {g.AccountsByID, g.TxnByAccount},
		g.GroupTxns:          {g.TxnByID, topics.CommandsTxn},
		g.GroupUsers:         users,
		g.GroupShared:        {topics.CommandsShared, g.SharedSpend},
		g.GroupAssistant:     {topics.AssistantAudit},
	}
}

// caughtUp waits until every finstream group has committed every record of
// its inputs, twice in a row (an upstream group may still emit).
func (n *node) caughtUp(d time.Duration) {
	n.t.Helper()
	adm := kadm.NewClient(n.client())
	clean := 0
	waitFor(n.t, d, "consumer groups caught up", func() (bool, string) {
		ctx := context.Background()
		for g, ts := range groupInputs(n.generation()) {
			ends, err := adm.ListEndOffsets(ctx, ts...)
			if err != nil {
				return false, err.Error()
			}
			committed, err := adm.FetchOffsets(ctx, g)
			if err != nil {
				return false, err.Error()
			}
			lag := int64(0)
			ends.Each(func(o kadm.ListedOffset) {
				c, ok := committed.Lookup(o.Topic, o.Partition)
				at := int64(0)
				if ok {
					at = c.At
				}
				if o.Offset > at {
					lag += o.Offset - at
				}
			})
			if lag > 0 {
				clean = 0
				return false, fmt.Sprintf("group %s lag %d", g, lag)
			}
		}
		clean++
		return clean >= 2, "settling"
	})
}

// alerts reads every record of finstream.budget.alerts (of the node's
// generation).
func (n *node) alerts() []event.Alert {
	topic := n.generation().BudgetAlerts
	n.t.Helper()
	ctx := context.Background()
	reg, err := avro.NewClient("http://" + n.registry)
	if err != nil {
		n.t.Fatal(err)
	}
	codec, err := avro.NewCodec[event.Alert](ctx, reg, "finstream.budget.alerts-value")
	if err != nil {
		n.t.Fatal(err)
	}
	adm := kadm.NewClient(n.client())
	ends, err := adm.ListEndOffsets(ctx, topic)
	if err != nil {
		n.t.Fatal(err)
	}
	want := int64(0)
	ends.Each(func(o kadm.ListedOffset) { want += o.Offset })
	var out []event.Alert
	if want == 0 {
		return out
	}
	cl, err := kgo.NewClient(kgo.SeedBrokers(n.broker), kgo.ConsumeTopics(topic), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		n.t.Fatal(err)
	}
	defer cl.Close()
	fctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for int64(len(out)) < want {
		fs := cl.PollFetches(fctx)
		if err := fctx.Err(); err != nil {
			n.t.Fatalf("read alerts: got %d of %d: %v", len(out), want, err)
		}
		fs.EachRecord(func(r *kgo.Record) {
			a, err := codec.DecodeValue(r.Value)
			if err != nil {
				n.t.Fatalf("decode alert: %v", err)
			}
			out = append(out, a)
		})
	}
	return out
}

// problems keeps the log lines above info level, at most the last 60.
func problems(log string) string {
	var out []string
	for _, l := range strings.Split(log, "\n") {
		// goka's views log through goka's own logger: a partition that
		// fails and restarts says "Error while starting up".
		if strings.Contains(l, "level=WARN") || strings.Contains(l, "level=ERROR") || strings.Contains(l, "panic") ||
			strings.Contains(l, "Error while starting up") {
			out = append(out, l)
		}
	}
	if len(out) > 60 {
		out = out[len(out)-60:]
	}
	return strings.Join(out, "\n")
}
