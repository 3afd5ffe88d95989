// Command pgsink measures how fast the Postgres sink writes rows: the
// batched path (COPY into a staging table, one INSERT ... ON CONFLICT per
// batch, one transaction per batch) against one INSERT ... ON CONFLICT per
// event (autocommit), on the same data in the same run; then the whole sink
// (kfake broker → Avro decode → batched writes → offset commits).
//
//	go run ./benchmarks/pgsink                      # throwaway Postgres, durable settings
//	go run ./benchmarks/pgsink -database-url postgres://...   # an existing database (its tables are truncated!)
//
// Without -database-url (or FINSTREAM_TEST_DATABASE_URL) it starts a
// throwaway Postgres with initdb (as the postgres user when run as root),
// keeping Postgres' durable defaults (fsync, synchronous_commit on).
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"finstream/processors/event"
	"finstream/sinks"
	"finstream/sinks/pgtest"
)

func main() {
	url := flag.String("database-url", os.Getenv(pgtest.EnvURL), "Postgres to measure against (tables are truncated); empty: a throwaway durable server")
	rows := flag.Int("rows", 200_000, "transactions written by the batched path")
	perRow := flag.Int("per-row", 20_000, "transactions written by the per-row path (it stops after -per-row-time)")
	perRowTime := flag.Duration("per-row-time", 20*time.Second, "time budget of the per-row path")
	batch := flag.Int("batch", 1000, "rows per batch (the sink's default flush size)")
	writers := flag.Int("writers", 2, "batches written at once (the sink's default Writers)")
	e2e := flag.Int("sink-records", 100_000, "records for the end-to-end sink run (0: skip)")
	durable := flag.Bool("durable", true, "throwaway server with Postgres' durable defaults (false: fsync, synchronous_commit and full_page_writes off, as in tests)")
	flag.Parse()
	log.SetFlags(0)
	ctx := context.Background()

	where := "an existing database"
	if *url == "" {
		srv, err := pgtest.StartServer(ctx, pgtest.Options{Durable: *durable})
		if err != nil {
			log.Fatal(err)
		}
		defer srv.Close()
		*url = srv.URL("postgres")
		where = "a throwaway Postgres (initdb, default settings)"
	}
	pool, err := sinks.OpenPool(ctx, *url, 4)
	if err != nil {
		log.Fatal(err)
	}
	defer pool.Close()
	if err := sinks.Migrate(ctx, pool); err != nil {
		log.Fatal(err)
	}
	w, err := sinks.NewWriter(pool, sinks.TransactionsTable(), sinks.BudgetHistoryTable(), sinks.BudgetsTable(), sinks.BudgetAlertsTable())
	if err != nil {
		log.Fatal(err)
	}
	data := generate(*rows)

	var out []result
	must(truncate(ctx, pool))
	out = append(out, batched(ctx, w, data, *batch, 1, "new rows"))
	must(truncate(ctx, pool))
	out = append(out, batched(ctx, w, data, *batch, *writers, "new rows"))
	out = append(out, batched(ctx, w, data, *batch, *writers, "same rows again (redelivery)"))
	must(truncate(ctx, pool))
	out = append(out, plainCopy(ctx, pool, data, *batch, *writers))
	must(truncate(ctx, pool))
	out = append(out, perRowPath(ctx, w, data[:min(*perRow, len(data))], *perRowTime))
	if *e2e > 0 {
		must(truncate(ctx, pool))
		r, err := sinkRun(ctx, pool, *e2e)
		must(err)
		out = append(out, r)
	}
	report(ctx, pool, where, out)
}

type result struct {
	name string
	rows int
	dur  time.Duration
}

func (r result) rate() float64 { return float64(r.rows) / r.dur.Seconds() }

// generate makes n categorized transactions of 10,000 users, all distinct.
func generate(n int) []event.Categorized {
	cats := []string{"groceries", "dining", "transport", "shopping", "bills", "entertainment"}
	base := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	out := make([]event.Categorized, n)
	for i := range out {
		out[i] = event.Categorized{
			TxnID: fmt.Sprintf("TXN-%09d", i), UserID: fmt.Sprintf("USR-%06d", i%10_000), AccountID: fmt.Sprintf("ACC-%06d", i%10_000),
			Direction: "DEBIT", Type: "PURCHASE", Status: "POSTED", AmountMinor: int64(100 + i%50_000), SpendMinor: int64(100 + i%50_000),
			Currency: "THB", MerchantName: fmt.Sprintf("Merchant %d", i%500), MerchantID: fmt.Sprintf("M%d", i%500), MCC: 5411,
			Channel: "CARD", Category: cats[i%len(cats)], Confidence: 0.9, Source: "mcc",
			PostedAt: base.Add(time.Duration(i) * time.Second), LSN: int64(i), Version: 1,
		}
	}
	return out
}

