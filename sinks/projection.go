package sinks

import (
	"context"
	"fmt"

	"finstream/avro"
	"finstream/processors/event"
	"finstream/topics"
)

// Projection keeps tables from the records of one topic. Rows must be
// deterministic (a redelivered record adds the same rows), so that the
// Writer's upserts make redelivery a no-op.
type Projection interface {
	// Topic is the topic the projection reads.
	Topic() string
	// Tables are the tables it writes; a migration creates them.
	Tables() []Table
	// Rows decodes one record value and adds its rows to b. On error it
	// adds nothing.
	Rows(value []byte, b *Batch) error
}

// Decoder decodes record values into T; *avro.Codec[T] is one.
type Decoder[T any] interface {
	DecodeValue(data []byte) (T, error)
}

// Project returns the Projection of topic whose records dec decodes and
// add turns into rows of tables. A new projection is one call of Project,
// one add function and a migration creating its tables.
func Project[T any](topic string, dec Decoder[T], tables []Table, add func(b *Batch, v *T)) Projection {
	return &projection[T]{topic: topic, dec: dec, tables: tables, add: add}
}

type projection[T any] struct {
	topic  string
	dec    Decoder[T]
	tables []Table
	add    func(*Batch, *T)
}

func (p *projection[T]) Topic() string   { return p.topic }
func (p *projection[T]) Tables() []Table { return p.tables }

func (p *projection[T]) Rows(value []byte, b *Batch) error {
	v, err := p.dec.DecodeValue(value)
	if err != nil {
		return fmt.Errorf("decode %s: %w", p.topic, err)
	}
	p.add(b, &v)
	return nil
}

// DefaultProjections registers the schemas of the topics finstream's sink
// reads with reg and returns their projections: transactions, budgets and
// budget alerts, read from the topics of the generation n (the schemas'
// subjects are the unprefixed topics'). (finstream.insights,
// finstream.goal.events and finstream.notifications get theirs when their
// records exist.)
func DefaultProjections(ctx context.Context, reg *avro.Client, n topics.Names) ([]Projection, error) {
	txn, err := avro.NewCodec[event.Categorized](ctx, reg, topics.ValueSubject(topics.TxnCategorized))
	if err != nil {
		return nil, err
	}
	upd, err := avro.NewCodec[event.BudgetUpdate](ctx, reg, topics.ValueSubject(topics.BudgetUpdates))
	if err != nil {
		return nil, err
	}
	alert, err := avro.NewCodec[event.Alert](ctx, reg, topics.ValueSubject(topics.BudgetAlerts))
	if err != nil {
		return nil, err
	}
	return []Projection{Transactions(n.TxnCategorized, txn), Budgets(n.BudgetUpdates, upd), Alerts(n.BudgetAlerts, alert)}, nil
}

// Table names.
const (
	TableTransactions  = "transactions"
	TableBudgetHistory = "budget_history"
	TableBudgets       = "budgets"
	TableBudgetAlerts  = "budget_alerts"
)

// TransactionsTable holds the latest version of every categorized
// transaction, keyed by txn_id.
func TransactionsTable() Table {
	return Table{Name: TableTransactions, Key: []string{"txn_id"}, Version: "version", Columns: []string{
		"txn_id", "user_id", "account_id", "direction", "type", "status", "amount_minor", "spend_minor",
		"currency", "merchant_name", "merchant_id", "mcc", "channel", "budget_id", "category",
		"confidence", "source", "deleted", "posted_at", "lsn", "version",
		"detailed_category", "confidence_level",
	}}
}

// Transactions projects topic (finstream.txn.categorized) into
// TransactionsTable.
func Transactions(topic string, dec Decoder[event.Categorized]) Projection {
	return Project(topic, dec, []Table{TransactionsTable()}, AddTransaction)
}

