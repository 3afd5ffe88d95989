package api

import (
	_ "embed"
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Operation documents one route of the public listener in /openapi.json.
// Schema names refer to components/schemas of openapi_components.json.
type Operation struct {
	Tag     string
	Summary string
	// Auth: the route needs a Bearer JWT (401 without one).
	Auth bool
	// Request names the schema of the JSON body ("" when there is none).
	Request string
	// Status is the success status (0 means 200) and Response names the
	// schema of its body ("" for a non-JSON answer such as a page).
	Status   int
	Response string
	// Wait: the route accepts ?min_version=N&wait=D (read-your-writes,
	// versions.go) and may answer with StaleHeader.
	Wait bool
}

// Operations documents every route finstream serves on --listen, keyed by
// the ServeMux pattern that registers it. Adding a route is one line here:
// TestOpenAPIMatchesTheRouter fails while a registered route has no entry,
// or an entry no route.
var Operations = map[string]Operation{
	"GET /healthz":                                              {Tag: "health", Summary: "Liveness", Response: "Status"},
	"GET /readyz":                                               {Tag: "health", Summary: "Readiness: 503 while tables are being restored", Response: "Status"},
	"GET /openapi.json":                                         {Tag: "health", Summary: "This OpenAPI 3.1 document", Response: "OpenAPI"},
	"GET /v1/clock":                                             {Tag: "health", Summary: "The domain clock: now (simulated under run --simulate) and time_scale", Response: "Clock"},
	"POST /v1/dev/token":                                        {Tag: "dev", Summary: "A demo token for any user (only with --dev)", Request: "DevTokenRequest", Response: "DevToken"},
	"GET /v1/categories":                                        {Tag: "categories", Summary: "The category taxonomy: primary categories and their detailed codes (EN/TH names), and the confidence levels", Response: "Categories"},
	"GET /v1/me/budgets":                                        {Tag: "budgets", Summary: "Your budgets in the current period", Auth: true, Response: "Budgets", Wait: true},
	"PUT /v1/me/budgets/{category}":                             {Tag: "budgets", Summary: "Set a budget on a category", Auth: true, Request: "BudgetRequest", Status: 202, Response: "Accepted"},
	"DELETE /v1/me/budgets/{category}":                          {Tag: "budgets", Summary: "Delete a budget", Auth: true, Status: 202, Response: "Accepted"},
	"GET /v1/me/budgets/{category}/history":                     {Tag: "history", Summary: "Every version of a budget (Postgres sink; 503 without it)", Auth: true, Response: "BudgetHistory"},
	"GET /v1/me/spending":                                       {Tag: "budgets", Summary: "Spend per category in a period (?period=2026-11 or 2026-W47); ?level=detailed splits it per detailed category (Postgres sink; 503 without it)", Auth: true, Response: "Spending", Wait: true},
	"GET /v1/me/transactions":                                   {Tag: "history", Summary: "Your transactions, newest first, cursor paginated (Postgres sink; 503 without it)", Auth: true, Response: "Transactions"},
	"POST /v1/me/transactions/{id}/category":                    {Tag: "budgets", Summary: "Recategorize a transaction (scope this|merchant)", Auth: true, Request: "RecategorizeRequest", Status: 202, Response: "Accepted"},
	"GET /v1/me/shared-budgets":                                 {Tag: "shared", Summary: "The shared budgets you take part in", Auth: true, Response: "SharedBudgets", Wait: true},
	"POST /v1/shared-budgets":                                   {Tag: "shared", Summary: "Create a shared budget (you are its owner)", Auth: true, Request: "SharedBudgetRequest", Status: 202, Response: "Accepted"},
	"GET /v1/shared-budgets/{id}":                               {Tag: "shared", Summary: "A shared budget (404 unless you take part)", Auth: true, Response: "SharedBudget", Wait: true},
	"PATCH /v1/shared-budgets/{id}":                             {Tag: "shared", Summary: "Change a shared budget's limit or thresholds (owner)", Auth: true, Request: "SharedBudgetPatch", Status: 202, Response: "Accepted"},
	"GET /v1/shared-budgets/{id}/transactions":                  {Tag: "history", Summary: "A shared budget's transactions (Postgres sink; 503 without it)", Auth: true, Response: "SharedTransactions"},
	"POST /v1/shared-budgets/{id}/members":                      {Tag: "shared", Summary: "Invite a member (owner); they accept or decline", Auth: true, Request: "MemberRequest", Status: 202, Response: "Invitation"},
	"DELETE /v1/shared-budgets/{id}/members/{user_id}":          {Tag: "shared", Summary: "Remove a member (owner), or leave", Auth: true, Status: 202, Response: "Accepted"},
	"GET /v1/me/alerts":                                         {Tag: "budgets", Summary: "Your recent alerts (the last 20), each with its explanation", Auth: true, Response: "Alerts", Wait: true},
	"GET /v1/me/alerts/{alert_id}":                              {Tag: "budgets", Summary: "One alert with the transactions that built the spend, the threshold, the pace and the rule", Auth: true, Response: "Alert", Wait: true},
	"POST /v1/me/assistant":                                     {Tag: "assistant", Summary: "Ask the co-pilot: answers from your own state; escalates below 0.7 confidence", Auth: true, Request: "AssistantRequest", Response: "AssistantResponse"},
	"GET /v1/me/invitations":                                    {Tag: "shared", Summary: "Your pending shared-budget invitations", Auth: true, Response: "Invitations", Wait: true},
	"POST /v1/me/invitations/{invitation_id}/accept":            {Tag: "shared", Summary: "Accept an invitation", Auth: true, Status: 202, Response: "Accepted"},
	"POST /v1/me/invitations/{invitation_id}/decline":           {Tag: "shared", Summary: "Decline an invitation", Auth: true, Status: 202, Response: "Accepted"},
	"GET /v1/me/insights":                                       {Tag: "insights", Summary: "Your spending insights", Auth: true, Response: "Insights", Wait: true},
	"GET /v1/me/goals":                                          {Tag: "goals", Summary: "Your savings goals", Auth: true, Response: "Goals", Wait: true},
	"PUT /v1/me/goals/{id}":                                     {Tag: "goals", Summary: "Create or change a goal", Auth: true, Request: "GoalRequest", Status: 202, Response: "Accepted"},
	"DELETE /v1/me/goals/{id}":                                  {Tag: "goals", Summary: "Delete a goal", Auth: true, Status: 202, Response: "Accepted"},
	"POST /v1/me/goals/{id}/members":                            {Tag: "goals", Summary: "Invite a member to a shared goal", Auth: true, Request: "MemberRequest", Status: 202, Response: "Accepted"},
	"DELETE /v1/me/goals/{id}/members/{user_id}":                {Tag: "goals", Summary: "Remove a goal member", Auth: true, Status: 202, Response: "Accepted"},
	"GET /v1/me/goal-invitations":                               {Tag: "goals", Summary: "Your pending goal invitations", Auth: true, Response: "GoalInvitations", Wait: true},
	"POST /v1/me/goal-invitations/{owner_id}/{goal_id}/accept":  {Tag: "goals", Summary: "Accept a goal invitation", Auth: true, Status: 202, Response: "Accepted"},
	"POST /v1/me/goal-invitations/{owner_id}/{goal_id}/decline": {Tag: "goals", Summary: "Decline a goal invitation", Auth: true, Status: 202, Response: "Accepted"},
	"GET /v1/me/notification-settings":                          {Tag: "notifications", Summary: "Which notification kinds you get, and their language", Auth: true, Response: "NotificationSettings", Wait: true},
	"PUT /v1/me/notification-settings":                          {Tag: "notifications", Summary: "Turn notification kinds on or off (daily_digest is opt-in)", Auth: true, Request: "NotificationSettings", Status: 202, Response: "Accepted"},
	"GET /v1/ws":                                                {Tag: "realtime", Summary: "WebSocket: budget updates, notifications, presence (token in Authorization or ?access_token=)", Auth: true, Status: 101},
	"GET /{$}":                                                  {Tag: "dashboard", Summary: "The live dashboard (HTML)"},
	"GET /assets/":                                              {Tag: "dashboard", Summary: "The dashboard's scripts and styles"},
}

//go:embed openapi_components.json
var openapiComponents []byte

// routeMux is a ServeMux that remembers the patterns registered on it, so
// /openapi.json describes exactly the routes served.
type routeMux struct {
	*http.ServeMux
	mu       sync.Mutex
	patterns []string
}

func newRouteMux() *routeMux { return &routeMux{ServeMux: http.NewServeMux()} }

func (m *routeMux) Handle(pattern string, h http.Handler) {
	m.mu.Lock()
	m.patterns = append(m.patterns, pattern)
	m.mu.Unlock()
	m.ServeMux.Handle(pattern, h)
}

func (m *routeMux) HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request)) {
	m.Handle(pattern, http.HandlerFunc(h))
}

