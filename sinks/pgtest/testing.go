package pgtest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvURL names the environment variable with the URL (postgres://...) of an
// existing Postgres to test against instead of a throwaway server. Its user
// must be allowed to CREATE DATABASE.
const EnvURL = "FINSTREAM_TEST_DATABASE_URL"

// shared is the one server per test binary: started on the first
// NewDatabase, stopped by Run. Package state, because a test binary has
// exactly one lifetime to tie it to.
var shared struct {
	once  sync.Once
	srv   *Server
	admin string // URL of a database to run CREATE DATABASE from
	err   error
	n     atomic.Int64
}

// Run runs m's tests and then closes the shared server, if one started.
// Use it in TestMain: func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }.
// Without it the server still dies with the test binary (Pdeathsig), but its
// temporary directory stays behind.
func Run(m *testing.M) int {
	code := m.Run()
	if shared.srv != nil {
		if err := shared.srv.Close(); err != nil {
			fmt.Fprintln(os.Stderr, "pgtest: close:", err)
		}
	}
	return code
}

// unavailable skips t, or fails it when CI=true: CI must run every test.
func unavailable(t testing.TB, err error) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("Postgres unavailable (CI=true, so this fails rather than skips): %v", err)
	}
	t.Skipf("Postgres unavailable: %v", err)
}

// NewDatabase creates an empty database for t and returns its URL. It is on
// the server named by FINSTREAM_TEST_DATABASE_URL, else on the shared
// throwaway server, and is dropped when t ends. When no Postgres can be had,
// t is skipped (failed when CI=true).
func NewDatabase(t testing.TB) string {
	t.Helper()
	shared.once.Do(func() {
		if u := os.Getenv(EnvURL); u != "" {
			shared.admin = u
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		shared.srv, shared.err = StartServer(ctx, Options{})
		if shared.err == nil {
			shared.admin = shared.srv.URL("postgres")
		}
	})
	if shared.err != nil {
		unavailable(t, shared.err)
	}
	name := fmt.Sprintf("finstream_test_%d_%d", os.Getpid(), shared.n.Add(1))
	dbURL, err := createDatabase(shared.admin, name)
	if err != nil {
		unavailable(t, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if c, err := pgx.Connect(ctx, shared.admin); err == nil {
			_, _ = c.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
			_ = c.Close(ctx)
		}
	})
	return dbURL
}

// NewServer starts a private throwaway server for t (which may Stop and
// Start it), closed when t ends. Its database "postgres" is empty. When no
// server can start, t is skipped (failed when CI=true).
func NewServer(t testing.TB) *Server {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	s, err := StartServer(ctx, Options{})
	if err != nil {
		unavailable(t, err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("pgtest: close: %v", err)
		}
	})
	return s
}

// createDatabase creates database name on the server of admin and returns
// admin with its database replaced by name.
func createDatabase(admin, name string) (string, error) {
	u, err := url.Parse(admin)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", fmt.Errorf("%s must be a postgres:// URL", EnvURL)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, admin)
	if err != nil {
		return "", fmt.Errorf("connect %s: %w", u.Redacted(), err)
	}
	defer c.Close(ctx)
	// FILE_COPY (Postgres 15+) is ten times faster than the default for a
	// small template; older servers do not know it.
	create := "CREATE DATABASE " + pgx.Identifier{name}.Sanitize()
	if _, err := c.Exec(ctx, create+" STRATEGY FILE_COPY"); err != nil {
		if _, err := c.Exec(ctx, create); err != nil {
			return "", fmt.Errorf("create database %s: %w", name, err)
		}
	}
	u.Path = "/" + name
	return u.String(), nil
}
