package api_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"finstream/api"
	"finstream/api/authn"
	"finstream/api/authn/authntest"
	"finstream/processors/cdc"
)

type reply struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

func (r reply) errCode() string {
	e, _ := r.body["error"].(map[string]any)
	c, _ := e["code"].(string)
	return c
}

func (r reply) errMessage() string {
	e, _ := r.body["error"].(map[string]any)
	m, _ := e["message"].(string)
	return m
}

// send makes a request with a raw bearer token ("" for none).
func (f *fixture) send(t *testing.T, method, path, token, body string) reply {
	t.Helper()
	req, _ := http.NewRequest(method, f.srv.URL+path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	r := reply{status: resp.StatusCode, header: resp.Header, raw: string(b)}
	_ = json.Unmarshal(b, &r.body)
	f.h.Tester.Catchup()
	return r
}

// oidcGate is a Gate over the test secret and idp's keys (OIDC discovery),
// with the audience "finstream-app", on the fixture's clock.
func oidcGate(t *testing.T, idp *authntest.Issuer, cfg authn.Config, limits api.Limits, limitClock func() time.Time) *api.Gate {
	t.Helper()
	cfg.Secret, cfg.JWKSURL, cfg.Audience = []byte(secret), idp.URL, "finstream-app"
	cfg.Now = func() time.Time { return now }
	v, err := authn.New(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	g, err := api.NewGate(api.GateConfig{Tokens: v, Limits: limits, Now: limitClock})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

var noLimits = api.Limits{UserRate: -1, IPRate: -1, DevTokenRate: -1}

// TestAuthMatrix: every kind of bad token gets 401 with its own code, a
// JSON body free of library internals and a WWW-Authenticate challenge;
// RS256 and ES256 from the JWKS and HS256 with the secret pass.
func TestAuthMatrix(t *testing.T) {
	idp := authntest.NewIssuer(t)
	f := startWith(t, func(c *api.Config) { c.Gate = oidcGate(t, idp, authn.Config{}, noLimits, nil) })
	cases := authntest.Matrix(t, idp, []byte(secret), "USR-1", "finstream-app", now)
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			r := f.send(t, "GET", "/v1/me/budgets", tc.Token, "")
			if tc.Code == "" {
				if r.status != http.StatusOK {
					t.Fatalf("status %d %s", r.status, r.raw)
				}
				return
			}
			if r.status != http.StatusUnauthorized || r.errCode() != tc.Code || r.errMessage() == "" {
				t.Fatalf("status %d body %s, want 401 %s", r.status, r.raw, tc.Code)
			}
			if ct := r.header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
			if !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("WWW-Authenticate %q", r.header.Get("WWW-Authenticate"))
			}
			for _, leak := range []string{"jwt", "JSON", "json", "keyfunc", "invalid character", "segment"} {
				if strings.Contains(r.errMessage(), leak) {
					t.Errorf("message leaks %q: %s", leak, r.errMessage())
				}
			}
		})
	}
}

// TestKeyRotation: a new key is accepted as soon as it is published, a
// removed one is refused once the key set is refreshed.
func TestKeyRotation(t *testing.T) {
	idp := authntest.NewIssuer(t)
	idp.AddRSA(t, "2026-10")
	cfg := authn.Config{JWKSMinRefresh: time.Millisecond, JWKSRefresh: 20 * time.Millisecond}
	f := startWith(t, func(c *api.Config) { c.Gate = oidcGate(t, idp, cfg, noLimits, nil) })
	claims := jwt.RegisteredClaims{Subject: "USR-1", Issuer: idp.URL, Audience: jwt.ClaimStrings{"finstream-app"},
		IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(time.Hour))}
	old := idp.Sign(t, "2026-10", claims)
	if r := f.send(t, "GET", "/v1/me/budgets", old, ""); r.status != 200 {
		t.Fatalf("old key: %d %s", r.status, r.raw)
	}
	idp.AddEC(t, "2026-11")
	if r := f.send(t, "GET", "/v1/me/budgets", idp.Sign(t, "2026-11", claims), ""); r.status != 200 {
		t.Fatalf("new key: %d %s", r.status, r.raw)
	}
	idp.Remove("2026-10")
	deadline := time.Now().Add(10 * time.Second)
	for {
		r := f.send(t, "GET", "/v1/me/budgets", old, "")
		if r.status == 401 && r.errCode() == authn.CodeUnknownKey {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("removed key still accepted: %d %s", r.status, r.raw)
		}
		time.Sleep(5 * time.Millisecond) // polling interval
	}
}

// TestCrossUser: the token's subject decides whose state a request sees
// and changes; another user's budget and transaction are 404.
func TestCrossUser(t *testing.T) {
	f := start(t, false)
	f.h.Txn(cdc.OpCreate, purchase("T-A", "USR-A", 50_000, 10))
	if code, body := f.do(t, "PUT", "/v1/me/budgets/groceries", "USR-A", `{"limit_minor":100000,"currency":"THB"}`); code != 202 {
		t.Fatalf("A's PUT: %d %v", code, body)
	}
	if _, body := f.do(t, "GET", "/v1/me/budgets", "USR-B", ""); len(body["budgets"].([]any)) != 0 {
		t.Fatalf("B sees %v", body)
	}
	if code, _ := f.do(t, "DELETE", "/v1/me/budgets/groceries", "USR-B", ""); code != 404 {
		t.Fatalf("B deletes A's budget: %d", code)
	}
	if code, _ := f.do(t, "POST", "/v1/me/transactions/T-A/category", "USR-B", `{"category":"dining"}`); code != 404 {
		t.Fatalf("B recategorizes A's transaction: %d", code)
	}
	if _, body := f.do(t, "GET", "/v1/me/budgets", "USR-A", ""); len(body["budgets"].([]any)) != 1 {
		t.Fatalf("A's budgets %v", body)
	}
}

// TestDevTokenFitsTheRules: a dev token carries the configured issuer and
// audience and is no longer lived than the maximum.
func TestDevTokenFitsTheRules(t *testing.T) {
	v, err := authn.New(context.Background(), authn.Config{Secret: []byte(secret), Issuer: "finstream-dev",
		Audience: "finstream-app", MaxLifetime: time.Hour, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	g, err := api.NewGate(api.GateConfig{Tokens: v, Limits: noLimits})
	if err != nil {
		t.Fatal(err)
	}
	f := startWith(t, func(c *api.Config) { c.Gate, c.Dev = g, true })
	r := f.send(t, "POST", "/v1/dev/token", "", `{"user_id":"USR-1"}`)
	exp, _ := time.Parse(time.RFC3339, fmtString(r.body["expires_at"]))
	if r.status != 200 || !exp.Equal(now.Add(time.Hour)) {
		t.Fatalf("dev token: %d %s", r.status, r.raw)
	}
	if r := f.send(t, "GET", "/v1/me/budgets", r.body["token"].(string), ""); r.status != 200 {
		t.Fatalf("dev token refused: %d %s", r.status, r.raw)
	}
}

func fmtString(v any) string { s, _ := v.(string); return s }
