package kafkasec

import (
	"context"
	"crypto/tls"
	"strings"
	"testing"
	"time"

	"github.com/IBM/sarama"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"

	"finstream/kafkasec/kafkasectest"
)

func TestValidateNamesTheFlagAtFault(t *testing.T) {
	files := kafkasectest.WriteCerts(t, t.TempDir())
	for _, c := range []struct {
		name string
		cfg  Config
		want string // "" means valid
	}{
		{"plaintext", Config{}, ""},
		{"tls with the system roots", Config{TLS: true}, ""},
		{"tls with a CA", Config{CAFile: files.CA}, ""},
		{"mutual tls", Config{CAFile: files.CA, CertFile: files.Cert, KeyFile: files.Key}, ""},
		{"scram, any case", Config{Mechanism: "scram-sha-512", User: "u", Password: "p"}, ""},
		{"cert without key", Config{CertFile: files.Cert}, "--kafka-tls-cert needs --kafka-tls-key"},
		{"key without cert", Config{KeyFile: files.Key}, "--kafka-tls-key needs --kafka-tls-cert"},
		{"missing CA file", Config{CAFile: files.CA + ".missing"}, "--kafka-tls-ca:"},
		{"CA file without PEM", Config{CAFile: "config.go"}, "no PEM certificate"},
		{"key of another cert", Config{CertFile: files.CA, KeyFile: files.Key}, "--kafka-tls-cert/--kafka-tls-key:"},
		{"unknown mechanism", Config{Mechanism: "GSSAPI", User: "u", Password: "p"}, `--kafka-sasl-mechanism "GSSAPI": want PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512`},
		{"mechanism without user", Config{Mechanism: "PLAIN"}, "--kafka-sasl-mechanism PLAIN needs --kafka-sasl-user"},
		{"user without mechanism", Config{User: "u", Password: "p"}, "--kafka-sasl-user needs --kafka-sasl-mechanism"},
		{"user without password", Config{Mechanism: "PLAIN", User: "u"}, "needs a password in " + PasswordEnv},
		{"password without user", Config{Password: "p"}, PasswordEnv + " is set but --kafka-sasl-user is not"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := c.cfg.Validate()
			switch {
			case c.want == "" && err != nil:
				t.Fatalf("Validate: %v", err)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Fatalf("Validate: %v, want an error with %q", err, c.want)
			case err != nil && strings.Contains(err.Error(), "\n"):
				t.Fatalf("Validate: %q is not one line", err)
			}
		})
	}
}

func TestProtocol(t *testing.T) {
	files := kafkasectest.WriteCerts(t, t.TempDir())
	for want, c := range map[string]*Config{
		"PLAINTEXT":      nil,
		"SSL":            {CAFile: files.CA},
		"SASL_PLAINTEXT": {Mechanism: Plain, User: "u", Password: "p"},
		"SASL_SSL":       {CAFile: files.CA, Mechanism: ScramSHA256, User: "u", Password: "p"},
	} {
		if c != nil {
			if err := c.Validate(); err != nil {
				t.Fatal(err)
			}
		}
		if got := c.Protocol(); got != want {
			t.Errorf("%+v: Protocol %s, want %s", c, got, want)
		}
	}
}

// saslSSLCluster is a kfake cluster accepting only TLS with user "fin" /
// "secret" under every mechanism.
func saslSSLCluster(t *testing.T, files kafkasectest.Files) []string {
	t.Helper()
	cert, err := tls.LoadX509KeyPair(files.Cert, files.Key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.TLS(&tls.Config{Certificates: []tls.Certificate{cert}}),
		kfake.EnableSASL(), kfake.Superuser(Plain, "fin", "secret"), kfake.Superuser(ScramSHA256, "fin", "secret"),
		kfake.Superuser(ScramSHA512, "fin", "secret"), kfake.SeedTopics(1, "t"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c.ListenAddrs()
}

// Both client libraries reach a SASL_SSL broker with every mechanism, and
// fail with a wrong password or an untrusted CA.
func TestClientsOnSASLSSL(t *testing.T) {
	files := kafkasectest.WriteCerts(t, t.TempDir())
	brokers := saslSSLCluster(t, files)
	for _, c := range []struct {
		name string
		cfg  Config
		ok   bool
	}{
		{"PLAIN", Config{CAFile: files.CA, Mechanism: Plain, User: "fin", Password: "secret"}, true},
		{"SCRAM-SHA-256", Config{CAFile: files.CA, Mechanism: ScramSHA256, User: "fin", Password: "secret"}, true},
		{"SCRAM-SHA-512", Config{CAFile: files.CA, Mechanism: ScramSHA512, User: "fin", Password: "secret"}, true},
		{"wrong password", Config{CAFile: files.CA, Mechanism: ScramSHA256, User: "fin", Password: "guess"}, false},
		{"no SASL", Config{CAFile: files.CA}, false},
		{"untrusted CA", Config{CAFile: files.OtherCA, Mechanism: ScramSHA256, User: "fin", Password: "secret"}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := c.cfg.Validate(); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			cl, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(brokers...), kgo.RequestRetries(0)}, c.cfg.Opts()...)...)
			if err != nil {
				t.Fatal(err)
			}
			defer cl.Close()
			kerr := cl.Ping(ctx)

			sc := c.cfg.Sarama(sarama.NewConfig())
			sc.Version = sarama.V3_6_0_0
			sc.Metadata.Retry.Max = 0
			sc.Net.DialTimeout = 5 * time.Second
			var serr error
			sclient, serr := sarama.NewClient(brokers, sc)
			if serr == nil {
				_, serr = sclient.Topics()
				sclient.Close()
			}
			if c.ok && (kerr != nil || serr != nil) {
				t.Fatalf("franz-go: %v; sarama: %v", kerr, serr)
			}
			if !c.ok && (kerr == nil || serr == nil) {
				t.Fatalf("want both clients refused; franz-go: %v; sarama: %v", kerr, serr)
			}
		})
	}
}
