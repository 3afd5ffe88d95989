package sinks

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"finstream/processors/category"
	"finstream/processors/event"
)

// Reader answers history queries from the sink's tables. Safe for
// concurrent use.
type Reader struct{ pool *pgxpool.Pool }

// NewReader returns a Reader over pool.
func NewReader(pool *pgxpool.Pool) *Reader { return &Reader{pool: pool} }

// Position is a keyset position in a list of transactions ordered newest
// first: (PostedAt, TxnID) descending.
type Position struct {
	PostedAt time.Time
	TxnID    string
}

// Txn is a transaction as the history API shows it.
type Txn struct {
	TxnID        string    `json:"txn_id"`
	UserID       string    `json:"user_id"`
	AccountID    string    `json:"account_id"`
	Direction    string    `json:"direction"`
	Type         string    `json:"type"`
	Status       string    `json:"status"`
	AmountMinor  int64     `json:"amount_minor"`
	SpendMinor   int64     `json:"spend_minor"`
	Currency     string    `json:"currency"`
	MerchantName string    `json:"merchant_name"`
	MerchantID   string    `json:"merchant_id"`
	MCC          int32     `json:"mcc"`
	Channel      string    `json:"channel"`
	BudgetID     string    `json:"budget_id"`
	Category     string    `json:"category"`
	Confidence   float64   `json:"confidence"`
	Source       string    `json:"source"`
	PostedAt     time.Time `json:"posted_at"`
	Version      int64     `json:"version"`
	// DetailedCategory is the detailed category under Category
	// ("dining.coffee"), ConfidenceLevel high, medium or low; both "" on
	// rows written before the two-level taxonomy.
	DetailedCategory string `json:"detailed_category"`
	ConfidenceLevel  string `json:"confidence_level"`
	// ContributionMinor is, in a shared budget's list, the net amount the
	// transaction added to that budget's spend.
	ContributionMinor *int64 `json:"contribution_minor,omitempty"`
}

const txnColumns = `t.txn_id, t.user_id, t.account_id, t.direction, t.type, t.status, t.amount_minor,
	t.spend_minor, t.currency, t.merchant_name, t.merchant_id, t.mcc, t.channel, t.budget_id,
	t.category, t.confidence, t.source, t.posted_at, t.version, t.detailed_category, t.confidence_level`

func scanTxn(rows pgx.Rows, extra ...any) (Txn, error) {
	var t Txn
	err := rows.Scan(append([]any{&t.TxnID, &t.UserID, &t.AccountID, &t.Direction, &t.Type, &t.Status,
		&t.AmountMinor, &t.SpendMinor, &t.Currency, &t.MerchantName, &t.MerchantID, &t.MCC, &t.Channel,
		&t.BudgetID, &t.Category, &t.Confidence, &t.Source, &t.PostedAt, &t.Version, &t.DetailedCategory,
		&t.ConfidenceLevel}, extra...)...)
	t.PostedAt = t.PostedAt.UTC()
	return t, err
}

// TxnQuery selects a user's transactions: in Category and Detailed
// (empty: all), posted in [From, To) (zero: unbounded), after position
// After (nil: from the newest), at most Limit (> 0).
type TxnQuery struct {
	UserID   string
	Category string
	Detailed string
	From, To time.Time
	After    *Position
	Limit    int
}

// Transactions returns a page of the user's transactions, newest first
// (posted_at, then txn_id, descending; deleted ones left out), and the
// position after its last row, nil when there are no more.
func (r *Reader) Transactions(ctx context.Context, q TxnQuery) ([]Txn, *Position, error) {
	where := []string{"t.user_id = $1", "NOT t.deleted"}
	args := []any{q.UserID}
	arg := func(cond string, v any) {
		args = append(args, v)
		where = append(where, fmt.Sprintf(cond, len(args)))
	}
	if q.Category != "" {
		arg("t.category = $%d", q.Category)
	}
	if q.Detailed != "" {
		arg("t.detailed_category = $%d", q.Detailed)
	}
	if !q.From.IsZero() {
		arg("t.posted_at >= $%d", q.From)
	}
	if !q.To.IsZero() {
		arg("t.posted_at < $%d", q.To)
	}
	if q.After != nil {
		args = append(args, q.After.PostedAt, q.After.TxnID)
		where = append(where, fmt.Sprintf("(t.posted_at, t.txn_id) < ($%d, $%d)", len(args)-1, len(args)))
	}
	args = append(args, q.Limit+1)
	sql := fmt.Sprintf("SELECT %s FROM transactions t WHERE %s ORDER BY t.posted_at DESC, t.txn_id DESC LIMIT $%d",
		txnColumns, strings.Join(where, " AND "), len(args))
	return r.page(ctx, sql, args, q.Limit, false)
}

