package api_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"finstream/api"
	"finstream/api/dashboard"
)

// openAPIDoc fetches /openapi.json without a token and decodes it.
func openAPIDoc(t *testing.T, url string) map[string]any {
	t.Helper()
	resp, err := http.Get(url + "/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("GET /openapi.json: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var doc map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		t.Fatalf("/openapi.json is not JSON: %v", err)
	}
	return doc
}

// checkOpenAPI fails t unless doc is an OpenAPI 3.1 document whose
// operations are exactly the documented ones of api.Operations named in
// want, each $ref resolving. cmd/finstream runs the same check against the
// binary's whole router.
func checkOpenAPI(t *testing.T, doc map[string]any, want []string) {
	t.Helper()
	if v, _ := doc["openapi"].(string); !regexp.MustCompile(`^3\.1\.\d+$`).MatchString(v) {
		t.Fatalf("openapi = %q, want 3.1.x", v)
	}
	schemas := jget[map[string]any](t, doc, "components", "schemas")
	got := map[string]bool{}
	for path, item := range jget[map[string]any](t, doc, "paths") {
		for method, op := range item.(map[string]any) {
			o := op.(map[string]any)
			id := o["operationId"].(string)
			got[id] = true
			if o["x-undocumented"] == true {
				t.Errorf("route %s (%s %s) is registered but has no entry in api.Operations", id, method, path)
			}
			if !strings.EqualFold(strings.Fields(id)[0], method) {
				t.Errorf("%s under method %s", id, method)
			}
			for _, p := range regexp.MustCompile(`\{([a-z_]+)\}`).FindAllStringSubmatch(path, -1) {
				if !strings.Contains(mustJSON(t, o["parameters"]), `"name":"`+p[1]+`"`) {
					t.Errorf("%s: path parameter %s not described", id, p[1])
				}
			}
		}
	}
	for _, ref := range regexp.MustCompile(`"#/components/schemas/([A-Za-z]+)"`).FindAllStringSubmatch(mustJSON(t, doc), -1) {
		if _, ok := schemas[ref[1]]; !ok {
			t.Errorf("$ref to missing schema %s", ref[1])
		}
	}
	for _, w := range want {
		if !got[w] {
			t.Errorf("api.Operations has %q but no such route is registered", w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("document has %d operations, want %d", len(got), len(want))
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The document describes the routes of a Server: its own, history and
// the dashboard mounted on it, without a token. (The copilot routes and
// the WebSocket are checked against the binary's router in cmd/finstream.)
func TestOpenAPIMatchesTheRouter(t *testing.T) {
	var srv *api.Server
	f := startWith(t, func(c *api.Config) {
		c.Dev = true
		var err error
		if srv, err = api.New(*c); err != nil {
			t.Fatal(err)
		}
		api.MountHistoryUnavailable(srv.Handle)
		dash := dashboard.Handler(true)
		srv.Handle("GET /{$}", dash)
		srv.Handle("GET /assets/", dash)
	})
	_ = f // keeps the views running
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	ts := hs.URL
	var want []string
	for _, r := range srv.Routes() {
		if _, ok := api.Operations[r]; !ok {
			t.Errorf("registered route %q has no entry in api.Operations", r)
		}
		want = append(want, r)
	}
	if len(want) < 20 {
		t.Fatalf("only %d routes registered: %v", len(want), want)
	}
	checkOpenAPI(t, openAPIDoc(t, ts), want)
	// An entry's request body and responses are in the document.
	doc := openAPIDoc(t, ts)
	put := jget[map[string]any](t, doc, "paths", "/v1/me/budgets/{category}", "put")
	if jget[string](t, put, "requestBody", "content", "application/json", "schema", "$ref") != "#/components/schemas/BudgetRequest" {
		t.Errorf("PUT budget request: %v", put)
	}
	jget[map[string]any](t, put, "responses", "202")
	jget[map[string]any](t, put, "responses", "401")
	if jget[string](t, doc, "paths", "/", "get", "operationId") != "GET /{$}" {
		t.Errorf("root")
	}
	// Read-your-writes: a GET that answers a version documents
	// min_version and wait, its 400 and the stale header; a 202 says
	// min_version and applies_to.
	get := jget[map[string]any](t, doc, "paths", "/v1/me/budgets", "get")
	var names []string
	for _, p := range jget[[]any](t, get, "parameters") {
		names = append(names, jget[string](t, p, "name"))
	}
	if strings.Join(names, ",") != "min_version,wait" {
		t.Errorf("GET /v1/me/budgets parameters %v", names)
	}
	jget[map[string]any](t, get, "responses", "400")
	jget[map[string]any](t, get, "responses", "200", "headers", api.StaleHeader)
	for _, f := range []string{"min_version", "applies_to"} {
		jget[map[string]any](t, doc, "components", "schemas", "Accepted", "properties", f)
	}
}
