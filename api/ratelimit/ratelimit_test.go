package ratelimit_test

import (
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"finstream/api/ratelimit"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func newLimiter(t *testing.T, cfg ratelimit.Config) (*ratelimit.Limiter, *clock) {
	t.Helper()
	c := &clock{time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)}
	cfg.Now = c.now
	l, err := ratelimit.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return l, c
}

func TestBurstThenRetryAfter(t *testing.T) {
	l, c := newLimiter(t, ratelimit.Config{Rate: 2, Burst: 3})
	for i := range 3 {
		if ok, _ := l.Allow("U"); !ok {
			t.Fatalf("event %d refused within the burst", i)
		}
	}
	ok, after := l.Allow("U")
	if ok || after != 500*time.Millisecond {
		t.Fatalf("4th: ok %v, retry after %v; want refused, 500ms", ok, after)
	}
	if ok, _ := l.Allow("V"); !ok {
		t.Fatal("another key is limited too")
	}
	c.t = c.t.Add(after)
	if ok, _ := l.Allow("U"); !ok {
		t.Fatal("refused after Retry-After")
	}
}

// TestBounded: keys idle long enough to refill are forgotten, and the keys
// held never exceed MaxKeys by more than the shard rounding.
func TestBounded(t *testing.T) {
	l, c := newLimiter(t, ratelimit.Config{Rate: 1, Burst: 5, MaxKeys: 1600})
	for i := range 10_000 {
		l.Allow("ip-" + strconv.Itoa(i))
	}
	if n := l.Len(); n > 1600+16 {
		t.Fatalf("%d keys held, want at most ~1600", n)
	}
	c.t = c.t.Add(6 * time.Second) // every bucket is full again
	for i := range 1000 {          // touches every shard: each sweeps its idle keys
		l.Allow("new-" + strconv.Itoa(i))
	}
	if n := l.Len(); n > 1000 {
		t.Fatalf("%d keys held after they all went idle", n)
	}
}

func TestNoLimit(t *testing.T) {
	l, _ := newLimiter(t, ratelimit.Config{})
	for range 1000 {
		if ok, _ := l.Allow("U"); !ok {
			t.Fatal("limited without a rate")
		}
	}
	var nilL *ratelimit.Limiter
	if ok, _ := nilL.Allow("U"); !ok {
		t.Fatal("nil limiter limits")
	}
}

func TestRetryAfter(t *testing.T) {
	for d, want := range map[time.Duration]string{time.Millisecond: "1", time.Second: "1", 1500 * time.Millisecond: "2", 0: "1"} {
		if got := ratelimit.RetryAfter(d); got != want {
			t.Errorf("RetryAfter(%v) = %s, want %s", d, got, want)
		}
	}
}

func TestClientIP(t *testing.T) {
	for addr, want := range map[string]string{
		"203.0.113.7:5555":           "203.0.113.7",
		"[2001:db8:1:2:3:4:5:6]:443": "2001:db8:1:2::/64",
		"[2001:db8:1:2:ffff::1]:443": "2001:db8:1:2::/64",
		"not-an-address":             "not-an-address",
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = addr
		if got := ratelimit.ClientIP(r); got != want {
			t.Errorf("%s: %s, want %s", addr, got, want)
		}
	}
}

func TestOr(t *testing.T) {
	def := ratelimit.Config{Rate: 5, Burst: 30}
	for _, c := range []struct{ given, want ratelimit.Config }{
		{ratelimit.Config{}, ratelimit.Config{Rate: 5, Burst: 30}},
		{ratelimit.Config{Burst: 7}, ratelimit.Config{Rate: 5, Burst: 7}},
		{ratelimit.Config{Rate: 1}, ratelimit.Config{Rate: 1}},
		{ratelimit.Config{Rate: -1, Burst: 9}, ratelimit.Config{}},
	} {
		if got := c.given.Or(def); got.Rate != c.want.Rate || got.Burst != c.want.Burst {
			t.Errorf("%+v.Or: %+v, want %+v", c.given, got, c.want)
		}
	}
}

// BenchmarkAllow is the cost of one limited event over 10,000 active keys.
func BenchmarkAllow(b *testing.B) {
	l, err := ratelimit.New(ratelimit.Config{Rate: 1e9, Burst: 1e9})
	if err != nil {
		b.Fatal(err)
	}
	keys := make([]string, 10_000)
	for i := range keys {
		keys[i] = "USR-" + strconv.Itoa(i)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		l.Allow(keys[i%len(keys)])
		i++
	}
}
