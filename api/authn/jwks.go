package authn

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/MicahParks/keyfunc/v3"
	"golang.org/x/time/rate"
)

const discoveryPath = "/.well-known/openid-configuration"

// discover resolves the JWKS URL flag: a URL ending in
// /.well-known/openid-configuration is a discovery document; any other URL
// is fetched, and used as the key set when it is one (it has "keys"), or
// else taken as an OIDC issuer whose discovery document
// (<url>/.well-known/openid-configuration) is fetched. It
// returns the key set's URL and, from a discovery document, the issuer.
func discover(ctx context.Context, client *http.Client, raw string) (setURL, issuer string, err error) {
	if !strings.HasSuffix(raw, discoveryPath) {
		var doc struct {
			Keys json.RawMessage `json:"keys"`
		}
		asSet := getJSON(ctx, client, raw, &doc)
		if asSet == nil && len(doc.Keys) > 0 {
			return raw, "", nil
		}
		setURL, issuer, err := discover(ctx, client, strings.TrimSuffix(raw, "/")+discoveryPath)
		if err != nil && asSet != nil {
			return "", "", fmt.Errorf("%w (and as a JWK Set: %w)", err, asSet)
		}
		return setURL, issuer, err
	}
	var doc struct {
		Issuer  string `json:"issuer"`
		JWKSURI string `json:"jwks_uri"`
	}
	if err := getJSON(ctx, client, raw, &doc); err != nil {
		return "", "", fmt.Errorf("authn: OIDC discovery: %w", err)
	}
	if doc.JWKSURI == "" {
		return "", "", fmt.Errorf("authn: OIDC discovery %s: no jwks_uri", raw)
	}
	return doc.JWKSURI, doc.Issuer, nil
}

func getJSON(ctx context.Context, client *http.Client, url string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("authn: fetch %s: %w", url, err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("authn: fetch %s: %w", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("authn: fetch %s: status %s", url, resp.Status)
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(v); err != nil {
		return fmt.Errorf("authn: fetch %s: not JSON: %w", url, err)
	}
	return nil
}

// keySet is the cached key set at setURL: fetched now (a failure is
// logged, not returned), again every JWKSRefresh, and on a token with an
// unknown "kid" at most once per JWKSMinRefresh. A refresh replaces the
// whole set, so a key the provider stopped publishing is refused from then.
func keySet(ctx context.Context, cfg Config, setURL string) (keyfunc.Keyfunc, error) {
	onError := func(u string) func(context.Context, error) {
		return func(_ context.Context, err error) {
			cfg.Logger.Warn("JWKS refresh failed", "url", u, "err", err)
		}
	}
	k, err := keyfunc.NewDefaultOverrideCtx(ctx, []string{setURL}, keyfunc.Override{
		Client:                  cfg.Client,
		HTTPTimeout:             cfg.JWKSTimeout,
		RefreshInterval:         cfg.JWKSRefresh,
		RefreshUnknownKID:       rate.NewLimiter(rate.Every(cfg.JWKSMinRefresh), 1),
		RateLimitWaitMax:        cfg.JWKSTimeout,
		RefreshErrorHandlerFunc: onError,
	})
	if err != nil {
		return nil, fmt.Errorf("authn: key set %s: %w", setURL, err)
	}
	return k, nil
}
