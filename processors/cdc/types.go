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
type TxnChange struct {
	Op      Op       `json:"op"`
	Row     Txn      `json:"row"`
	Deleted bool     `json:"deleted"`
	Pos     Position `json:"pos"`
}

// AccountChange is a decoded, validated change of an accounts row.
type AccountChange struct {
	Op      Op       `json:"op"`
	Row     Account  `json:"row"`
	Deleted bool     `json:"deleted"`
	Pos     Position `json:"pos"`
}
