package main

import (
	"net/http"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/gorilla/websocket"

	"finstream/api/authn/authntest"
)

// TestTokensAndLimitsThroughTheBinary: `run` takes RS256 tokens from an
// OIDC provider (--jwks-url, --jwt-audience), refuses others with their
// code, and applies --rate-user and --ws-max-conns-per-user.
func TestTokensAndLimitsThroughTheBinary(t *testing.T) {
	idp := authntest.NewIssuer(t)
	idp.AddRSA(t, "k1")
	n := newNode(t)
	n.start("--jwks-url", idp.URL, "--jwt-audience", "finstream-app",
		"--rate-user", "1", "--rate-user-burst", "3", "--ws-max-conns-per-user", "1")
	sign := func(sub, aud string) string {
		return idp.Sign(t, "k1", jwt.RegisteredClaims{Subject: sub, Issuer: idp.URL, Audience: jwt.ClaimStrings{aud},
			IssuedAt: jwt.NewNumericDate(time.Now()), ExpiresAt: jwt.NewNumericDate(time.Now().Add(time.Hour))})
	}
	get := func(tok string) *http.Response {
		req, _ := http.NewRequest("GET", "http://"+n.listen+"/v1/me/budgets", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if r := get(sign("USR-OTHER-AUD", "another-app")); r.StatusCode != 401 {
		t.Fatalf("wrong audience: %d", r.StatusCode)
	}
	good := sign("USR-OIDC", "finstream-app")
	for i := range 3 {
		if r := get(good); r.StatusCode != 200 {
			t.Fatalf("request %d: %d", i, r.StatusCode)
		}
	}
	if r := get(good); r.StatusCode != 429 || r.Header.Get("Retry-After") == "" {
		t.Fatalf("4th request: %d Retry-After %q, want 429 with Retry-After", r.StatusCode, r.Header.Get("Retry-After"))
	}
	ws, _, err := websocket.DefaultDialer.Dial("ws://"+n.listen+"/v1/ws?access_token="+good, nil)
	if err != nil {
		t.Fatalf("first connection: %v", err)
	}
	defer ws.Close()
	_, resp, err := websocket.DefaultDialer.Dial("ws://"+n.listen+"/v1/ws?access_token="+good, nil)
	if err == nil || resp == nil || resp.StatusCode != 429 {
		t.Fatalf("second connection over the cap: %v %v", resp, err)
	}
}
