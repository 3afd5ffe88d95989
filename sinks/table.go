package sinks

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
)

// Table says how rows land in one Postgres table (created by a migration):
// COPY into a session-local staging table, then one INSERT ... SELECT ...
// ON CONFLICT per batch.
type Table struct {
	// Name of the table.
	Name string
	// Columns in the order of the values of a row.
	Columns []string
	// Key is the primary key, the conflict target.
	Key []string
	// Version, when set, names the column (an int64) that orders the
	// versions of a key: the table holds the latest version (a row
	// replaces the stored one only when its version is greater; of the rows
	// of one batch with the same key, the greatest wins). Empty means
	// append-only: a row whose key is stored already is dropped, so a
	// redelivery is a no-op.
	Version string
}

// validate reports a Table a Writer cannot use.
func (t Table) validate() error {
	switch {
	case t.Name == "":
		return fmt.Errorf("table: no name")
	case len(t.Columns) == 0:
		return fmt.Errorf("table %s: no columns", t.Name)
	case len(t.Key) == 0:
		return fmt.Errorf("table %s: no key", t.Name)
	}
	for _, c := range append(slices.Clone(t.Key), t.Version) {
		if c != "" && !slices.Contains(t.Columns, c) {
			return fmt.Errorf("table %s: key or version column %q is not in Columns", t.Name, c)
		}
	}
	return nil
}

// stage is the name of t's staging table (a temporary table of the session).
func (t Table) stage() string { return "finstream_stage_" + t.Name }

// createStage creates the staging table once per session; its rows vanish
// at every commit or rollback.
func (t Table) createStage() string {
	return fmt.Sprintf("CREATE TEMP TABLE IF NOT EXISTS %s (LIKE %s) ON COMMIT DELETE ROWS",
		ident(t.stage()), ident(t.Name))
}

// upsert moves the staged rows into the table. The staged rows of a
// versioned table have unique keys (the Writer keeps the latest version of
// each), as ON CONFLICT DO UPDATE requires.
func (t Table) upsert() string {
	cols := idents(t.Columns)
	return fmt.Sprintf("INSERT INTO %s (%s) SELECT %s FROM %s %s",
		ident(t.Name), cols, cols, ident(t.stage()), t.onConflict())
}

// insertRow inserts one row with parameters $1..$n (the per-row path).
func (t Table) insertRow() string {
	params := make([]string, len(t.Columns))
	for i := range params {
		params[i] = fmt.Sprintf("$%d", i+1)
	}
	return fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s) %s",
		ident(t.Name), idents(t.Columns), strings.Join(params, ", "), t.onConflict())
}

func (t Table) onConflict() string {
	if t.Version == "" {
		return fmt.Sprintf("ON CONFLICT (%s) DO NOTHING", idents(t.Key))
	}
	var set []string
	for _, c := range t.Columns {
		if !slices.Contains(t.Key, c) {
			set = append(set, fmt.Sprintf("%s = EXCLUDED.%s", ident(c), ident(c)))
		}
	}
	return fmt.Sprintf("ON CONFLICT (%s) DO UPDATE SET %s WHERE %s.%s < EXCLUDED.%s",
		idents(t.Key), strings.Join(set, ", "), ident(t.Name), ident(t.Version), ident(t.Version))
}

func ident(s string) string { return pgx.Identifier{s}.Sanitize() }

func idents(ss []string) string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = ident(s)
	}
	return strings.Join(out, ", ")
}

// Batch holds rows per table until a Writer writes them. Not safe for
// concurrent use.
type Batch struct {
	rows map[string][][]any
	n    int
}

// Add appends a row (values in the order of the table's Columns). Strings
// are made storable: invalid UTF-8 becomes U+FFFD and NUL bytes, which
// Postgres text cannot hold, are dropped.
func (b *Batch) Add(table string, values ...any) {
	for i, v := range values {
		if s, ok := v.(string); ok && !storable(s) {
			values[i] = strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
		}
	}
	if b.rows == nil {
		b.rows = make(map[string][][]any)
	}
	b.rows[table] = append(b.rows[table], values)
	b.n++
}

func storable(s string) bool { return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 }

// Len is the number of rows in the batch.
func (b *Batch) Len() int { return b.n }

// Rows returns the rows added for table.
func (b *Batch) Rows(table string) [][]any { return b.rows[table] }

// Reset empties the batch, keeping its memory.
func (b *Batch) Reset() {
	for t, rows := range b.rows {
		clear(rows)
		b.rows[t] = rows[:0]
	}
	b.n = 0
}
