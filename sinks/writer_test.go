package sinks

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"finstream/processors/event"
	"finstream/sinks/pgtest"
)

// Migrations applied twice, and from four instances at once, apply once.
func TestMigrateTwiceAndConcurrently(t *testing.T) {
	url := pgtest.NewDatabase(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() {
			pool, err := OpenPool(ctx, url, 2)
			if err != nil {
				errs <- err
				return
			}
			defer pool.Close()
			errs <- Migrate(ctx, pool)
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	pool := OpenTestPool(t, url)
	if err := Migrate(ctx, pool); err != nil {
		t.Fatal(err)
	}
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	if got := QueryInt(t, pool, "SELECT count(*) FROM finstream_schema_migrations"); got != int64(len(ms)) {
		t.Errorf("recorded migrations = %d, want %d", got, len(ms))
	}
	if _, err := pool.Exec(ctx, "UPDATE finstream_schema_migrations SET sha256 = 'x' WHERE version = 1"); err != nil {
		t.Fatal(err)
	}
	if err := Migrate(ctx, pool); err == nil || !strings.Contains(err.Error(), "other content") {
		t.Errorf("Migrate after the applied migration changed: %v, want an error", err)
	}
}

func txn(id string, version int64, amount int64) event.Categorized {
	return event.Categorized{TxnID: id, UserID: "U1", Status: "POSTED", AmountMinor: amount, SpendMinor: amount,
		Currency: "THB", Category: "dining", PostedAt: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC), Version: version}
}

// The batched path and the per-row path have the same effect: the latest
// version per key wins whatever the order, append-only rows are kept once.
func TestWriterKeepsLatestVersionAndIgnoresRedelivery(t *testing.T) {
	in := []event.Categorized{txn("A", 1, 100), txn("A", 3, 300), txn("B", 1, 10), txn("A", 2, 200), txn("A", 3, 300), txn("B", 1, 10)}
	upd := []event.BudgetUpdate{
		{BudgetID: "U1:dining", Version: 2, SpentMinor: 20}, {BudgetID: "U1:dining", Version: 1, SpentMinor: 10},
		{BudgetID: "U1:dining", Version: 2, SpentMinor: 20}, {BudgetID: "hh", Kind: event.BudgetShared, Version: 1, SpentMinor: 5,
			Participants: []event.ParticipantSpend{{UserID: "U1", Role: "owner", SpentMinor: 5, ShareBP: 10000}}},
	}
	for _, mode := range []string{"batch", "row"} {
		t.Run(mode, func(t *testing.T) {
			pool := NewPool(t)
			w, err := NewWriter(pool, TransactionsTable(), BudgetHistoryTable(), BudgetsTable())
			if err != nil {
				t.Fatal(err)
			}
			var b Batch
			for i := range in {
				AddTransaction(&b, &in[i])
			}
			for i := range upd {
				AddBudgetUpdate(&b, &upd[i])
			}
			ctx := context.Background()
			for range 2 { // and everything again
				if mode == "batch" {
					if err := w.Write(ctx, &b); err != nil {
						t.Fatal(err)
					}
					continue
				}
				for _, table := range []string{TableTransactions, TableBudgetHistory, TableBudgets} {
					for _, row := range b.Rows(table) {
						if err := w.WriteRow(ctx, table, row...); err != nil {
							t.Fatal(err)
						}
					}
				}
			}
			for _, c := range []struct {
				sql  string
				want int64
			}{
				{"SELECT count(*) FROM transactions", 2},
				{"SELECT amount_minor FROM transactions WHERE txn_id = 'A'", 300},
				{"SELECT version FROM transactions WHERE txn_id = 'A'", 3},
				{"SELECT count(*) FROM budget_history", 3},
				{"SELECT spent_minor FROM budgets WHERE budget_id = 'U1:dining'", 20},
				{"SELECT jsonb_array_length(participants) FROM budgets WHERE budget_id = 'hh'", 1},
			} {
				if got := QueryInt(t, pool, c.sql); got != c.want {
					t.Errorf("%s = %d, want %d", c.sql, got, c.want)
				}
			}
		})
	}
}

func TestBatchMakesStringsStorable(t *testing.T) {
	pool := NewPool(t)
	w, err := NewWriter(pool, TransactionsTable())
	if err != nil {
		t.Fatal(err)
	}
	c := txn("N", 1, 1)
	c.MerchantName = "Caf\x00e \xff"
	var b Batch
	AddTransaction(&b, &c)
	if err := w.Write(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	var got string
	if err := pool.QueryRow(context.Background(), "SELECT merchant_name FROM transactions").Scan(&got); err != nil {
		t.Fatal(err)
	}
	if got != "Cafe \uFFFD" {
		t.Errorf("merchant_name = %q", got)
	}
}

func TestTableSQL(t *testing.T) {
	cur := Table{Name: "t", Columns: []string{"id", "v", "x"}, Key: []string{"id"}, Version: "v"}
	hist := Table{Name: "h", Columns: []string{"id", "v"}, Key: []string{"id", "v"}}
	for _, tc := range []struct{ got, want string }{
		{cur.upsert(), `INSERT INTO "t" ("id", "v", "x") SELECT "id", "v", "x" FROM "finstream_stage_t" ON CONFLICT ("id") DO UPDATE SET "v" = EXCLUDED."v", "x" = EXCLUDED."x" WHERE "t"."v" < EXCLUDED."v"`},
		{hist.upsert(), `INSERT INTO "h" ("id", "v") SELECT "id", "v" FROM "finstream_stage_h" ON CONFLICT ("id", "v") DO NOTHING`},
		{hist.insertRow(), `INSERT INTO "h" ("id", "v") VALUES ($1, $2) ON CONFLICT ("id", "v") DO NOTHING`},
	} {
		if tc.got != tc.want {
			t.Errorf("got  %s\nwant %s", tc.got, tc.want)
		}
	}
	for _, bad := range []Table{{}, {Name: "x"}, {Name: "x", Columns: []string{"a"}}, {Name: "x", Columns: []string{"a"}, Key: []string{"b"}},
		{Name: "x", Columns: []string{"a"}, Key: []string{"a"}, Version: "v"}} {
		if bad.validate() == nil {
			t.Errorf("%+v: valid, want an error", bad)
		}
	}
}

// The detailed category and the confidence level reach their columns, and
// the history reader returns them.
func TestWriterStoresTheDetailedCategory(t *testing.T) {
	pool := NewPool(t)
	w, err := NewWriter(pool, TransactionsTable())
	if err != nil {
		t.Fatal(err)
	}
	c := txn("D", 1, 9_500)
	c.Confidence, c.DetailedCategory, c.ConfidenceLevel = 0.7, "dining.coffee", "medium"
	var b Batch
	AddTransaction(&b, &c)
	ctx := context.Background()
	if err := w.Write(ctx, &b); err != nil {
		t.Fatal(err)
	}
	var detailed, level string
	if err := pool.QueryRow(ctx, "SELECT detailed_category, confidence_level FROM transactions WHERE txn_id = 'D'").Scan(&detailed, &level); err != nil {
		t.Fatal(err)
	}
	if detailed != "dining.coffee" || level != "medium" {
		t.Errorf("columns detailed_category, confidence_level = %q, %q, want dining.coffee, medium", detailed, level)
	}
	got, _, err := NewReader(pool).Transactions(ctx, TxnQuery{UserID: "U1", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].DetailedCategory != "dining.coffee" || got[0].ConfidenceLevel != "medium" {
		t.Errorf("Transactions = %+v, want D with dining.coffee / medium", got)
	}
}
