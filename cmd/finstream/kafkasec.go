package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sr"

	"finstream/avro"
	"finstream/kafkasec"
)

// envRegistryPassword holds the schema registry's basic-auth password.
const envRegistryPassword = "FINSTREAM_REGISTRY_PASSWORD"

// kafkaSecurity are the client-side security flags of every role that
// talks to Kafka, and the embedded broker's listener security.
type kafkaSecurity struct {
	kafka        kafkasec.Config // --kafka-*; validated by check
	registryUser string
	// The embedded broker's listener (run, broker).
	brokerCert, brokerKey, brokerUser string
}

// kafkaSecFlags registers the TLS and SASL flags of Kafka clients.
func (s *kafkaSecurity) kafkaSecFlags(fs *flag.FlagSet) {
	fs.BoolVar(&s.kafka.TLS, "kafka-tls", false, "dial Kafka with TLS, trusting the system's roots (implied by --kafka-tls-ca and --kafka-tls-cert)")
	fs.StringVar(&s.kafka.CAFile, "kafka-tls-ca", "", "PEM file of the CAs of the Kafka brokers' certificates (turns TLS on)")
	fs.StringVar(&s.kafka.CertFile, "kafka-tls-cert", "", "PEM client certificate for Kafka brokers that authenticate clients by TLS (with --kafka-tls-key)")
	fs.StringVar(&s.kafka.KeyFile, "kafka-tls-key", "", "PEM key of --kafka-tls-cert")
	fs.StringVar(&s.kafka.Mechanism, "kafka-sasl-mechanism", "", "Kafka SASL mechanism: PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 (default: no SASL)")
	fs.StringVar(&s.kafka.User, "kafka-sasl-user", "", "Kafka SASL user; the password is read from "+kafkasec.PasswordEnv)
}

// registryAuthFlags registers --registry-user.
func (s *kafkaSecurity) registryAuthFlags(fs *flag.FlagSet) {
	fs.StringVar(&s.registryUser, "registry-user", "", "schema registry basic-auth user; the password is read from "+envRegistryPassword+
		" (run, broker: the in-process registry requires them)")
}

// brokerSecFlags registers the embedded broker's listener security.
func (s *kafkaSecurity) brokerSecFlags(fs *flag.FlagSet) {
	fs.StringVar(&s.brokerCert, "broker-tls-cert", "", "PEM certificate of the embedded broker: it then accepts TLS only (with --broker-tls-key)")
	fs.StringVar(&s.brokerKey, "broker-tls-key", "", "PEM key of --broker-tls-cert")
	fs.StringVar(&s.brokerUser, "broker-sasl-user", "", "the embedded broker requires SASL (PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512) and has this superuser; the password is read from "+kafkasec.PasswordEnv)
}

// checkKafka reads the SASL password from its variable and validates the
// client security: a setupRole check (checkKafkaRole runs it).
func (s *kafkaSecurity) checkKafka() error {
	if s.kafka.User != "" || s.kafka.Mechanism != "" {
		s.kafka.Password = os.Getenv(kafkasec.PasswordEnv)
	}
	if err := s.kafka.Validate(); err != nil {
		return badConfig("%v", err)
	}
	return nil
}

// kafkaSet reports whether any --kafka-* flag was given.
func (s *kafkaSecurity) kafkaSet() bool {
	k := s.kafka
	return k.TLS || k.CAFile != "" || k.CertFile != "" || k.KeyFile != "" || k.Mechanism != "" || k.User != ""
}

// registryOpts are the registry client's basic auth (none without
// --registry-user).
func (s *kafkaSecurity) registryOpts() ([]sr.ClientOpt, error) {
	if s.registryUser == "" {
		return nil, nil
	}
	pass := os.Getenv(envRegistryPassword)
	if pass == "" {
		return nil, badConfig("--registry-user %q needs a password in %s", s.registryUser, envRegistryPassword)
	}
	return []sr.ClientOpt{sr.BasicAuth(s.registryUser, pass)}, nil
}

