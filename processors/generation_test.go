package processors_test

import (
	"testing"

	"finstream/processors"
	"finstream/processors/cdc"
	"finstream/processors/event"
	"finstream/processors/processorstest"
	"finstream/topics"
)

// A generation under a prefix (--group-prefix) reads the shared inputs and
// writes only its own topics: its shared budgets forward memberships to its
// own user commands, which its users group applies, and its updates and
// alerts never reach the default generation's topics.
func TestPrefixedGenerationWritesOnlyItsOwnTopics(t *testing.T) {
	gen, err := topics.Generation("replay1.")
	if err != nil {
		t.Fatal(err)
	}
	h := processorstest.Start(t, func(c *processors.Config) { c.Topics = gen })
	own := h.Tester.NewQueueTracker(gen.BudgetUpdates)
	ownAlerts := h.Tester.NewQueueTracker(gen.BudgetAlerts)
	ownCommands := h.Tester.NewQueueTracker(gen.UserCommandsDerived)
	defaults := map[string]interface{ Next() (string, any, bool) }{}
	for _, tp := range []string{topics.BudgetUpdates, topics.BudgetAlerts, topics.TxnCategorized, topics.CommandsUser, topics.TxnByUser} {
		defaults[tp] = h.Tester.NewQueueTracker(tp)
	}

	household(h)
	if m := h.User("B").Memberships["BDG-456"]; m == nil || m.Role != "contributor" {
		t.Fatalf("B's membership in the generation's users table: %+v", m)
	}
	if n := len(processorstest.Drain(ownCommands)); n == 0 {
		t.Fatal("no membership forwarded on the generation's user commands")
	}
	h.Txn(cdc.OpCreate, purchaseBy("TA", "A", 700_000, 10, "Big C", ""))
	h.Txn(cdc.OpCreate, purchaseBy("TB", "B", 1_000_000, 12, "Makro", "BDG-456"))
	got := sharedUpdates(processorstest.Drain(own))
	if len(got) == 0 || got[len(got)-1].SpentMinor != 1_700_000 {
		t.Fatalf("shared updates on %s: %+v, want ฿17,000 spent", gen.BudgetUpdates, got)
	}
	var alerts int
	for _, a := range processorstest.Drain(ownAlerts) {
		if a.(event.Alert).BudgetID == "BDG-456" {
			alerts++
		}
	}
	if alerts == 0 {
		t.Fatal("the 100% crossing of the shared budget fired no alert on the generation's topic")
	}
	for tp, tr := range defaults {
		if _, v, ok := tr.Next(); ok {
			t.Errorf("the generation wrote %T to the default generation's %s", v, tp)
		}
	}
}
