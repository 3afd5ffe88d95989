package kafkasec

import (
	"context"
	"errors"

	"github.com/twmb/franz-go/pkg/sasl"
	"github.com/twmb/franz-go/pkg/sasl/scram"
)

// scramClient is sarama's SCRAMClient on franz-go's SCRAM implementation
// (sarama ships none), so both client libraries authenticate the same way.
type scramClient struct {
	sha512 bool
	sess   sasl.Session
	first  []byte // the client-first message, sent by the first Step
	sent   bool
	done   bool
}

// Begin starts a session for user.
func (s *scramClient) Begin(user, pass, authzID string) error {
	a := scram.Auth{User: user, Pass: pass, Zid: authzID}
	m := a.AsSha256Mechanism()
	if s.sha512 {
		m = a.AsSha512Mechanism()
	}
	sess, first, err := m.Authenticate(context.Background(), "")
	if err != nil {
		return err
	}
	s.sess, s.first = sess, first
	return nil
}

// Step returns the client-first message on the first call, then answers
// each server challenge.
func (s *scramClient) Step(challenge string) (string, error) {
	if s.sess == nil {
		return "", errors.New("scram: Step before Begin")
	}
	if !s.sent {
		s.sent = true
		return string(s.first), nil
	}
	done, resp, err := s.sess.Challenge([]byte(challenge))
	if err != nil {
		return "", err
	}
	s.done = done
	return string(resp), nil
}

// Done reports whether the server's final message was verified.
func (s *scramClient) Done() bool { return s.done }
