package authn_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"finstream/api/authn"
	"finstream/api/authn/authntest"
)

var t0 = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)

func at(t time.Time) *jwt.NumericDate { return jwt.NewNumericDate(t) }

func hs(t *testing.T, secret string, c jwt.Claims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString([]byte(secret))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func none(t *testing.T, c jwt.Claims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(jwt.SigningMethodNone, c).SignedString(jwt.UnsafeAllowNoneSignatureType)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func code(err error) string {
	var e *authn.Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err != nil {
		return "not an *authn.Error: " + err.Error()
	}
	return ""
}

func newVerifier(t *testing.T, cfg authn.Config) *authn.Verifier {
	t.Helper()
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return t0 }
	}
	v, err := authn.New(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestMatrix runs every kind of bad token against a verifier with a
// secret, a key set through OIDC discovery, an issuer and an audience.
func TestMatrix(t *testing.T) {
	idp := authntest.NewIssuer(t)
	idp.AddRSA(t, "rsa-1")
	idp.AddEC(t, "ec-1")
	other := authntest.NewIssuer(t)
	other.AddRSA(t, "rsa-1") // same kid, another key
	v := newVerifier(t, authn.Config{Secret: []byte("s3cret"), JWKSURL: idp.URL, Audience: "finstream"})
	good := func() jwt.RegisteredClaims {
		return jwt.RegisteredClaims{Subject: "U1", Issuer: idp.URL, Audience: jwt.ClaimStrings{"finstream"},
			IssuedAt: at(t0.Add(-time.Minute)), ExpiresAt: at(t0.Add(time.Hour))}
	}
	with := func(f func(*jwt.RegisteredClaims)) jwt.RegisteredClaims { c := good(); f(&c); return c }
	cases := []struct {
		name, token, code string
	}{
		{"RS256", idp.Sign(t, "rsa-1", good()), ""},
		{"ES256", idp.Sign(t, "ec-1", good()), ""},
		{"HS256", hs(t, "s3cret", good()), ""},
		{"skew within leeway", hs(t, "s3cret", with(func(c *jwt.RegisteredClaims) { c.IssuedAt = at(t0.Add(20 * time.Second)) })), ""},
		{"none", "", authn.CodeMissing},
		{"garbled", "eyJhbGciOi.JIUzI1NiJ9.xx", authn.CodeMalformed},
		{"not a JWT", "hello", authn.CodeMalformed},
		{"expired", idp.Sign(t, "rsa-1", with(func(c *jwt.RegisteredClaims) { c.ExpiresAt = at(t0.Add(-time.Minute)) })), authn.CodeExpired},
		{"no exp", idp.Sign(t, "rsa-1", with(func(c *jwt.RegisteredClaims) { c.ExpiresAt = nil })), authn.CodeNoExpiry},
		{"no exp HS256", hs(t, "s3cret", with(func(c *jwt.RegisteredClaims) { c.ExpiresAt = nil })), authn.CodeNoExpiry},
		{"too long", idp.Sign(t, "rsa-1", with(func(c *jwt.RegisteredClaims) { c.ExpiresAt = at(t0.Add(25 * time.Hour)) })), authn.CodeLifetime},
		{"too long without iat", idp.Sign(t, "rsa-1", with(func(c *jwt.RegisteredClaims) {
			c.IssuedAt, c.ExpiresAt = nil, at(t0.Add(48*time.Hour))
		})), authn.CodeLifetime},
		{"future iat", idp.Sign(t, "rsa-1", with(func(c *jwt.RegisteredClaims) { c.IssuedAt = at(t0.Add(10 * time.Minute)) })), authn.CodeNotYetValid},
		{"future nbf", idp.Sign(t, "rsa-1", with(func(c *jwt.RegisteredClaims) { c.NotBefore = at(t0.Add(10 * time.Minute)) })), authn.CodeNotYetValid},
		{"wrong iss", idp.Sign(t, "rsa-1", with(func(c *jwt.RegisteredClaims) { c.Issuer = "https://evil.example" })), authn.CodeIssuer},
		{"no iss", idp.Sign(t, "rsa-1", with(func(c *jwt.RegisteredClaims) { c.Issuer = "" })), authn.CodeIssuer},
		{"wrong aud", idp.Sign(t, "rsa-1", with(func(c *jwt.RegisteredClaims) { c.Audience = jwt.ClaimStrings{"other-app"} })), authn.CodeAudience},
		{"no aud", idp.Sign(t, "rsa-1", with(func(c *jwt.RegisteredClaims) { c.Audience = nil })), authn.CodeAudience},
		{"no sub", idp.Sign(t, "rsa-1", with(func(c *jwt.RegisteredClaims) { c.Subject = "" })), authn.CodeNoSubject},
		{"alg none", none(t, good()), authn.CodeAlgorithm},
		{"HS512", func() string {
			s, _ := jwt.NewWithClaims(jwt.SigningMethodHS512, good()).SignedString([]byte("s3cret"))
			return s
		}(), authn.CodeAlgorithm},
		{"wrong secret", hs(t, "guess", good()), authn.CodeSignature},
		{"wrong key, same kid", other.Sign(t, "rsa-1", good()), authn.CodeSignature},
		{"unknown kid", func() string { other.AddRSA(t, "rsa-9"); return other.Sign(t, "rsa-9", good()) }(), authn.CodeUnknownKey},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/v1/me/budgets", nil)
			if tc.token != "" {
				r.Header.Set("Authorization", "Bearer "+tc.token)
			}
			c, err := v.Request(r)
			if got := code(err); got != tc.code {
				t.Fatalf("code %q, want %q (err %v)", got, tc.code, err)
			}
			if err == nil && c.Subject != "U1" {
				t.Fatalf("subject %q", c.Subject)
			}
			var e *authn.Error
			if errors.As(err, &e) && (strings.Contains(e.Message, "jwt") || strings.Contains(e.Message, "JSON") || strings.Contains(e.Message, "keyfunc")) {
				t.Fatalf("message leaks internals: %q", e.Message)
			}
		})
	}
}

