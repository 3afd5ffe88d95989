package authn

import (
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Error is why a token was refused: a stable Code for clients and a Message
// for people, both free of library internals (the cause, for logs, is
// wrapped). Every Error means 401 Unauthorized.
type Error struct {
	Code    string
	Message string
	cause   error
}

func (e *Error) Error() string {
	if e.cause != nil {
		return e.Code + ": " + e.cause.Error()
	}
	return e.Code + ": " + e.Message
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.cause }

// The codes of Error.
const (
	CodeMissing     = "token_missing"
	CodeMalformed   = "token_malformed"
	CodeAlgorithm   = "token_algorithm"
	CodeUnknownKey  = "token_unknown_key"
	CodeSignature   = "token_signature"
	CodeNoExpiry    = "token_no_expiry"
	CodeExpired     = "token_expired"
	CodeLifetime    = "token_lifetime"
	CodeNotYetValid = "token_not_yet_valid"
	CodeIssuer      = "token_issuer"
	CodeAudience    = "token_audience"
	CodeNoSubject   = "token_no_subject"
)

func refuse(code, message string, cause error) *Error {
	return &Error{Code: code, Message: message, cause: cause}
}

var errNoToken = errors.New("no bearer token")

// errUnknownKey wraps what the key set answers for a token whose key it
// does not hold (after a refresh, when the rate limit allows one).
var errUnknownKey = errors.New("unknown signing key")

// classify turns golang-jwt's error for a token with claims c into an
// Error. Checks of the signature come before those of the claims, as the
// parser runs them.
func (v *Verifier) classify(err error, c *jwt.RegisteredClaims) *Error {
	switch {
	case errors.Is(err, jwt.ErrTokenMalformed):
		return refuse(CodeMalformed, "the token is not a well-formed JWT", err)
	case errors.Is(err, errUnknownKey):
		return refuse(CodeUnknownKey, "the token is signed with a key the identity provider does not publish", err)
	case errors.Is(err, jwt.ErrTokenUnverifiable):
		// No key function ran, or it refused the algorithm.
		return refuse(CodeAlgorithm, "the token's signing algorithm is not accepted (accepted: "+v.algs+")", err)
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return refuse(CodeSignature, "the token's signature is invalid", err)
	case c.ExpiresAt == nil:
		return refuse(CodeNoExpiry, "the token has no exp claim: tokens must expire", err)
	case errors.Is(err, jwt.ErrTokenExpired):
		return refuse(CodeExpired, "the token has expired", err)
	case errors.Is(err, jwt.ErrTokenNotValidYet), errors.Is(err, jwt.ErrTokenUsedBeforeIssued):
		return refuse(CodeNotYetValid, "the token is not valid yet (nbf or iat is in the future)", err)
	case errors.Is(err, jwt.ErrTokenInvalidIssuer), v.issuer != "" && c.Issuer != v.issuer:
		return refuse(CodeIssuer, "the token was not issued by the expected issuer", err)
	case errors.Is(err, jwt.ErrTokenInvalidAudience), errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		return refuse(CodeAudience, "the token is not meant for this service (aud)", err)
	}
	return refuse(CodeMalformed, "the token's claims are invalid", err)
}

func lifetimeError(max time.Duration) *Error {
	return refuse(CodeLifetime, fmt.Sprintf("the token lives longer than the maximum of %s", max), nil)
}
