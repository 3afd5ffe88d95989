package sinks

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

func TestErrorClasses(t *testing.T) {
	pg := func(code string) error { return fmt.Errorf("write: %w", &pgconn.PgError{Code: code}) }
	for _, tc := range []struct {
		name                  string
		err                   error
		rejected, unavailable bool
	}{
		{"nil", nil, false, false},
		{"check violation", pg("23514"), true, false},
		{"invalid text", pg("22021"), true, false},
		{"admin shutdown", pg("57P01"), false, true},
		{"starting up", pg("57P03"), false, true},
		{"connection failure", pg("08006"), false, true},
		{"too many connections", pg("53300"), false, true},
		{"no table yet", pg("42P01"), false, true},
		{"syntax error", pg("42601"), false, false},
		{"bad password", pg("28P01"), false, false},
		{"deadline", fmt.Errorf("query: %w", context.DeadlineExceeded), false, true},
		{"connection closed", io.ErrUnexpectedEOF, false, true},
		{"refused", errors.New("dial tcp: connection refused"), false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Rejected(tc.err); got != tc.rejected {
				t.Errorf("Rejected = %v, want %v", got, tc.rejected)
			}
			if got := Unavailable(tc.err); got != tc.unavailable {
				t.Errorf("Unavailable = %v, want %v", got, tc.unavailable)
			}
		})
	}
}
