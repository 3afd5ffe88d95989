package shared

import (
	"time"

	"finstream/processors/event"
)

// Tick applies the clock at now, as budget.State.Tick does for personal
// budgets: when now is in a period not pushed yet (a period started, or
// the budget is new to ticks), it returns that period's fresh update at a
// new version, with the participants' (usually zero) contributions, once.
func (b *Budget) Tick(now time.Time) (Effects, bool) {
	p := b.periodOf(now)
	if b.PushedPeriod == p.Key || (len(b.PushedPeriod) == len(p.Key) && b.PushedPeriod > p.Key) {
		return Effects{}, false // pushed, or a tick from before (the clock went back)
	}
	b.PushedPeriod = p.Key
	b.Version++
	return Effects{Updates: []event.BudgetUpdate{b.update(p.Key, p.Start)}}, true
}