// page runs a query for limit+1 transactions and splits off the next
// position.
func (r *Reader) page(ctx context.Context, sql string, args []any, limit int, contribution bool) ([]Txn, *Position, error) {
	rows, err := r.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("query transactions: %w", err)
	}
	defer rows.Close()
	out := make([]Txn, 0, min(limit+1, 512))
	for rows.Next() {
		var c int64
		var extra []any
		if contribution {
			extra = []any{&c}
		}
		t, err := scanTxn(rows, extra...)
		if err != nil {
			return nil, nil, fmt.Errorf("scan transaction: %w", err)
		}
		if contribution {
			t.ContributionMinor = &c
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("query transactions: %w", err)
	}
	if len(out) <= limit {
		return out, nil, nil
	}
	out = out[:limit]
	last := out[limit-1]
	return out, &Position{PostedAt: last.PostedAt, TxnID: last.TxnID}, nil
}

// SharedTransactions returns a page of the transactions that counted in
// shared budget budgetID (every transaction a non-refused update of the
// budget is attributed to), newest first, each with who spent (UserID) and
// its net ContributionMinor.
func (r *Reader) SharedTransactions(ctx context.Context, budgetID string, after *Position, limit int) ([]Txn, *Position, error) {
	args := []any{budgetID}
	cond := ""
	if after != nil {
		args = append(args, after.PostedAt, after.TxnID)
		cond = "AND (t.posted_at, t.txn_id) < ($2, $3)"
	}
	args = append(args, limit+1)
	sql := fmt.Sprintf(`SELECT %s, a.contribution FROM
		(SELECT txn_id, sum(amount_minor)::bigint AS contribution FROM budget_history
		 WHERE budget_id = $1 AND txn_id <> '' AND NOT refused GROUP BY txn_id) a
		JOIN transactions t ON t.txn_id = a.txn_id
		WHERE NOT t.deleted %s
		ORDER BY t.posted_at DESC, t.txn_id DESC LIMIT $%d`, txnColumns, cond, len(args))
	return r.page(ctx, sql, args, limit, true)
}

// BudgetVersion is one version of a budget as the history API shows it.
type BudgetVersion struct {
	BudgetID           string                   `json:"budget_id"`
	Version            int64                    `json:"version"`
	Kind               string                   `json:"kind"`
	Name               string                   `json:"name,omitempty"`
	UserID             string                   `json:"user_id"`
	Category           string                   `json:"category"`
	Period             string                   `json:"period"`
	PeriodKey          string                   `json:"period_key"`
	PeriodStart        time.Time                `json:"period_start"`
	PeriodEnd          time.Time                `json:"period_end"`
	Currency           string                   `json:"currency"`
	LimitMinor         int64                    `json:"limit_minor"`
	SpentMinor         int64                    `json:"spent_minor"`
	RemainingMinor     int64                    `json:"remaining_minor"`
	UsedBP             int64                    `json:"used_bp"`
	ThresholdsBP       []int64                  `json:"thresholds_bp"`
	CrossedBP          []int64                  `json:"crossed_bp"`
	ThresholdCrossedBP []int64                  `json:"threshold_crossed_bp"`
	Alert              bool                     `json:"alert"`
	Participants       []event.ParticipantSpend `json:"participants,omitempty"`
	Refused            bool                     `json:"refused,omitempty"`
	RefusedReason      string                   `json:"refused_reason,omitempty"`
	TxnID              string                   `json:"txn_id"`
	Merchant           string                   `json:"merchant"`
	AmountMinor        int64                    `json:"amount_minor"`
	EventTime          time.Time                `json:"event_time"`
}

const budgetSelect = `SELECT budget_id, version, kind, name, user_id, category, period, period_key,
	period_start, period_end, currency, limit_minor, spent_minor, remaining_minor, used_bp,
	thresholds_bp, crossed_bp, threshold_crossed_bp, alert, participants, refused, refused_reason,
	txn_id, merchant, amount_minor, event_time FROM `

