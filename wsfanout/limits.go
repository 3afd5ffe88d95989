package wsfanout

import (
	"fmt"
	"net/http"
	"time"

	"finstream/api/ratelimit"
)

// ConnectLimits bound WebSocket connects. Zero values mean the defaults,
// sized for a mobile app: a phone reconnects on every network change and
// wake-up, a user has a few devices, and carrier NAT puts many phones
// behind one IPv4 address. A negative rate (or cap) turns that limit off.
type ConnectLimits struct {
	// UserRate is connects per second per user (zero: 0.2, 12 a minute),
	// with bursts of UserBurst (zero: 10).
	UserRate  float64
	UserBurst int
	// IPRate is connects per second per client IP (IPv6: per /64), before
	// authentication (zero: 5), with bursts of IPBurst (zero: 50).
	IPRate  float64
	IPBurst int
	// MaxPerUser caps the open connections of one user (zero: 10). A
	// connect beyond it is refused with 429 until one of them closes.
	MaxPerUser int
	// MaxKeys bounds the users and IPs each limiter remembers (zero:
	// 100,000; see ratelimit.Config).
	MaxKeys int
	// Now is the clock of the limits (zero: time.Now).
	Now func() time.Time
}

// capRetry is the Retry-After of a connect refused by the cap: a guess at
// when a device of the user may have gone.
const capRetry = 30 * time.Second

// connectGate applies ConnectLimits; a nil *connectGate limits nothing.
type connectGate struct {
	users, ips *ratelimit.Limiter
	maxPerUser int // 0: no cap
}

func newConnectGate(l *ConnectLimits) (*connectGate, error) {
	if l == nil {
		return nil, nil
	}
	g := &connectGate{maxPerUser: l.MaxPerUser}
	switch {
	case g.maxPerUser == 0:
		g.maxPerUser = 10
	case g.maxPerUser < 0:
		g.maxPerUser = 0
	}
	err := ratelimit.NewAll(l.MaxKeys, l.Now,
		ratelimit.Spec{Dst: &g.users, Given: ratelimit.Config{Rate: l.UserRate, Burst: l.UserBurst}, Def: ratelimit.Config{Rate: 0.2, Burst: 10}},
		ratelimit.Spec{Dst: &g.ips, Given: ratelimit.Config{Rate: l.IPRate, Burst: l.IPBurst}, Def: ratelimit.Config{Rate: 5, Burst: 50}})
	if err != nil {
		return nil, fmt.Errorf("wsfanout: %w", err)
	}
	return g, nil
}

// allowIP takes one connect of r's client IP.
func (g *connectGate) allowIP(r *http.Request) (bool, time.Duration) {
	if g == nil {
		return true, 0
	}
	return g.ips.Allow(ratelimit.ClientIP(r))
}

// allowUser takes one connect of user.
func (g *connectGate) allowUser(user string) (bool, time.Duration) {
	if g == nil {
		return true, 0
	}
	return g.users.Allow(user)
}

// full reports whether user may open no more connections, given open.
func (g *connectGate) full(open int) bool {
	return g != nil && g.maxPerUser > 0 && open >= g.maxPerUser
}

// tooMany refuses a connect with 429 and Retry-After.
func (h *Hub) tooMany(w http.ResponseWriter, after time.Duration, reason, code, message string) {
	secs := ratelimit.RetryAfter(after)
	w.Header().Set("Retry-After", secs)
	h.refuse(w, http.StatusTooManyRequests, reason, code, message+"; retry in "+secs+" s")
}
