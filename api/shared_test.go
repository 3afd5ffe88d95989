package api_test

import (
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lovoo/goka"

	"finstream/api"
	"finstream/processors/cdc"
	"finstream/processors/processorstest"
	"finstream/topics"
)

// startShared is start with the shared-budget view and command emitter.
func startShared(t *testing.T) *fixture {
	t.Helper()
	h := processorstest.Start(t)
	views := runViews(t, h.Tester, tableView{topics.TableUsers, h.Codecs.UsersTable}, tableView{topics.TableShared, h.Codecs.SharedTable})
	users, err := goka.NewEmitter(nil, goka.Stream(topics.CommandsUser), h.Codecs.CommandsUser, goka.WithEmitterTester(h.Tester))
	if err != nil {
		t.Fatal(err)
	}
	sharedCmds, err := goka.NewEmitter(nil, goka.Stream(topics.CommandsShared), h.Codecs.SharedCommands, goka.WithEmitterTester(h.Tester))
	if err != nil {
		t.Fatal(err)
	}
	s, err := api.New(api.Config{Users: views[0], Commands: users, Shared: views[1], SharedCommands: sharedCmds,
		Secret: []byte(secret), Now: func() time.Time { return now }, Ready: func() bool { return true }})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return &fixture{h: h, srv: srv}
}

func (f *fixture) want(t *testing.T, method, path, user, body string, code int) map[string]any {
	t.Helper()
	got, out := f.do(t, method, path, user, body)
	if got != code {
		t.Fatalf("%s %s as %q: status %d, want %d (%v)", method, path, user, got, code, out)
	}
	return out
}

// join invites user to budget as role (by owner) and accepts as user.
func (f *fixture) join(t *testing.T, owner, budgetID, user, role string) {
	t.Helper()
	inv := f.want(t, "POST", "/v1/shared-budgets/"+budgetID+"/members", owner, `{"user_id":"`+user+`","role":"`+role+`"}`, 202)
	if inv["status"] != "pending" || inv["invitation_id"] == "" || inv["expires_at"] != now.Add(7*24*time.Hour).Format(time.RFC3339) {
		t.Fatalf("invitation %v", inv)
	}
	id, _ := inv["invitation_id"].(string)
	f.want(t, "POST", "/v1/me/invitations/"+id+"/accept", user, "", 202)
}

func tagged(row cdc.Txn, budgetID, merchant string) cdc.Txn {
	row.BudgetID, row.MerchantName = budgetID, merchant
	return row
}

// The seed's worked example over the API: B's ฿1,800 at Tesco Lotus tagged
// BDG-456 takes the household from ฿13,500 to ฿15,300 of ฿16,000.
func TestSharedBudgetWorkedExample(t *testing.T) {
	f := startShared(t)
	body := f.want(t, "POST", "/v1/shared-budgets", "A",
		`{"budget_id":"BDG-456","name":"Household Groceries","category":"groceries","limit_minor":1600000,"currency":"THB","period":"monthly"}`, 202)
	if body["budget_id"] != "BDG-456" || body["command_id"] == "" {
		t.Fatalf("create: %v", body)
	}
	f.join(t, "A", "BDG-456", "B", "contributor")

	// Memberships begin now (19 November, noon): the spending follows.
	f.h.Txn(cdc.OpCreate, purchase("TA", "A", 700_000, 20))
	f.h.Txn(cdc.OpCreate, tagged(purchase("TB", "B", 650_000, 21), "BDG-456", "Makro"))
	f.h.Txn(cdc.OpCreate, tagged(purchase("T3", "B", 180_000, 22), "BDG-456", "Tesco Lotus"))

	for _, user := range []string{"A", "B"} {
		b := f.want(t, "GET", "/v1/shared-budgets/BDG-456", user, "", 200)
		for k, v := range map[string]any{"budget_id": "BDG-456", "name": "Household Groceries", "category": "groceries", "currency": "THB",
			"limit_minor": 1_600_000.0, "spent_minor": 1_530_000.0, "remaining_minor": 70_000.0, "used_bp": 9562.0} {
			if b[k] != v {
				t.Errorf("%s: %s = %v, want %v", user, k, b[k], v)
			}
		}
		if got := b["crossed_bp"]; !reflect.DeepEqual(got, []any{5000.0, 8000.0, 9000.0}) {
			t.Errorf("crossed_bp %v", got)
		}
		parts := jget[[]any](t, b, "participants")
		pb := jget[map[string]any](t, b, "participants", 1)
		if len(parts) != 2 || pb["user_id"] != "B" || pb["role"] != "contributor" || pb["spent_minor"] != 830_000.0 || pb["share_bp"] != 5424.0 {
			t.Fatalf("participants %v", parts)
		}
	}
	mine := jget[[]any](t, f.want(t, "GET", "/v1/me/shared-budgets", "B", "", 200), "shared_budgets")
	if len(mine) != 1 || jget[any](t, mine, 0, "role") != "contributor" || jget[any](t, mine, 0, "used_bp") != 9562.0 {
		t.Fatalf("B's shared budgets %v", mine)
	}
}

