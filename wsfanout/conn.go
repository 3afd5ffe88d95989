package wsfanout

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

const (
	// maxMessageSize bounds what a client may send (gorilla closes with 1009).
	maxMessageSize = 4096
	// closeGrace is how long the writer waits for the peer's close frame
	// after sending its own before closing the TCP connection.
	closeGrace = time.Second
)

// conn is one device's WebSocket. Its read loop runs in the HTTP handler's
// goroutine and handles client messages one at a time; its write loop is
// the only goroutine writing data frames to the socket, from out.
type conn struct {
	hub     *Hub
	ws      *websocket.Conn
	user    string
	expires time.Time // the token's expiry (zero: none)
	out     outbox

	ctx      context.Context // cancelled when the connection ends or the hub stops
	cancel   context.CancelFunc
	readDone chan struct{} // closed when the read loop has returned
	noPong   atomic.Bool   // the read loop timed out

	mu       sync.Mutex
	channels map[string]struct{} // budget channels joined or joining
}

// push queues f for this device; see Hub.deliver.
func (c *conn) push(f *frame) { c.hub.deliver(c, f) }

// track records that c joins a budget channel; false when it is at the
// limit. Tracking an already tracked channel succeeds.
func (c *conn) track(channel string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.channels[channel]; ok {
		return true
	}
	if len(c.channels) >= c.hub.cfg.MaxSubscriptions {
		return false
	}
	if c.channels == nil {
		c.channels = make(map[string]struct{})
	}
	c.channels[channel] = struct{}{}
	return true
}

func (c *conn) untrack(channel string) {
	c.mu.Lock()
	delete(c.channels, channel)
	c.mu.Unlock()
}

func (c *conn) tracked() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]string, 0, len(c.channels))
	for ch := range c.channels {
		out = append(out, ch)
	}
	return out
}

// readLoop reads client messages until the connection fails, the peer
// closes it or nothing (not even a pong) arrives in PingInterval+PongTimeout.
func (c *conn) readLoop() {
	cfg := &c.hub.cfg
	wait := cfg.PingInterval + cfg.PongTimeout
	extend := func() { _ = c.ws.SetReadDeadline(time.Now().Add(wait)) }
	c.ws.SetReadLimit(maxMessageSize)
	extend()
	c.ws.SetPongHandler(func(string) error { extend(); return nil })
	c.ws.SetPingHandler(func(data string) error {
		extend()
		err := c.ws.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(cfg.WriteTimeout))
		var ne net.Error
		if err == nil || errors.Is(err, websocket.ErrCloseSent) || errors.As(err, &ne) {
			return nil
		}
		return err
	})
	for {
		_, data, err := c.ws.ReadMessage()
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				c.noPong.Store(true)
			}
			return
		}
		extend()
		c.handle(data)
	}
}

func (c *conn) handle(data []byte) {
	var m clientMessage
	if err := json.Unmarshal(data, &m); err != nil {
		c.push(errorFrame("bad_request", 400, "", fmt.Sprintf("message is not a JSON object: %v", err)))
		return
	}
	switch m.Type {
	case TypePing:
		c.push(c.hub.pong)
	case TypeSubscribe:
		c.hub.subscribe(c, m.Channel, m.SinceVersion)
	case TypeUnsubscribe:
		c.hub.unsubscribe(c, m.Channel)
	default:
		c.push(errorFrame("bad_request", 400, m.Channel, fmt.Sprintf("unknown message type %q (want subscribe, unsubscribe or ping)", m.Type)))
	}
}

// writeLoop writes queued frames and pings until the connection ends. It
// owns the socket's data writes and closes the socket when it returns.
func (c *conn) writeLoop() {
	defer c.hub.wg.Done()
	defer c.cancel()
	defer c.out.shutdown()
	cfg := &c.hub.cfg
	ping := time.NewTicker(cfg.PingInterval)
	defer ping.Stop()
	var expired <-chan time.Time // nil (never) for a token without expiry
	if !c.expires.IsZero() {
		t := time.NewTimer(c.expires.Sub(cfg.Now()))
		defer t.Stop()
		expired = t.C
	}
	var batch []*frame
	for {
		select {
		case <-expired:
			c.hub.metrics.rejected.WithLabelValues("token_expired").Inc()
			c.closeWith(closeReason{CloseTokenExpired, "token expired"})
			return
		case <-c.out.wake:
		case <-ping.C:
			if err := c.ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(cfg.WriteTimeout)); err != nil {
				_ = c.ws.Close()
				return
			}
			continue
		case <-c.readDone:
			if c.noPong.Load() {
				c.closeWith(closeReason{CloseNoPong, "no pong"})
			} else {
				_ = c.ws.Close()
			}
			return
		}
		var reason *closeReason
		batch, reason = c.out.take(batch[:0])
		for _, f := range batch {
			if c.out.aborted() {
				break
			}
			if err := c.write(f); err != nil {
				_ = c.ws.Close()
				return
			}
		}
		clear(batch)
		if cap(batch) > 64 {
			batch = nil
		}
		if reason != nil {
			c.closeWith(*reason)
			return
		}
	}
}

func (c *conn) write(f *frame) error {
	if err := c.ws.SetWriteDeadline(time.Now().Add(c.hub.cfg.WriteTimeout)); err != nil {
		return err
	}
	if err := c.ws.WritePreparedMessage(f.pm); err != nil {
		return fmt.Errorf("write %s: %w", f.kind, err)
	}
	c.hub.metrics.sent(f.kind)
	if !f.eventTime.IsZero() {
		c.hub.metrics.latency.Observe(c.hub.cfg.Now().Sub(f.eventTime).Seconds())
	}
	return nil
}

// closeWith sends a close frame, waits briefly for the peer's, then closes.
func (c *conn) closeWith(r closeReason) {
	if r.code == CloseSlowConsumer {
		c.hub.cfg.Logger.Warn("slow websocket device closed", "user_id", c.user, "queue", c.hub.cfg.QueueSize)
	}
	msg := websocket.FormatCloseMessage(r.code, r.text)
	_ = c.ws.WriteControl(websocket.CloseMessage, msg, time.Now().Add(c.hub.cfg.WriteTimeout))
	t := time.NewTimer(closeGrace)
	select {
	case <-c.readDone:
	case <-t.C:
	}
	t.Stop()
	_ = c.ws.Close()
}
