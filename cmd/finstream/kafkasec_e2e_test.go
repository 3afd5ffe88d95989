package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"finstream/kafkasec"
	"finstream/kafkasec/kafkasectest"
	"finstream/sinks/pgtest"
)

// Every role runs against an embedded broker that accepts SASL_SSL only
// (TLS with a throwaway CA; SCRAM and PLAIN) and a schema registry behind
// basic auth, each role as its own process with a different mechanism:
// CDC from `simulate` reaches the API and Postgres, and `lag` and `topics`
// read the cluster. Clients without TLS, without SASL, with a wrong
// password, trusting another CA or with a wrong registry password exit
// non-zero with a one-line reason.
func TestEveryRoleOnSASLSSLOnly(t *testing.T) {
	files := kafkasectest.WriteCerts(t, t.TempDir())
	t.Setenv(kafkasec.PasswordEnv, "s3cret-kafka")
	t.Setenv(envRegistryPassword, "s3cret-registry")
	db := pgtest.NewServer(t).URL("postgres")

	brokerAddr, regAddr := freeAddr(t), freeAddr(t)
	brk := startRole(t, "broker", false, "--data-dir", t.TempDir(), "--broker-listen", brokerAddr, "--registry-listen", regAddr,
		"--broker-tls-cert", files.Cert, "--broker-tls-key", files.Key, "--broker-sasl-user", "fin", "--registry-user", "reg")
	brk.waitReady(t)
	if !strings.Contains(brk.log.String(), "security=SASL_SSL") {
		t.Fatalf("broker log does not say SASL_SSL:\n%s", brk.log)
	}
	secure := func(mechanism string) []string {
		return []string{"--brokers", brokerAddr, "--kafka-tls-ca", files.CA, "--kafka-sasl-mechanism", mechanism, "--kafka-sasl-user", "fin"}
	}
	role := func(mechanism string) []string {
		return append(secure(mechanism), "--registry", "http://"+regAddr, "--registry-user", "reg")
	}

	proc := startRole(t, "processors", false, append(role(kafkasec.ScramSHA256), "--data-dir", t.TempDir())...)
	apiRole := startRole(t, "api", true, append(role(kafkasec.Plain), "--dev", "--rate-user", "-1", "--rate-ip", "-1")...)
	ws := startRole(t, "wsfanout", true, append(role(kafkasec.ScramSHA512), "--dev")...)
	sink := startRole(t, "sink", false, append(role(kafkasec.ScramSHA512), "--database-url", db)...)
	for _, p := range []*roleProc{proc, apiRole, ws, sink} {
		p.waitReady(t)
	}

	truthPath := filepath.Join(t.TempDir(), "truth.json")
	if out, err := exec.Command(binary, append([]string{"simulate"}, append(role(kafkasec.Plain),
		"--users", "20", "--count", "1500", "--rate", "0", "--seed", "7", "--foreign-zone-frac", "0", "--truth-out", truthPath)...)...).CombinedOutput(); err != nil {
		t.Fatalf("simulate: %v\n%s", err, out)
	}
	truth := readTruth(t, truthPath)

	// CDC reaches the API: every user's spend per period and category.
	n := &node{t: t, listen: apiRole.public}
	type key struct{ u, p string }
	want := map[key]map[string]int64{}
	truth.Each(func(u, p, c string, v int64) {
		k := key{u, p}
		if want[k] == nil {
			want[k] = map[string]int64{}
		}
		want[k][c] = v
	})
	if len(want) == 0 {
		t.Fatal("empty truth")
	}
	waitFor(t, 90*time.Second, "API spending equal to the truth", func() (bool, string) {
		for k, cats := range want {
			got := spendingOf(t, n, k.u, k.p)
			for c, v := range cats {
				if got[c] != v {
					return false, fmt.Sprintf("%s %s %s: %d, want %d", k.u, k.p, c, got[c], v)
				}
			}
		}
		return true, ""
	})

	// And Postgres, through the sink.
	pool, err := pgxpool.New(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	waitFor(t, 60*time.Second, "transactions in Postgres", func() (bool, string) {
		var rows int64
		if err := pool.QueryRow(context.Background(), "SELECT count(*) FROM transactions").Scan(&rows); err != nil {
			return false, err.Error()
		}
		return rows > 0, fmt.Sprint(rows, " rows")
	})

	// lag and topics read the secured cluster.
	out, err := exec.Command(binary, append([]string{"lag", "--samples", "2", "--interval", "200ms"}, secure(kafkasec.ScramSHA512)...)...).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "finstream-users") || !strings.Contains(string(out), "finstream-sink") {
		t.Fatalf("lag: %v\n%s", err, out)
	}
	out, err = exec.Command(binary, append([]string{"topics"}, secure(kafkasec.Plain)...)...).CombinedOutput()
	if err != nil || strings.Contains(string(out), "MISSING") || !strings.Contains(string(out), "finstream-users-table") {
		t.Fatalf("topics: %v\n%s", err, out)
	}

	// Clients that cannot connect say why, in one line, and exit non-zero.
	tlsOnly := []string{"--brokers", brokerAddr, "--kafka-tls-ca", files.CA}
	for _, c := range []struct {
		name string
		env  []string
		args []string
		want string
	}{
		{"no TLS", nil, []string{"topics", "--brokers", brokerAddr}, "is TLS missing?"},
		{"no SASL", nil, append([]string{"topics"}, tlsOnly...), "is SASL missing?"},
		{"wrong password", []string{kafkasec.PasswordEnv + "=guess"}, append([]string{"lag", "--samples", "2"}, secure(kafkasec.ScramSHA256)...), "or its password wrong?"},
		{"wrong PLAIN password", []string{kafkasec.PasswordEnv + "=guess"},
			append([]string{"processors", "--data-dir", t.TempDir()}, role(kafkasec.Plain)...), "or its password wrong?"},
		{"wrong password, producer", []string{kafkasec.PasswordEnv + "=guess"},
			append([]string{"simulate", "--count", "10"}, role(kafkasec.ScramSHA512)...), "or its password wrong?"},
		{"untrusted CA", nil, []string{"topics", "--brokers", brokerAddr, "--kafka-tls-ca", files.OtherCA,
			"--kafka-sasl-mechanism", kafkasec.ScramSHA256, "--kafka-sasl-user", "fin"}, "certificate signed by unknown authority"},
		{"wrong registry password", []string{envRegistryPassword + "=guess"}, append([]string{"api", "--dev"}, role(kafkasec.ScramSHA256)...),
			"schema registry refused the credentials (401)"},
		{"no registry user", nil, append([]string{"sink", "--database-url", db, "--registry", "http://" + regAddr}, secure(kafkasec.ScramSHA256)...),
			"schema registry refused the credentials (401)"},
		{"SASL user without password", []string{kafkasec.PasswordEnv + "="}, append([]string{"topics"}, secure(kafkasec.Plain)...),
			"needs a password in " + kafkasec.PasswordEnv},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, binary, c.args...)
			cmd.Env = append(os.Environ(), c.env...)
			out, err := cmd.CombinedOutput()
			lines := strings.Split(strings.TrimSpace(string(out)), "\n")
			last := lines[len(lines)-1]
			if err == nil || ctx.Err() != nil || cmd.ProcessState.ExitCode() <= 0 {
				t.Fatalf("%v: exit %v (ctx %v), want a non-zero exit\n%s", c.args, err, ctx.Err(), out)
			}
			if !strings.Contains(last, c.want) || !strings.HasPrefix(last, "finstream "+c.args[0]+": ") {
				t.Fatalf("last line %q, want the reason %q\n%s", last, c.want, out)
			}
		})
	}
}

