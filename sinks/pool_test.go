package sinks

import (
	"context"
	"testing"
)

func TestOpenPoolHonoursURL(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		url       string
		maxConns  int32
		wantConns int32
		wantTLS   bool
	}{
		{"postgres://u@db.example:5432/fin?sslmode=require", 7, 7, true},
		{"postgres://u@db.example:5432/fin?sslmode=disable&pool_max_conns=3", 0, 3, false},
		{"host=db.example user=u dbname=fin sslmode=verify-full", 2, 2, true},
	} {
		pool, err := OpenPool(ctx, tc.url, tc.maxConns)
		if err != nil {
			t.Fatalf("%s: %v", tc.url, err)
		}
		cfg := pool.Config()
		if cfg.MaxConns != tc.wantConns || (cfg.ConnConfig.TLSConfig != nil) != tc.wantTLS {
			t.Errorf("%s: max conns %d, TLS %v; want %d, %v", tc.url, cfg.MaxConns, cfg.ConnConfig.TLSConfig != nil, tc.wantConns, tc.wantTLS)
		}
		if cfg.ConnConfig.RuntimeParams["application_name"] != "finstream" {
			t.Errorf("%s: application_name %q", tc.url, cfg.ConnConfig.RuntimeParams["application_name"])
		}
		pool.Close()
	}
	if _, err := OpenPool(ctx, "postgres://u@h/db?sslmode=bogus", 0); err == nil {
		t.Error("bad sslmode: no error")
	}
}