func scanBudget(row pgx.Row) (BudgetVersion, error) {
	var b BudgetVersion
	err := row.Scan(&b.BudgetID, &b.Version, &b.Kind, &b.Name, &b.UserID, &b.Category, &b.Period,
		&b.PeriodKey, &b.PeriodStart, &b.PeriodEnd, &b.Currency, &b.LimitMinor, &b.SpentMinor,
		&b.RemainingMinor, &b.UsedBP, &b.ThresholdsBP, &b.CrossedBP, &b.ThresholdCrossedBP, &b.Alert,
		&b.Participants, &b.Refused, &b.RefusedReason, &b.TxnID, &b.Merchant, &b.AmountMinor, &b.EventTime)
	b.PeriodStart, b.PeriodEnd, b.EventTime = b.PeriodStart.UTC(), b.PeriodEnd.UTC(), b.EventTime.UTC()
	return b, err
}

// Budget returns the latest version of budgetID; ok is false when the sink
// has none.
func (r *Reader) Budget(ctx context.Context, budgetID string) (b BudgetVersion, ok bool, err error) {
	b, err = scanBudget(r.pool.QueryRow(ctx, budgetSelect+"budgets WHERE budget_id = $1", budgetID))
	if errors.Is(err, pgx.ErrNoRows) {
		return BudgetVersion{}, false, nil
	}
	if err != nil {
		return BudgetVersion{}, false, fmt.Errorf("query budget %q: %w", budgetID, err)
	}
	return b, true, nil
}

// BudgetHistory returns up to limit versions of budgetID older than
// version before (0: from the newest), newest first, and the version to
// continue before, 0 when there are no more.
func (r *Reader) BudgetHistory(ctx context.Context, budgetID string, before int64, limit int) ([]BudgetVersion, int64, error) {
	if before <= 0 {
		before = 1<<63 - 1
	}
	rows, err := r.pool.Query(ctx, budgetSelect+"budget_history WHERE budget_id = $1 AND version < $2 ORDER BY version DESC LIMIT $3",
		budgetID, before, limit+1)
	if err != nil {
		return nil, 0, fmt.Errorf("query history of budget %q: %w", budgetID, err)
	}
	defer rows.Close()
	var out []BudgetVersion
	for rows.Next() {
		b, err := scanBudget(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("scan history of budget %q: %w", budgetID, err)
		}
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("query history of budget %q: %w", budgetID, err)
	}
	if len(out) <= limit {
		return out, 0, nil
	}
	out = out[:limit]
	return out, out[limit-1].Version, nil
}

// DetailedSpend is the spend of a user in one detailed category and
// currency.
type DetailedSpend struct {
	Category   string `json:"category"`
	Detailed   string `json:"detailed_category"`
	Currency   string `json:"currency"`
	SpentMinor int64  `json:"spent_minor"`
}

// SpendingByDetailed sums the spend of the user's transactions posted in
// [from, to) per category, detailed category and currency (deleted ones and
// those counting nothing left out), sorted. A row stored before the
// detailed level counts under its category's generic code. It reads the
// user's rows of the period through transactions_user_posted.
func (r *Reader) SpendingByDetailed(ctx context.Context, userID string, from, to time.Time) ([]DetailedSpend, error) {
	rows, err := r.pool.Query(ctx, `SELECT t.category, t.detailed_category, t.currency, sum(t.spend_minor)::bigint
		FROM transactions t
		WHERE t.user_id = $1 AND NOT t.deleted AND t.spend_minor <> 0 AND t.posted_at >= $2 AND t.posted_at < $3
		GROUP BY 1, 2, 3`, userID, from, to)
	if err != nil {
		return nil, fmt.Errorf("query detailed spending: %w", err)
	}
	defer rows.Close()
	sums := map[DetailedSpend]int64{}
	for rows.Next() {
		var k DetailedSpend
		var v int64
		if err := rows.Scan(&k.Category, &k.Detailed, &k.Currency, &v); err != nil {
			return nil, fmt.Errorf("scan detailed spending: %w", err)
		}
		k.Detailed = category.DetailedFor(k.Category, k.Detailed)
		sums[k] += v
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("query detailed spending: %w", err)
	}
	out := make([]DetailedSpend, 0, len(sums))
	for k, v := range sums {
		if v != 0 {
			k.SpentMinor = v
			out = append(out, k)
		}
	}
	slices.SortFunc(out, func(a, b DetailedSpend) int {
		return cmp.Or(strings.Compare(a.Category, b.Category), strings.Compare(a.Detailed, b.Detailed), strings.Compare(a.Currency, b.Currency))
	})
	return out, nil
}
