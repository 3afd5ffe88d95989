// Package pushgw delivers notifications (records of finstream.notifications)
// to a push gateway: an HTTP POST of {user_id, title, body, data} with the
// header Idempotency-Key set to the notification id.
//
// Delivery is at-least-once with nothing lost: Sender.Deliver retries
// retryable failures (5xx, 408, 429, timeouts, connection errors) with
// capped, jittered exponential backoff and hands a refused notification
// (another 4xx) to the caller's GiveUp callback (the DLQ) with the reason.
// It keeps each user's order and reports the prefix of its batch that is
// done, so the consumer commits no offset past an undelivered notification.
// Consume is such a consumer on a franz-go client. After a crash the
// uncommitted rest is sent again with the same Idempotency-Key; a gateway
// that honours the key shows each notification once.
package pushgw
