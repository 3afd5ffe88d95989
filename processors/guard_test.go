package processors_test

import (
	"testing"
	"time"

	"finstream/processors"
	"finstream/processors/cdc"
	"finstream/processors/processorstest"
	"finstream/topics"
)

// A table value over MaxStateBytes is not stored: the input goes on to the
// DLQ (an empty value: the headers say why), its outputs are dropped, and
// the processors keep running (the harness fails the test if one stops).
func TestStateOverItsCapIsRefusedAndTheProcessorsGoOn(t *testing.T) {
	h := processorstest.Start(t, func(c *processors.Config) { c.MaxStateBytes = 150 })
	dlq := h.Tester.NewQueueTracker(topics.DLQ)
	byUser := h.Tester.NewQueueTracker(topics.TxnByUser)
	h.Txn(cdc.OpCreate, tesco("BIG1", 1_000, "POSTED", 3))
	key, val, ok := dlq.Next()
	if !ok {
		t.Fatal("the refused ledger did not reach the DLQ")
	}
	if b, _ := val.([]byte); key != "BIG1" || len(b) != 0 {
		t.Fatalf("DLQ record: key %q value %q", key, val)
	}
	if _, _, ok := byUser.Next(); ok {
		t.Fatal("an output of the refused input was sent")
	}
	if v := h.Tester.TableValue(topics.TableTxns, "BIG1"); v != nil {
		t.Fatalf("the refused ledger was stored: %+v", v)
	}
	if got := h.User("USR-789").SpentIn("groceries", "THB", "monthly", time.Date(2026, 11, 3, 0, 0, 0, 0, bkk)); got != 0 {
		t.Fatalf("a refused transaction counted %d", got)
	}
}

// An output record over MaxMessageBytes goes to the DLQ instead of failing
// the processor; what fits is still written.
func TestOutputOverTheProducerLimitGoesToTheDLQ(t *testing.T) {
	h := processorstest.Start(t, func(c *processors.Config) { c.MaxMessageBytes = 100 })
	dlq := h.Tester.NewQueueTracker(topics.DLQ)
	h.Txn(cdc.OpCreate, tesco("T1", 1_000, "POSTED", 3))
	var n int
	for {
		_, val, ok := dlq.Next()
		if !ok {
			break
		}
		if b, _ := val.([]byte); len(b) != 0 {
			t.Fatalf("DLQ record of a refused output carries %d bytes", len(b))
		}
		n++
	}
	if n == 0 {
		t.Fatal("no output was refused at a limit of 100 bytes")
	}
	// The pipeline is still up: a record that fits everywhere is processed.
	h.Account(cdc.OpSnapshot, cdc.Account{ID: "ACC-1", UserID: "USR-1", Type: "CHECKING", Currency: "THB", Status: "ACTIVE"})
}
