package main

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"finstream/api"
)

// /openapi.json of the running binary describes its whole public router:
// every registered route has an entry in api.Operations (none is marked
// x-undocumented) and every entry is a registered route, so the document
// cannot drift from the router. It is served without a token.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	n := newNode(t)
	n.start()
	resp, err := http.Get("http://" + n.listen + "/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc struct {
		OpenAPI string                               `json:"openapi"`
		Paths   map[string]map[string]map[string]any `json:"paths"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); resp.StatusCode != 200 || err != nil {
		t.Fatalf("GET /openapi.json: %d %v", resp.StatusCode, err)
	}
	if !regexp.MustCompile(`^3\.1\.\d+$`).MatchString(doc.OpenAPI) {
		t.Fatalf("openapi %q", doc.OpenAPI)
	}
	served := map[string]bool{}
	for path, item := range doc.Paths {
		for method, op := range item {
			id, _ := op["operationId"].(string)
			served[id] = true
			if op["x-undocumented"] == true {
				t.Errorf("%s %s is routed but not in api.Operations", strings.ToUpper(method), path)
			}
		}
	}
	for pattern := range api.Operations {
		if !served[pattern] {
			t.Errorf("api.Operations documents %q, which the binary does not route", pattern)
		}
	}
	if len(served) != len(api.Operations) {
		t.Errorf("%d routes served, %d documented", len(served), len(api.Operations))
	}
}