// `finstream run` with its embedded broker on SASL_SSL and its registry
// behind basic auth: its own parts connect as the broker's superuser
// (trusting its certificate), simulated CDC reaches the API, and an outside
// client without TLS is refused.
func TestRunOnSASLSSLBroker(t *testing.T) {
	files := kafkasectest.WriteCerts(t, t.TempDir())
	t.Setenv(kafkasec.PasswordEnv, "s3cret-kafka")
	t.Setenv(envRegistryPassword, "s3cret-registry")
	n := newNode(t)
	n.start("--broker-tls-cert", files.Cert, "--broker-tls-key", files.Key, "--broker-sasl-user", "fin", "--registry-user", "reg",
		"--simulate", "500", "--simulate-users", "20")
	waitFor(t, 60*time.Second, "a simulated user with spend", func() (bool, string) {
		for i := 1; i <= 20; i++ {
			if code, body := n.call("GET", "/v1/me/spending", fmt.Sprintf("USR-%06d", i), ""); code == 200 && len(body["spending"].([]any)) > 0 {
				return true, ""
			}
		}
		return false, "no spend yet"
	})
	out, err := exec.Command(binary, "topics", "--brokers", n.broker).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "is TLS missing?") {
		t.Fatalf("topics without TLS: %v\n%s", err, out)
	}
	out, err = exec.Command(binary, "topics", "--brokers", n.broker, "--kafka-tls-ca", files.CA,
		"--kafka-sasl-mechanism", kafkasec.ScramSHA512, "--kafka-sasl-user", "fin").CombinedOutput()
	if err != nil || strings.Contains(string(out), "MISSING") {
		t.Fatalf("topics with TLS and SASL: %v\n%s", err, out)
	}
}
