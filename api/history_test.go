package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"finstream/api"
	"finstream/processors/event"
	"finstream/sinks"
	"finstream/sinks/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

var histNow = time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC)

// historyFixture is the history API over a fresh migrated database.
type historyFixture struct {
	pool *pgxpool.Pool
	w    *sinks.Writer
	h    *api.History
}

func newHistory(t *testing.T) *historyFixture {
	t.Helper()
	pool, err := sinks.OpenPool(context.Background(), pgtest.NewDatabase(t), 8)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	if err := sinks.Migrate(context.Background(), pool); err != nil {
		t.Fatal(err)
	}
	return &historyFixture{pool: pool, w: newWriter(t, pool), h: newHistoryAPI(t, pool)}
}

func newWriter(t *testing.T, pool *pgxpool.Pool) *sinks.Writer {
	t.Helper()
	w, err := sinks.NewWriter(pool, sinks.TransactionsTable(), sinks.BudgetHistoryTable(), sinks.BudgetsTable())
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func newHistoryAPI(t *testing.T, pool *pgxpool.Pool) *api.History {
	t.Helper()
	h, err := api.NewHistory(api.HistoryConfig{Pool: pool, Secret: []byte(secret), Now: func() time.Time { return histNow },
		Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// write stores transactions and budget updates.
func (f *historyFixture) write(t testing.TB, txns []event.Categorized, upds ...event.BudgetUpdate) {
	t.Helper()
	var b sinks.Batch
	for i := range txns {
		sinks.AddTransaction(&b, &txns[i])
	}
	for i := range upds {
		sinks.AddBudgetUpdate(&b, &upds[i])
	}
	if err := f.w.Write(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
}

// get calls the API as user ("" for no token) and decodes the answer.
func getHistory(t testing.TB, h http.Handler, user, path string, out any) int {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, path, nil)
	if user != "" {
		tok, err := api.Token([]byte(secret), user, histNow, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		r.Header.Set("Authorization", "Bearer "+tok)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if out != nil {
		if err := json.Unmarshal(w.Body.Bytes(), out); err != nil {
			t.Fatalf("GET %s: %d %s: %v", path, w.Code, w.Body, err)
		}
	}
	return w.Code
}

type txnPage struct {
	Transactions []sinks.Txn `json:"transactions"`
	NextCursor   string      `json:"next_cursor"`
}

type errorReply struct {
	Error struct{ Code, Message string } `json:"error"`
}

var histBase = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

func histTxn(id, user, cat string, at time.Time, amount int64) event.Categorized {
	return event.Categorized{TxnID: id, UserID: user, Direction: "DEBIT", Status: "POSTED", AmountMinor: amount,
		SpendMinor: amount, Currency: "THB", Category: cat, MerchantName: "M " + id, PostedAt: at, Version: 1}
}

// Acceptance 3: paging through 10,000 transactions while others are
// inserted (newer, older and at the same instants) returns every original
// row exactly once, strictly newest first, and no row twice.
func TestHistoryPaginationUnderConcurrentInserts(t *testing.T) {
	f := newHistory(t)
	const n = 10_000
	var txns []event.Categorized
	want := map[string]bool{}
	for i := range n {
		// 4 rows share each instant: the order falls back to txn_id.
		c := histTxn(fmt.Sprintf("T%05d", i), "U1", "dining", histBase.Add(time.Duration(i/4)*time.Minute), 100)
		txns = append(txns, c, histTxn(fmt.Sprintf("X%05d", i), "U2", "dining", c.PostedAt, 1))
		want[c.TxnID] = true
	}
	f.write(t, txns)

	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; ctx.Err() == nil; {
			var batch []event.Categorized
			for range 20 {
				// Newer, older and equal instants; ids sort between the originals'.
				at := histBase.Add(time.Duration((i*7919)%(n/4+200)-100) * time.Minute)
				batch = append(batch, histTxn(fmt.Sprintf("T%05dn%d", (i*7919)%n, i), "U1", "dining", at, 5))
				i++
			}
			f.write(t, batch)
		}
	})
	seen := map[string]bool{}
	var last *sinks.Txn
	cursor, pages := "", 0
	for {
		var p txnPage
		path := "/v1/me/transactions?limit=137"
		if cursor != "" {
			path += "&cursor=" + url.QueryEscape(cursor)
		}
		if code := getHistory(t, f.h, "U1", path, &p); code != http.StatusOK {
			t.Fatalf("GET %s: %d", path, code)
		}
		pages++
		for i := range p.Transactions {
			c := &p.Transactions[i]
			if seen[c.TxnID] {
				t.Fatalf("%s returned twice", c.TxnID)
			}
			seen[c.TxnID] = true
			if c.UserID != "U1" {
				t.Fatalf("%s of %s in U1's list", c.TxnID, c.UserID)
			}
			if last != nil && !(c.PostedAt.Before(last.PostedAt) || (c.PostedAt.Equal(last.PostedAt) && c.TxnID < last.TxnID)) {
				t.Fatalf("order: %s (%v) after %s (%v)", c.TxnID, c.PostedAt, last.TxnID, last.PostedAt)
			}
			last = c
		}
		if p.NextCursor == "" {
			break
		}
		cursor = p.NextCursor
	}
	cancel()
	wg.Wait()
	for id := range want {
		if !seen[id] {
			t.Errorf("%s never returned", id)
		}
	}
	t.Logf("%d pages, %d rows (%d inserted meanwhile)", pages, len(seen), len(seen)-n)
	if pages < n/137 {
		t.Errorf("only %d pages", pages)
	}
}

func TestHistoryTransactionsFilters(t *testing.T) {
	f := newHistory(t)
	day := func(d int) time.Time { return histBase.AddDate(0, 0, d-1).Add(10 * time.Hour) }
	gone := histTxn("T4", "U1", "dining", day(4), 40)
	gone.Deleted = true
	f.write(t, []event.Categorized{
		histTxn("T1", "U1", "dining", day(1), 10), histTxn("T2", "U1", "groceries", day(2), 20),
		histTxn("T3", "U1", "dining", day(3), 30), gone, histTxn("T5", "U2", "dining", day(2), 50),
	})
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"", []string{"T3", "T2", "T1"}},
		{"category=dining", []string{"T3", "T1"}},
		{"from=2026-03-02", []string{"T3", "T2"}},
		{"to=2026-03-03", []string{"T2", "T1"}},
		{"from=2026-03-02T00:00:00Z&to=2026-03-03T10:00:00%2B00:00", []string{"T2"}},
		{"category=travel", nil},
	} {
		t.Run(tc.query, func(t *testing.T) {
			var p txnPage
			if code := getHistory(t, f.h, "U1", "/v1/me/transactions?"+tc.query, &p); code != http.StatusOK {
				t.Fatalf("status %d", code)
			}
			var got []string
			for _, c := range p.Transactions {
				got = append(got, c.TxnID)
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) || p.NextCursor != "" {
				t.Errorf("got %v (next %q), want %v", got, p.NextCursor, tc.want)
			}
		})
	}
}

func TestHistoryBadRequests(t *testing.T) {
	f := newHistory(t)
	for _, tc := range []struct {
		user, path string
		code       int
	}{
		{"", "/v1/me/transactions", http.StatusUnauthorized},
		{"U1", "/v1/me/transactions?limit=0", http.StatusBadRequest},
		{"U1", "/v1/me/transactions?limit=501", http.StatusBadRequest},
		{"U1", "/v1/me/transactions?limit=ten", http.StatusBadRequest},
		{"U1", "/v1/me/transactions?from=yesterday", http.StatusBadRequest},
		{"U1", "/v1/me/transactions?from=2026-03-02&to=2026-03-01", http.StatusBadRequest},
		{"U1", "/v1/me/transactions?category=spaceships", http.StatusBadRequest},
		{"U1", "/v1/me/transactions?cursor=%21%21", http.StatusBadRequest},
		{"U1", "/v1/me/transactions?cursor=e30", http.StatusBadRequest}, // {}
		{"U1", "/v1/me/transactions?limit=500", http.StatusOK},
		{"U1", "/v1/me/budgets/dining/history?cursor=MA", http.StatusBadRequest}, // 0
		{"U1", "/v1/me/budgets/spaceships/history", http.StatusNotFound},
		{"U1", "/v1/me/budgets/dining/history", http.StatusNotFound},
		{"U1", "/v1/shared-budgets/nope/transactions", http.StatusNotFound},
		{"U1", "/v1/shared-budgets/nope/transactions?limit=-1", http.StatusBadRequest},
	} {
		var e errorReply
		var out any = &e
		if tc.code == http.StatusOK {
			out = nil
		}
		if code := getHistory(t, f.h, tc.user, tc.path, out); code != tc.code || (tc.code != http.StatusOK && e.Error.Code == "") {
			t.Errorf("GET %s: %d %+v, want %d with an error body", tc.path, code, e, tc.code)
		}
	}
}

func budgetVersion(id, user string, v, spent int64) event.BudgetUpdate {
	return event.BudgetUpdate{Kind: event.BudgetPersonal, BudgetID: id, UserID: user, Category: "dining",
		Period: "monthly", Currency: "THB", LimitMinor: 1000, SpentMinor: spent, Version: v, TxnID: fmt.Sprintf("T%d", v),
		AmountMinor: 10, EventTime: histBase.Add(time.Duration(v) * time.Hour)}
}

func TestHistoryBudgetVersions(t *testing.T) {
	f := newHistory(t)
	f.write(t, nil, budgetVersion("U1:dining", "U1", 1, 10), budgetVersion("U1:dining", "U1", 2, 20),
		budgetVersion("U1:dining", "U1", 3, 30), budgetVersion("U2:dining", "U2", 1, 99))
	var got []int64
	cursor := ""
	for {
		var p struct {
			BudgetID   string                `json:"budget_id"`
			History    []sinks.BudgetVersion `json:"history"`
			NextCursor string                `json:"next_cursor"`
		}
		if code := getHistory(t, f.h, "U1", "/v1/me/budgets/dining/history?limit=2&cursor="+cursor, &p); code != http.StatusOK {
			t.Fatalf("status %d", code)
		}
		for _, v := range p.History {
			if v.BudgetID != "U1:dining" || v.SpentMinor != v.Version*10 {
				t.Errorf("version %+v", v)
			}
			got = append(got, v.Version)
		}
		if cursor = p.NextCursor; cursor == "" {
			break
		}
	}
	if fmt.Sprint(got) != "[3 2 1]" {
		t.Errorf("versions %v, want [3 2 1]", got)
	}
}

func TestHistorySharedTransactions(t *testing.T) {
	f := newHistory(t)
	parts := []event.ParticipantSpend{{UserID: "A", Role: "owner"}, {UserID: "B", Role: "contributor"}}
	upd := func(v int64, user, txn string, amount int64, refused bool, ps []event.ParticipantSpend) event.BudgetUpdate {
		return event.BudgetUpdate{Kind: event.BudgetShared, BudgetID: "hh", Name: "Home", UserID: user, Version: v,
			TxnID: txn, AmountMinor: amount, Refused: refused, Participants: ps, EventTime: histBase}
	}
	f.write(t, []event.Categorized{
		histTxn("T1", "A", "groceries", histBase.Add(time.Hour), 100),
		histTxn("T2", "B", "groceries", histBase.Add(2*time.Hour), 250),
		histTxn("T3", "C", "groceries", histBase.Add(3*time.Hour), 999), // an outsider's, refused
	},
		upd(1, "A", "", 0, false, parts), upd(2, "A", "T1", 100, false, parts), upd(3, "B", "T2", 300, false, parts),
		upd(4, "B", "T2", -50, false, parts), upd(5, "C", "T3", 0, true, parts),
		budgetVersion("A:groceries", "A", 1, 100))

	var p struct {
		BudgetID string `json:"budget_id"`
		txnPage
	}
	if code := getHistory(t, f.h, "B", "/v1/shared-budgets/hh/transactions", &p); code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	var got []string
	for _, c := range p.Transactions {
		got = append(got, fmt.Sprintf("%s:%s:%d", c.TxnID, c.UserID, *c.ContributionMinor))
	}
	if fmt.Sprint(got) != "[T2:B:250 T1:A:100]" || p.BudgetID != "hh" {
		t.Errorf("got %v", got)
	}
	var e errorReply
	if code := getHistory(t, f.h, "C", "/v1/shared-budgets/hh/transactions", &e); code != http.StatusForbidden || e.Error.Code != "forbidden" {
		t.Errorf("outsider: %d %+v", code, e)
	}
	if code := getHistory(t, f.h, "A", "/v1/shared-budgets/A:groceries/transactions", &e); code != http.StatusNotFound {
		t.Errorf("personal budget as shared: %d", code)
	}
	// Removed from the budget: the latest version decides.
	f.write(t, nil, upd(6, "A", "", 0, false, parts[:1]))
	if code := getHistory(t, f.h, "B", "/v1/shared-budgets/hh/transactions", &e); code != http.StatusForbidden {
		t.Errorf("removed participant: %d", code)
	}
}

// With the database away (refusing connections) or hanging (accepting
// them, never answering) every endpoint answers 503 "unavailable".
func TestHistoryDatabaseAway(t *testing.T) {
	hang, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	accepted := make(chan []net.Conn)
	go func() {
		var conns []net.Conn
		for {
			c, err := hang.Accept()
			if err != nil {
				accepted <- conns
				return
			}
			conns = append(conns, c)
		}
	}()
	defer func() {
		hang.Close()
		for _, c := range <-accepted {
			c.Close()
		}
	}()
	for name, addr := range map[string]string{"refused": "127.0.0.1:1", "hanging": hang.Addr().String()} {
		t.Run(name, func(t *testing.T) {
			pool, err := sinks.OpenPool(context.Background(), "postgres://postgres@"+addr+"/none?sslmode=disable", 2)
			if err != nil {
				t.Fatal(err)
			}
			defer pool.Close()
			h, err := api.NewHistory(api.HistoryConfig{Pool: pool, Secret: []byte(secret), Now: func() time.Time { return histNow },
				Timeout: 200 * time.Millisecond, Logger: slog.New(slog.DiscardHandler)})
			if err != nil {
				t.Fatal(err)
			}
			for _, path := range []string{"/v1/me/transactions", "/v1/me/budgets/dining/history", "/v1/shared-budgets/hh/transactions"} {
				var e errorReply
				if code := getHistory(t, h, "U1", path, &e); code != http.StatusServiceUnavailable || e.Error.Code != "unavailable" {
					t.Errorf("GET %s: %d %+v, want 503 unavailable", path, code, e)
				}
			}
		})
	}
}