// AddTransaction adds c's row of TransactionsTable to b.
func AddTransaction(b *Batch, c *event.Categorized) {
	b.Add(TableTransactions, c.TxnID, c.UserID, c.AccountID, c.Direction, c.Type, c.Status,
		c.AmountMinor, c.SpendMinor, c.Currency, c.MerchantName, c.MerchantID, int32(c.MCC),
		c.Channel, c.BudgetID, c.Category, c.Confidence, c.Source, c.Deleted, c.PostedAt.UTC(),
		c.LSN, c.Version, c.DetailedCategory, c.ConfidenceLevel)
}

func budgetColumns() []string {
	return []string{
		"budget_id", "version", "kind", "name", "user_id", "category", "period", "period_key",
		"period_start", "period_end", "currency", "limit_minor", "spent_minor", "remaining_minor",
		"used_bp", "thresholds_bp", "crossed_bp", "threshold_crossed_bp", "alert", "participants",
		"refused", "refused_reason", "txn_id", "merchant", "amount_minor", "event_time", "deleted",
	}
}

// BudgetHistoryTable holds every version of every budget, keyed by
// (budget_id, version): append-only.
func BudgetHistoryTable() Table {
	return Table{Name: TableBudgetHistory, Key: []string{"budget_id", "version"}, Columns: budgetColumns()}
}

// BudgetsTable holds the latest version of every budget, keyed by budget_id.
func BudgetsTable() Table {
	return Table{Name: TableBudgets, Key: []string{"budget_id"}, Version: "version", Columns: budgetColumns()}
}

// Budgets projects topic (finstream.budget.updates, personal and shared)
// into BudgetHistoryTable and BudgetsTable.
func Budgets(topic string, dec Decoder[event.BudgetUpdate]) Projection {
	return Project(topic, dec, []Table{BudgetHistoryTable(), BudgetsTable()}, AddBudgetUpdate)
}

// AddBudgetUpdate adds u's rows of BudgetHistoryTable and BudgetsTable to b.
func AddBudgetUpdate(b *Batch, u *event.BudgetUpdate) {
	participants := u.Participants
	if participants == nil {
		participants = []event.ParticipantSpend{}
	}
	row := func() []any {
		return []any{u.BudgetID, u.Version, u.Kind, u.Name, u.UserID, u.Category, u.Period, u.PeriodKey,
			u.PeriodStart.UTC(), u.PeriodEnd.UTC(), u.Currency, u.LimitMinor, u.SpentMinor, u.RemainingMinor,
			u.UsedBP, ints(u.ThresholdsBP), ints(u.CrossedBP), ints(u.ThresholdCrossedBP), u.Alert, participants,
			u.Refused, u.RefusedReason, u.TxnID, u.Merchant, u.AmountMinor, u.EventTime.UTC(), u.Deleted}
	}
	b.Add(TableBudgetHistory, row()...)
	b.Add(TableBudgets, row()...)
}

// BudgetAlertsTable holds every budget alert, keyed by alert_id.
func BudgetAlertsTable() Table {
	return Table{Name: TableBudgetAlerts, Key: []string{"alert_id"}, Columns: []string{
		"alert_id", "user_id", "budget_id", "category", "period_key", "threshold_bp", "used_bp",
		"spent_minor", "limit_minor", "remaining_minor", "currency", "days_left", "txn_id", "merchant",
		"text", "event_time",
	}}
}

// Alerts projects topic (finstream.budget.alerts) into BudgetAlertsTable.
func Alerts(topic string, dec Decoder[event.Alert]) Projection {
	return Project(topic, dec, []Table{BudgetAlertsTable()}, AddAlert)
}

// AddAlert adds a's row of BudgetAlertsTable to b.
func AddAlert(b *Batch, a *event.Alert) {
	b.Add(TableBudgetAlerts, a.AlertID, a.UserID, a.BudgetID, a.Category, a.PeriodKey, a.ThresholdBP,
		a.UsedBP, a.SpentMinor, a.LimitMinor, a.RemainingMinor, a.Currency, a.DaysLeft, a.TxnID,
		a.Merchant, a.Text, a.EventTime.UTC())
}

func ints(v []int64) []int64 {
	if v == nil {
		return []int64{}
	}
	return v
}
