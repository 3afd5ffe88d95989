package api

import (
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// DevSecret signs tokens in --dev mode when FINSTREAM_JWT_SECRET is unset.
// It is public: never use --dev in production.
const DevSecret = "finstream-dev-secret-do-not-use-in-production"

// Token issues an HS256 token for userID, issued at now and valid for ttl
// (tests and benchmarks; POST /v1/dev/token signs with its Gate's
// verifier, which adds the configured issuer and audience).
func Token(secret []byte, userID string, now time.Time, ttl time.Duration) (string, error) {
	return jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.RegisteredClaims{
		Subject:   userID,
		IssuedAt:  jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(now.Add(ttl)),
	}).SignedString(secret)
}