// TestHS256Only refuses RS256 without a key set, and HS256 needs no
// issuer unless one is configured.
func TestHS256Only(t *testing.T) {
	idp := authntest.NewIssuer(t)
	idp.AddRSA(t, "k")
	v := newVerifier(t, authn.Config{Secret: []byte("s")})
	c := jwt.RegisteredClaims{Subject: "U", IssuedAt: at(t0), ExpiresAt: at(t0.Add(time.Hour))}
	if _, err := v.Verify(context.Background(), idp.Sign(t, "k", c)); code(err) != authn.CodeAlgorithm {
		t.Fatalf("RS256 without JWKS: %v", err)
	}
	if _, err := v.Verify(context.Background(), hs(t, "s", c)); err != nil {
		t.Fatal(err)
	}
}

// TestSign issues tokens the verifier accepts, capped at the maximum
// lifetime and carrying the issuer and audience.
func TestSign(t *testing.T) {
	v := newVerifier(t, authn.Config{Secret: []byte("s"), Issuer: "finstream-dev", Audience: "app", MaxLifetime: time.Hour})
	tok, exp, err := v.Sign("U", 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if !exp.Equal(t0.Add(time.Hour)) {
		t.Fatalf("expires %v", exp)
	}
	c, err := v.Verify(context.Background(), tok)
	if err != nil || c.Subject != "U" || !c.Expires.Equal(exp) {
		t.Fatalf("claims %+v, err %v", c, err)
	}
	if _, _, err := newVerifier(t, authn.Config{JWKSURL: func() string {
		idp := authntest.NewIssuer(t)
		return idp.JWKSURL()
	}()}).Sign("U", time.Hour); err == nil {
		t.Fatal("signed without a secret")
	}
}

func TestConfigValidate(t *testing.T) {
	for _, c := range []authn.Config{
		{},
		{Secret: []byte("s"), MaxLifetime: -1},
		{JWKSURL: "ftp://idp/jwks"},
		{JWKSURL: "/jwks"},
	} {
		if err := c.Validate(); err == nil {
			t.Errorf("%+v: no error", c)
		}
	}
}
