package wsfanout

import (
	"context"
	"slices"
	"strings"
)

// joinUser subscribes a new connection to its user's channel.
func (h *Hub) joinUser(c *conn) {
	name := userPrefix + c.user
	sh := h.shard(name)
	sh.mu.Lock()
	ch := sh.channel(name)
	ch.subs[c] = true
	sh.mu.Unlock()
	c.push(mustEncode(TypeSubscribed, subscribedMsg{Type: TypeSubscribed, Channel: name}))
}

// subscribe handles a client's subscribe message.
func (h *Hub) subscribe(c *conn, name string, since int64) {
	prefix, id, ok := parseChannel(name)
	switch {
	case !ok:
		c.push(errorFrame("bad_request", 400, name, `unknown channel: want "budget:<id>"`))
	case prefix == userPrefix && id == c.user:
		c.push(mustEncode(TypeSubscribed, subscribedMsg{Type: TypeSubscribed, Channel: name}))
	case prefix == userPrefix:
		c.push(errorFrame("forbidden", 403, name, "a connection receives only its own user channel"))
	default:
		h.subscribeBudget(c, name, id, since)
	}
}

// subscribeBudget joins c to a shared budget's channel if its user is a
// participant. The device is registered as joining before the participant
// check so that an update published meanwhile is not lost: joining devices
// receive no updates, but the channel keeps the newest one, and it is sent
// after the snapshot if it is newer.
func (h *Hub) subscribeBudget(c *conn, name, budgetID string, since int64) {
	if !c.track(name) {
		c.push(errorFrame("too_many_subscriptions", 429, name, "too many budget subscriptions on this connection"))
		return
	}
	sh := h.shard(name)
	sh.mu.Lock()
	ch := sh.channel(name)
	_, already := ch.subs[c]
	if !already {
		ch.subs[c] = false
	}
	sh.mu.Unlock()

	ctx, cancel := context.WithTimeout(c.ctx, h.cfg.BudgetTimeout)
	snap, err := h.cfg.Budgets.Budget(ctx, budgetID)
	cancel()
	var snapFrame *frame
	if err == nil && snap.Found && since < snap.Version {
		snapFrame, err = encode(TypeSnapshot, snapshotMsg{Type: TypeSnapshot, Channel: name, BudgetID: budgetID, Version: snap.Version, State: snap.State})
	}
	if err != nil {
		h.cfg.Logger.Warn("read budget for subscribe", "budget_id", budgetID, "err", err)
		if !already {
			h.leave(c, name)
			c.untrack(name)
		}
		c.push(errorFrame("unavailable", 503, name, "could not read the budget, retry"))
		return
	}

	sh.mu.Lock()
	defer sh.mu.Unlock()
	ch = sh.channel(name) // gone if an eviction emptied it meanwhile
	last := ch.last.Load()
	newer := last != nil && last.version > snap.Version
	var member bool
	if newer {
		_, member = last.participants[c.user]
	} else {
		_, member = snap.Participants[c.user]
		member = member && snap.Found
	}
	if !member {
		h.leaveLocked(sh, ch, c, name)
		c.untrack(name)
		c.push(errorFrame("forbidden", 403, name, "not a participant of this budget"))
		return
	}
	version := snap.Version
	if newer {
		version = last.version
	}
	c.push(mustEncode(TypeSubscribed, subscribedMsg{Type: TypeSubscribed, Channel: name, Version: version}))
	if snapFrame != nil {
		c.push(snapFrame)
	}
	if newer && last.version > since {
		c.push(last.frame)
	}
	if ch.subs[c] {
		return // a repeated subscribe: nothing changes for presence
	}
	ch.subs[c] = true
	ch.online[c.user]++
	if ch.online[c.user] == 1 {
		h.presenceLocked(ch, name, budgetID, c.user, "")
	} else {
		c.push(presenceFrame(ch, name, budgetID, "", ""))
	}
}

