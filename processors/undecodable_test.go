package processors

import (
	"testing"

	"finstream/processors/cdc"
	"finstream/topics"
)

// A record of an internal topic that does not decode (written by another
// client) goes to finstream.dlq with its bytes and reason undecodable, and
// the processors go on (the harness fails the test if one stops).
func TestUndecodableInternalRecordGoesToTheDLQ(t *testing.T) {
	c := startCopilot(t)
	dlq := c.tt.NewQueueTracker(topics.DLQ)
	for _, topic := range []string{topics.TxnByUser, topics.CommandsUser, topics.BudgetUpdates} {
		c.tt.Consume(topic, "USR-1", encoded("not avro"))
	}
	n := 0
	for {
		_, v, ok := dlq.Next()
		if !ok {
			break
		}
		if b, _ := v.([]byte); string(b) != "not avro" {
			t.Errorf("DLQ record %q, want the original bytes", v)
		}
		n++
	}
	// by-user: users, goals; commands.user: users, insights, goals; budget
	// updates: insights, notifications.
	if n != 7 {
		t.Errorf("%d DLQ records, want one per consuming group (7)", n)
	}
	c.account(cdc.Account{ID: "ACC-1", UserID: "USR-1", Type: "GOAL", Currency: "THB", Status: "ACTIVE", GoalID: "G-1"})
}
