package wsfanout

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"finstream/api"
)

// ServeHTTP serves GET /v1/ws: it checks the Origin, authenticates the
// token (Authorization: Bearer, or ?access_token=), upgrades, subscribes
// the connection to "user:<sub>" (acknowledged by a "subscribed" message)
// and returns: the connection is served by two goroutines of the hub (a
// reader and a writer), which Run waits for. Refusals before the upgrade
// are JSON errors like the API's: 403 origin, 401 token, 503 shutting down.
func (h *Hub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !h.originAllowed(r) {
		h.refuse(w, http.StatusForbidden, "origin", "forbidden_origin", "origin not allowed")
		return
	}
	user, expires, err := api.SubjectUntil(h.cfg.Secret, r, h.cfg.Now())
	if err != nil {
		h.refuse(w, http.StatusUnauthorized, "unauthorized", "unauthorized", err.Error())
		return
	}
	c := &conn{hub: h, user: user, expires: expires, out: outbox{limit: h.cfg.QueueSize, wake: make(chan struct{}, 1)}, readDone: make(chan struct{})}
	if !h.admit(c) {
		h.refuse(w, http.StatusServiceUnavailable, "shutting_down", "unavailable", "server is shutting down")
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

// admit registers c for shutdown and counts its two loops in wg, unless
// the hub is stopping.
func (h *Hub) admit(c *conn) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return false
	}
	h.conns[c] = struct{}{}
	h.wg.Add(2)
	return true
}

func (h *Hub) release(c *conn) {
	h.mu.Lock()
	delete(h.conns, c)
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