// unsubscribe handles a client's unsubscribe message.
func (h *Hub) unsubscribe(c *conn, name string) {
	prefix, _, ok := parseChannel(name)
	switch {
	case !ok:
		c.push(errorFrame("bad_request", 400, name, `unknown channel: want "budget:<id>"`))
	case prefix == userPrefix:
		c.push(errorFrame("bad_request", 400, name, "the user channel cannot be left"))
	default:
		h.leave(c, name)
		c.untrack(name)
		c.push(mustEncode(TypeUnsubscribed, unsubscribedMsg{Type: TypeUnsubscribed, Channel: name, Reason: ReasonRequested}))
	}
}

// evict unsubscribes c from a budget it no longer participates in, telling
// it so, unless it already left or the newest update lists its user again.
func (h *Hub) evict(c *conn, name string) {
	sh := h.shard(name)
	sh.mu.Lock()
	ch := sh.channels[name]
	if ch == nil || !ch.subs[c] {
		sh.mu.Unlock()
		return
	}
	if last := ch.last.Load(); last != nil {
		if _, member := last.participants[c.user]; member {
			sh.mu.Unlock()
			return
		}
	}
	h.leaveLocked(sh, ch, c, name)
	c.push(mustEncode(TypeUnsubscribed, unsubscribedMsg{Type: TypeUnsubscribed, Channel: name, Reason: ReasonRemoved,
		Message: "you are no longer a participant of this budget"}))
	sh.mu.Unlock()
	c.untrack(name)
	h.cfg.Logger.Info("removed participant unsubscribed", "user_id", c.user, "channel", name)
}

// disconnect removes a closed connection from every channel.
func (h *Hub) disconnect(c *conn) {
	for _, name := range append(c.tracked(), userPrefix+c.user) {
		h.leave(c, name)
	}
}

func (h *Hub) leave(c *conn, name string) {
	sh := h.shard(name)
	sh.mu.Lock()
	if ch := sh.channels[name]; ch != nil {
		h.leaveLocked(sh, ch, c, name)
	}
	sh.mu.Unlock()
}

// leaveLocked removes c from ch (sh locked), announcing presence when its
// user's last device on a budget leaves, and drops an empty channel.
func (h *Hub) leaveLocked(sh *shard, ch *channel, c *conn, name string) {
	active, ok := ch.subs[c]
	if !ok {
		return
	}
	delete(ch.subs, c)
	if active && ch.online != nil {
		if ch.online[c.user]--; ch.online[c.user] <= 0 {
			delete(ch.online, c.user)
			_, id, _ := parseChannel(name)
			h.presenceLocked(ch, name, id, "", c.user)
		}
	}
	if len(ch.subs) == 0 {
		delete(sh.channels, name)
	}
}

// presenceLocked sends who is online to every active device of ch.
func (h *Hub) presenceLocked(ch *channel, name, budgetID, joined, left string) {
	var f *frame
	for c, active := range ch.subs {
		if !active {
			continue
		}
		if f == nil {
			f = presenceFrame(ch, name, budgetID, joined, left)
		}
		h.deliver(c, f)
	}
}

func presenceFrame(ch *channel, name, budgetID, joined, left string) *frame {
	online := make([]string, 0, len(ch.online))
	for u := range ch.online {
		online = append(online, u)
	}
	slices.Sort(online)
	return mustEncode(TypePresence, presenceMsg{Type: TypePresence, Channel: name, BudgetID: budgetID, Online: online, Joined: joined, Left: left})
}

// channel returns the named channel, creating it (sh locked for writing).
func (sh *shard) channel(name string) *channel {
	ch := sh.channels[name]
	if ch == nil {
		ch = &channel{subs: make(map[*conn]bool, 2)}
		if strings.HasPrefix(name, budgetPrefix) {
			ch.online = make(map[string]int, 4)
		}
		sh.channels[name] = ch
	}
	return ch
}
