package processors

import (
	"context"
	"fmt"

	"github.com/lovoo/goka"

	"finstream/api/assistant"
	"finstream/avro"
	"finstream/processors/accountjoin"
	"finstream/processors/budget"
	"finstream/processors/cdc"
	"finstream/processors/event"
	"finstream/processors/shared"
	"finstream/topics"
)

// Codecs are the codecs of finstream's topics and tables: Confluent-framed
// Avro for internal topics (schemas registered under "<topic>-value"), JSON
// for group tables, and the CDC decoder for Debezium input. NewCodecs
// wraps each so that the processors' guard encodes a value only once.
type Codecs struct {
	TxnByID       goka.Codec // cdc.TxnChange
	TxnByUser     goka.Codec // cdc.TxnChange
	CommandsTxn   goka.Codec // event.UserCommand
	TxnsTable     goka.Codec // budget.Ledger
	TxnByAccount  goka.Codec // cdc.TxnChange
	AccountsByID  goka.Codec // cdc.AccountChange
	Categorized   goka.Codec // event.Categorized
	BudgetUpdates goka.Codec // event.BudgetUpdate
	BudgetAlerts  goka.Codec // event.Alert
	CommandsUser  goka.Codec // event.UserCommand
	UsersTable    goka.Codec // budget.State
	// UsersRules decodes finstream-users-table for the transaction stage's
	// lookup: a budget.State with only the rules, zone and memberships
	// (budget.Codec{RulesOnly: true}). Nil: UsersTable.
	UsersRules    goka.Codec
	AlertsTable   goka.Codec // budget.AlertLog
	AccountsTable goka.Codec // accountjoin.State
	// SharedCommands (event.SharedCommand), SharedSpend (event.SharedSpend)
	// and SharedTable (shared.Budget, binary) are the shared-budget group's.
	SharedCommands goka.Codec
	SharedSpend    goka.Codec
	SharedTable    goka.Codec
	// AssistantAudit (assistant.Record) and AssistantTable
	// (assistant.Memory) are JSON: the co-pilot's audit and memory.
	AssistantAudit goka.Codec
	AssistantTable goka.Codec
	// Copilot are the codecs of insights, goals and notifications.
	Copilot *CopilotCodecs
	// CDC decodes Debezium records (JSON, JSON with schema, Avro).
	CDC *cdc.Decoder
}

// NewCodecs registers the internal topics' schemas with reg and returns the
// codecs that use them.
func NewCodecs(ctx context.Context, reg *avro.Client) (*Codecs, error) {
	c := &Codecs{
		UsersTable:    budget.Codec{},
		UsersRules:    budget.Codec{RulesOnly: true},
		AlertsTable:   budget.AlertLogCodec{},
		TxnsTable:     budget.LedgerCodec{},
		AccountsTable: avro.JSONCodec[accountjoin.State]{},
		SharedTable:   shared.Codec{},
		CDC:           cdc.NewDecoder(reg),

		AssistantAudit: avro.JSONCodec[assistant.Record]{},
		AssistantTable: avro.JSONCodec[assistant.Memory]{},
	}
	var err error
	reg1 := func(dst *goka.Codec, subject string, mk func(context.Context, *avro.Client, string) (goka.Codec, error)) {
		if err != nil {
			return
		}
		*dst, err = mk(ctx, reg, subject)
		if err != nil {
			err = fmt.Errorf("codec for %s: %w", subject, err)
		}
	}
	reg1(&c.TxnByID, topics.ValueSubject(topics.TxnByID), codecOf[cdc.TxnChange])
	reg1(&c.TxnByUser, topics.ValueSubject(topics.TxnByUser), codecOf[cdc.TxnChange])
	reg1(&c.CommandsTxn, topics.ValueSubject(topics.CommandsTxn), codecOf[event.UserCommand])
	reg1(&c.TxnByAccount, topics.ValueSubject(topics.TxnByAccount), codecOf[cdc.TxnChange])
	reg1(&c.AccountsByID, topics.ValueSubject(topics.AccountsByID), codecOf[cdc.AccountChange])
	reg1(&c.Categorized, topics.ValueSubject(topics.TxnCategorized), codecOf[event.Categorized])
	reg1(&c.BudgetUpdates, topics.ValueSubject(topics.BudgetUpdates), codecOf[event.BudgetUpdate])
	reg1(&c.BudgetAlerts, topics.ValueSubject(topics.BudgetAlerts), codecOf[event.Alert])
	reg1(&c.CommandsUser, topics.ValueSubject(topics.CommandsUser), codecOf[event.UserCommand])
	reg1(&c.SharedCommands, topics.ValueSubject(topics.CommandsShared), codecOf[event.SharedCommand])
	reg1(&c.SharedSpend, topics.ValueSubject(topics.SharedSpend), codecOf[event.SharedSpend])
	if err != nil {
		return nil, err
	}
	if c.Copilot, err = NewCopilotCodecs(ctx, reg); err != nil {
		return nil, err
	}
	// Every codec takes the guard's encoded values as they are; wrapped
	// here, so that views, emitters and goka's tester see the processors'
	// codec types.
	return c.passingEncoded(), nil
}

// usersRules is the codec of the transaction stage's lookup of
// finstream-users-table.
func (c *Codecs) usersRules() goka.Codec {
	if c.UsersRules != nil {
		return c.UsersRules
	}
	return c.UsersTable
}

func codecOf[T any](ctx context.Context, reg *avro.Client, subject string) (goka.Codec, error) {
	return avro.NewCodec[T](ctx, reg, subject)
}
