package sinks

import (
	"context"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// Rejected reports whether Postgres refused the data itself: SQLSTATE class
// 22 (data exception) or 23 (integrity constraint violation). Retrying the
// same rows cannot help, so the sink sends their record to finstream.dlq.
// Every other error (the database away, slow, restarting, out of
// connections; or a schema problem an operator must fix) is retried.
func Rejected(err error) bool {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return false
	}
	return strings.HasPrefix(pgErr.Code, "22") || strings.HasPrefix(pgErr.Code, "23")
}

// Unavailable reports whether err means the database cannot answer now:
// it cannot be reached, the connection broke, it is starting, shutting down
// or out of resources (SQLSTATE classes 08, 53, 57), the deadline passed,
// or the sink's tables do not exist yet (42P01).
// The API answers 503 to these and the sink retries them at start; other
// errors (authentication, a missing database, bugs, bad data) are not.
func Unavailable(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		for _, class := range []string{"08", "53", "57"} {
			if strings.HasPrefix(pgErr.Code, class) {
				return true
			}
		}
		return pgErr.Code == "42P01" // undefined table: the sink has not migrated this database yet
	}
	return true // no answer from the server: network, closed connection, pool closed
}
