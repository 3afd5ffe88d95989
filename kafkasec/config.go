package kafkasec

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/IBM/sarama"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl"
	"github.com/twmb/franz-go/pkg/sasl/plain"
	"github.com/twmb/franz-go/pkg/sasl/scram"
)

// The SASL mechanisms.
const (
	Plain       = "PLAIN"
	ScramSHA256 = "SCRAM-SHA-256"
	ScramSHA512 = "SCRAM-SHA-512"
)

// PasswordEnv is the environment variable holding the SASL password.
const PasswordEnv = "FINSTREAM_KAFKA_SASL_PASSWORD"

// Config is the security of finstream's Kafka clients. Every zero field
// means "off"; the zero Config is plaintext without authentication.
// Validate must be called (once) before Opts or Sarama.
type Config struct {
	// TLS dials the brokers with TLS, trusting the system's roots unless
	// CAFile or RootCAs is set. Setting CAFile, CertFile or RootCAs turns
	// TLS on too.
	TLS bool
	// CAFile is a PEM file of the CAs that sign the brokers' certificates.
	CAFile string
	// CertFile and KeyFile are the client's certificate and key (PEM), for
	// brokers that authenticate clients by TLS. Both or neither.
	CertFile, KeyFile string
	// RootCAs are trusted besides CAFile (set in code: `finstream run`'s
	// own clients trust its embedded broker's certificate).
	RootCAs *x509.CertPool

	// Mechanism is the SASL mechanism: "" (no SASL), PLAIN, SCRAM-SHA-256
	// or SCRAM-SHA-512 (case-insensitive).
	Mechanism string
	// User and Password are the SASL credentials (both required with a
	// Mechanism).
	User, Password string

	tls *tls.Config // built by Validate
}

// Validate checks the configuration, normalises Mechanism and loads the TLS
// files. Its errors are one line and name the flag at fault.
func (c *Config) Validate() error {
	c.Mechanism = strings.ToUpper(strings.TrimSpace(c.Mechanism))
	switch c.Mechanism {
	case "", Plain, ScramSHA256, ScramSHA512:
	default:
		return fmt.Errorf("--kafka-sasl-mechanism %q: want PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512", c.Mechanism)
	}
	switch {
	case c.Mechanism != "" && c.User == "":
		return fmt.Errorf("--kafka-sasl-mechanism %s needs --kafka-sasl-user", c.Mechanism)
	case c.User != "" && c.Mechanism == "":
		return errors.New("--kafka-sasl-user needs --kafka-sasl-mechanism (PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512)")
	case c.User != "" && c.Password == "":
		return fmt.Errorf("--kafka-sasl-user %q needs a password in %s", c.User, PasswordEnv)
	case c.Password != "" && c.User == "":
		return fmt.Errorf("%s is set but --kafka-sasl-user is not", PasswordEnv)
	case c.CertFile != "" && c.KeyFile == "":
		return errors.New("--kafka-tls-cert needs --kafka-tls-key")
	case c.KeyFile != "" && c.CertFile == "":
		return errors.New("--kafka-tls-key needs --kafka-tls-cert")
	}
	c.tls = nil
	if !c.TLS && c.CAFile == "" && c.CertFile == "" && c.RootCAs == nil {
		return nil
	}
	t := &tls.Config{MinVersion: tls.VersionTLS12}
	if c.CAFile != "" || c.RootCAs != nil {
		pool := x509.NewCertPool()
		if c.RootCAs != nil {
			pool = c.RootCAs.Clone()
		}
		if c.CAFile != "" {
			pem, err := os.ReadFile(c.CAFile)
			if err != nil {
				return fmt.Errorf("--kafka-tls-ca: %w", err)
			}
			if !pool.AppendCertsFromPEM(pem) {
				return fmt.Errorf("--kafka-tls-ca %s: no PEM certificate in it", c.CAFile)
			}
		}
		t.RootCAs = pool
	}
	if c.CertFile != "" {
		cert, err := tls.LoadX509KeyPair(c.CertFile, c.KeyFile)
		if err != nil {
			return fmt.Errorf("--kafka-tls-cert/--kafka-tls-key: %w", err)
		}
		t.Certificates = []tls.Certificate{cert}
	}
	c.tls = t
	return nil
}

// Protocol is Kafka's name of the security: PLAINTEXT, SSL, SASL_PLAINTEXT
// or SASL_SSL (for logs).
func (c *Config) Protocol() string {
	switch {
	case c == nil || (c.tls == nil && c.Mechanism == ""):
		return "PLAINTEXT"
	case c.Mechanism == "":
		return "SSL"
	case c.tls == nil:
		return "SASL_PLAINTEXT"
	default:
		return "SASL_SSL"
	}
}

// Opts are the franz-go client options of c (none for a nil or plaintext
// Config). Append them to every kgo.NewClient.
func (c *Config) Opts() []kgo.Opt {
	if c == nil {
		return nil
	}
	var opts []kgo.Opt
	if c.tls != nil {
		opts = append(opts, kgo.DialTLSConfig(c.tls.Clone()))
	}
	if m := c.mechanism(); m != nil {
		opts = append(opts, kgo.SASL(m))
	}
	return opts
}

func (c *Config) mechanism() sasl.Mechanism {
	switch c.Mechanism {
	case Plain:
		return plain.Auth{User: c.User, Pass: c.Password}.AsMechanism()
	case ScramSHA256:
		return scram.Auth{User: c.User, Pass: c.Password}.AsSha256Mechanism()
	case ScramSHA512:
		return scram.Auth{User: c.User, Pass: c.Password}.AsSha512Mechanism()
	}
	return nil
}

// Sarama applies c to sc (goka's processors, views and emitters) and
// returns sc. A nil Config leaves sc as it is.
func (c *Config) Sarama(sc *sarama.Config) *sarama.Config {
	if c == nil {
		return sc
	}
	if c.tls != nil {
		sc.Net.TLS.Enable = true
		sc.Net.TLS.Config = c.tls.Clone()
	}
	if c.Mechanism != "" {
		sc.Net.SASL.Enable = true
		sc.Net.SASL.Handshake = true
		sc.Net.SASL.User = c.User
		sc.Net.SASL.Password = c.Password
		switch c.Mechanism {
		case Plain:
			sc.Net.SASL.Mechanism = sarama.SASLTypePlaintext
		case ScramSHA256:
			sc.Net.SASL.Mechanism = sarama.SASLTypeSCRAMSHA256
			sc.Net.SASL.SCRAMClientGeneratorFunc = func() sarama.SCRAMClient { return &scramClient{sha512: false} }
		case ScramSHA512:
			sc.Net.SASL.Mechanism = sarama.SASLTypeSCRAMSHA512
			sc.Net.SASL.SCRAMClientGeneratorFunc = func() sarama.SCRAMClient { return &scramClient{sha512: true} }
		}
	}
	return sc
}

// Explain adds the likely cause to err, the error of a first request to the
// brokers: a broker that refuses SASL credentials may just close the
// connection (kfake does), and the client then reports a bare EOF.
func (c *Config) Explain(err error) error {
	if err == nil || c == nil || c.Mechanism == "" || !errors.Is(err, io.EOF) {
		return err
	}
	return fmt.Errorf("%w (the broker closed the connection during %s authentication: is --kafka-sasl-user %q or its password wrong?)", err, c.Mechanism, c.User)
}
