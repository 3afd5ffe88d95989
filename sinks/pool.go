package sinks

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"
)

// OpenPool returns a connection pool for the Postgres at url, a postgres://
// URL or a key=value DSN. Every libpq setting in it is honoured as pgx
// reads it: TLS (sslmode, sslrootcert, sslcert, sslkey), connect_timeout,
// application_name, PG* environment variables. maxConns > 0 caps the pool
// (otherwise pgx's default: 4 or the number of CPUs, whichever is more;
// pool_max_conns in the URL works too). It does not connect: the first use
// does, so a database that is down at start is not an error here. The
// caller closes the pool.
func OpenPool(ctx context.Context, url string, maxConns int32) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("database url: %w", err)
	}
	if maxConns > 0 {
		cfg.MaxConns = maxConns
	}
	if cfg.ConnConfig.RuntimeParams["application_name"] == "" {
		cfg.ConnConfig.RuntimeParams["application_name"] = "finstream"
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("database pool: %w", err)
	}
	return pool, nil
}