// Routes returns the patterns registered on the server, sorted.
func (s *Server) Routes() []string {
	s.mux.mu.Lock()
	defer s.mux.mu.Unlock()
	out := slices.Clone(s.mux.patterns)
	slices.Sort(out)
	return out
}

var pathParam = regexp.MustCompile(`\{([a-z_]+)(\.\.\.)?\}`)

// openAPIPath turns a ServeMux pattern into its method and OpenAPI path:
// "GET /v1/me/budgets/{category}" → get, /v1/me/budgets/{category}; the
// exact root "/{$}" → "/"; a subtree "/assets/" → "/assets/{file}".
func openAPIPath(pattern string) (method, path string, params []string) {
	method, path, _ = strings.Cut(pattern, " ")
	path = strings.ReplaceAll(path, "{$}", "")
	if len(path) > 1 && strings.HasSuffix(path, "/") {
		path += "{file}"
	}
	for _, m := range pathParam.FindAllStringSubmatch(path, -1) {
		params = append(params, m[1])
	}
	path = pathParam.ReplaceAllString(path, "{$1}")
	return strings.ToLower(method), path, params
}

// OpenAPI builds the OpenAPI 3.1 document of the registered routes. A
// route without an entry in Operations appears with x-undocumented: true
// (the tests fail on it).
func (s *Server) OpenAPI() map[string]any {
	var components map[string]any
	if err := json.Unmarshal(openapiComponents, &components); err != nil {
		panic("api: openapi_components.json: " + err.Error()) // embedded: a broken file fails every test
	}
	paths := map[string]any{}
	for _, pattern := range s.Routes() {
		method, path, params := openAPIPath(pattern)
		op, ok := Operations[pattern]
		item, _ := paths[path].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[path] = item
		}
		item[method] = operation(pattern, op, ok, params)
	}
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{"title": "finstream", "version": "1",
			"description": "The financial co-pilot's API: reads are eventually consistent and carry version; commands answer 202 and apply through Kafka. Money is int64 minor units; percentages are basis points."},
		"paths":      paths,
		"components": components,
	}
}

