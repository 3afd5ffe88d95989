package topics

import (
	"fmt"
	"regexp"
)

// Names are the names of one generation of finstream's derived data: the
// consumer groups, their tables and loops, and every topic the processors
// write. A generation under a prefix (--group-prefix P) has none of them in
// common with the generation without one, so it can replay every input from
// the start beside a running generation and be compared with it, then take
// over.
//
// Inputs keep their names in every generation: the CDC topics Debezium
// writes, the command topics and the assistant's audit the api writes, and
// the registry log. A replay reads them from the start; it reproduces
// only what their retention still holds. Records that processors write
// into finstream.commands.user (a shared budget's membership forwarded to
// each member, the digest's settings) go to the generation's own
// UserCommandsDerived, so that two generations never act on each other's
// output; without a prefix it is finstream.commands.user itself.
//
// Schema registry subjects stay those of the unprefixed names
// (<topic>-value): the schemas are the same in every generation, and every
// record carries its schema id.
//
// A Names is a value: build it once (Generation) and pass it to whatever
// names a topic or group. Default() is the generation without a prefix,
// whose names are this package's constants.
type Names struct {
	// Prefix is the generation's prefix ("" for the default one).
	Prefix string

	// Streams between the groups and the outputs of the processors.
	TxnByAccount, AccountsByID, TxnByID, TxnByUser, TxnCategorized,
	BudgetUpdates, BudgetAlerts, SharedSpend, Insights, GoalEvents,
	Notifications, DLQ string
	// UserCommandsDerived receives the user commands that processors write
	// (see the type's doc); it equals CommandsUser without a prefix.
	UserCommandsDerived string

	// Consumer groups of the processors (each group's table is
	// <group>-table, its loop <group>-loop, as goka names them).
	GroupRekeyTxns, GroupRekeyAccounts, GroupAccounts, GroupTxns, GroupUsers,
	GroupShared, GroupInsights, GroupGoals, GroupNotifications, GroupAlerts,
	GroupAssistant string
	// Consumer groups of the other roles.
	GroupSink, GroupPush string
}

// Groups of the re-keying stage, the sink and the push delivery (the
// default generation's names).
const (
	GroupRekeyTxns     = "finstream-rekey-transactions"
	GroupRekeyAccounts = "finstream-rekey-accounts"
	GroupSink          = "finstream-sink"
	GroupPush          = "finstream-push"
)

// prefixPattern: a prefix must keep every name a legal Kafka topic and
// group name (at most 249 characters of [a-zA-Z0-9._-]).
var prefixPattern = regexp.MustCompile(`^[a-zA-Z0-9._-]{1,64}$`)

// Generation returns the names of the generation under prefix, or an error
// naming what is wrong with it. "" is the default generation.
func Generation(prefix string) (Names, error) {
	if prefix != "" && !prefixPattern.MatchString(prefix) {
		return Names{}, fmt.Errorf("%q: use 1 to 64 of the characters a-z A-Z 0-9 . _ -", prefix)
	}
	p := func(name string) string { return prefix + name }
	return Names{
		Prefix:       prefix,
		TxnByAccount: p(TxnByAccount), AccountsByID: p(AccountsByID), TxnByID: p(TxnByID), TxnByUser: p(TxnByUser),
		TxnCategorized: p(TxnCategorized), BudgetUpdates: p(BudgetUpdates), BudgetAlerts: p(BudgetAlerts),
		SharedSpend: p(SharedSpend), Insights: p(Insights), GoalEvents: p(GoalEvents),
		Notifications: p(Notifications), DLQ: p(DLQ),
		UserCommandsDerived: p(CommandsUser),
		GroupRekeyTxns:      p(GroupRekeyTxns), GroupRekeyAccounts: p(GroupRekeyAccounts),
		GroupAccounts: p(GroupAccounts), GroupTxns: p(GroupTxns), GroupUsers: p(GroupUsers),
		GroupShared: p(GroupShared), GroupInsights: p(GroupInsights), GroupGoals: p(GroupGoals),
		GroupNotifications: p(GroupNotifications), GroupAlerts: p(GroupAlerts), GroupAssistant: p(GroupAssistant),
		GroupSink: p(GroupSink), GroupPush: p(GroupPush),
	}, nil
}

// OrDefault is n, or Default() for the zero Names.
func (n Names) OrDefault() Names {
	if n.GroupUsers == "" {
		return Default()
	}
	return n
}

// Default is the generation without a prefix.
func Default() Names {
	n, _ := Generation("")
	return n
}

// ValueSubject is the schema registry subject of topic's values in every
// generation: that of the unprefixed topic (TopicNameStrategy).
func ValueSubject(topic string) string { return topic + "-value" }

// Table is the name of group's table (goka's <group>-table).
func Table(group string) string { return group + "-table" }

// Loop is the name of group's loopback stream (goka's <group>-loop).
func Loop(group string) string { return group + "-loop" }

// SeparateUserCommands reports whether processors write user commands to a
// topic of their own (a prefixed generation), which the groups reading
// finstream.commands.user must then read too.
func (n Names) SeparateUserCommands() bool { return n.UserCommandsDerived != CommandsUser }

// ProcessorGroups lists the processors' groups, in topology order.
func (n Names) ProcessorGroups() []string {
	return []string{n.GroupRekeyTxns, n.GroupRekeyAccounts, n.GroupAccounts, n.GroupTxns, n.GroupUsers,
		n.GroupShared, n.GroupInsights, n.GroupGoals, n.GroupNotifications, n.GroupAlerts, n.GroupAssistant}
}
