package accountjoin

import (
	"testing"

	"finstream/processors/cdc"
)

func TestTransactionsWaitForTheirAccount(t *testing.T) {
	var s State
	t1 := cdc.TxnChange{Op: cdc.OpCreate, Row: cdc.Txn{ID: "T1", AccountID: "ACC-1"}, Pos: cdc.Position{LSN: 5}}
	t2 := cdc.TxnChange{Op: cdc.OpUpdate, Row: cdc.Txn{ID: "T1", AccountID: "ACC-1"}, Pos: cdc.Position{LSN: 6}}
	if _, ok := s.ApplyTxn(t1); ok {
		t.Fatal("resolved without an account")
	}
	s.ApplyTxn(t2)
	rel := s.ApplyAccount(cdc.AccountChange{Op: cdc.OpSnapshot, Row: cdc.Account{ID: "ACC-1", UserID: "USR-1"}, Pos: cdc.Position{LSN: 1}})
	if len(rel) != 2 || rel[0].Row.UserID != "USR-1" || rel[1].Pos.LSN != 6 {
		t.Fatalf("released %+v", rel)
	}
	if len(s.Pending) != 0 {
		t.Fatalf("pending left: %v", s.Pending)
	}
	// The same account change again (a redelivery after a crash between the
	// stored state and the produced records) releases them again.
	again := s.ApplyAccount(cdc.AccountChange{Op: cdc.OpSnapshot, Row: cdc.Account{ID: "ACC-1", UserID: "USR-1"}, Pos: cdc.Position{LSN: 1}})
	if len(again) != 2 || again[1].Pos.LSN != 6 {
		t.Fatalf("redelivery released %+v", again)
	}
	// A newer change of the account, then a redelivery of both (the crash
	// came after both were processed, before anything was produced): the
	// older change still releases what it released.
	s.ApplyAccount(cdc.AccountChange{Op: cdc.OpUpdate, Row: cdc.Account{ID: "ACC-1", UserID: "USR-1", Status: "FROZEN"}, Pos: cdc.Position{LSN: 7}})
	again = s.ApplyAccount(cdc.AccountChange{Op: cdc.OpSnapshot, Row: cdc.Account{ID: "ACC-1", UserID: "USR-1"}, Pos: cdc.Position{LSN: 1}})
	if len(again) != 2 {
		t.Fatalf("redelivery after a newer change released %+v", again)
	}
	got, ok := s.ApplyTxn(cdc.TxnChange{Row: cdc.Txn{ID: "T2"}})
	if !ok || got.Row.UserID != "USR-1" {
		t.Fatalf("known account: %+v %v", got, ok)
	}
	// A stale account change is ignored; a delete keeps the user.
	s.ApplyAccount(cdc.AccountChange{Row: cdc.Account{ID: "ACC-1", UserID: "USR-OLD"}, Pos: cdc.Position{LSN: 0}})
	s.ApplyAccount(cdc.AccountChange{Op: cdc.OpDelete, Deleted: true, Row: cdc.Account{ID: "ACC-1"}, Pos: cdc.Position{LSN: 9}})
	if s.UserID() != "USR-1" {
		t.Fatalf("user %q after stale change and delete", s.UserID())
	}
}
