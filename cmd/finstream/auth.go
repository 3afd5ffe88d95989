package main

import (
	"context"
	"flag"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"finstream/api"
	"finstream/api/authn"
	"finstream/wsfanout"
)

// authOptions are the flags of tokens and rate limits (roles api, wsfanout
// and run).
type authOptions struct {
	jwksURL, issuer, audience                     string
	maxLifetime, leeway, jwksRefresh, jwksMinWait time.Duration
	limits                                        api.Limits
	ws                                            wsfanout.ConnectLimits
	verifier                                      *authn.Verifier // built once by tokens
}

func (a *authOptions) tokenFlags(fs *flag.FlagSet) {
	fs.StringVar(&a.jwksURL, "jwks-url", "", "RS256/ES256 keys: an OIDC issuer URL (its /.well-known/openid-configuration gives jwks_uri), that discovery URL, or a JWK Set URL; empty: HS256 only")
	fs.StringVar(&a.issuer, "jwt-issuer", "", "required token iss (default: none, or the issuer of --jwks-url's OIDC discovery)")
	fs.StringVar(&a.audience, "jwt-audience", "", "required token aud (default: not checked)")
	fs.DurationVar(&a.maxLifetime, "jwt-max-lifetime", 24*time.Hour, "longest token lifetime accepted (exp-iat); every token must carry exp")
	fs.DurationVar(&a.leeway, "jwt-leeway", 30*time.Second, "clock skew allowed on exp, nbf and iat")
	fs.DurationVar(&a.jwksRefresh, "jwks-refresh", 15*time.Minute, "how often the JWK Set is fetched again")
	fs.DurationVar(&a.jwksMinWait, "jwks-min-refresh", time.Minute, "least time between two JWK Set fetches caused by tokens with an unknown kid")
}

func (a *authOptions) apiLimitFlags(fs *flag.FlagSet) {
	l := &a.limits
	rateFlags(fs, "rate-user", &l.UserRate, &l.UserBurst, 5, 30, "API requests per user")
	rateFlags(fs, "rate-ip", &l.IPRate, &l.IPBurst, 30, 120, "API requests per client IP (IPv6: per /64)")
	rateFlags(fs, "rate-dev-token", &l.DevTokenRate, &l.DevTokenBurst, 0.2, 5, "POST /v1/dev/token per client IP")
}

func (a *authOptions) wsLimitFlags(fs *flag.FlagSet) {
	l := &a.ws
	rateFlags(fs, "ws-connect-rate-user", &l.UserRate, &l.UserBurst, 0.2, 10, "WebSocket connects per user")
	rateFlags(fs, "ws-connect-rate-ip", &l.IPRate, &l.IPBurst, 5, 50, "WebSocket connects per client IP")
	fs.IntVar(&l.MaxPerUser, "ws-max-conns-per-user", 10, "open WebSocket connections per user (negative: no cap)")
}

// rateFlags registers --<name> (a rate per second) and --<name>-burst.
func rateFlags(fs *flag.FlagSet, name string, rate *float64, burst *int, defRate float64, defBurst int, what string) {
	fs.Float64Var(rate, name, defRate, what+", per second (negative: no limit)")
	fs.IntVar(burst, name+"-burst", defBurst, what+": burst")
}

// tokenConfig is the verifier's configuration from the flags and
// FINSTREAM_JWT_SECRET (or --dev): a secret is needed unless --jwks-url is
// set. It does not touch the network.
func (o *options) tokenConfig() (authn.Config, error) {
	a := &o.auth
	cfg := authn.Config{JWKSURL: a.jwksURL, Issuer: a.issuer, Audience: a.audience, MaxLifetime: a.maxLifetime,
		Leeway: a.leeway, JWKSRefresh: a.jwksRefresh, JWKSMinRefresh: a.jwksMinWait}
	secret, err := o.secret()
	switch {
	case err == nil:
		cfg.Secret = secret
	case a.jwksURL == "":
		return cfg, err
	}
	if err := cfg.Validate(); err != nil {
		return cfg, badConfig("tokens: %v", err)
	}
	return cfg, nil
}

// tokens is the process's one token verifier (built at the first call; ctx
// ends its key-set refreshes).
func (o *options) tokens(ctx context.Context) (*authn.Verifier, error) {
	if o.auth.verifier != nil {
		return o.auth.verifier, nil
	}
	cfg, err := o.tokenConfig()
	if err != nil {
		return nil, err
	}
	if o.auth.verifier, err = authn.New(ctx, cfg); err != nil {
		return nil, badConfig("--jwks-url: %v", err)
	}
	return o.auth.verifier, nil
}

// gate is the API's Gate: the verifier and the API's rate limits, its
// refusals counted in reg.
func (o *options) gate(ctx context.Context, reg prometheus.Registerer) (*api.Gate, error) {
	v, err := o.tokens(ctx)
	if err != nil {
		return nil, err
	}
	return api.NewGate(api.GateConfig{Tokens: v, Limits: o.auth.limits, Metrics: reg})
}
