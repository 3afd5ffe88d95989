// Package authntest is an OIDC identity provider for tests: an httptest
// server publishing a discovery document and a JWK Set whose keys (RS256
// and ES256) can be added and removed while it runs, and a signer of
// tokens with those keys.
package authntest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/MicahParks/jwkset"
	"github.com/golang-jwt/jwt/v5"
)

// Issuer is a running identity provider. Its URL is the OIDC issuer
// (discovery at URL+"/.well-known/openid-configuration", keys at
// URL+"/jwks"). Safe for concurrent use.
type Issuer struct {
	URL     string
	srv     *httptest.Server
	mu      sync.Mutex
	keys    map[string]key // kid → published key
	retired map[string]key // kid → removed key, still signing
	fetches atomic.Int64
}

type key struct {
	alg  jwt.SigningMethod
	priv crypto.Signer
}

// NewIssuer starts an identity provider, stopped when the test ends.
func NewIssuer(t testing.TB) *Issuer {
	t.Helper()
	is := &Issuer{keys: map[string]key{}, retired: map[string]key{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]string{"issuer": is.URL, "jwks_uri": is.URL + "/jwks"})
	})
	mux.HandleFunc("GET /jwks", func(w http.ResponseWriter, r *http.Request) {
		is.fetches.Add(1)
		b, err := is.set(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(b)
	})
	is.srv = httptest.NewServer(mux)
	is.URL = is.srv.URL
	t.Cleanup(is.srv.Close)
	return is
}

// JWKSURL is the URL of the key set.
func (is *Issuer) JWKSURL() string { return is.URL + "/jwks" }

// Fetches counts the requests for the key set so far.
func (is *Issuer) Fetches() int64 { return is.fetches.Load() }

func (is *Issuer) set(r *http.Request) ([]byte, error) {
	is.mu.Lock()
	defer is.mu.Unlock()
	st := jwkset.NewMemoryStorage()
	for kid, k := range is.keys {
		j, err := jwkset.NewJWKFromKey(k.priv.Public(), jwkset.JWKOptions{Metadata: jwkset.JWKMetadataOptions{
			KID: kid, ALG: jwkset.ALG(k.alg.Alg()), USE: jwkset.UseSig}})
		if err != nil {
			return nil, err
		}
		if err := st.KeyWrite(r.Context(), j); err != nil {
			return nil, err
		}
	}
	return st.JSONPublic(r.Context())
}

// AddRSA publishes a new RS256 key under kid.
func (is *Issuer) AddRSA(t testing.TB, kid string) {
	t.Helper()
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	is.add(kid, key{jwt.SigningMethodRS256, priv})
}

// AddEC publishes a new ES256 key under kid.
func (is *Issuer) AddEC(t testing.TB, kid string) {
	t.Helper()
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	is.add(kid, key{jwt.SigningMethodES256, priv})
}

func (is *Issuer) add(kid string, k key) {
	is.mu.Lock()
	defer is.mu.Unlock()
	is.keys[kid] = k
}

// Remove stops publishing kid; Sign still signs with it.
func (is *Issuer) Remove(kid string) {
	is.mu.Lock()
	defer is.mu.Unlock()
	if k, ok := is.keys[kid]; ok {
		delete(is.keys, kid)
		is.retired[kid] = k
	}
}

// Sign signs claims with kid's key (published or removed), "kid" in the
// header.
func (is *Issuer) Sign(t testing.TB, kid string, claims jwt.Claims) string {
	t.Helper()
	is.mu.Lock()
	k, ok := is.keys[kid]
	if !ok {
		k, ok = is.retired[kid]
	}
	is.mu.Unlock()
	if !ok {
		t.Fatalf("authntest: no key %q", kid)
	}
	tok := jwt.NewWithClaims(k.alg, claims)
	tok.Header["kid"] = kid
	s, err := tok.SignedString(k.priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