// registryClient makes a client of the schema registry at url, with basic
// auth when --registry-user is set.
func (s *kafkaSecurity) registryClient(url string) (*avro.Client, error) {
	opts, err := s.registryOpts()
	if err != nil {
		return nil, err
	}
	c, err := avro.NewClient(url, opts...)
	if err != nil {
		return nil, badConfig("--registry %q: %v", url, err)
	}
	return c, nil
}

// registryHandler is the in-process registry's handler, requiring basic
// auth when --registry-user is set.
func (s *kafkaSecurity) registryHandler(h http.Handler) (http.Handler, error) {
	if s.registryUser == "" {
		return h, nil
	}
	if _, err := s.registryOpts(); err != nil {
		return nil, err
	}
	return avro.RequireBasicAuth(h, s.registryUser, os.Getenv(envRegistryPassword)), nil
}

// brokerListener is the embedded broker's listener security: kfake
// options, and the client security its own in-process clients (topic
// creation, the schema registry, and `run`'s parts unless --kafka-* say
// otherwise) connect with. Plaintext without --broker-* flags.
func (s *kafkaSecurity) brokerListener() (*brokerSecurity, error) {
	bs := &brokerSecurity{}
	switch {
	case s.brokerCert != "" && s.brokerKey == "":
		return nil, badConfig("--broker-tls-cert needs --broker-tls-key")
	case s.brokerKey != "" && s.brokerCert == "":
		return nil, badConfig("--broker-tls-key needs --broker-tls-cert")
	case s.brokerCert != "":
		cert, err := tls.LoadX509KeyPair(s.brokerCert, s.brokerKey)
		if err != nil {
			return nil, badConfig("--broker-tls-cert/--broker-tls-key: %v", err)
		}
		leaf, err := x509.ParseCertificate(cert.Certificate[0])
		if err != nil {
			return nil, badConfig("--broker-tls-cert: %v", err)
		}
		bs.opts = append(bs.opts, kfake.TLS(&tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}))
		// The broker's own clients trust its certificate (and its chain's
		// root, when the file holds it) for the loopback address.
		pool := x509.NewCertPool()
		pool.AddCert(leaf)
		bs.client.RootCAs = pool
	}
	if s.brokerUser != "" {
		pass := os.Getenv(kafkasec.PasswordEnv)
		if pass == "" {
			return nil, badConfig("--broker-sasl-user %q needs a password in %s", s.brokerUser, kafkasec.PasswordEnv)
		}
		bs.opts = append(bs.opts, kfake.EnableSASL())
		for _, m := range []string{kafkasec.Plain, kafkasec.ScramSHA256, kafkasec.ScramSHA512} {
			bs.opts = append(bs.opts, kfake.Superuser(m, s.brokerUser, pass))
		}
		bs.client.Mechanism, bs.client.User, bs.client.Password = kafkasec.ScramSHA256, s.brokerUser, pass
	}
	if err := bs.client.Validate(); err != nil {
		return nil, badConfig("embedded broker: %v", err)
	}
	return bs, nil
}

// brokerSecurity is the embedded broker's listener security.
type brokerSecurity struct {
	opts   []kfake.Opt     // kfake.TLS, kfake.EnableSASL, kfake.Superuser
	client kafkasec.Config // what the broker's own clients use (validated)
}

// pingKafka connects to brokers once, so that a role whose first request
// would otherwise be retried (a producer) fails at start with the reason:
// TLS or SASL missing, wrong credentials, no broker.
func pingKafka(ctx context.Context, brokers []string, sec *kafkasec.Config) error {
	cl, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(brokers...)}, sec.Opts()...)...)
	if err != nil {
		return fmt.Errorf("kafka client for %v: %w", brokers, err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := cl.Ping(ctx); err != nil {
		return sec.Explain(fmt.Errorf("connect to %v: %w", brokers, err))
	}
	return nil
}

// registryRefused returns err explained when the schema registry refused
// the credentials (401, 403): retrying does not help. It returns nil for
// any other error.
func registryRefused(err error) error {
	var re *sr.ResponseError
	if errors.As(err, &re) && (re.StatusCode == http.StatusUnauthorized || re.StatusCode == http.StatusForbidden) {
		return fmt.Errorf("schema registry refused the credentials (%d): check --registry-user and %s: %w", re.StatusCode, envRegistryPassword, err)
	}
	return nil
}
