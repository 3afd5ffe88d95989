package loadgen

import "finstream/processors/cdc"

// CDC topics the generator writes, as Debezium names them for core banking.
const (
	TopicTransactions = "core.public.transactions"
	TopicAccounts     = "core.public.accounts"
)

// Kind says why an event was sent.
type Kind uint8

// Kinds of events.
const (
	KindAccount      Kind = iota // account row (op r) before any of its transactions
	KindLateAccount              // account row (op c) after some of its transactions
	KindCreate                   // new transaction (op c), PENDING or POSTED
	KindPost                     // PENDING → POSTED (op u)
	KindAmountChange             // amount corrected (op u), possibly while posting
	KindReverse                  // POSTED → REVERSED (op u)
	KindFail                     // PENDING → FAILED (op u)
	KindDelete                   // row deleted (op d)
	KindTombstone                // null value after a delete
	KindDuplicate                // an earlier record again, byte for byte
	KindOutOfOrder               // an older change delivered after a newer one of its row
	KindSnapshot                 // op r replay of a row already sent, at a new position
	numKinds
)

// String returns the kind's name as used in Stats and the truth JSON.
func (k Kind) String() string {
	switch k {
	case KindAccount:
		return "account"
	case KindLateAccount:
		return "late_account"
	case KindCreate:
		return "create"
	case KindPost:
		return "post"
	case KindAmountChange:
		return "amount_change"
	case KindReverse:
		return "reverse"
	case KindFail:
		return "fail"
	case KindDelete:
		return "delete"
	case KindTombstone:
		return "tombstone"
	case KindDuplicate:
		return "duplicate"
	case KindOutOfOrder:
		return "out_of_order"
	case KindSnapshot:
		return "snapshot"
	}
	return "unknown"
}

func parseKind(s string) (Kind, bool) {
	for k := range numKinds {
		if k.String() == s {
			return k, true
		}
	}
	return 0, false
}

// Event is one record for a CDC topic, encoded and structured.
//
// Key and Value are the encoder's bytes (both nil when the generator has no
// encoder; Value nil for a tombstone). A redelivered event (duplicate, out of
// order) carries the very bytes and position of the original. Before/After
// are the transactions row images (nil when absent), Account the accounts
// row; they are shared with the generator and must not be modified.
type Event struct {
	Kind    Kind
	Topic   string
	Key     []byte
	Value   []byte
	Op      cdc.Op       // "" for a tombstone
	Pos     cdc.Position // zero for a tombstone
	Before  *cdc.Txn
	After   *cdc.Txn
	Account *cdc.Account

	// Effect on the ground truth of delivering this event after all the
	// events before it, per the contract's rules; more is rare (the effects
	// a late account row releases).
	fx   effect
	more []effect
}

// effect is a change of one spend total.
type effect struct {
	user, category, period string
	delta                  int64
}

// TxnID returns the id of the transaction the event is about, or "".
func (e *Event) TxnID() string {
	switch {
	case e.After != nil:
		return e.After.ID
	case e.Before != nil:
		return e.Before.ID
	}
	return ""
}

// newer reports whether position a is after b: LSN first, then ts_ms.
func newer(a, b cdc.Position) bool {
	if a.LSN != b.LSN {
		return a.LSN > b.LSN
	}
	return a.TsMs > b.TsMs
}
