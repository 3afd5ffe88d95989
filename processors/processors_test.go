package processors_test

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/lovoo/goka"

	"finstream/processors/accountjoin"
	"finstream/processors/cdc"
	"finstream/processors/event"
	"finstream/processors/processorstest"
	"finstream/topics"
)

var bkk, _ = time.LoadLocation("Asia/Bangkok")

func tesco(id string, amount int64, status string, day int) cdc.Txn {
	at := time.Date(2026, 11, day, 10, 0, 0, 0, bkk)
	return cdc.Txn{ID: id, AccountID: "ACC-789", UserID: "USR-789", Direction: "DEBIT", Type: "PURCHASE",
		Status: status, AmountMinor: amount, Currency: "THB", MerchantName: "Tesco Lotus", MerchantID: "M-TESCO",
		MCC: 5411, Channel: "PROMPTPAY", PostedAt: at, UpdatedAt: at}
}

func TestWorkedExampleThroughProcessors(t *testing.T) {
	h := processorstest.Start(t)
	alerts := h.Tester.NewQueueTracker(topics.BudgetAlerts)
	updates := h.Tester.NewQueueTracker(topics.BudgetUpdates)
	categorized := h.Tester.NewQueueTracker(topics.TxnCategorized)

	h.Tester.Consume(topics.CommandsUser, "USR-789", event.UserCommand{CommandID: "c1", UserID: "USR-789", Kind: event.CmdSetBudget,
		Category: "groceries", LimitMinor: 1_600_000, Currency: "THB", Period: "monthly", IssuedAt: time.Date(2026, 11, 1, 9, 0, 0, 0, bkk)})
	h.Txn(cdc.OpCreate, tesco("T1", 1_350_000, "POSTED", 10))
	processorstest.Drain(alerts)
	_, raw := h.Txn(cdc.OpCreate, tesco("T3", 150_000, "POSTED", 19))

	got := processorstest.Drain(alerts)
	if len(got) != 1 || got[0].(event.Alert).ThresholdBP != 9000 {
		t.Fatalf("alerts %+v, want exactly one for 9000", got)
	}
	s := h.User("USR-789")
	v := s.Views(time.Date(2026, 11, 19, 12, 0, 0, 0, bkk))[0]
	if v.SpentMinor != 1_500_000 || v.UsedBP != 9375 || v.RemainingMinor != 100_000 || !reflect.DeepEqual(v.CrossedBP, []int64{5000, 8000, 9000}) {
		t.Fatalf("budget %+v", v)
	}
	c := processorstest.Drain(categorized)
	if last := c[len(c)-1].(event.Categorized); last.Category != "groceries" || last.Source != "mcc" || last.SpendMinor != 150_000 {
		t.Fatalf("categorized %+v", last)
	}
	processorstest.Drain(updates)

	// The same CDC record again changes nothing and emits nothing.
	h.Tester.Consume(topics.CDCTransactions, "x", raw)
	if n := len(processorstest.Drain(alerts)) + len(processorstest.Drain(updates)); n != 0 {
		t.Fatalf("duplicate emitted %d records", n)
	}
	if again := h.User("USR-789"); again.Version != s.Version {
		t.Fatalf("duplicate changed the state version %d → %d", s.Version, again.Version)
	}

	h.Txn(cdc.OpUpdate, tesco("T3", 150_000, "REVERSED", 19))
	s = h.User("USR-789")
	if v := s.Views(time.Date(2026, 11, 19, 12, 0, 0, 0, bkk))[0]; v.UsedBP != 8437 {
		t.Fatalf("after reversal used_bp %d, want 8437", v.UsedBP)
	}
	if len(processorstest.Drain(alerts)) != 0 {
		t.Fatal("reversal fired an alert")
	}
}

func TestTransactionWithoutUserWaitsForItsAccount(t *testing.T) {
	h := processorstest.Start(t)
	row := tesco("T9", 25_000, "POSTED", 5)
	row.UserID, row.AccountID = "", "ACC-LATE"
	h.Txn(cdc.OpCreate, row)
	if s := h.User("USR-LATE"); s.Version != 0 {
		t.Fatalf("counted before the account is known: %+v", s)
	}
	h.Account(cdc.OpSnapshot, cdc.Account{ID: "ACC-LATE", UserID: "USR-LATE", Type: "CHECKING", Currency: "THB", Status: "ACTIVE"})
	s := h.User("USR-LATE")
	if got := s.SpentIn("groceries", "THB", "monthly", row.PostedAt); got != 25_000 {
		t.Fatalf("spend after the account arrived: %d", got)
	}
	// Now the account is known: the next one resolves at once.
	row2 := tesco("T10", 5_000, "POSTED", 6)
	row2.UserID, row2.AccountID = "", "ACC-LATE"
	h.Txn(cdc.OpCreate, row2)
	if got := h.User("USR-LATE").SpentIn("groceries", "THB", "monthly", row.PostedAt); got != 30_000 {
		t.Fatalf("spend %d, want 30000", got)
	}
}

