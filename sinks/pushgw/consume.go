package pushgw

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"finstream/processors/event"
)

// commitTimeout bounds the commit after a batch, which runs even when ctx
// has ended (a shutdown commits what was delivered).
const commitTimeout = 10 * time.Second

// Consume delivers the notifications cl consumes until ctx ends (then it
// returns nil) or a DLQ callback fails. cl must be a group consumer of
// finstream.notifications created with kgo.DisableAutoCommit() and
// kgo.BlockRebalanceOnPoll(). After each poll it commits, per partition,
// the records before the first one not done, so no offset past an
// undelivered notification is ever committed, and no commit crosses a
// rebalance. A record decode cannot read, and a notification the gateway
// refuses, go to dlq with the reason and count as done; when dlq fails,
// Consume returns its error. Records after an undelivered one in its partition come again
// after a restart (the gateway de-duplicates by Idempotency-Key). The caller closes cl after Consume returns.
func Consume(ctx context.Context, cl *kgo.Client, s *Sender, decode func([]byte) (event.Notification, error),
	dlq func(ctx context.Context, r *kgo.Record, reason string) error) error {
	for {
		fs := cl.PollRecords(ctx, 1000)
		if ctx.Err() != nil || fs.IsClientClosed() {
			cl.AllowRebalance()
			return nil
		}
		fs.EachError(func(topic string, p int32, err error) {
			s.cfg.Logger.Warn("fetch notifications", "topic", topic, "partition", p, "err", err)
		})
		err := s.deliverRecords(ctx, cl, fs.Records(), decode, dlq)
		cl.AllowRebalance()
		if err != nil && !errors.Is(err, context.Canceled) && ctx.Err() == nil {
			return err
		}
		if ctx.Err() != nil {
			return nil
		}
	}
}

// deliverRecords delivers one poll's records and commits, per partition,
// the records before the first one not done.
func (s *Sender) deliverRecords(ctx context.Context, cl *kgo.Client, recs []*kgo.Record,
	decode func([]byte) (event.Notification, error), dlq func(context.Context, *kgo.Record, string) error) error {
	if len(recs) == 0 {
		return nil
	}
	recDone := make([]bool, len(recs))
	batch := make([]event.Notification, 0, len(recs))
	at := make([]int, 0, len(recs)) // record index of each batch entry
	var err error
	for i, r := range recs {
		n, derr := decode(r.Value)
		if derr == nil {
			batch = append(batch, n)
			at = append(at, i)
			continue
		}
		if berr := dlq(ctx, r, "decode notification: "+derr.Error()); berr != nil {
			err = fmt.Errorf("dlq for undecodable notification at %s/%d@%d: %w", r.Topic, r.Partition, r.Offset, berr)
			continue
		}
		recDone[i] = true
	}
	done, derr := s.deliverAll(ctx, batch, func(ctx context.Context, i int, reason string) error {
		return dlq(ctx, recs[at[i]], reason)
	})
	for j, ok := range done {
		recDone[at[j]] = ok
	}
	type tp struct {
		topic string
		p     int32
	}
	blocked := map[tp]bool{}
	var commit []*kgo.Record
	for i, r := range recs {
		k := tp{r.Topic, r.Partition}
		if blocked[k] {
			continue
		}
		if !recDone[i] {
			blocked[k] = true
			continue
		}
		commit = append(commit, r)
	}
	if len(commit) > 0 {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), commitTimeout)
		defer cancel()
		if cerr := cl.CommitRecords(cctx, commit...); cerr != nil {
			// Not fatal: the records come again and the gateway de-duplicates.
			s.cfg.Logger.Warn("commit delivered notifications", "err", cerr)
		}
	}
	return errors.Join(err, derr)
}
