package deploy_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"finstream/sinks/pgtest"
	"finstream/topics"
)

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// Every finstream metric the Grafana dashboard and the alert rules use is
// exported on /metrics of a running finstream: `run` (every role in one
// process, on the embedded broker) with simulated traffic, the Postgres sink
// on a throwaway database and one undecodable CDC record (so the DLQ
// counters have a series).
func TestDashboardAndAlertMetricsAreExported(t *testing.T) {
	dbURL := pgtest.NewDatabase(t)
	used := usedMetrics(t)
	if len(used) < 10 {
		t.Fatalf("found only %d metric names in the dashboard and alerts: %v", len(used), used)
	}
	broker, ops := freeAddr(t), freeAddr(t)
	cmd := exec.Command(binary, "run", "--dev", "--data-dir", t.TempDir(), "--broker-listen", broker,
		"--registry-listen", freeAddr(t), "--listen", freeAddr(t), "--ops-listen", ops,
		"--database-url", dbURL, "--simulate", "300", "--simulate-users", "50", "--log-level", "warn")
	logPath := filepath.Join(t.TempDir(), "finstream.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	cmd.Stdout, cmd.Stderr = logFile, logFile
	log := func() string { b, _ := os.ReadFile(logPath); return string(b) }
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
		}
	})

	poisoned := false
	var missing []string
	deadline := time.Now().Add(2 * time.Minute)
	for {
		select {
		case err := <-exited:
			t.Fatalf("finstream run exited: %v\n%s", err, log())
		default:
		}
		page, err := scrape("http://" + ops + "/metrics")
		if err == nil {
			if !poisoned {
				poisoned = produceUndecodable(t, broker)
			}
			fams := families(page)
			missing = missing[:0]
			for name := range used {
				if !exported(fams, name) {
					missing = append(missing, name)
				}
			}
			if len(missing) == 0 {
				for _, old := range []string{"finstream_ws_messages_total", "finstream_ws_drops_total"} {
					if exported(fams, old) { // the names the dashboard used to query
						t.Errorf("%s is exported: the check cannot tell a missing metric", old)
					}
				}
				return
			}
		}
		if time.Now().After(deadline) {
			break
		}
		select {
		case <-time.After(500 * time.Millisecond): // poll interval of the condition, not a wait for it
		case err := <-exited:
			t.Fatalf("finstream run exited: %v\n%s", err, log())
		}
	}
	slices.Sort(missing)
	for _, m := range missing {
		t.Errorf("%s is used by %v but not exported by the roles", m, used[m])
	}
}

func scrape(url string) (string, error) {
	resp, err := http.Get(url)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return string(b), err
}

// produceUndecodable writes a record no CDC decoder accepts; false while the
// broker does not take it yet.
func produceUndecodable(t *testing.T, broker string) bool {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(broker))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	rec := &kgo.Record{Topic: topics.CDCTransactions, Key: []byte(`{"id":"bad-1"}`), Value: []byte("not a Debezium envelope")}
	return cl.ProduceSync(ctx, rec).FirstErr() == nil
}
