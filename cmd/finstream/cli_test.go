package main

import (
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"
)

func TestCommandLine(t *testing.T) {
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no command", nil, 2, "Usage: finstream <command>"},
		{"unknown command", []string{"nope"}, 2, `unknown command "nope"`},
		{"help", []string{"run", "-h"}, 0, "--simulate"},
		{"unknown flag", []string{"run", "--nope"}, 2, "flag provided but not defined: -nope"},
		{"bad listen address", []string{"run", "--dev", "--listen", "nowhere"}, 2, "--listen"},
		{"no secret without --dev", []string{"api"}, 2, "FINSTREAM_JWT_SECRET"},
		{"bad JWKS URL", []string{"api", "--jwks-url", "ftp://idp/jwks"}, 2, "JWKS URL"},
		{"negative token lifetime", []string{"wsfanout", "--dev", "--jwt-max-lifetime", "-1h"}, 2, "negative duration"},
		{"negative rate", []string{"run", "--dev", "--simulate", "-5"}, 2, "--simulate"},
		{"simulate bad fraction", []string{"simulate", "--dup-frac", "2"}, 2, "dup"},
		{"positional argument", []string{"broker", "extra"}, 2, `unexpected argument "extra"`},
		{"help of every role", []string{"processors", "-h"}, 0, "--brokers"},
		{"help of topics", []string{"topics", "-h"}, 0, "--replication-factor"},
		{"ops listen in help", []string{"wsfanout", "-h"}, 0, "--ops-listen"},
		{"bad replication factor", []string{"processors", "--replication-factor", "-1"}, 2, "--replication-factor"},
		{"TLS cert without key", []string{"topics", "--kafka-tls-cert", "c.pem"}, 2, "--kafka-tls-cert needs --kafka-tls-key"},
		{"unknown SASL mechanism", []string{"lag", "--kafka-sasl-mechanism", "GSSAPI", "--kafka-sasl-user", "u"}, 2, "want PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512"},
		{"SASL user without password", []string{"simulate", "--kafka-sasl-mechanism", "PLAIN", "--kafka-sasl-user", "u"}, 2, "needs a password in FINSTREAM_KAFKA_SASL_PASSWORD"},
		{"broker SASL without password", []string{"broker", "--broker-sasl-user", "u"}, 2, "needs a password in FINSTREAM_KAFKA_SASL_PASSWORD"},
		{"registry user without password", []string{"api", "--dev", "--registry-user", "u"}, 2, "needs a password in FINSTREAM_REGISTRY_PASSWORD"},
		{"bad ops listen address", []string{"sink", "--database-url", "postgres://x@y/z", "--ops-listen", "nowhere"}, 2, "--ops-listen"},
		{"bad memory limit", []string{"run", "--dev", "--memory-limit", "384MB"}, 2, `--memory-limit "384MB"`},
		{"bad memory limit of processors", []string{"processors", "--memory-limit", "lots"}, 2, `--memory-limit "lots"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cmd := exec.Command(binary, c.args...)
			cmd.Env = append(cmd.Environ(), "FINSTREAM_JWT_SECRET=", "FINSTREAM_KAFKA_SASL_PASSWORD=", "FINSTREAM_REGISTRY_PASSWORD=")
			out, err := cmd.CombinedOutput()
			code := 0
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != c.code || !strings.Contains(string(out), c.want) {
				t.Fatalf("exit %d, want %d; output:\n%s\nwant it to contain %q", code, c.code, out, c.want)
			}
			if c.code == 2 && c.args != nil && c.name != "unknown command" && c.name != "unknown flag" {
				if lines := strings.Count(strings.TrimSpace(string(out)), "\n"); lines != 0 {
					t.Fatalf("bad config should be one line, got:\n%s", out)
				}
			}
		})
	}
}

// `finstream run --simulate` serves budgets for simulated users: the demo
// budgets appear and simulated spend reaches them.
func TestRunWithSimulationServesBudgets(t *testing.T) {
	n := newNode(t)
	started := time.Now()
	n.start("--simulate", "500", "--simulate-users", "50")
	waitFor(t, 60*time.Second, "a simulated user with budgets and spend", func() (bool, string) {
		for i := 1; i <= 50; i++ {
			code, body := n.call("GET", "/v1/me/budgets", fmt.Sprintf("USR-%06d", i), "")
			if code != 200 {
				return false, fmt.Sprint(code)
			}
			for _, b := range body["budgets"].([]any) {
				if b.(map[string]any)["spent_minor"].(float64) > 0 {
					return true, ""
				}
			}
		}
		return false, "no simulated spend on a budget yet"
	})
	t.Logf("first simulated budget with spend served %.1fs after start", time.Since(started).Seconds())
}