func TestSharedBudgetAuthorization(t *testing.T) {
	f := startShared(t)
	f.want(t, "POST", "/v1/shared-budgets", "A", `{"budget_id":"BDG-456","name":"Household","limit_minor":1600000,"currency":"THB"}`, 202)
	f.join(t, "A", "BDG-456", "C", "contributor")
	f.join(t, "A", "BDG-456", "V", "viewer")

	cases := []struct {
		name, method, path, user, body string
		code                           int
	}{
		{"no token", "GET", "/v1/shared-budgets/BDG-456", "", "", 401},
		{"outsider cannot read", "GET", "/v1/shared-budgets/BDG-456", "Z", "", 404},
		{"viewer reads", "GET", "/v1/shared-budgets/BDG-456", "V", "", 200},
		{"contributor reads", "GET", "/v1/shared-budgets/BDG-456", "C", "", 200},
		{"unknown budget", "GET", "/v1/shared-budgets/BDG-NONE", "A", "", 404},
		{"outsider cannot add", "POST", "/v1/shared-budgets/BDG-456/members", "Z", `{"user_id":"Z","role":"owner"}`, 404},
		{"outsider cannot change the limit", "PATCH", "/v1/shared-budgets/BDG-456", "Z", `{"limit_minor":1}`, 404},
		{"viewer cannot add", "POST", "/v1/shared-budgets/BDG-456/members", "V", `{"user_id":"N","role":"viewer"}`, 403},
		{"contributor cannot add", "POST", "/v1/shared-budgets/BDG-456/members", "C", `{"user_id":"N","role":"viewer"}`, 403},
		{"viewer cannot remove others", "DELETE", "/v1/shared-budgets/BDG-456/members/C", "V", "", 403},
		{"contributor cannot remove others", "DELETE", "/v1/shared-budgets/BDG-456/members/V", "C", "", 403},
		{"viewer cannot change the limit", "PATCH", "/v1/shared-budgets/BDG-456", "V", `{"limit_minor":1}`, 403},
		{"bad role", "POST", "/v1/shared-budgets/BDG-456/members", "A", `{"user_id":"N","role":"admin"}`, 422},
		{"no user", "POST", "/v1/shared-budgets/BDG-456/members", "A", `{"role":"viewer"}`, 422},
		{"already with that role", "POST", "/v1/shared-budgets/BDG-456/members", "A", `{"user_id":"C","role":"contributor"}`, 409},
		{"add to unknown budget", "POST", "/v1/shared-budgets/BDG-NONE/members", "A", `{"user_id":"N","role":"viewer"}`, 404},
		{"remove non-member", "DELETE", "/v1/shared-budgets/BDG-456/members/N", "A", "", 404},
		{"last owner cannot leave", "DELETE", "/v1/shared-budgets/BDG-456/members/A", "A", "", 409},
		{"last owner cannot be demoted", "POST", "/v1/shared-budgets/BDG-456/members", "A", `{"user_id":"A","role":"viewer"}`, 409},
		{"create existing", "POST", "/v1/shared-budgets", "Z", `{"budget_id":"BDG-456","name":"Mine","limit_minor":1,"currency":"THB"}`, 409},
		{"create without limit", "POST", "/v1/shared-budgets", "A", `{"name":"Trip","currency":"THB"}`, 422},
		{"create with bad id", "POST", "/v1/shared-budgets", "A", `{"budget_id":"A:groceries","name":"Trip","limit_minor":1,"currency":"THB"}`, 422},
		{"create with bad category", "POST", "/v1/shared-budgets", "A", `{"name":"Trip","category":"pets","limit_minor":1,"currency":"THB"}`, 422},
		{"unknown field", "POST", "/v1/shared-budgets", "A", `{"name":"Trip","limit":1}`, 400},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			body := f.want(t, c.method, c.path, c.user, c.body, c.code)
			if c.code >= 400 {
				if e, _ := body["error"].(map[string]any); e["code"] == "" || e["message"] == "" {
					t.Fatalf("error body %v", body)
				}
			}
		})
	}

	// The owner manages: promote V, change the limit, remove C.
	f.want(t, "POST", "/v1/shared-budgets/BDG-456/members", "A", `{"user_id":"V","role":"owner"}`, 202)
	f.want(t, "PATCH", "/v1/shared-budgets/BDG-456", "A", `{"limit_minor":2000000}`, 202)
	f.want(t, "DELETE", "/v1/shared-budgets/BDG-456/members/C", "A", "", 202)
	b := f.want(t, "GET", "/v1/shared-budgets/BDG-456", "V", "", 200)
	if b["limit_minor"] != 2_000_000.0 || len(jget[[]any](t, b, "participants")) != 2 {
		t.Fatalf("after management %v", b)
	}
	if v := jget[map[string]any](t, b, "participants", 1); v["user_id"] != "V" || v["role"] != "owner" {
		t.Fatalf("V %v", v)
	}
	f.want(t, "GET", "/v1/shared-budgets/BDG-456", "C", "", 404)
	if mine := jget[[]any](t, f.want(t, "GET", "/v1/me/shared-budgets", "C", "", 200), "shared_budgets"); len(mine) != 0 {
		t.Fatalf("C's shared budgets after removal %v", mine)
	}
	// With two owners, the first may leave.
	f.want(t, "DELETE", "/v1/shared-budgets/BDG-456/members/A", "A", "", 202)
	f.want(t, "GET", "/v1/shared-budgets/BDG-456", "A", "", 404)
}

