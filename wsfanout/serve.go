package wsfanout

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"finstream/api/authn"
)

// ServeHTTP serves GET /v1/ws: it checks the Origin, authenticates the
// token (Authorization: Bearer, or ?access_token=), upgrades, subscribes
// the connection to "user:<sub>" (acknowledged by a "subscribed" message)
// and returns: the connection is served by two goroutines of the hub (a
// reader and a writer), which Run waits for. Refusals before the upgrade
// are JSON errors like the API's: 403 origin, 429 (with Retry-After) too
// many connects from the address, 401 token (its authn code), 429 too many
// connects or open connections of the user, 503 shutting down.
func (h *Hub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !h.originAllowed(r) {
		h.refuse(w, http.StatusForbidden, "origin", "forbidden_origin", "origin not allowed")
		return
	}
	if ok, after := h.limits.allowIP(r); !ok {
		h.tooMany(w, after, "rate_limited", "rate_limited", "too many connects from this address")
		return
	}
	claims, err := h.cfg.Tokens.Request(r)
	if err != nil {
		var e *authn.Error
		if !errors.As(err, &e) {
			e = &authn.Error{Code: "unauthorized", Message: "the token was refused"}
		}
		h.refuse(w, http.StatusUnauthorized, "unauthorized", e.Code, e.Message)
		return
	}
	user := claims.Subject
	if ok, after := h.limits.allowUser(user); !ok {
		h.tooMany(w, after, "rate_limited", "rate_limited", "too many connects of this user")
		return
	}
	c := &conn{hub: h, user: user, expires: claims.Expires, out: outbox{limit: h.cfg.QueueSize, wake: make(chan struct{}, 1)}, readDone: make(chan struct{})}
	switch h.admit(c) {
	case admitClosed:
		h.refuse(w, http.StatusServiceUnavailable, "shutting_down", "unavailable", "server is shutting down")
		return
	case admitFull:
		h.tooMany(w, capRetry, "connection_cap", "too_many_connections",
			"this user has the most open connections allowed; close one")
		return
	}
	ws, err := h.upgrader.Upgrade(w, r, nil) // on failure it has answered 400
	if err != nil {
		h.metrics.rejected.WithLabelValues("upgrade").Inc()
		h.release(c)
		h.wg.Add(-2)
		return
	}
	c.ws = ws
	c.ctx, c.cancel = context.WithCancel(h.ctx)
	h.metrics.connections.Inc()
	h.cfg.Logger.Debug("websocket connected", "user_id", user, "remote", r.RemoteAddr)

	go c.writeLoop()
	h.joinUser(c)
	// A fresh goroutine reads, so that net/http's request, response and
	// buffers of this handler are freed: an idle connection holds little.
	go h.serve(c)
}

// serve runs c's read loop, then unregisters it.
func (h *Hub) serve(c *conn) {
	defer h.wg.Done()
	c.readLoop()
	h.disconnect(c)
	close(c.readDone)
	h.release(c)
	h.metrics.connections.Dec()
}

type admission int

const (
	admitted admission = iota
	admitClosed
	admitFull
)

// admit registers c for shutdown, counts it among its user's open
// connections and its two loops in wg, unless the hub is stopping or the
// user is at the connection cap.
func (h *Hub) admit(c *conn) admission {
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case h.closed:
		return admitClosed
	case h.limits.full(h.open[c.user]):
		return admitFull
	}
	h.conns[c] = struct{}{}
	h.open[c.user]++
	h.wg.Add(2)
	return admitted
}

// release undoes admit.
func (h *Hub) release(c *conn) {
	h.mu.Lock()
	delete(h.conns, c)
	if h.open[c.user]--; h.open[c.user] <= 0 {
		delete(h.open, c.user)
	}
	h.mu.Unlock()
}

// originAllowed accepts requests without Origin (non-browser clients), the
// request's own host, and the configured origins.
func (h *Hub) originAllowed(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil {
		return false
	}
	if strings.EqualFold(u.Host, r.Host) {
		return true
	}
	for _, a := range h.cfg.AllowedOrigins {
		if a == "*" || strings.EqualFold(strings.TrimSuffix(a, "/"), u.Scheme+"://"+u.Host) {
			return true
		}
	}
	return false
}

func (h *Hub) refuse(w http.ResponseWriter, status int, reason, code, message string) {
	h.metrics.rejected.WithLabelValues(reason).Inc()
	var body struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	body.Error.Code, body.Error.Message = code, message
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}