func TestBadRecordsGoToDLQAndThePipelineGoesOn(t *testing.T) {
	h := processorstest.Start(t)
	dlq := h.Tester.NewQueueTracker(topics.DLQ)
	bad := []string{
		`{not json`,
		`{"before":null,"after":{"id":"B1","account_id":"A","user_id":"U","direction":"DEBIT","type":"PURCHASE","status":"POSTED","amount_minor":0,"currency":"THB","posted_at":"2026-11-01T00:00:00Z"},"op":"c","ts_ms":1}`,
		`{"before":null,"after":{"id":"B2","account_id":"A","user_id":"U","direction":"DEBIT","type":"PURCHASE","status":"POSTED","amount_minor":5,"currency":"THB","posted_at":"2026-11-01T00:00:00Z"},"op":"x","ts_ms":1}`,
		`{"before":null,"after":{"id":"B3","account_id":"A","user_id":"U","direction":"DEBIT","type":"PURCHASE","status":"POSTED","amount_minor":5,"currency":"ZZZ","posted_at":"2026-11-01T00:00:00Z"},"op":"c","ts_ms":1}`,
		`{"before":null,"after":{"id":"B4","account_id":"A","user_id":"U","direction":"DEBIT","type":"PURCHASE","status":"POSTED","amount_minor":5,"currency":"THB","posted_at":"yesterday"},"op":"c","ts_ms":1}`,
	}
	for i, b := range bad {
		h.Tester.Consume(topics.CDCTransactions, "k", []byte(b))
		key, val, ok := dlq.Next()
		if !ok {
			t.Fatalf("record %d did not reach the DLQ", i)
		}
		if key != "k" || string(val.([]byte)) != b {
			t.Fatalf("DLQ record %d: key %q value %q", i, key, val)
		}
	}
	h.Txn(cdc.OpCreate, tesco("OK1", 1_000, "POSTED", 3))
	if got := h.User("USR-789").SpentIn("groceries", "THB", "monthly", time.Date(2026, 11, 3, 0, 0, 0, 0, bkk)); got != 1_000 {
		t.Fatalf("pipeline stopped after bad records: spend %d", got)
	}
	// A tombstone is skipped silently.
	h.Tester.Consume(topics.CDCTransactions, "k", nil)
	if _, _, ok := dlq.Next(); ok {
		t.Fatal("tombstone went to the DLQ")
	}
}

// A change of a transaction posted before the retention horizon and unknown
// to the transaction stage (a snapshot replay of an old row) counts nothing and
// goes to the DLQ with reason "late".
func TestLateChangeGoesToDLQ(t *testing.T) {
	h := processorstest.Start(t)
	dlq := h.Tester.NewQueueTracker(topics.DLQ)
	h.Txn(cdc.OpCreate, tesco("NOW", 1_000, "POSTED", 3)) // source time: November 2026
	old := tesco("OLD", 5_000, "POSTED", 3)
	old.PostedAt = time.Date(2025, 1, 3, 10, 0, 0, 0, bkk) // updated_at (the source time) stays November 2026
	h.Txn(cdc.OpSnapshot, old)
	headers, key, _, ok := dlq.NextWithHeaders()
	if !ok {
		t.Fatal("the late change did not reach the DLQ")
	}
	if key != "OLD" || string(headers["reason"]) != "late" || string(headers["source.topic"]) != topics.TxnByID {
		t.Fatalf("DLQ record key %q headers %v", key, headers)
	}
	s := h.User("USR-789")
	if h.Tester.TableValue(goka.Table(topics.TableTxns), "OLD") != nil || s.SpentIn("groceries", "THB", "monthly", old.PostedAt) != 0 {
		t.Fatalf("the late change counted: %v", s.Spend)
	}
}

// Transactions wait for an account whose row has not arrived, at most
// accountjoin.MaxWaiting of them: the next one goes to the DLQ (reason
// account_unknown) rather than growing the account's value, and the waiting
// ones still count once the account arrives.
func TestWaitingForAnAccountIsBounded(t *testing.T) {
	h := processorstest.Start(t)
	dlq := h.Tester.NewQueueTracker(topics.DLQ)
	for i := range accountjoin.MaxWaiting + 1 {
		row := tesco(fmt.Sprintf("W%d", i), 10, "POSTED", 3)
		row.UserID, row.AccountID = "", "ACC-NEVER"
		h.Txn(cdc.OpCreate, row)
	}
	headers, key, _, ok := dlq.NextWithHeaders()
	if !ok || key != "ACC-NEVER" || string(headers["reason"]) != "account_unknown" {
		t.Fatalf("DLQ record %q %v %v, want the one beyond the bound", key, headers, ok)
	}
	if _, _, ok := dlq.Next(); ok {
		t.Fatal("more than one record went to the DLQ")
	}
	h.Account(cdc.OpSnapshot, cdc.Account{ID: "ACC-NEVER", UserID: "USR-W", Type: "CHECKING", Currency: "THB", Status: "ACTIVE"})
	if got := h.User("USR-W").SpentIn("groceries", "THB", "monthly", time.Date(2026, 11, 3, 0, 0, 0, 0, bkk)); got != 10*accountjoin.MaxWaiting {
		t.Fatalf("spend %d, want %d", got, 10*accountjoin.MaxWaiting)
	}
}

