package api

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// DevSecret signs tokens in --dev mode when FINSTREAM_JWT_SECRET is unset.
// It is public: never use --dev in production.
const DevSecret = "finstream-dev-secret-do-not-use-in-production"

// Token issues an HS256 token for userID valid for ttl.
func Token(secret []byte, userID string, now time.Time, ttl time.Duration) (string, error) {
	return jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.RegisteredClaims{
		Subject:   userID,
		IssuedAt:  jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(now.Add(ttl)),
	}).SignedString(secret)
}

// bearer extracts the token from "Authorization: Bearer <t>" or, for
// WebSocket clients that cannot set headers, ?access_token=.
func bearer(r *http.Request) string {
	if h := r.Header.Get("Authorization"); h != "" {
		if t, ok := strings.CutPrefix(h, "Bearer "); ok {
			return strings.TrimSpace(t)
		}
		return ""
	}
	return r.URL.Query().Get("access_token")
}

var errNoToken = errors.New("missing bearer token")

// Subject verifies the request's token and returns its subject (user_id).
func Subject(secret []byte, r *http.Request, now time.Time) (string, error) {
	sub, _, err := SubjectUntil(secret, r, now)
	return sub, err
}

// SubjectUntil verifies the request's token and returns its subject and its
// expiry (the zero time for a token without "exp"), for a connection that
// must end when its token does.
func SubjectUntil(secret []byte, r *http.Request, now time.Time) (string, time.Time, error) {
	raw := bearer(r)
	if raw == "" {
		return "", time.Time{}, errNoToken
	}
	var claims jwt.RegisteredClaims
	_, err := jwt.ParseWithClaims(raw, &claims, func(*jwt.Token) (any, error) { return secret, nil },
		jwt.WithValidMethods([]string{"HS256"}), jwt.WithTimeFunc(func() time.Time { return now }))
	if err != nil {
		return "", time.Time{}, fmt.Errorf("invalid token: %w", err)
	}
	if claims.Subject == "" {
		return "", time.Time{}, errors.New("invalid token: no sub")
	}
	var exp time.Time
	if claims.ExpiresAt != nil {
		exp = claims.ExpiresAt.Time
	}
	return claims.Subject, exp, nil
}
