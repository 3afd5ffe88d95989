// Package ratelimit limits the rate of events per key (a user id, a client
// IP) with token buckets (golang.org/x/time/rate), in memory bounded by the
// number of keys recently active, not by every key ever seen.
package ratelimit

import (
	"errors"
	"hash/maphash"
	"math"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Config configures a Limiter. Zero values mean the documented defaults.
type Config struct {
	// Rate is the sustained rate per key, in events per second (zero: no
	// limit, every event is allowed).
	Rate float64
	// Burst is how many events a key may make at once (zero: Rate rounded
	// up, at least 1).
	Burst int
	// MaxKeys bounds the keys held (zero: 100,000). A key idle long enough
	// to have a full bucket again is forgotten (that loses nothing); when
	// MaxKeys are all active, arbitrary keys are forgotten (they get a full
	// bucket again).
	MaxKeys int
	// Now is the clock (zero: time.Now).
	Now func() time.Time
}

// Validate checks the configuration and fills in defaults.
func (c *Config) Validate() error {
	if c.Rate < 0 || c.Burst < 0 || c.MaxKeys < 0 || math.IsNaN(c.Rate) || math.IsInf(c.Rate, 0) {
		return errors.New("ratelimit: negative or invalid rate, burst or max keys")
	}
	if c.Burst == 0 {
		c.Burst = max(1, int(math.Ceil(c.Rate)))
	}
	if c.MaxKeys == 0 {
		c.MaxKeys = 100_000
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return nil
}

// Or is c with the defaults of def where c leaves them zero: a zero Rate
// takes def's Rate (and a zero Burst def's Burst); a negative Rate is no
// limit. This is how configs and flags give limits.
func (c Config) Or(def Config) Config {
	switch {
	case c.Rate < 0:
		c.Rate, c.Burst = 0, 0
	case c.Rate == 0:
		c.Rate = def.Rate
		if c.Burst == 0 {
			c.Burst = def.Burst
		}
	}
	if c.MaxKeys == 0 {
		c.MaxKeys = def.MaxKeys
	}
	if c.Now == nil {
		c.Now = def.Now
	}
	return c
}

// Spec is one limiter of a set: Given as configured (zero: Def, see Or),
// built into *Dst.
type Spec struct {
	Dst        **Limiter
	Given, Def Config
}

// NewAll builds every spec's limiter, each with maxKeys and now.
func NewAll(maxKeys int, now func() time.Time, specs ...Spec) error {
	for _, sp := range specs {
		sp.Given.MaxKeys, sp.Given.Now = maxKeys, now
		l, err := New(sp.Given.Or(sp.Def))
		if err != nil {
			return err
		}
		*sp.Dst = l
	}
	return nil
}

const shards = 16

// Limiter limits events per key. The zero Limiter and a nil *Limiter allow
// everything. Safe for concurrent use.
type Limiter struct {
	cfg    Config
	seed   maphash.Seed
	refill time.Duration // from empty to a full bucket
	shards [shards]shard
}

type shard struct {
	mu      sync.Mutex
	keys    map[string]*rate.Limiter
	sweptAt time.Time
}

// New builds a Limiter.
func New(cfg Config) (*Limiter, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	l := &Limiter{cfg: cfg, seed: maphash.MakeSeed()}
	if cfg.Rate > 0 {
		l.refill = time.Duration(float64(cfg.Burst) / cfg.Rate * float64(time.Second))
	}
	for i := range l.shards {
		l.shards[i].keys = map[string]*rate.Limiter{}
	}
	return l, nil
}

// Allow takes one event of key: it answers whether it is allowed and, if
// not, how long until it would be.
func (l *Limiter) Allow(key string) (ok bool, retryAfter time.Duration) {
	if l == nil || l.cfg.Rate == 0 {
		return true, 0
	}
	now := l.cfg.Now()
	sh := &l.shards[maphash.String(l.seed, key)%shards]
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if now.Sub(sh.sweptAt) >= l.refill {
		l.sweep(sh, now)
	}
	lim := sh.keys[key]
	if lim == nil {
		if len(sh.keys) >= l.cfg.MaxKeys/shards+1 {
			l.sweep(sh, now)
			for k := range sh.keys { // still full: forget one at random
				if len(sh.keys) < l.cfg.MaxKeys/shards+1 {
					break
				}
				delete(sh.keys, k)
			}
		}
		lim = rate.NewLimiter(rate.Limit(l.cfg.Rate), l.cfg.Burst)
		sh.keys[key] = lim
	}
	r := lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// sweep forgets the keys whose bucket is full again.
func (l *Limiter) sweep(sh *shard, now time.Time) {
	sh.sweptAt = now
	for k, lim := range sh.keys {
		if lim.TokensAt(now) >= float64(l.cfg.Burst) {
			delete(sh.keys, k)
		}
	}
}

// Len is the number of keys held.
func (l *Limiter) Len() int {
	n := 0
	for i := range l.shards {
		sh := &l.shards[i]
		sh.mu.Lock()
		n += len(sh.keys)
		sh.mu.Unlock()
	}
	return n
}

// RetryAfter is the value of a Retry-After header for d: whole seconds,
// rounded up, at least 1.
func RetryAfter(d time.Duration) string {
	return strconv.FormatInt(max(1, int64(math.Ceil(d.Seconds()))), 10)
}

// ClientIP is the key of the request's client: its IP from RemoteAddr (the
// peer of the TCP connection; X-Forwarded-For is not trusted), and for
// IPv6 its /64 network, which one subscriber holds whole.
func ClientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip := net.ParseIP(host)
	if ip == nil {
		return host
	}
	if ip.To4() == nil {
		return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
	}
	return ip.String()
}