func TestCategorizedCarriesTheDetailedCategoryAndLevel(t *testing.T) {
	h := processorstest.Start(t)
	categorized := h.Tester.NewQueueTracker(topics.TxnCategorized)
	last := func() event.Categorized {
		t.Helper()
		c := processorstest.Drain(categorized)
		if len(c) == 0 {
			t.Fatal("no categorized record")
		}
		return c[len(c)-1].(event.Categorized)
	}

	fastFood := tesco("T1", 12_000, "POSTED", 10)
	fastFood.MerchantName, fastFood.MerchantID, fastFood.MCC = "Burger stall", "M-BURGER", 5814
	h.Txn(cdc.OpCreate, fastFood)
	if c := last(); c.Category != "dining" || c.DetailedCategory != "dining.fast_food" || c.ConfidenceLevel != "high" || c.Confidence != 0.95 {
		t.Fatalf("MCC 5814: categorized %+v, want dining / dining.fast_food / high", c)
	}

	coffee := tesco("T2", 9_500, "POSTED", 11)
	coffee.MerchantName, coffee.MerchantID, coffee.MCC = "STARBUCKS CENTRAL WORLD", "", 0
	h.Txn(cdc.OpCreate, coffee)
	if c := last(); c.Category != "dining" || c.DetailedCategory != "dining.coffee" || c.ConfidenceLevel != "medium" || c.Source != "merchant" {
		t.Fatalf("Starbucks by name: categorized %+v, want dining / dining.coffee / medium", c)
	}

	// The user moves the fast food to groceries: the detailed category is
	// the primary's generic code, and a later change of the row keeps it.
	h.Tester.Consume(topics.CommandsTxn, "T1", event.UserCommand{CommandID: "c1", UserID: "USR-789", Kind: event.CmdRecategorize,
		Category: "groceries", TxnID: "T1", IssuedAt: time.Date(2026, 11, 12, 9, 0, 0, 0, bkk)})
	if c := last(); c.TxnID != "T1" || c.Category != "groceries" || c.DetailedCategory != "groceries.other" || c.ConfidenceLevel != "high" || c.Source != "user_rule" {
		t.Fatalf("after recategorizing: categorized %+v, want groceries / groceries.other / high", c)
	}
	fastFood.Status = "REVERSED"
	h.Txn(cdc.OpUpdate, fastFood)
	if c := last(); c.Category != "groceries" || c.DetailedCategory != "groceries.other" {
		t.Fatalf("after an update: categorized %+v, want groceries.other kept", c)
	}
}

// The users group writes no table value for a change that counts nothing
// (a pending payment): only its categorized record. When it posts, it
// counts once.
func TestUsersGroupStoresNothingForAChangeThatCountsNothing(t *testing.T) {
	h := processorstest.Start(t)
	table := h.Tester.NewQueueTracker(topics.Table(h.Names.GroupUsers))
	categorized := h.Tester.NewQueueTracker(topics.TxnCategorized)
	h.Txn(cdc.OpCreate, tesco("T1", 10_000, "POSTED", 10))
	if n := len(processorstest.Drain(table)); n != 1 {
		t.Fatalf("a posted payment wrote %d users table values, want 1", n)
	}
	processorstest.Drain(categorized)
	before := h.User("USR-789")

	pending := tesco("T2", 4_000, "PENDING", 10)
	pending.PostedAt = pending.PostedAt.Add(time.Hour)
	pending.UpdatedAt = pending.PostedAt
	h.Txn(cdc.OpCreate, pending)
	if n := len(processorstest.Drain(table)); n != 0 {
		t.Fatalf("a pending payment wrote %d users table values, want none", n)
	}
	c := processorstest.Drain(categorized)
	if len(c) != 1 || c[0].(event.Categorized).TxnID != "T2" || c[0].(event.Categorized).Status != "PENDING" {
		t.Fatalf("categorized %+v, want the pending payment's", c)
	}
	if after := h.User("USR-789"); after.Version != before.Version {
		t.Fatalf("state version %d → %d for a change that counts nothing", before.Version, after.Version)
	}

	pending.Status = "POSTED"
	h.Txn(cdc.OpUpdate, pending)
	if n := len(processorstest.Drain(table)); n != 1 {
		t.Fatalf("the payment's posting wrote %d users table values, want 1", n)
	}
	if got := h.User("USR-789").SpentIn("groceries", "THB", "monthly", pending.PostedAt); got != 14_000 {
		t.Fatalf("spend %d, want 14000", got)
	}
}
