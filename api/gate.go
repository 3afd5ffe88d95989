package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"finstream/api/authn"
	"finstream/api/ratelimit"
)

// Limits are the API's request rate limits, token buckets per key. Zero
// values mean the defaults, sized for a mobile app: opening the app makes
// about ten requests at once, then a few a minute; carrier NAT puts many
// phones behind one IPv4 address. A negative rate turns that limit off.
type Limits struct {
	// UserRate is requests per second per user, after authentication
	// (zero: 5), with bursts of UserBurst (zero: 30).
	UserRate  float64
	UserBurst int
	// IPRate is requests per second per client IP (IPv6: per /64) on /v1/,
	// before authentication (zero: 30), with bursts of IPBurst (zero: 120).
	IPRate  float64
	IPBurst int
	// DevTokenRate is POST /v1/dev/token per second per client IP (zero:
	// 0.2, 12 a minute), with bursts of DevTokenBurst (zero: 5).
	DevTokenRate  float64
	DevTokenBurst int
	// MaxKeys bounds the users and IPs each limiter remembers (zero:
	// 100,000; see ratelimit.Config).
	MaxKeys int
}

// GateConfig configures a Gate.
type GateConfig struct {
	// Tokens verifies bearer tokens. Required.
	Tokens *authn.Verifier
	// Limits are the rate limits (zero: the defaults of Limits).
	Limits Limits
	// Now is the clock of the limits (zero: time.Now).
	Now func() time.Time
	// Metrics registers finstream_api_refused_total{reason} (nil: not
	// registered). Reasons: unauthorized, rate_limited_user,
	// rate_limited_ip, rate_limited_dev_token; never a user or an address.
	Metrics prometheus.Registerer
}

// Gate authenticates API requests and limits their rate per user and per
// client IP. One Gate serves every part of the API (Server, Copilot,
// History), so that a user's limit counts all their requests. Safe for
// concurrent use.
type Gate struct {
	tokens               *authn.Verifier
	users, ips, devToken *ratelimit.Limiter
	refused              *prometheus.CounterVec
}

// registerCounters registers cv with reg (nil: none) and returns it, or
// the counters registered under its name before (a second API part).
func registerCounters(reg prometheus.Registerer, cv *prometheus.CounterVec) (*prometheus.CounterVec, error) {
	if reg == nil {
		return cv, nil
	}
	if err := reg.Register(cv); err != nil {
		var are prometheus.AlreadyRegisteredError
		if !errors.As(err, &are) {
			return nil, fmt.Errorf("api: metrics: %w", err)
		}
		return are.ExistingCollector.(*prometheus.CounterVec), nil
	}
	return cv, nil
}

// NewGate builds a Gate.
func NewGate(cfg GateConfig) (*Gate, error) {
	if cfg.Tokens == nil {
		return nil, errors.New("api: gate without a token verifier")
	}
	l := cfg.Limits
	g := &Gate{tokens: cfg.Tokens, refused: prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "finstream_api_refused_total",
		Help: "API requests refused before their handler, by reason (unauthorized, rate_limited_user, rate_limited_ip, rate_limited_dev_token).",
	}, []string{"reason"})}
	var err error
	if g.refused, err = registerCounters(cfg.Metrics, g.refused); err != nil {
		return nil, err
	}
	err = ratelimit.NewAll(l.MaxKeys, cfg.Now,
		ratelimit.Spec{Dst: &g.users, Given: ratelimit.Config{Rate: l.UserRate, Burst: l.UserBurst}, Def: ratelimit.Config{Rate: 5, Burst: 30}},
		ratelimit.Spec{Dst: &g.ips, Given: ratelimit.Config{Rate: l.IPRate, Burst: l.IPBurst}, Def: ratelimit.Config{Rate: 30, Burst: 120}},
		ratelimit.Spec{Dst: &g.devToken, Given: ratelimit.Config{Rate: l.DevTokenRate, Burst: l.DevTokenBurst}, Def: ratelimit.Config{Rate: 0.2, Burst: 5}})
	if err != nil {
		return nil, fmt.Errorf("api: %w", err)
	}
	return g, nil
}

// HS256Gate is a Gate over HS256 tokens signed with secret, with the
// default token rules and no rate limits: the zero value of the configs'
// Gate (tests, tools; cmd/ builds a Gate with limits).
func HS256Gate(secret []byte, now func() time.Time) (*Gate, error) {
	v, err := authn.New(context.Background(), authn.Config{Secret: secret, Now: now})
	if err != nil {
		return nil, fmt.Errorf("api: %w", err)
	}
	return NewGate(GateConfig{Tokens: v, Now: now, Limits: Limits{UserRate: -1, IPRate: -1, DevTokenRate: -1}})
}

// Tokens is the Gate's token verifier.
func (g *Gate) Tokens() *authn.Verifier { return g.tokens }

// user authenticates r and takes one request of the user's limit; on
// failure it has answered 401 or 429.
func (g *Gate) user(w http.ResponseWriter, r *http.Request) (string, bool) {
	c, err := g.tokens.Request(r)
	if err != nil {
		g.refused.WithLabelValues("unauthorized").Inc()
		unauthorized(w, err)
		return "", false
	}
	if ok, after := g.users.Allow(c.Subject); !ok {
		g.refused.WithLabelValues("rate_limited_user").Inc()
		tooMany(w, after, "too many requests from this user")
		return "", false
	}
	return c.Subject, true
}

// ip takes one request of the client IP's limit; on failure it has
// answered 429.
func (g *Gate) ip(w http.ResponseWriter, r *http.Request, lim *ratelimit.Limiter) bool {
	if ok, after := lim.Allow(ratelimit.ClientIP(r)); !ok {
		reason := "rate_limited_ip"
		if lim == g.devToken {
			reason = "rate_limited_dev_token"
		}
		g.refused.WithLabelValues(reason).Inc()
		tooMany(w, after, "too many requests from this address")
		return false
	}
	return true
}

// unauthorized answers 401 with the token's error code and message, and
// the WWW-Authenticate challenge of RFC 6750.
func unauthorized(w http.ResponseWriter, err error) {
	var e *authn.Error
	if !errors.As(err, &e) {
		e = &authn.Error{Code: "unauthorized", Message: "the token was refused"}
	}
	if e.Code == authn.CodeMissing {
		w.Header().Set("WWW-Authenticate", `Bearer realm="finstream"`)
	} else {
		w.Header().Set("WWW-Authenticate", `Bearer realm="finstream", error="invalid_token"`)
	}
	writeError(w, http.StatusUnauthorized, e.Code, e.Message)
}

// tooMany answers 429 with Retry-After.
func tooMany(w http.ResponseWriter, after time.Duration, what string) {
	secs := ratelimit.RetryAfter(after)
	w.Header().Set("Retry-After", secs)
	writeError(w, http.StatusTooManyRequests, "rate_limited", what+"; retry in "+secs+" s")
}
