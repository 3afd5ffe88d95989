package pushgw

import (
	"context"
	"errors"
	"sync"

	"finstream/processors/event"
)

// Deliver sends a batch of notifications, in order per user: a user's
// later notification is not sent before each earlier one of the batch was
// delivered (a 2xx) or given up (GiveUp returned nil). Different users are
// delivered in parallel (Concurrency). Retryable failures — 5xx, 408, 429,
// timeouts, connection errors — are retried with capped, jittered
// exponential backoff for as long as it takes (see MaxAttempts).
//
// Deliver returns completed, the length of the longest prefix of batch
// whose every notification is done: the caller commits the input offsets
// of batch[:completed] and no further, so nothing undelivered is ever
// committed. err is nil when the whole batch is done (completed ==
// len(batch)); otherwise it is ctx's error or GiveUp's, and the rest is
// redelivered by the input after a restart. A notification sent again after
// a restart carries the same Idempotency-Key (its id), so the gateway can
// drop the duplicate.
func (s *Sender) Deliver(ctx context.Context, batch []event.Notification) (completed int, err error) {
	if s.cfg.GiveUp == nil {
		return 0, errors.New("pushgw: Deliver needs Config.GiveUp")
	}
	done, err := s.deliverAll(ctx, batch, func(ctx context.Context, i int, reason string) error {
		return s.cfg.GiveUp(ctx, batch[i], reason)
	})
	for completed < len(batch) && done[completed] {
		completed++
	}
	if completed == len(batch) {
		return completed, nil
	}
	return completed, err
}

// deliverAll delivers batch (see Deliver), handing batch[i] to giveUp when
// it will not be delivered, and reports which notifications are done; err
// is set when some are not.
func (s *Sender) deliverAll(ctx context.Context, batch []event.Notification, giveUp func(ctx context.Context, i int, reason string) error) (done []bool, err error) {
	done = make([]bool, len(batch)) // each index written by one goroutine, read after wg.Wait
	if len(batch) == 0 {
		return done, nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	// Each user's indices, in batch order; users in order of first appearance.
	var users [][]int
	byUser := map[string]int{}
	for i, n := range batch {
		u, ok := byUser[n.UserID]
		if !ok {
			u = len(users)
			byUser[n.UserID] = u
			users = append(users, nil)
		}
		users[u] = append(users[u], i)
	}

	queue := make(chan []int)
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
	)
	for range min(s.cfg.Concurrency, len(users)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for idx := range queue {
				for _, i := range idx {
					if err := s.deliver(ctx, batch[i], func(reason string) error { return giveUp(ctx, i, reason) }); err != nil {
						mu.Lock()
						if firstErr == nil {
							firstErr = err
						}
						mu.Unlock()
						cancel()
						break
					}
					done[i] = true
				}
			}
		}()
	}
feed:
	for _, idx := range users {
		select {
		case queue <- idx:
		case <-ctx.Done():
			break feed
		}
	}
	close(queue)
	wg.Wait()
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	return done, firstErr
}
