package api_test

import (
	"strings"
	"testing"

	"finstream/processors/cdc"
)

func TestMethodNotAllowed(t *testing.T) {
	f := start(t, false)
	for _, c := range []struct{ method, path, allow string }{
		{"PATCH", "/v1/me/budgets", "GET, HEAD"},
		{"POST", "/v1/me/budgets/groceries", "DELETE, PUT"},
		{"GET", "/v1/me/transactions/T1/category", "POST"},
		{"DELETE", "/healthz", "GET, HEAD"},
	} {
		r := f.send(t, c.method, c.path, tok(t, "U"), "")
		if r.status != 405 || r.errCode() != "method_not_allowed" || r.header.Get("Allow") != c.allow {
			t.Errorf("%s %s: %d Allow %q %s, want 405 Allow %q", c.method, c.path, r.status, r.header.Get("Allow"), r.raw, c.allow)
		}
		if !strings.Contains(r.errMessage(), c.allow) {
			t.Errorf("%s %s: message %q does not say what is allowed", c.method, c.path, r.errMessage())
		}
	}
}

func TestUnknownRoutesAreJSON(t *testing.T) {
	f := start(t, false)
	for _, p := range []string{"/v1/nope", "/nope", "/v2/me/budgets", "/v1/me/budgets/groceries/extra"} {
		r := f.send(t, "GET", p, tok(t, "U"), "")
		if r.status != 404 || r.errCode() != "not_found" || r.header.Get("Content-Type") != "application/json" {
			t.Errorf("GET %s: %d %q %s", p, r.status, r.header.Get("Content-Type"), r.raw)
		}
	}
}

// TestMessages: messages say what is wrong in words, once, without the
// sentinel prefixes or Go's type names.
func TestMessages(t *testing.T) {
	f := start(t, false)
	for _, c := range []struct{ path, body, code, message string }{
		{"/v1/me/budgets/pets", `{"limit_minor":1,"currency":"THB"}`, "invalid", `unknown category "pets"`},
		{"/v1/me/budgets/groceries", `{"limit_minor":"lots","currency":"THB"}`, "bad_json",
			"request body: field limit_minor: want a whole number, not a JSON string"},
		{"/v1/me/budgets/groceries", `{"limit_minor":1,`, "bad_json", "request body: the JSON ends too early"},
		{"/v1/me/budgets/groceries", `{"limit_minor":1}}`, "bad_json", "request body: trailing data after the JSON object"},
		{"/v1/me/budgets/groceries", `{"limit":1}`, "bad_json", `request body: unknown field "limit"`},
		{"/v1/me/budgets/groceries", ``, "bad_json", "request body: empty, want a JSON object"},
	} {
		r := f.send(t, "PUT", c.path, tok(t, "U"), c.body)
		if r.errCode() != c.code || r.errMessage() != c.message {
			t.Errorf("PUT %s %s: %d %s, want %s %q", c.path, c.body, r.status, r.raw, c.code, c.message)
		}
	}
}

// TestBudgetCurrency: a budget in a currency the user never spent in is
// refused with the currencies they hold; a user without spend yet may
// choose any known currency.
func TestBudgetCurrency(t *testing.T) {
	f := start(t, false)
	f.h.Txn(cdc.OpCreate, purchase("T1", "USR-THB", 10_000, 10))
	r := f.send(t, "PUT", "/v1/me/budgets/groceries", tok(t, "USR-THB"), `{"limit_minor":50000,"currency":"USD"}`)
	if r.status != 422 || r.errCode() != "currency_not_held" || !strings.Contains(r.errMessage(), "THB") || !strings.Contains(r.errMessage(), "USD") {
		t.Fatalf("USD budget of a THB user: %d %s", r.status, r.raw)
	}
	if r := f.send(t, "PUT", "/v1/me/budgets/groceries", tok(t, "USR-THB"), `{"limit_minor":50000,"currency":"THB"}`); r.status != 202 {
		t.Fatalf("THB budget: %d %s", r.status, r.raw)
	}
	if r := f.send(t, "PUT", "/v1/me/budgets/groceries", tok(t, "USR-NEW"), `{"limit_minor":50000,"currency":"USD"}`); r.status != 202 {
		t.Fatalf("USD budget of a user without spend: %d %s", r.status, r.raw)
	}
}