func operation(pattern string, op Operation, documented bool, params []string) map[string]any {
	out := map[string]any{"operationId": pattern, "summary": op.Summary}
	if op.Tag != "" {
		out["tags"] = []string{op.Tag}
	}
	if !documented {
		out["x-undocumented"] = true
	}
	var ps []any
	for _, p := range params {
		ps = append(ps, map[string]any{"name": p, "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
	}
	if op.Wait {
		ps = append(ps, waitParameters...)
	}
	if ps != nil {
		out["parameters"] = ps
	}
	if op.Request != "" {
		out["requestBody"] = map[string]any{"required": true, "content": jsonContent(op.Request)}
	}
	status := op.Status
	if status == 0 {
		status = http.StatusOK
	}
	ok := map[string]any{"description": http.StatusText(status)}
	if op.Response != "" {
		ok["content"] = jsonContent(op.Response)
	}
	if op.Wait {
		ok["headers"] = map[string]any{StaleHeader: map[string]any{"description": "true: ?wait ended before the state reached ?min_version; the body is the current state",
			"schema": map[string]any{"type": "string", "enum": []string{"true"}}}}
	}
	responses := map[string]any{strconv.Itoa(status): ok}
	errs := []int{}
	if op.Request != "" {
		errs = append(errs, 400, 422)
	} else if op.Wait {
		errs = append(errs, 400)
	}
	if op.Auth {
		out["security"] = []any{map[string]any{"bearer": []string{}}}
		errs = append(errs, 401, 404, 429, 503)
	}
	for _, c := range errs {
		responses[strconv.Itoa(c)] = map[string]any{"description": http.StatusText(c), "content": jsonContent("Error")}
	}
	out["responses"] = responses
	return out
}

// waitParameters are the query parameters of a route with Wait.
var waitParameters = []any{
	map[string]any{"name": "min_version", "in": "query", "required": false, "schema": map[string]any{"type": "integer", "format": "int64", "minimum": 0},
		"description": "Wait until the state's version is at least this: a command's 202 says it as min_version (400 bad_min_version when not an integer >= 0)"},
	map[string]any{"name": "wait", "in": "query", "required": false, "schema": map[string]any{"type": "string", "default": "0s", "examples": []string{"2s", "500ms"}},
		"description": "How long to wait for min_version, a Go duration up to 5s (400 bad_wait otherwise); when it ends first, 200 with the current state and X-Finstream-Stale: true"},
}

func jsonContent(schema string) map[string]any {
	return map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/" + schema}}}
}

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.OpenAPI())
}
