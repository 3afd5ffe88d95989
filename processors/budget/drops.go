package budget

import (
	"fmt"
	"slices"
)

// Drops count, per budget period and threshold, how often the usage fell
// back below the threshold (a refund, a deletion, a re-categorization, a
// higher limit): the n-th upward crossing of a threshold in a period is its
// count of drops plus one. Alert ids are made of that n, not of the
// transaction that crossed (AlertID), so a replay whose transactions reach a
// user in another order names the same alerts. Usage rarely falls back, so
// the list is nearly always empty; it holds at most MaxDrops entries (the
// oldest is forgotten first) and loses those of periods retention forgets.
type Drops []Drop

// Drop is how often the usage of one budget period fell below one threshold.
type Drop struct {
	// Key is the budget period: "<category>|<period key>" for a personal
	// budget (PeriodDropKey), the period key for a shared one.
	Key         string `json:"key"`
	ThresholdBP int64  `json:"threshold_bp"`
	Count       int64  `json:"count"`
}

// MaxDrops bounds Drops.
const MaxDrops = 32

// PeriodDropKey is the Drops key of a personal budget's period.
func PeriodDropKey(category, periodKey string) string { return category + "|" + periodKey }

// Move records the usage of budget period key moving from before to after
// (basis points): it returns the thresholds crossed upward, ascending as
// thresholds are, with the n-th crossing of each in this period, and counts
// the thresholds the usage fell below.
func (d *Drops) Move(key string, thresholds []int64, before, after int64) (crossed, nth []int64) {
	for _, t := range thresholds {
		switch {
		case before < t && after >= t:
			crossed = append(crossed, t)
			nth = append(nth, d.count(key, t)+1)
		case before >= t && after < t:
			d.fell(key, t)
		}
	}
	return crossed, nth
}

// Reached records the thresholds a period had reached (under a budget's
// old limit or thresholds) that it no longer reaches (under the new ones,
// or the budget is gone: still is nil) as drops: the next crossing of each
// is a new one.
func (d *Drops) Reached(key string, was []int64, wasUsed int64, still func(t int64) bool) {
	for _, t := range was {
		if wasUsed >= t && (still == nil || !still(t)) {
			d.fell(key, t)
		}
	}
}

func (d Drops) count(key string, t int64) int64 {
	for _, e := range d {
		if e.Key == key && e.ThresholdBP == t {
			return e.Count
		}
	}
	return 0
}

func (d *Drops) fell(key string, t int64) {
	for i := range *d {
		if e := &(*d)[i]; e.Key == key && e.ThresholdBP == t {
			e.Count++
			return
		}
	}
	*d = append(*d, Drop{Key: key, ThresholdBP: t, Count: 1})
	if len(*d) > MaxDrops {
		*d = slices.Delete(*d, 0, len(*d)-MaxDrops)
	}
}

// Forget removes the drops whose key gone says retention has forgotten.
func (d *Drops) Forget(gone func(key string) bool) {
	*d = slices.DeleteFunc(*d, func(e Drop) bool { return gone(e.Key) })
	if len(*d) == 0 {
		*d = nil
	}
}

// AlertID is a personal budget alert's id: user, category, period,
// threshold and the n-th crossing of that threshold in that period. It does
// not name the transaction that crossed, which depends on arrival order.
func AlertID(user, category, periodKey string, thresholdBP, nth int64) string {
	return fmt.Sprintf("%s|%s|%s|%d|%d", user, category, periodKey, thresholdBP, nth)
}
