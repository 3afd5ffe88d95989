package pushgw

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"

	"finstream/processors/event"
)

// Config configures a Sender. cmd/ builds it from --push-url.
type Config struct {
	// URL the notifications are POSTed to. Required.
	URL string
	// Client sends the requests (default: an http.Client with a 10s timeout).
	Client *http.Client
	// MinBackoff is the delay before the first retry (default 100ms); each
	// further retry doubles it, up to MaxBackoff (default 30s). The delay
	// slept is Jitter(delay).
	MinBackoff, MaxBackoff time.Duration
	// Jitter randomizes a backoff delay (default: uniform in [d/2, d]).
	Jitter func(d time.Duration) time.Duration
	// MaxAttempts bounds the attempts at one notification before it is given
	// up. Zero means retry a retryable failure for as long as it takes:
	// nothing is lost while the gateway is down.
	MaxAttempts int
	// Concurrency is how many users are delivered to in parallel (default 16).
	// One user's notifications are always sent one after the other.
	Concurrency int
	// GiveUp receives a notification Deliver will not deliver (the gateway
	// refused it with a 4xx other than 408 and 429, or MaxAttempts ran out)
	// with the reason, for the DLQ. Required by Deliver (Consume takes its
	// own, with the record). When it returns an error, Deliver stops and
	// returns it.
	GiveUp func(ctx context.Context, n event.Notification, reason string) error
	// Metrics (nil: none).
	Metrics *Metrics
	// Logger (default slog.Default()).
	Logger *slog.Logger
}

// Validate checks the configuration and fills defaults.
func (c *Config) Validate() error {
	if c.URL == "" {
		return errors.New("pushgw: no URL")
	}
	if c.Client == nil {
		c.Client = &http.Client{Timeout: 10 * time.Second}
	}
	if c.MinBackoff <= 0 {
		c.MinBackoff = 100 * time.Millisecond
	}
	if c.MaxBackoff <= 0 {
		c.MaxBackoff = 30 * time.Second
	}
	c.MaxBackoff = max(c.MaxBackoff, c.MinBackoff)
	if c.Jitter == nil {
		c.Jitter = func(d time.Duration) time.Duration { return d/2 + rand.N(d/2+1) }
	}
	if c.Concurrency <= 0 {
		c.Concurrency = 16
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return nil
}

// Sender delivers notifications to a push gateway. Safe for concurrent use,
// though one Deliver at a time per consumer keeps each user's order.
type Sender struct {
	cfg Config
}

// New returns a Sender.
func New(cfg Config) (*Sender, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Sender{cfg: cfg}, nil
}

// Payload is the JSON body POSTed to the gateway.
type Payload struct {
	UserID string            `json:"user_id"`
	Title  string            `json:"title"`
	Body   string            `json:"body"`
	Data   map[string]string `json:"data"`
}

// PayloadOf is what the gateway receives for n: its title and body in the
// recipient's language, and Data with notification_id, kind, severity and
// source_id added.
func PayloadOf(n event.Notification) Payload {
	data := make(map[string]string, len(n.Data)+4)
	for k, v := range n.Data {
		data[k] = v
	}
	data["notification_id"], data["kind"], data["severity"], data["source_id"] = n.NotificationID, n.Kind, n.Severity, n.SourceID
	title, body := n.Title, n.Body
	if title == "" && len(n.Texts) > 0 {
		title, body = n.Texts[0].Title, n.Texts[0].Body
	}
	return Payload{UserID: n.UserID, Title: title, Body: body, Data: data}
}

// permanent is a failure not worth a retry.
type permanent struct{ reason string }

func (p *permanent) Error() string { return p.reason }

// send makes one attempt. It returns nil on a 2xx, a *permanent error for a
// refusal, or a retryable error with the delay the gateway asked for.
func (s *Sender) send(ctx context.Context, n event.Notification) (retryAfter time.Duration, err error) {
	body, err := json.Marshal(PayloadOf(n))
	if err != nil {
		return 0, &permanent{fmt.Sprintf("encode payload: %v", err)}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.cfg.URL, bytes.NewReader(body))
	if err != nil {
		return 0, &permanent{fmt.Sprintf("build request: %v", err)}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", n.NotificationID)
	resp, err := s.cfg.Client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("post to push gateway: %w", err)
	}
	defer resp.Body.Close()
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	switch code := resp.StatusCode; {
	case code >= 200 && code < 300:
		return 0, nil
	case code == http.StatusTooManyRequests || code == http.StatusRequestTimeout || code >= 500:
		if secs, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && secs > 0 {
			retryAfter = time.Duration(secs) * time.Second
		}
		return retryAfter, fmt.Errorf("push gateway answered %d", code)
	default:
		return 0, &permanent{fmt.Sprintf("push gateway refused with %d: %s", code, bytes.TrimSpace(snippet))}
	}
}

// deliver sends n until it is delivered or handed to giveUp. It returns an
// error only when ctx ends or giveUp fails: n is then not done.
func (s *Sender) deliver(ctx context.Context, n event.Notification, giveUp func(reason string) error) error {
	delay := s.cfg.MinBackoff
	for attempt := 1; ; attempt++ {
		retryAfter, err := s.send(ctx, n)
		if err == nil {
			s.cfg.Metrics.delivered()
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var p *permanent
		reason := ""
		switch {
		case errors.As(err, &p):
			reason = p.reason
		case s.cfg.MaxAttempts > 0 && attempt >= s.cfg.MaxAttempts:
			reason = fmt.Sprintf("gave up after %d attempts: %v", attempt, err)
		}
		if reason != "" {
			s.cfg.Metrics.gaveUp()
			s.cfg.Logger.Warn("push notification given up", "notification_id", n.NotificationID, "reason", reason)
			if err := giveUp(reason); err != nil {
				return fmt.Errorf("give up notification %q: %w", n.NotificationID, err)
			}
			return nil
		}
		s.cfg.Metrics.retried()
		wait := s.cfg.Jitter(delay)
		if retryAfter > wait {
			wait = min(retryAfter, s.cfg.MaxBackoff)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		delay = min(delay*2, s.cfg.MaxBackoff)
	}
}
