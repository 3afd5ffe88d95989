package wsfanout

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"net/http"
	"sync"
	"sync/atomic"

	"github.com/gorilla/websocket"

	"finstream/processors/event"
)

// numShards is the number of registry shards (each with its own RWMutex).
const numShards = 64

// Hub is the WebSocket fanout: it serves /v1/ws (ServeHTTP), routes budget
// updates and notifications to the devices subscribed to their channel
// (Publish, Notify), and closes every connection when Run returns.
//
// Publish and Notify never block on a device: each device has a bounded
// queue drained by its own writer goroutine, and a device whose queue
// overflows is closed with CloseSlowConsumer. Every message is encoded once
// and its bytes shared by all the devices it goes to. No lock is held while
// writing to a socket. All methods are safe for concurrent use.
type Hub struct {
	cfg      Config
	metrics  *metrics
	upgrader websocket.Upgrader
	pong     *frame

	seed   maphash.Seed
	shards [numShards]shard

	ctx    context.Context // cancelled when Run begins shutting down
	cancel context.CancelFunc

	limits *connectGate // nil: no limits

	mu      sync.Mutex // guards conns, open and closed
	conns   map[*conn]struct{}
	open    map[string]int // user → open connections (users with any)
	closed  bool
	started atomic.Bool
	wg      sync.WaitGroup // every connection's read and write loops
}

// shard holds the channels whose names hash to it.
type shard struct {
	mu       sync.RWMutex
	channels map[string]*channel
}

// channel is one channel's subscribers. A channel exists while it has
// subscribers (active or joining).
type channel struct {
	subs   map[*conn]bool // device → active (false: joining, its participation being checked)
	online map[string]int // budget channels: user → active devices
	// last is the newest shared update published while the channel existed:
	// who participates, and a frame for devices that join meanwhile.
	last atomic.Pointer[lastUpdate]
}

type lastUpdate struct {
	version      int64
	participants map[string]struct{}
	frame        *frame
}

// New builds a hub from cfg (validated here).
func New(cfg Config) (*Hub, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	m, err := newMetrics(cfg.Metrics)
	if err != nil {
		return nil, err
	}
	limits, err := newConnectGate(cfg.Limits)
	if err != nil {
		return nil, err
	}
	h := &Hub{
		cfg:     cfg,
		metrics: m,
		pong: mustEncode(TypePong, struct {
			Type string `json:"type"`
		}{TypePong}),
		seed:   maphash.MakeSeed(),
		conns:  make(map[*conn]struct{}),
		open:   make(map[string]int),
		limits: limits,
	}
	h.upgrader = websocket.Upgrader{
		ReadBufferSize:  1024,                                     // clients send small messages
		WriteBufferPool: &sync.Pool{},                             // data goes out as prepared frames: no per-connection write buffer
		CheckOrigin:     func(*http.Request) bool { return true }, // checked in ServeHTTP, before auth
	}
	h.ctx, h.cancel = context.WithCancel(context.Background())
	for i := range h.shards {
		h.shards[i].channels = make(map[string]*channel)
	}
	return h, nil
}

// Run waits for ctx to end, then closes every connection with 1001 (going
// away) after writing what was queued for it, and returns once every
// connection goroutine has. It returns nil; calling it twice is an error.
// Connections accepted before Run starts are served; after Run returns,
// ServeHTTP answers 503.
func (h *Hub) Run(ctx context.Context) error {
	if !h.started.CompareAndSwap(false, true) {
		return errors.New("wsfanout: Run called twice")
	}
	<-ctx.Done()
	h.mu.Lock()
	h.closed = true
	conns := make([]*conn, 0, len(h.conns))
	for c := range h.conns {
		conns = append(conns, c)
	}
	h.mu.Unlock()
	h.cancel()
	for _, c := range conns {
		c.out.close(closeReason{websocket.CloseGoingAway, "server shutting down"})
	}
	h.wg.Wait()
	h.cfg.Logger.Info("websocket hub stopped", "closed", len(conns))
	return nil
}

// Publish routes a budget update: a personal one (Kind "personal") to
// "user:<UserID>", a shared one to "budget:<BudgetID>". For a shared update
// only devices of users in Participants receive it; a subscribed user no
// longer among them is unsubscribed at once ("unsubscribed", reason
// "removed"). A shared update older than one already published (lower
// Version) is dropped. Publish never blocks on a device.
func (h *Hub) Publish(u event.BudgetUpdate) {
	switch u.Kind {
	case event.BudgetPersonal:
		h.broadcast(userPrefix+u.UserID, func(ch string) *frame { return updateFrame(ch, u) })
	case event.BudgetShared:
		h.publishShared(u)
	default:
		h.cfg.Logger.Warn("budget update of unknown kind dropped", "kind", u.Kind, "budget_id", u.BudgetID)
	}
}

// Notify sends a "notification" carrying payload (marshalled as JSON in
// "data") to every device of userID. It fails only if payload cannot be
// marshalled; a user with no device online is not an error.
func (h *Hub) Notify(userID string, payload any) error {
	return h.SendUser(userID, TypeNotification, payload)
}

// SendUser sends a message of type typ carrying payload (in "data") to
// every device of userID, like Notify.
func (h *Hub) SendUser(userID, typ string, payload any) error {
	name := userPrefix + userID
	f, err := encode(typ, notificationMsg{Type: typ, Channel: name, Data: payload})
	if err != nil {
		return fmt.Errorf("send %s to %q: %w", typ, userID, err)
	}
	h.broadcast(name, func(string) *frame { return f })
	return nil
}

// broadcast sends to every active device of a channel, encoding only if
// there is one.
func (h *Hub) broadcast(name string, mk func(channel string) *frame) {
	sh := h.shard(name)
	sh.mu.RLock()
	defer sh.mu.RUnlock()
	ch := sh.channels[name]
	if ch == nil {
		return
	}
	var f *frame
	for c, active := range ch.subs {
		if !active {
			continue
		}
		if f == nil {
			f = mk(name)
		}
		h.deliver(c, f)
	}
}

func (h *Hub) publishShared(u event.BudgetUpdate) {
	name := budgetPrefix + u.BudgetID
	sh := h.shard(name)
	var evict []*conn
	sh.mu.RLock()
	ch := sh.channels[name]
	if ch == nil {
		sh.mu.RUnlock()
		return
	}
	lu := &lastUpdate{version: u.Version, participants: make(map[string]struct{}, len(u.Participants)), frame: updateFrame(name, u)}
	for _, p := range u.Participants {
		lu.participants[p.UserID] = struct{}{}
	}
	for {
		old := ch.last.Load()
		if old != nil && old.version > lu.version {
			sh.mu.RUnlock()
			h.cfg.Logger.Debug("stale shared update dropped", "budget_id", u.BudgetID, "version", u.Version, "newest", old.version)
			return
		}
		if ch.last.CompareAndSwap(old, lu) {
			break
		}
	}
	for c, active := range ch.subs {
		switch _, member := lu.participants[c.user]; {
		case !active: // joining: gets ch.last once its participation is checked
		case member:
			h.deliver(c, lu.frame)
		default:
			evict = append(evict, c)
		}
	}
	sh.mu.RUnlock()
	for _, c := range evict {
		h.evict(c, name)
	}
}

// deliver queues f for c, closing c if its queue overflows. It never blocks.
func (h *Hub) deliver(c *conn, f *frame) {
	if c.out.push(f) == overflowed {
		h.metrics.drops.Inc() // the writer logs it, holding no lock
	}
}

func (h *Hub) shard(name string) *shard {
	return &h.shards[maphash.String(h.seed, name)%numShards]
}
