package authn_test

import (
	"context"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"finstream/api/authn"
	"finstream/api/authn/authntest"
)

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
