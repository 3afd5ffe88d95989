// Package wsfanout is finstream's WebSocket fanout: it pushes every change
// of a budget to the devices of the users who may see it, within
// milliseconds, without letting one slow device delay the others.
//
// # Flow
//
// Tail reads finstream.budget.updates (every partition, no consumer group,
// from the end) and calls Hub.Publish for each update. Publish finds the
// update's channel in a registry sharded by channel name (an RWMutex per
// shard), encodes the message once (a gorilla PreparedMessage, shared by
// every connection) and appends it to each subscribed device's bounded
// queue. Each connection has one writer goroutine that drains its queue to
// the socket; no lock is held while writing. A device whose queue is full
// is closed with CloseSlowConsumer (4008) and its queue discarded, so a
// publisher never waits. The connection's HTTP handler goroutine reads
// client messages.
//
// # Protocol (GET /v1/ws)
//
// The token comes in "Authorization: Bearer" or "?access_token=" and is
// checked by Config.Tokens (authn: exp, lifetime, nbf/iat, iss/aud, HS256 or
// RS256/ES256 from a JWKS); a refusal is 401 with authn's code. With
// Config.Limits, connects are limited per client IP (before the token) and
// per user, and a user's open connections are capped: 429 with Retry-After.
// Every
// connection is subscribed to "user:<sub>" at once (a "subscribed" message
// acknowledges it): personal budget updates and notifications arrive there.
// Client messages:
//
//	{"type":"subscribe","channel":"budget:<id>","since_version":N}
//	{"type":"unsubscribe","channel":"budget:<id>"}
//	{"type":"ping"}
//
// Only participants of a shared budget (any role) may subscribe to it; others
// get {"type":"error","code":"forbidden","status":403}. A subscribe is
// answered by "subscribed" (with the budget's version), then a "snapshot"
// if since_version is behind, then "presence" (who is online on the budget;
// sent to every subscriber when a user's first device joins or last device
// leaves). Updates are "budget_update" messages carrying every field of
// event.BudgetUpdate plus "type" and "channel". When an update no longer
// lists a subscribed user, that user's devices get {"type":"unsubscribed",
// "reason":"removed"} and nothing more from the budget.
//
// Versions order a budget's messages: a client applies a snapshot or update
// only if its version is not below what it has. The hub drops a shared
// update older than one it already published; the BudgetSource and the
// updates topic may lag one another, which that rule absorbs.
//
// # Keepalive and close codes
//
// The server pings every PingInterval; a device silent (no pong, no
// message) for PingInterval+PongTimeout is closed with CloseNoPong (4009).
// A slow device is closed with 4008, and on shutdown (Run's context ends)
// every device gets 1001 (going away) after what was queued for it.
//
// Tokens are checked when a connection opens, and a connection ends when its
// token expires: it is closed with CloseTokenExpired (4010), and the client
// reconnects with a fresh token (and since_version to resume).
package wsfanout
