package authn

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/MicahParks/keyfunc/v3"
	"github.com/golang-jwt/jwt/v5"
)

// Claims is what a verified token says.
type Claims struct {
	// Subject is the token's "sub": the user id.
	Subject string
	// Expires is the token's "exp".
	Expires time.Time
}

// Verifier checks bearer tokens: the signature (HS256 with the secret;
// RS256 and ES256 with the key set), "exp" (required), the lifetime, "nbf"
// and "iat", and "iss" and "aud" when configured. Safe for concurrent use.
type Verifier struct {
	cfg    Config
	issuer string // the expected "iss"; "" is not checked
	algs   string // accepted algorithms, for messages
	jwks   keyfunc.Keyfunc
	parser *jwt.Parser
}

// New builds a Verifier. With a JWKS URL it resolves OIDC discovery (one
// request, bounded by JWKSTimeout; a failure is an error) and fetches the
// key set; ctx ends the key set's refresh goroutine. A key set that cannot
// be fetched at start is fetched again on the first token with an unknown
// key and at every refresh.
func New(ctx context.Context, cfg Config) (*Verifier, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	v := &Verifier{cfg: cfg, issuer: cfg.Issuer}
	var algs []string
	if len(cfg.Secret) > 0 {
		algs = append(algs, "HS256")
	}
	if cfg.JWKSURL != "" {
		setURL, issuer, err := discover(ctx, cfg.Client, cfg.JWKSURL)
		if err != nil {
			return nil, err
		}
		if v.issuer == "" {
			v.issuer = issuer
		}
		if v.jwks, err = keySet(ctx, cfg, setURL); err != nil {
			return nil, err
		}
		algs = append(algs, "RS256", "ES256")
	}
	v.algs = strings.Join(algs, ", ")
	opts := []jwt.ParserOption{
		jwt.WithExpirationRequired(), jwt.WithIssuedAt(), jwt.WithLeeway(cfg.Leeway),
		jwt.WithTimeFunc(cfg.Now),
	}
	if v.issuer != "" {
		opts = append(opts, jwt.WithIssuer(v.issuer))
	}
	if cfg.Audience != "" {
		opts = append(opts, jwt.WithAudience(cfg.Audience))
	}
	v.parser = jwt.NewParser(opts...)
	return v, nil
}

// MaxLifetime is the longest lifetime a token may have.
func (v *Verifier) MaxLifetime() time.Duration { return v.cfg.MaxLifetime }

// Request verifies the request's bearer token: "Authorization: Bearer <t>"
// or, for WebSocket clients that cannot set headers, ?access_token=. The
// error is an *Error.
func (v *Verifier) Request(r *http.Request) (Claims, error) {
	raw := Bearer(r)
	if raw == "" {
		return Claims{}, refuse(CodeMissing, "a bearer token is required (Authorization: Bearer <token>)", errNoToken)
	}
	return v.Verify(r.Context(), raw)
}

// Verify checks a raw token. The error is an *Error.
func (v *Verifier) Verify(ctx context.Context, raw string) (Claims, error) {
	var c jwt.RegisteredClaims
	if _, err := v.parser.ParseWithClaims(raw, &c, v.key(ctx)); err != nil {
		return Claims{}, v.classify(err, &c)
	}
	start := v.cfg.Now()
	if c.IssuedAt != nil {
		start = c.IssuedAt.Time
	}
	if c.ExpiresAt.Sub(start) > v.cfg.MaxLifetime {
		return Claims{}, lifetimeError(v.cfg.MaxLifetime)
	}
	if c.Subject == "" {
		return Claims{}, refuse(CodeNoSubject, "the token has no sub claim (the user id)", nil)
	}
	return Claims{Subject: c.Subject, Expires: c.ExpiresAt.Time}, nil
}

// key picks the key by the token's algorithm: the secret for HS256, the
// key set for RS256 and ES256 (so that a public key is never used as an
// HMAC secret); anything else is refused.
func (v *Verifier) key(ctx context.Context) jwt.Keyfunc {
	return func(t *jwt.Token) (any, error) {
		switch alg := t.Method.Alg(); {
		case alg == "HS256" && len(v.cfg.Secret) > 0:
			return v.cfg.Secret, nil
		case (alg == "RS256" || alg == "ES256") && v.jwks != nil:
			k, err := v.jwks.KeyfuncCtx(ctx)(t)
			if err != nil {
				return nil, fmt.Errorf("%w: %w", errUnknownKey, err)
			}
			return k, nil
		default:
			return nil, fmt.Errorf("algorithm %q not accepted", alg)
		}
	}
}

// Sign issues an HS256 token for userID, valid for ttl (at most the
// maximum lifetime), with the configured issuer and audience: the
// development tokens of POST /v1/dev/token. It fails without a secret.
func (v *Verifier) Sign(userID string, ttl time.Duration) (string, time.Time, error) {
	if len(v.cfg.Secret) == 0 {
		return "", time.Time{}, errors.New("authn: no HS256 secret to sign with")
	}
	ttl = min(ttl, v.cfg.MaxLifetime)
	now := v.cfg.Now()
	c := jwt.RegisteredClaims{Subject: userID, Issuer: v.issuer, IssuedAt: jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(now.Add(ttl))}
	if v.cfg.Audience != "" {
		c.Audience = jwt.ClaimStrings{v.cfg.Audience}
	}
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(v.cfg.Secret)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("sign token: %w", err)
	}
	return tok, c.ExpiresAt.Time, nil
}

// Bearer extracts the raw token from "Authorization: Bearer <t>" or, when
// there is no Authorization header, from ?access_token=.
func Bearer(r *http.Request) string {
	if h := r.Header.Get("Authorization"); h != "" {
		if t, ok := strings.CutPrefix(h, "Bearer "); ok {
			return strings.TrimSpace(t)
		}
		return ""
	}
	return r.URL.Query().Get("access_token")
}
