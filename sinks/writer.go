package sinks

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Writer writes batches of rows into Postgres tables. Safe for concurrent
// use (each write takes its own connection from the pool).
type Writer struct {
	pool   *pgxpool.Pool
	tables []table // in the order they are written
	byName map[string]int
}

// table is a Table with its statements and column positions.
type table struct {
	Table
	upsert, insert string
	key            []int // positions of the Key columns
	version        int   // position of the Version column, -1 if none
}

// NewWriter returns a Writer of tables into pool. Table names must be
// unique.
func NewWriter(pool *pgxpool.Pool, tables ...Table) (*Writer, error) {
	if pool == nil {
		return nil, fmt.Errorf("sink writer: nil pool")
	}
	w := &Writer{pool: pool, byName: make(map[string]int)}
	for _, t := range tables {
		if err := t.validate(); err != nil {
			return nil, fmt.Errorf("sink writer: %w", err)
		}
		if _, dup := w.byName[t.Name]; dup {
			return nil, fmt.Errorf("sink writer: table %s twice", t.Name)
		}
		c := table{Table: t, upsert: t.upsert(), insert: t.insertRow(), version: slices.Index(t.Columns, t.Version)}
		for _, k := range t.Key {
			c.key = append(c.key, slices.Index(t.Columns, k))
		}
		w.byName[t.Name] = len(w.tables)
		w.tables = append(w.tables, c)
	}
	return w, nil
}

// Write writes every row of b in one database transaction: per table, COPY
// into its staging table, then one INSERT ... ON CONFLICT. Either every row
// is written or none. Rows of a table the Writer does not know are an error.
func (w *Writer) Write(ctx context.Context, b *Batch) error {
	if b.Len() == 0 {
		return nil
	}
	var used []int
	for name := range b.rows {
		i, ok := w.byName[name]
		if !ok {
			return fmt.Errorf("sink write: unknown table %q", name)
		}
		if len(b.rows[name]) > 0 {
			used = append(used, i)
		}
	}
	slices.Sort(used)
	var create, upsert strings.Builder
	staged := make([][][]any, len(w.tables))
	for _, i := range used {
		t := &w.tables[i]
		rows, err := t.prepare(b.rows[t.Name])
		if err != nil {
			return err
		}
		staged[i] = rows
		create.WriteString(t.createStage() + ";\n")
		upsert.WriteString(t.upsert + ";\n")
	}

	tx, err := w.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("sink write: begin: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // a no-op after Commit
	if _, err := tx.Exec(ctx, create.String()); err != nil {
		return fmt.Errorf("sink write: staging tables: %w", err)
	}
	for _, i := range used {
		t, rows := &w.tables[i], staged[i]
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{t.stage()}, t.Columns, pgx.CopyFromRows(rows)); err != nil {
			return fmt.Errorf("sink write: copy %d rows for %s: %w", len(rows), t.Name, err)
		}
	}
	if _, err := tx.Exec(ctx, upsert.String()); err != nil {
		return fmt.Errorf("sink write: upsert: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("sink write: commit: %w", err)
	}
	return nil
}

// WriteRow writes one row with one INSERT ... ON CONFLICT in its own
// transaction (autocommit): the same effect as Write of a one-row batch,
// without staging. It is the per-event path the benchmark compares with.
func (w *Writer) WriteRow(ctx context.Context, table string, values ...any) error {
	i, ok := w.byName[table]
	if !ok {
		return fmt.Errorf("sink write: unknown table %q", table)
	}
	if _, err := w.pool.Exec(ctx, w.tables[i].insert, values...); err != nil {
		return fmt.Errorf("sink write: insert into %s: %w", table, err)
	}
	return nil
}

// prepare returns the rows to stage: for a versioned table one row per
// key, the one with the greatest version (the first of equal ones); rows
// sorted by key, so that concurrent writers lock rows in the same order
// and cannot deadlock.
func (t *table) prepare(rows [][]any) ([][]any, error) {
	if len(rows) < 2 {
		return rows, nil
	}
	type keyed struct {
		key string
		row []any
	}
	out := make([]keyed, 0, len(rows))
	at := make(map[string]int, len(rows))
	for _, r := range rows {
		if len(r) != len(t.Columns) {
			return nil, fmt.Errorf("sink write: %s row has %d values for %d columns", t.Name, len(r), len(t.Columns))
		}
		k := t.keyOf(r)
		i, seen := at[k]
		if !seen || t.version < 0 {
			at[k] = len(out)
			out = append(out, keyed{k, r})
			continue
		}
		v, ok1 := r[t.version].(int64)
		old, ok2 := out[i].row[t.version].(int64)
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("sink write: %s.%s is %T, want int64", t.Name, t.Version, r[t.version])
		}
		if v > old {
			out[i].row = r
		}
	}
	slices.SortStableFunc(out, func(a, b keyed) int { return strings.Compare(a.key, b.key) })
	staged := make([][]any, len(out))
	for i := range out {
		staged[i] = out[i].row
	}
	return staged, nil
}

// keyOf is the row's key as a map key.
func (t *table) keyOf(r []any) string {
	if len(t.key) == 1 {
		if s, ok := r[t.key[0]].(string); ok {
			return s
		}
	}
	var sb strings.Builder
	for _, i := range t.key {
		fmt.Fprintf(&sb, "%v\x00", r[i])
	}
	return sb.String()
}
