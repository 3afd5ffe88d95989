package api_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"finstream/processors/category"
	"finstream/processors/event"
)

func TestCategoriesEndpoint(t *testing.T) {
	f := start(t, false)
	code, body := f.do(t, http.MethodGet, "/v1/categories", "", "") // public: no token
	if code != http.StatusOK {
		t.Fatalf("GET /v1/categories: %d %v", code, body)
	}
	cats := jget[[]any](t, body, "categories")
	if len(cats) != len(category.All()) {
		t.Fatalf("%d primary categories, want %d", len(cats), len(category.All()))
	}
	detailed := 0
	for i, c := range cats {
		if slug := jget[string](t, c, "slug"); slug != category.All()[i] {
			t.Errorf("primary %d is %q, want %q", i, slug, category.All()[i])
		}
		if jget[string](t, c, "name_en") == "" || jget[string](t, c, "name_th") == "" {
			t.Errorf("primary %d has no name: %v", i, c)
		}
		detailed += len(jget[[]any](t, c, "detailed"))
	}
	if detailed < 60 || detailed > 100 {
		t.Errorf("%d detailed codes, want 60..100", detailed)
	}
	dining := cats[1]
	if got := jget[string](t, dining, "detailed", 2, "code"); got != "dining.coffee" {
		t.Errorf("dining's third detailed code %q, want dining.coffee", got)
	}
	if got := jget[string](t, dining, "detailed", 2, "name_th"); got != "ร้านกาแฟ" {
		t.Errorf("dining.coffee in Thai %q", got)
	}
	levels := jget[[]any](t, body, "confidence_levels")
	if len(levels) != 3 || jget[string](t, levels[0], "level") != "high" || jget[float64](t, levels[1], "min_confidence") != 0.7 {
		t.Errorf("confidence_levels %v", levels)
	}
}

// GET /v1/me/transactions returns the detailed category and the confidence
// level, and filters by detailed_category.
func TestHistoryTransactionsDetailedCategory(t *testing.T) {
	f := newHistory(t)
	day := func(d int) time.Time { return histBase.AddDate(0, 0, d-1).Add(10 * time.Hour) }
	coffee := histTxn("T1", "U1", "dining", day(1), 95)
	coffee.Confidence, coffee.DetailedCategory, coffee.ConfidenceLevel = 0.7, "dining.coffee", "medium"
	burger := histTxn("T2", "U1", "dining", day(2), 120)
	burger.Confidence, burger.DetailedCategory, burger.ConfidenceLevel = 0.95, "dining.fast_food", "high"
	f.write(t, []event.Categorized{coffee, burger})

	var p txnPage
	if code := getHistory(t, f.h, "U1", "/v1/me/transactions?detailed_category=dining.coffee", &p); code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	if len(p.Transactions) != 1 || p.Transactions[0].TxnID != "T1" || p.Transactions[0].DetailedCategory != "dining.coffee" || p.Transactions[0].ConfidenceLevel != "medium" {
		t.Fatalf("detailed_category=dining.coffee: %+v", p.Transactions)
	}
	var all map[string]any
	if code := getHistory(t, f.h, "U1", "/v1/me/transactions", &all); code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	if got := jget[string](t, all, "transactions", 0, "detailed_category"); got != "dining.fast_food" {
		t.Errorf("newest detailed_category %q, want dining.fast_food", got)
	}
	if got := jget[string](t, all, "transactions", 0, "confidence_level"); got != "high" {
		t.Errorf("newest confidence_level %q, want high", got)
	}
	var e errorReply
	if code := getHistory(t, f.h, "U1", "/v1/me/transactions?detailed_category=dining.pizza", &e); code != http.StatusBadRequest || e.Error.Code != "bad_request" {
		t.Errorf("unknown detailed category: %d %+v, want 400 bad_request", code, e)
	}
}

// GET /v1/me/spending?level=detailed splits the period's spend per detailed
// category from the sink; without a sink it is 503, and an unknown level 400.
func TestSpendingByDetailedCategory(t *testing.T) {
	f := start(t, false)
	if code, body := f.do(t, http.MethodGet, "/v1/me/spending?level=detailed", "U1", ""); code != http.StatusServiceUnavailable || jget[string](t, body, "error", "code") != "unavailable" {
		t.Fatalf("without a sink: %d %v, want 503 unavailable", code, body)
	}
	hist := newHistory(t)
	f.api.SetDetailedSpending(hist.h)
	in := func(day int) time.Time { return time.Date(2026, 3, day, 10, 0, 0, 0, time.UTC) }
	coffee := histTxn("T1", "U1", "dining", in(2), 95)
	coffee.DetailedCategory = "dining.coffee"
	coffee2 := histTxn("T2", "U1", "dining", in(3), 105)
	coffee2.DetailedCategory = "dining.coffee"
	old := histTxn("T3", "U1", "dining", in(4), 40) // stored before the detailed level
	taxi := histTxn("T4", "U1", "transport", in(5), 300)
	taxi.DetailedCategory = "transport.taxi_rideshare"
	april := histTxn("T5", "U1", "dining", time.Date(2026, 4, 1, 10, 0, 0, 0, time.UTC), 999)
	april.DetailedCategory = "dining.coffee"
	other := histTxn("T6", "U2", "dining", in(2), 7)
	other.DetailedCategory = "dining.coffee"
	hist.write(t, []event.Categorized{coffee, coffee2, old, taxi, april, other})

	code, body := f.do(t, http.MethodGet, "/v1/me/spending?period=2026-03&level=detailed", "U1", "")
	if code != http.StatusOK {
		t.Fatalf("%d %v", code, body)
	}
	var got []string
	for _, s := range jget[[]any](t, body, "spending") {
		got = append(got, fmt.Sprintf("%s/%s/%s/%v", jget[string](t, s, "category"), jget[string](t, s, "detailed_category"),
			jget[string](t, s, "currency"), jget[float64](t, s, "spent_minor")))
	}
	want := []string{"dining/dining.coffee/THB/200", "dining/dining.other/THB/40", "transport/transport.taxi_rideshare/THB/300"}
	if fmt.Sprint(got) != fmt.Sprint(want) || jget[string](t, body, "level") != "detailed" {
		t.Errorf("detailed spending %v, want %v", got, want)
	}
	if code, body := f.do(t, http.MethodGet, "/v1/me/spending?level=merchant", "U1", ""); code != http.StatusBadRequest {
		t.Errorf("level=merchant: %d %v, want 400", code, body)
	}
}
