package authn_test

import (
	"context"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"finstream/api/authn"
	"finstream/api/authn/authntest"
)

// eventually polls cond until it holds or the deadline passes.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond) // polling interval, not a wait for an event
	}
}

func claims(iss string) jwt.RegisteredClaims {
	return jwt.RegisteredClaims{Subject: "U", Issuer: iss, IssuedAt: at(t0), ExpiresAt: at(t0.Add(time.Hour))}
}

// TestRotation: a key the provider starts publishing is accepted at once
// (refresh on the unknown kid); a key it stops publishing is refused after
// the next refresh.
func TestRotation(t *testing.T) {
	idp := authntest.NewIssuer(t)
	idp.AddRSA(t, "old")
	v := newVerifier(t, authn.Config{JWKSURL: idp.URL + "/.well-known/openid-configuration",
		JWKSMinRefresh: time.Millisecond, JWKSRefresh: 20 * time.Millisecond})
	ctx := context.Background()
	oldTok := idp.Sign(t, "old", claims(idp.URL))
	if _, err := v.Verify(ctx, oldTok); err != nil {
		t.Fatal(err)
	}
	idp.AddEC(t, "new")
	if _, err := v.Verify(ctx, idp.Sign(t, "new", claims(idp.URL))); err != nil {
		t.Fatalf("new key after rotation: %v", err)
	}
	idp.Remove("old")
	eventually(t, "the removed key to be refused", func() bool {
		_, err := v.Verify(ctx, oldTok)
		return code(err) == authn.CodeUnknownKey
	})
}

// TestUnknownKidRateLimited: tokens with made-up kids refresh the key set
// at most once per JWKSMinRefresh.
func TestUnknownKidRateLimited(t *testing.T) {
	idp := authntest.NewIssuer(t)
	idp.AddRSA(t, "k")
	v := newVerifier(t, authn.Config{JWKSURL: idp.JWKSURL(), JWKSMinRefresh: time.Hour, JWKSTimeout: time.Second})
	start := idp.Fetches() // discovery's probe and the first fetch
	for i := range 20 {
		kid := "made-up-" + string(rune('a'+i))
		idp.AddEC(t, kid)
		tok := idp.Sign(t, kid, claims(""))
		idp.Remove(kid)
		if _, err := v.Verify(context.Background(), tok); code(err) != authn.CodeUnknownKey {
			t.Fatalf("made-up kid: %v", err)
		}
	}
	if got := idp.Fetches(); got != start+1 {
		t.Fatalf("fetches %d, want %d (one refresh)", got, start+1)
	}
}

// TestDirectJWKS takes a JWK Set URL as is: no issuer is implied.
func TestDirectJWKS(t *testing.T) {
	idp := authntest.NewIssuer(t)
	idp.AddEC(t, "k")
	v := newVerifier(t, authn.Config{JWKSURL: idp.JWKSURL()})
	if _, err := v.Verify(context.Background(), idp.Sign(t, "k", claims(""))); err != nil {
		t.Fatal(err)
	}
	w := newVerifier(t, authn.Config{JWKSURL: idp.JWKSURL(), Issuer: "https://idp.example"})
	if _, err := w.Verify(context.Background(), idp.Sign(t, "k", claims(""))); code(err) != authn.CodeIssuer {
		t.Fatalf("no iss with --jwt-issuer: %v", err)
	}
}

func TestDiscoveryFails(t *testing.T) {
	idp := authntest.NewIssuer(t)
	if _, err := authn.New(t.Context(), authn.Config{JWKSURL: idp.URL + "/nothing-here"}); err == nil {
		t.Fatal("no error for a URL that is neither a key set nor an issuer")
	}
}

// BenchmarkVerify is the cost of checking one token per algorithm (keys
// cached).
func BenchmarkVerify(b *testing.B) {
	idp := authntest.NewIssuer(b)
	idp.AddRSA(b, "rsa")
	idp.AddEC(b, "ec")
	now := time.Now()
	v, err := authn.New(b.Context(), authn.Config{Secret: []byte("s"), JWKSURL: idp.JWKSURL()})
	if err != nil {
		b.Fatal(err)
	}
	c := jwt.RegisteredClaims{Subject: "USR-1", IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(time.Hour))}
	hs, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString([]byte("s"))
	for name, tok := range map[string]string{"HS256": hs, "RS256": idp.Sign(b, "rsa", c), "ES256": idp.Sign(b, "ec", c)} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := v.Verify(context.Background(), tok); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