// Joining needs consent (the seed's household): B's tagged spend before B
// accepts does not count and B cannot read the budget; after B accepts,
// B's spend counts exactly. A declined invitation is gone; another user
// cannot answer B's.
func TestSharedBudgetConsent(t *testing.T) {
	f := startShared(t)
	f.want(t, "POST", "/v1/shared-budgets", "A", `{"budget_id":"BDG-456","name":"Household Groceries","category":"groceries","limit_minor":1600000,"currency":"THB"}`, 202)
	inv := f.want(t, "POST", "/v1/shared-budgets/BDG-456/members", "A", `{"user_id":"B","role":"contributor"}`, 202)
	id, _ := inv["invitation_id"].(string)
	f.want(t, "POST", "/v1/shared-budgets/BDG-456/members", "A", `{"user_id":"B","role":"viewer"}`, 409) // already invited

	list := f.want(t, "GET", "/v1/me/invitations", "B", "", 200)["invitations"].([]any)
	if len(list) != 1 {
		t.Fatalf("B's invitations %v", list)
	}
	got := list[0].(map[string]any)
	for k, v := range map[string]any{"invitation_id": id, "budget_id": "BDG-456", "name": "Household Groceries", "role": "contributor", "invited_by": "A"} {
		if got[k] != v {
			t.Errorf("invitation %s = %v, want %v", k, got[k], v)
		}
	}
	f.h.Txn(cdc.OpCreate, tagged(purchase("TB0", "B", 650_000, 20), "BDG-456", "Makro"))
	f.want(t, "GET", "/v1/shared-budgets/BDG-456", "B", "", 404)
	if b := f.want(t, "GET", "/v1/shared-budgets/BDG-456", "A", "", 200); b["spent_minor"] != 0.0 || len(b["participants"].([]any)) != 1 {
		t.Fatalf("invitee's spend counted: %v", b)
	}
	f.want(t, "POST", "/v1/me/invitations/"+id+"/accept", "C", "", 404)
	f.want(t, "POST", "/v1/me/invitations/"+id+"/accept", "B", "", 202)
	f.want(t, "POST", "/v1/me/invitations/"+id+"/accept", "B", "", 404) // answered
	if list := f.want(t, "GET", "/v1/me/invitations", "B", "", 200)["invitations"].([]any); len(list) != 0 {
		t.Fatalf("invitations after accepting %v", list)
	}
	f.h.Txn(cdc.OpCreate, tagged(purchase("TB1", "B", 180_000, 21), "BDG-456", "Tesco Lotus"))
	b := f.want(t, "GET", "/v1/shared-budgets/BDG-456", "B", "", 200)
	parts := b["participants"].([]any)
	if b["spent_minor"] != 180_000.0 || len(parts) != 2 || parts[1].(map[string]any)["spent_minor"] != 180_000.0 {
		t.Fatalf("after accepting %v", b)
	}

	inv = f.want(t, "POST", "/v1/shared-budgets/BDG-456/members", "A", `{"user_id":"D","role":"viewer"}`, 202)
	id, _ = inv["invitation_id"].(string)
	f.want(t, "POST", "/v1/me/invitations/"+id+"/decline", "D", "", 202)
	f.want(t, "GET", "/v1/shared-budgets/BDG-456", "D", "", 404)
	if list := f.want(t, "GET", "/v1/me/invitations", "D", "", 200)["invitations"].([]any); len(list) != 0 {
		t.Fatalf("invitations after declining %v", list)
	}
}

func TestSharedBudgetGeneratedID(t *testing.T) {
	f := startShared(t)
	body := f.want(t, "POST", "/v1/shared-budgets", "A", `{"name":"Trip to Chiang Mai","limit_minor":5000000,"currency":"THB","period":"weekly"}`, 202)
	id, _ := body["budget_id"].(string)
	if !strings.HasPrefix(id, "BDG-") || len(id) != 14 {
		t.Fatalf("generated id %q", id)
	}
	b := f.want(t, "GET", "/v1/shared-budgets/"+id, "A", "", 200)
	if b["name"] != "Trip to Chiang Mai" || b["category"] != "" || b["period"] != "weekly" || b["version"] != 1.0 {
		t.Fatalf("created %v", b)
	}
}

func TestSharedRoutesWithoutSharedView(t *testing.T) {
	f := start(t, false)
	if code, _ := f.do(t, "GET", "/v1/shared-budgets/BDG-1", "A", ""); code != http.StatusServiceUnavailable {
		t.Fatalf("status %d, want 503", code)
	}
}
