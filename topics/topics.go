// Package topics names every Kafka topic finstream reads or writes, with its
// partitions, cleanup policy and codec, and creates them (EnsureTopics).
//
// Every keyed topic finstream writes is partitioned with Kafka's murmur2
// partitioner (Hasher), so Java, librdkafka (murmur2_random) and franz-go
// clients agree with goka on where a key lives.
package topics

import "strconv"

// CDC topics written by core banking's Debezium connector.
const (
	CDCTransactions = "core.public.transactions"
	CDCAccounts     = "core.public.accounts"
)

// Insights, goals and notifications (groups with tables and loopbacks).
const (
	CommandsGoals      = "finstream.commands.goals"  // user_id
	CommandsNotify     = "finstream.commands.notify" // user_id
	GroupInsights      = "finstream-insights"
	GroupGoals         = "finstream-goals"
	GroupNotifications = "finstream-notifications"
	// GroupAlerts keeps each user's last alerts with their explanations,
	// keyed by user_id, in its table, so that an alert is found by id.
	GroupAlerts = "finstream-alerts"
	TableAlerts = GroupAlerts + "-table" // compacted
)

// AssistantAudit is the audit of every co-pilot exchange, masked (JSON
// api/assistant.Record), keyed by user_id; the WebSocket fanout streams each
// record's answer to the user's devices.
const AssistantAudit = "finstream.assistant.audit"

// The co-pilot's memory: the finstream-assistant group keeps each user's
// recent conversations (api/assistant.Memory) from the audit.
const (
	GroupAssistant = "finstream-assistant"
	TableAssistant = GroupAssistant + "-table" // compacted, keyed by user_id
)

// Internal topics. The comment names the key.
const (
	TxnByAccount            = "finstream.txn.by-account"  // account_id: transactions whose user_id must be resolved
	AccountsByID            = "finstream.accounts.by-id"  // account_id: accounts re-keyed with murmur2
	TxnByID                 = "finstream.txn.by-id"       // transaction id: CDC changes re-keyed for the transaction stage
	CommandsTxn             = "finstream.commands.txn"    // transaction id: recategorizations
	TxnByUser               = "finstream.txn.by-user"     // user_id: what each applied change counts (from the transaction stage)
	TxnCategorized          = "finstream.txn.categorized" // user_id
	BudgetUpdates           = "finstream.budget.updates"  // budget_id
	BudgetAlerts            = "finstream.budget.alerts"   // user_id
	SharedSpend             = "finstream.shared.spend"    // budget_id
	Insights                = "finstream.insights"        // user_id
	GoalEvents              = "finstream.goal.events"     // user_id
	Notifications           = "finstream.notifications"   // user_id
	CommandsUser            = "finstream.commands.user"   // user_id
	CommandsShared          = "finstream.commands.shared" // budget_id
	DLQ                     = "finstream.dlq"             // source key
	Schemas                 = "_schemas"                  // schema registry log
	GroupRekey              = "finstream-rekey"           // stateless: CDC → by-user / by-account / accounts.by-id
	GroupAccounts           = "finstream-accounts"        // keyed by account_id
	GroupTxns               = "finstream-txns"            // keyed by transaction id (per-transaction memory)
	GroupUsers              = "finstream-users"           // keyed by user_id
	GroupShared             = "finstream-shared"          // keyed by budget_id (shared budgets)
	TableAccounts           = GroupAccounts + "-table"    // compacted
	TableUsers              = GroupUsers + "-table"       // compacted
	TableTxns               = GroupTxns + "-table"        // compacted
	TableShared             = GroupShared + "-table"      // compacted
	DefaultPartitions int32 = 8
)

// Codec names the encoding of a topic's values.
type Codec string

// Codecs.
const (
	CodecDebezium Codec = "debezium" // Debezium JSON (with or without schema) or Confluent-framed Avro
	CodecAvro     Codec = "avro"     // Confluent-framed Avro, schema in the registry
	CodecJSON     Codec = "json"     // JSON (group tables, registry log)
	CodecRaw      Codec = "raw"      // original bytes (DLQ)
)

// Retention of the topics finstream creates without compaction: a day, and
// at most 256 MiB per partition, whichever is reached first. They are topic
// configs set only when EnsureTopics creates a topic, so on a real cluster an
// operator's later settings win.
const (
	DefaultRetentionMS    int64 = 24 * 60 * 60 * 1000
	DefaultRetentionBytes int64 = 256 << 20
	DLQRetentionMS        int64 = 7 * 24 * 60 * 60 * 1000 // a week to look at what was refused
)

