package cdc

import "time"

// Op is the Debezium operation of a change event.
type Op string

// Debezium operations.
const (
	OpCreate   Op = "c"
	OpUpdate   Op = "u"
	OpDelete   Op = "d"
	OpSnapshot Op = "r"
)

// Txn is one row of core banking's transactions table, validated.
// Money is int64 minor units; UserID is "" when the row's user_id is null.
type Txn struct {
	ID           string    `json:"id"`
	AccountID    string    `json:"account_id"`
	UserID       string    `json:"user_id"`
	Direction    string    `json:"direction"` // DEBIT | CREDIT
	Type         string    `json:"type"`      // PURCHASE | TRANSFER | REFUND | FEE | INTEREST | DEPOSIT | WITHDRAWAL | BILL_PAYMENT
	Status       string    `json:"status"`    // PENDING | POSTED | REVERSED | FAILED
	AmountMinor  int64     `json:"amount_minor"`
	Currency     string    `json:"currency"`
	MerchantName string    `json:"merchant_name"`
	MerchantID   string    `json:"merchant_id"`
	MCC          int       `json:"mcc"`
	Channel      string    `json:"channel"`
	BudgetID     string    `json:"budget_id"`
	PostedAt     time.Time `json:"posted_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// Account is one row of core banking's accounts table, validated.
type Account struct {
	ID       string `json:"id"`
	UserID   string `json:"user_id"`
	Type     string `json:"type"` // CHECKING | SAVINGS | GOAL
	Currency string `json:"currency"`
	Status   string `json:"status"`
	GoalID   string `json:"goal_id"`
}

// Position orders the change events of one row: the source LSN, then the
// source timestamp. Greater is newer.
type Position struct {
	LSN  int64 `json:"lsn"`
	TsMs int64 `json:"ts_ms"`
}

// TxnChange is a decoded, validated change of a transactions row.
// For OpDelete, Row is the before image (or only its id when the
// connector did not send the before image) and Deleted is true.
//
// On finstream.txn.by-user every record comes from the transaction stage
// (finstream-txns, keyed by transaction id), which remembers each
// transaction and fills the fields below: a consumer applies exactly the
// difference between Counted and Counts, and recognizes a re-sent record by
// (Row.ID, Seq) without remembering the transaction itself.
type TxnChange struct {
	Op      Op       `json:"op"`
	Row     Txn      `json:"row"`
	Deleted bool     `json:"deleted"`
	Pos     Position `json:"pos"`
	// Seq numbers the changes of one transaction that the stage applied:
	// 1, 2, ... (0 on the re-keyed topics before the stage).
	Seq int64 `json:"seq"`
	// Prev is the row as the stage last applied it (nil for the first
	// change of the transaction), PrevDeleted whether it was deleted then.
	Prev        *Txn `json:"prev"`
	PrevDeleted bool `json:"prev_deleted"`
	// Category, Source and Confidence are the transaction's category now
	// (user rule > MCC > merchant > fallback, kept once decided).
	Category   string  `json:"category"`
	Source     string  `json:"source"`
	Confidence float64 `json:"confidence"`
	// Detailed is the detailed category under Category (a code of
	// category.Taxonomy, such as "dining.coffee"); "" on records of a stage
	// that predates the detailed level.
	Detailed string `json:"detailed_category"`
	// Counted is what the transaction counted as spend before this change,
	// Counts what it counts after it (zero: nothing).
	Counted Contribution `json:"counted"`
	Counts  Contribution `json:"counts"`
	// Resent marks a record sent again because the input that made it was
	// delivered again (after a crash).
	Resent bool `json:"resent"`
	// Mark is the transaction stage's input record that made this record
	// (MarkStream: 1 finstream.txn.by-id, 2 finstream.commands.txn; 0: not
	// from the stage). The stage reads each input partition in order and a
	// user's records reach one partition of by-user in that order, so a
	// consumer that keeps, per stream and partition, the highest offset it
	// applied for the user recognises every record sent again.
	MarkStream    int32 `json:"mark_stream"`
	MarkPartition int32 `json:"mark_partition"`
	MarkOffset    int64 `json:"mark_offset"`
	// SharedBefore and Shared are the shared budgets the change before and
	// this change were sent to (finstream.shared.spend), decided by the
	// stage from the user's memberships and remembered with the change: a
	// budget is told what the transaction was only if it was told then, so
	// it remembers no transaction.
	SharedBefore []string `json:"shared_before"`
	Shared       []string `json:"shared"`
}

// Contribution is the spend one transaction adds to its buckets: the
// amount in the category and currency, in the month and ISO week of its
// posting time in the user's zone ("2026-11", "2026-W47").
type Contribution struct {
	Amount   int64  `json:"amount,omitempty"`
	Category string `json:"category,omitempty"`
	Currency string `json:"currency,omitempty"`
	Month    string `json:"month,omitempty"`
	Week     string `json:"week,omitempty"`
}

// AccountChange is a decoded, validated change of an accounts row.
type AccountChange struct {
	Op      Op       `json:"op"`
	Row     Account  `json:"row"`
	Deleted bool     `json:"deleted"`
	Pos     Position `json:"pos"`
}
