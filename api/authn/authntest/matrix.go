package authntest

import (
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"finstream/api/authn"
)

// Case is a token and the authn error code it must get ("": accepted).
type Case struct{ Name, Token, Code string }

// Matrix is the auth matrix of the REST and WebSocket tests: good tokens
// for sub (RS256 and ES256 signed by is, which gets the keys "matrix-rsa"
// and "matrix-ec"; HS256 with secret), and one token of each kind to
// refuse. Valid tokens are issued by is for aud, around now.
func Matrix(t testing.TB, is *Issuer, secret []byte, sub, aud string, now time.Time) []Case {
	t.Helper()
	is.AddRSA(t, "matrix-rsa")
	is.AddEC(t, "matrix-ec")
	impostor := NewIssuer(t)
	impostor.AddRSA(t, "matrix-rsa") // same kid, another key
	claims := func(mod func(*jwt.RegisteredClaims)) jwt.RegisteredClaims {
		c := jwt.RegisteredClaims{Subject: sub, Issuer: is.URL, Audience: jwt.ClaimStrings{aud},
			IssuedAt: jwt.NewNumericDate(now.Add(-time.Minute)), ExpiresAt: jwt.NewNumericDate(now.Add(time.Hour))}
		if mod != nil {
			mod(&c)
		}
		return c
	}
	rsa := func(mod func(*jwt.RegisteredClaims)) string { return is.Sign(t, "matrix-rsa", claims(mod)) }
	hs := func(key []byte, c jwt.RegisteredClaims) string {
		s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	algNone, err := jwt.NewWithClaims(jwt.SigningMethodNone, claims(nil)).SignedString(jwt.UnsafeAllowNoneSignatureType)
	if err != nil {
		t.Fatal(err)
	}
	at := func(d time.Duration) *jwt.NumericDate { return jwt.NewNumericDate(now.Add(d)) }
	return []Case{
		{"RS256", rsa(nil), ""},
		{"ES256", is.Sign(t, "matrix-ec", claims(nil)), ""},
		{"HS256", hs(secret, claims(nil)), ""},
		{"none", "", authn.CodeMissing},
		{"garbled", "eyJhbGciOiJIUzI1NiJ9.garbled.x", authn.CodeMalformed},
		{"expired", rsa(func(c *jwt.RegisteredClaims) { c.ExpiresAt = at(-time.Minute) }), authn.CodeExpired},
		{"no exp", rsa(func(c *jwt.RegisteredClaims) { c.ExpiresAt = nil }), authn.CodeNoExpiry},
		{"no exp HS256", hs(secret, claims(func(c *jwt.RegisteredClaims) { c.ExpiresAt = nil })), authn.CodeNoExpiry},
		{"lifetime over the maximum", rsa(func(c *jwt.RegisteredClaims) { c.ExpiresAt = at(30 * 24 * time.Hour) }), authn.CodeLifetime},
		{"future iat", rsa(func(c *jwt.RegisteredClaims) { c.IssuedAt = at(time.Hour) }), authn.CodeNotYetValid},
		{"future nbf", rsa(func(c *jwt.RegisteredClaims) { c.NotBefore = at(time.Hour) }), authn.CodeNotYetValid},
		{"wrong iss", rsa(func(c *jwt.RegisteredClaims) { c.Issuer = impostor.URL }), authn.CodeIssuer},
		{"wrong aud", rsa(func(c *jwt.RegisteredClaims) { c.Audience = jwt.ClaimStrings{"admin-console"} }), authn.CodeAudience},
		{"alg none", algNone, authn.CodeAlgorithm},
		{"wrong key", impostor.Sign(t, "matrix-rsa", claims(nil)), authn.CodeSignature},
		{"wrong secret", hs([]byte("guessed"), claims(nil)), authn.CodeSignature},
	}
}
