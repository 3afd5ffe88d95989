package wsfanout

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"finstream/api/authn"
)

// BudgetSource answers, for a shared budget, who may subscribe to it and
// what a snapshot carries. It is called from a connection's read goroutine
// (once per subscribe) and must be safe for concurrent use.
type BudgetSource interface {
	// Budget returns the current state of budgetID. A budget that does not
	// exist is Snapshot{Found: false} with a nil error; an error means the
	// state could not be read (the client is told to retry).
	Budget(ctx context.Context, budgetID string) (Snapshot, error)
}

// Snapshot is a shared budget's current state as the BudgetSource sees it.
type Snapshot struct {
	// Found is false when the budget does not exist.
	Found bool
	// Version is the budget's version (the Version of its latest
	// event.BudgetUpdate).
	Version int64
	// Participants maps user_id → role (owner, contributor, viewer).
	// Every participant, whatever the role, may subscribe.
	Participants map[string]string
	// State is what a "snapshot" message carries in its "state" field, as is
	// (for instance the JSON of GET /v1/shared-budgets/{id}).
	State json.RawMessage
}

// Config configures a Hub. Zero values mean the documented defaults;
// Validate fills them in.
type Config struct {
	// Tokens verifies bearer tokens (zero: HS256 tokens signed with Secret,
	// with authn's default rules). Give the API's verifier, so that both
	// share one cached key set.
	Tokens *authn.Verifier
	// Secret verifies HS256 tokens when Tokens is nil.
	Secret []byte
	// Limits bound connects per user and per IP and the open connections
	// per user (nil: no limits, for tests and benchmarks; cmd/ sets them).
	Limits *ConnectLimits
	// Now is the clock for token expiry and delivery latency (zero: time.Now).
	Now func() time.Time
	// Budgets checks participants and builds snapshots. Required.
	Budgets BudgetSource
	// QueueSize bounds each device's queue of messages not yet written to
	// its socket (zero: 256). A device whose queue is full is closed with
	// CloseSlowConsumer; the others never wait for it.
	QueueSize int
	// PingInterval is how often the server pings each device (zero: 25 s).
	PingInterval time.Duration
	// PongTimeout: a device that sends nothing, not even a pong, for
	// PingInterval+PongTimeout is closed with CloseNoPong (zero: PingInterval).
	PongTimeout time.Duration
	// WriteTimeout bounds each write to a socket (zero: 10 s).
	WriteTimeout time.Duration
	// BudgetTimeout bounds each BudgetSource call (zero: 5 s).
	BudgetTimeout time.Duration
	// MaxSubscriptions bounds the budget channels one connection may join
	// (zero: 64).
	MaxSubscriptions int
	// AllowedOrigins lists browser origins ("https://app.example.com",
	// scheme://host[:port]) allowed besides the request's own host; "*"
	// allows any. Requests without an Origin header (non-browser clients)
	// are allowed.
	AllowedOrigins []string
	// Logger (zero: slog.Default()).
	Logger *slog.Logger
	// Metrics registers the hub's metrics (nil: not registered).
	Metrics prometheus.Registerer
}

// Validate checks the configuration and fills in defaults.
func (c *Config) Validate() error {
	switch {
	case c.Tokens == nil && len(c.Secret) == 0:
		return errors.New("wsfanout: no JWT secret")
	case c.Budgets == nil:
		return errors.New("wsfanout: no budget source")
	case c.QueueSize < 0:
		return fmt.Errorf("wsfanout: queue size %d: want >= 0", c.QueueSize)
	case c.PingInterval < 0 || c.PongTimeout < 0 || c.WriteTimeout < 0 || c.BudgetTimeout < 0:
		return errors.New("wsfanout: negative duration")
	case c.MaxSubscriptions < 0:
		return fmt.Errorf("wsfanout: max subscriptions %d: want >= 0", c.MaxSubscriptions)
	}
	for _, o := range c.AllowedOrigins {
		if o == "*" {
			continue
		}
		u, err := url.Parse(o)
		if err != nil || u.Scheme == "" || u.Host == "" || (u.Path != "" && u.Path != "/") {
			return fmt.Errorf("wsfanout: allowed origin %q: want scheme://host[:port] or *", o)
		}
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Tokens == nil {
		v, err := authn.New(context.Background(), authn.Config{Secret: c.Secret, Now: c.Now})
		if err != nil {
			return fmt.Errorf("wsfanout: %w", err)
		}
		c.Tokens = v
	}
	if c.QueueSize == 0 {
		c.QueueSize = 256
	}
	if c.PingInterval == 0 {
		c.PingInterval = 25 * time.Second
	}
	if c.PongTimeout == 0 {
		c.PongTimeout = c.PingInterval
	}
	if c.WriteTimeout == 0 {
		c.WriteTimeout = 10 * time.Second
	}
	if c.BudgetTimeout == 0 {
		c.BudgetTimeout = 5 * time.Second
	}
	if c.MaxSubscriptions == 0 {
		c.MaxSubscriptions = 64
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return nil
}
