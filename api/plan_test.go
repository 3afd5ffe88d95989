package api_test

import (
	"net/http"
	"testing"
	"time"

	"finstream/processors/cdc"
)

// weeklyShop is a purchase at Tesco Lotus on day of November at 10:00.
func weeklyShop(id string, amount int64, day int) cdc.Txn {
	return purchase(id, "USR-789", amount, day)
}

// Safe-to-spend and pace through the API, by hand (now is 19 November,
// 12:00: 19/30 = 6333 bp of the month elapsed). Tesco on Mondays 2, 9 and
// 16 November (฿500, ฿520, ฿510) is a weekly payment expected on the 23rd
// and the 30th: in a ฿4,000 groceries budget ฿2,470 remains, ฿1,020 is
// committed, ฿1,450 is safe to spend; 3825 bp used is on track. A ฿1,000
// dining budget with ฿900 spent today (9000 bp > 6333 + 1000) is too fast,
// ฿100 safe. Overall: ฿1,550.
func TestBudgetsSafeToSpendAndPace(t *testing.T) {
	f := start(t, false)
	f.h.Txn(cdc.OpCreate, weeklyShop("W1", 50_000, 2))
	f.h.Txn(cdc.OpCreate, weeklyShop("W2", 52_000, 9))
	f.h.Txn(cdc.OpCreate, weeklyShop("W3", 51_000, 16))
	if code, body := f.do(t, "PUT", "/v1/me/budgets/groceries", "USR-789", `{"limit_minor":400000,"currency":"THB","rollover":true}`); code != http.StatusAccepted {
		t.Fatalf("PUT: %d %v", code, body)
	}
	if code, body := f.do(t, "PUT", "/v1/me/budgets/dining", "USR-789", `{"limit_minor":100000,"currency":"THB"}`); code != http.StatusAccepted {
		t.Fatalf("PUT: %d %v", code, body)
	}
	dinner := purchase("D1", "USR-789", 90_000, 19)
	dinner.MerchantName, dinner.MCC, dinner.PostedAt = "Somtam Nua", 5812, time.Date(2026, 11, 19, 9, 0, 0, 0, bkk)
	f.h.Txn(cdc.OpCreate, dinner)

	code, body := f.do(t, "GET", "/v1/me/budgets", "USR-789", "")
	if code != http.StatusOK {
		t.Fatalf("GET: %d %v", code, body)
	}
	want := []map[string]any{
		{"category": "dining", "remaining_minor": 10_000.0, "commitments_minor": 0.0, "safe_to_spend_minor": 10_000.0,
			"pace": "too_fast", "elapsed_bp": 6333.0, "used_bp": 9000.0, "rollover": false},
		{"category": "groceries", "remaining_minor": 247_000.0, "commitments_minor": 102_000.0, "safe_to_spend_minor": 145_000.0,
			"pace": "on_track", "elapsed_bp": 6333.0, "used_bp": 3825.0, "rollover": true, "rollover_minor": 0.0},
	}
	for i, w := range want {
		b := jget[map[string]any](t, body, "budgets", i)
		for k, v := range w {
			if b[k] != v {
				t.Errorf("budget %d: %s = %v, want %v", i, k, b[k], v)
			}
		}
	}
	if body["safe_to_spend_minor"] != 155_000.0 || body["currency"] != "THB" {
		t.Fatalf("overall: %v %v", body["safe_to_spend_minor"], body["currency"])
	}
	if all := jget[map[string]any](t, body, "safe_to_spend", 0); all["commitments_minor"] != 102_000.0 || all["remaining_minor"] != 257_000.0 {
		t.Fatalf("safe_to_spend %v", all)
	}
}