// batched writes data in batches of size, one transaction per batch, with
// writers batches in flight at once, as the sink does.
func batched(ctx context.Context, w *sinks.Writer, data []event.Categorized, size, writers int, what string) result {
	batches := make(chan *sinks.Batch, writers)
	start := time.Now()
	var wg sync.WaitGroup
	for range writers {
		wg.Go(func() {
			for b := range batches {
				must(w.Write(ctx, b))
			}
		})
	}
	b := new(sinks.Batch)
	for i := range data {
		sinks.AddTransaction(b, &data[i])
		if b.Len() == size || i == len(data)-1 {
			batches <- b
			b = new(sinks.Batch)
		}
	}
	close(batches)
	wg.Wait()
	return result{name: fmt.Sprintf("batched COPY + upsert, %d per batch, %d writer(s): %s", size, writers, what), rows: len(data), dur: time.Since(start)}
}

// plainCopy is the ceiling: COPY straight into the table, one transaction
// per batch, no staging and no conflict handling (not idempotent, so not
// usable by the sink).
func plainCopy(ctx context.Context, pool *pgxpool.Pool, data []event.Categorized, size, writers int) result {
	t := sinks.TransactionsTable()
	batches := make(chan [][]any, writers)
	start := time.Now()
	var wg sync.WaitGroup
	for range writers {
		wg.Go(func() {
			for rows := range batches {
				_, err := pool.CopyFrom(ctx, pgx.Identifier{t.Name}, t.Columns, pgx.CopyFromRows(rows))
				must(err)
			}
		})
	}
	var b sinks.Batch
	for i := range data {
		sinks.AddTransaction(&b, &data[i])
		if b.Len() == size || i == len(data)-1 {
			batches <- b.Rows(t.Name)
			b = sinks.Batch{}
		}
	}
	close(batches)
	wg.Wait()
	return result{name: fmt.Sprintf("reference: plain COPY into the table, %d per batch, %d writer(s) (not idempotent)", size, writers),
		rows: len(data), dur: time.Since(start)}
}

// perRowPath writes one INSERT per event, autocommit, until done or budget.
func perRowPath(ctx context.Context, w *sinks.Writer, data []event.Categorized, budget time.Duration) result {
	var b sinks.Batch
	for i := range data {
		sinks.AddTransaction(&b, &data[i])
	}
	rows := b.Rows(sinks.TableTransactions)
	start := time.Now()
	n := 0
	for _, row := range rows {
		must(w.WriteRow(ctx, sinks.TableTransactions, row...))
		n++
		if n%500 == 0 && time.Since(start) > budget {
			break
		}
	}
	return result{name: "one INSERT ... ON CONFLICT per event (autocommit)", rows: n, dur: time.Since(start)}
}

func truncate(ctx context.Context, pool *pgxpool.Pool) error {
	_, err := pool.Exec(ctx, "TRUNCATE transactions, budget_history, budgets, budget_alerts; CHECKPOINT")
	return err
}

func report(ctx context.Context, pool *pgxpool.Pool, where string, rs []result) {
	var version, fsync, sync string
	_ = pool.QueryRow(ctx, "SELECT version(), current_setting('fsync'), current_setting('synchronous_commit')").Scan(&version, &fsync, &sync)
	fmt.Printf("Postgres: %s (fsync=%s, synchronous_commit=%s), %s\n", version, fsync, sync, where)
	load, _ := os.ReadFile("/proc/loadavg")
	fmt.Printf("Machine: %s, %d CPUs, %s %s/%s, load average at the end %s\n\n", cpuModel(), runtime.NumCPU(),
		runtime.Version(), runtime.GOOS, runtime.GOARCH, strings.Join(strings.Fields(string(load))[:3], " "))
	fmt.Println("| path | rows | seconds | rows/s |")
	fmt.Println("|---|---:|---:|---:|")
	var perRow, best float64
	for _, r := range rs {
		if strings.HasPrefix(r.name, "one INSERT") {
			perRow = r.rate()
		}
		if strings.HasPrefix(r.name, "batched") && strings.HasSuffix(r.name, "new rows") {
			best = max(best, r.rate())
		}
	}
	for _, r := range rs {
		fmt.Printf("| %s | %d | %.2f | %.0f |\n", r.name, r.rows, r.dur.Seconds(), r.rate())
	}
	if perRow > 0 {
		fmt.Printf("\nbatched (new rows, best) / per-row: %.0f×\n", best/perRow)
	}
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
