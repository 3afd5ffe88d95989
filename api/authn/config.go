package authn

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"
)

// Config configures a Verifier. Zero values mean the documented defaults;
// Validate fills them in. At least one of Secret and JWKSURL is required.
type Config struct {
	// Secret verifies HS256 tokens (development, and services that share a
	// secret). Empty: HS256 tokens are refused.
	Secret []byte
	// JWKSURL is where RS256 and ES256 keys come from: a JWK Set URL, or an
	// OIDC issuer URL (or its /.well-known/openid-configuration URL) whose
	// discovery document names the jwks_uri. Empty: RS256 and ES256 tokens
	// are refused.
	JWKSURL string
	// Issuer, when set, must equal the token's "iss". Empty: "iss" is not
	// checked, unless JWKSURL is an OIDC issuer: then the discovery
	// document's issuer is required.
	Issuer string
	// Audience, when set, must be one of the token's "aud". Empty: "aud" is
	// not checked.
	Audience string
	// MaxLifetime bounds exp-iat (exp-now for a token without "iat")
	// (zero: 24h). Every token must carry "exp".
	MaxLifetime time.Duration
	// Leeway is the clock skew allowed on exp, nbf and iat (zero: 30s).
	Leeway time.Duration
	// JWKSRefresh is how often the key set is fetched again (zero: 15m).
	JWKSRefresh time.Duration
	// JWKSMinRefresh is the least time between two fetches caused by tokens
	// with an unknown "kid" (zero: 1m), so that made-up kids cannot make
	// finstream hammer the identity provider.
	JWKSMinRefresh time.Duration
	// JWKSTimeout bounds every fetch of the key set or discovery document
	// (zero: 10s).
	JWKSTimeout time.Duration
	// Client fetches the key set (zero: a client with JWKSTimeout).
	Client *http.Client
	// Now is the clock (zero: time.Now).
	Now func() time.Time
	// Logger reports failed key-set refreshes (zero: slog.Default()).
	Logger *slog.Logger
}

// Validate checks the configuration and fills in defaults.
func (c *Config) Validate() error {
	switch {
	case len(c.Secret) == 0 && c.JWKSURL == "":
		return errors.New("authn: no HS256 secret and no JWKS URL: no token could be verified")
	case c.MaxLifetime < 0 || c.Leeway < 0 || c.JWKSRefresh < 0 || c.JWKSMinRefresh < 0 || c.JWKSTimeout < 0:
		return errors.New("authn: negative duration")
	}
	if c.JWKSURL != "" {
		u, err := url.Parse(c.JWKSURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("authn: JWKS URL %q: want an http(s) URL", c.JWKSURL)
		}
	}
	if c.MaxLifetime == 0 {
		c.MaxLifetime = 24 * time.Hour
	}
	if c.Leeway == 0 {
		c.Leeway = 30 * time.Second
	}
	if c.JWKSRefresh == 0 {
		c.JWKSRefresh = 15 * time.Minute
	}
	if c.JWKSMinRefresh == 0 {
		c.JWKSMinRefresh = time.Minute
	}
	if c.JWKSTimeout == 0 {
		c.JWKSTimeout = 10 * time.Second
	}
	if c.Client == nil {
		c.Client = &http.Client{Timeout: c.JWKSTimeout}
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return nil
}
