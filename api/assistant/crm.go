package assistant

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Ticket is what an escalation posts to the CRM: the masked transcript.
type Ticket struct {
	TicketID       string    `json:"ticket_id"` // idempotency key: the same on every retry
	ConversationID string    `json:"conversation_id"`
	UserID         string    `json:"user_id"`
	Reason         string    `json:"reason"` // the support intent, or "low_confidence"
	Intent         Intent    `json:"intent"`
	Confidence     float64   `json:"confidence"`
	Transcript     []Turn    `json:"transcript"` // oldest first, the current turn last
	CreatedAt      time.Time `json:"created_at"`
}

// CRMConfig configures the CRM client.
type CRMConfig struct {
	// URL receives an HTTP POST of a Ticket as JSON. Required.
	URL string
	// Client. Zero value means a client with a 5s timeout per attempt.
	Client *http.Client
	// Attempts bounds the tries of one ticket. Zero value means 4.
	Attempts int
	// Backoff is the wait before the second attempt, doubled after each.
	// Zero value means 250ms.
	Backoff time.Duration
}

// CRM posts escalation tickets. Safe for concurrent use.
type CRM struct{ cfg CRMConfig }

// NewCRM checks the configuration.
func NewCRM(cfg CRMConfig) (*CRM, error) {
	if cfg.URL == "" {
		return nil, errors.New("crm: no URL")
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{Timeout: 5 * time.Second}
	}
	if cfg.Attempts <= 0 {
		cfg.Attempts = 4
	}
	if cfg.Backoff <= 0 {
		cfg.Backoff = 250 * time.Millisecond
	}
	return &CRM{cfg: cfg}, nil
}

// Send posts t, retrying a network error, 429 and 5xx with exponential
// backoff until Attempts are spent or ctx ends. A 4xx other than 429 is
// final.
func (c *CRM) Send(ctx context.Context, t Ticket) error {
	body, err := json.Marshal(t)
	if err != nil {
		return fmt.Errorf("crm ticket: %w", err)
	}
	wait := c.cfg.Backoff
	for attempt := 1; ; attempt++ {
		err := c.post(ctx, body, t.TicketID)
		var final finalError
		if err == nil || errors.As(err, &final) || attempt >= c.cfg.Attempts {
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("crm ticket %s: %w (last: %v)", t.TicketID, ctx.Err(), err)
		case <-time.After(wait):
		}
		wait *= 2
	}
}

type finalError struct{ status int }

func (e finalError) Error() string { return fmt.Sprintf("crm refused the ticket: HTTP %d", e.status) }

func (c *CRM) post(ctx context.Context, body []byte, id string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.cfg.URL, bytes.NewReader(body))
	if err != nil {
		return finalError{0}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", id)
	resp, err := c.cfg.Client.Do(req)
	if err != nil {
		return fmt.Errorf("crm post: %w", err)
	}
	resp.Body.Close()
	switch {
	case resp.StatusCode < 300:
		return nil
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return fmt.Errorf("crm post: HTTP %d", resp.StatusCode)
	}
	return finalError{resp.StatusCode}
}