// Topic describes one topic.
type Topic struct {
	Name       string
	Partitions int32
	Compacted  bool
	Codec      Codec
	// RetentionMS and RetentionBytes (per partition) become the topic's
	// retention.ms and retention.bytes at creation; -1 means unlimited, zero
	// leaves the config unset (the broker's default). A
	// compacted topic keeps -1: kfake applies retention to every topic,
	// compacted or not (its default retention.ms of 7 days would delete a
	// table's old keys), and real Kafka ignores both under cleanup.policy=compact.
	RetentionMS    int64
	RetentionBytes int64
}

// Configs are the topic configs EnsureTopics creates t with.
func (t Topic) Configs() map[string]*string {
	policy := "delete"
	if t.Compacted {
		policy = "compact"
	}
	cfg := map[string]*string{"cleanup.policy": &policy}
	for k, v := range map[string]int64{"retention.ms": t.RetentionMS, "retention.bytes": t.RetentionBytes} {
		if v != 0 {
			s := strconv.FormatInt(v, 10)
			cfg[k] = &s
		}
	}
	return cfg
}

// All lists every topic of the default generation (Default().All).
func All(partitions int32) []Topic { return Default().All(partitions) }

// All lists every topic the generation n uses with the given partition
// count (0 means DefaultPartitions): the inputs, which every generation
// shares, and n's own. The registry log always has one partition.
func (n Names) All(partitions int32) []Topic {
	if partitions <= 0 {
		partitions = DefaultPartitions
	}
	t := func(name string, compacted bool, c Codec) Topic {
		if compacted {
			return Topic{Name: name, Partitions: partitions, Compacted: true, Codec: c, RetentionMS: -1, RetentionBytes: -1}
		}
		ms := DefaultRetentionMS
		if name == n.DLQ {
			ms = DLQRetentionMS
		}
		return Topic{Name: name, Partitions: partitions, Codec: c, RetentionMS: ms, RetentionBytes: DefaultRetentionBytes}
	}
	ts := []Topic{
		t(CDCTransactions, false, CodecDebezium),
		t(CDCAccounts, false, CodecDebezium),
		t(n.TxnByAccount, false, CodecAvro),
		t(n.AccountsByID, false, CodecAvro),
		t(n.TxnByID, false, CodecAvro),
		t(CommandsTxn, false, CodecAvro),
		t(n.TxnByUser, false, CodecAvro),
		t(n.TxnCategorized, false, CodecAvro),
		t(n.BudgetUpdates, false, CodecAvro),
		t(n.BudgetAlerts, false, CodecAvro),
		t(n.SharedSpend, false, CodecAvro),
		t(n.Insights, false, CodecAvro),
		t(n.GoalEvents, false, CodecAvro),
		t(n.Notifications, false, CodecAvro),
		t(CommandsUser, false, CodecAvro),
		t(CommandsShared, false, CodecAvro),
		t(n.DLQ, false, CodecRaw),
		t(Table(n.GroupAccounts), true, CodecJSON),
		t(Table(n.GroupUsers), true, CodecJSON),
		t(Table(n.GroupTxns), true, CodecJSON),
		t(Table(n.GroupShared), true, CodecJSON),
		t(CommandsGoals, false, CodecAvro),
		t(CommandsNotify, false, CodecAvro),
		t(Table(n.GroupInsights), true, CodecJSON),
		t(Table(n.GroupGoals), true, CodecJSON),
		t(Table(n.GroupNotifications), true, CodecJSON),
		t(Table(n.GroupAlerts), true, CodecRaw),
		t(Loop(n.GroupInsights), false, CodecAvro),
		t(Loop(n.GroupGoals), false, CodecAvro),
		t(Loop(n.GroupNotifications), false, CodecAvro),
		t(AssistantAudit, false, CodecJSON),
		t(Table(n.GroupAssistant), true, CodecJSON),
		{Name: Schemas, Partitions: 1, Compacted: true, Codec: CodecJSON, RetentionMS: -1, RetentionBytes: -1},
	}
	if n.SeparateUserCommands() {
		ts = append(ts, t(n.UserCommandsDerived, false, CodecAvro))
	}
	return ts
}
