package budget

import (
	"time"

	"finstream/processors/cdc"
	"finstream/processors/compact"
	"finstream/processors/period"
)

// DefaultThresholdsBP are the thresholds of a budget that names none.
var DefaultThresholdsBP = []int64{5000, 8000, 9000, 10000}

// State is everything finstream keeps for one user (the value of the
// finstream-users table). It is not safe for concurrent use: goka gives each
// key to one goroutine at a time.
type State struct {
	UserID   string `json:"user_id"`
	TimeZone string `json:"time_zone,omitempty"` // "" means period.DefaultZone
	// Rules are the user's own categorizations: merchant key → category.
	Rules map[string]string `json:"rules,omitempty"`
	// Budgets by category.
	Budgets map[string]*Budget `json:"budgets,omitempty"`
	// Spend by bucket key "<period key>|<category>|<currency>", for months
	// and ISO weeks alike, whether or not a budget exists.
	Spend map[string]int64 `json:"spend,omitempty"`
	// Marks are the duplicate guard: per input stream and partition of the
	// transaction stage, the highest input offset whose record this state
	// applied (bounded by the partition count). A record at or below its
	// mark was applied: it only repeats its outputs.
	Marks compact.Marks `json:"marks,omitempty"`
	// Recent are the last applied records that fired alerts (at most
	// keepRecent), so that a record delivered again re-sends its alerts.
	Recent []Seen `json:"recent,omitempty"`
	// Memberships of shared budgets by budget id (membership.go).
	Memberships map[string]*Membership `json:"memberships,omitempty"`
	// Invitations to shared budgets still to be answered (invitations.go).
	Invitations []Invitation `json:"invitations,omitempty"`
	// Version increases with every change of the state.
	Version int64 `json:"version"`
	// LatestMonth is the month of the latest CDC source time seen: the
	// clock of retention (RetentionMonths).
	LatestMonth string `json:"latest_month,omitempty"`
	// LatestWeek is the ISO week of the latest CDC source time seen.
	LatestWeek string `json:"latest_week,omitempty"`
	// Drops count how often a budget period's usage fell back below a
	// threshold: alert ids name the n-th crossing (drops.go).
	Drops Drops `json:"drops,omitempty"`
	// DigestOn: the user opted in to the daily digest; DigestDay is the
	// local date of the last one sent (tick.go).
	DigestOn  bool   `json:"digest_on,omitempty"`
	DigestDay string `json:"digest_day,omitempty"`
	// Recurring are the merchants the user pays, with their latest chain
	// of regular payments (at most MaxRecurring: recurring.go).
	Recurring []Recurring `json:"recurring,omitempty"`
}

// Budget is a personal budget on one category.
type Budget struct {
	Category     string      `json:"category"`
	Period       period.Kind `json:"period"`
	Currency     string      `json:"currency"`
	LimitMinor   int64       `json:"limit_minor"`
	ThresholdsBP []int64     `json:"thresholds_bp"`
	Version      int64       `json:"version"`
	// PushedPeriod is the key of the last period whose start a tick pushed
	// (tick.go).
	PushedPeriod string `json:"pushed_period,omitempty"`
	// Rollover adds the unspent remainder of the previous period to the
	// limit (see Rollover); Since is the key of the period the budget was
	// created in (no rollover from before it).
	Rollover bool   `json:"rollover,omitempty"`
	Since    string `json:"since,omitempty"`
	// AnchorDay (2..28) makes a monthly budget's periods pay-months from
	// that day of each month (period.Anchored); 0 means calendar months.
	AnchorDay int `json:"period_anchor_day,omitempty"`
	// AnchorSince is when the budget took its anchor day (the command's
	// time): its pay-months count the transactions posted from then on.
	AnchorSince time.Time `json:"anchor_since"`
	// PaceAlerted is the key of the last period whose pace alert fired.
	PaceAlerted string `json:"pace_alerted,omitempty"`
	// Builders are the largest transactions of the current period (plan.go).
	Builders Builders `json:"builders"`
}

// Seen is one applied by-user record in the duplicate guard: its
// transaction and Seq, and the alerts it fired (re-sent when the record
// comes again: the first copies may have been lost in a crash).
type Seen struct {
	TxnID string `json:"txn_id"`
	Seq   int64  `json:"seq"`
	// Alerts are kept encoded (their facts, written once when they fire:
	// encodeAlerts) and decoded only to be re-sent: the state is decoded on
	// every event.
	Alerts []byte `json:"alerts,omitempty"`
}

// keepRecent bounds State.Recent: alerts are rare (a few per budget and
// period), and a record comes again only from the window of offsets not
// yet committed at a crash.
const keepRecent = 8

// Mark is the highest transaction-stage input offset applied on one stream
// and partition.
type Mark = compact.Mark

// Input identifies the Kafka record an input came from: its partition and
// offset on the input topic. The zero Input (Offset 0 on partition 0 is a
// real record, so Known says whether it is set) is an input of unknown
// origin, which is never taken for a redelivery.
type Input struct {
	// Stream numbers the input topic where one consumer reads several
	// (the transaction stage: StreamChanges, StreamCommands).
	Stream    int32 `json:"stream,omitempty"`
	Partition int32 `json:"partition"`
	Offset    int64 `json:"offset"`
	Known     bool  `json:"known"`
}

// At is the Input of the record at partition and offset.
func At(partition int32, offset int64) Input {
	return Input{Partition: partition, Offset: offset, Known: true}
}

// The transaction stage's input streams (Input.Stream, TxnChange.MarkStream).
const (
	StreamChanges  int32 = 1 // finstream.txn.by-id
	StreamCommands int32 = 2 // finstream.commands.txn
)

// InStream is the Input of the record at partition and offset of stream.
func InStream(stream, partition int32, offset int64) Input {
	return Input{Stream: stream, Partition: partition, Offset: offset, Known: true}
}

// Contribution is the spend one transaction adds to its buckets.
type Contribution = cdc.Contribution

// BudgetID is the id of a personal budget: "<user_id>:<category>".
func BudgetID(userID, category string) string { return userID + ":" + category }

func bucket(periodKey, category, currency string) string {
	return periodKey + "|" + category + "|" + currency
}

// location returns the user's time zone, falling back to the default zone
// when the stored name cannot be loaded.
func (s *State) location() *time.Location {
	return period.ZoneOrDefault(s.TimeZone)
}

func (s *State) init() {
	if s.Rules == nil {
		s.Rules = map[string]string{}
	}
	if s.Budgets == nil {
		s.Budgets = map[string]*Budget{}
	}
	if s.Spend == nil {
		s.Spend = map[string]int64{}
	}
}

// spent returns the spend of a budget in the period p.
func (s *State) spent(b *Budget, p period.Period) int64 {
	return s.Spend[bucket(p.Key, b.Category, b.Currency)]
}

// UsedBP is floor(spent*10000/limit), 0 for a non-positive limit or spend.
func UsedBP(spent, limit int64) int64 {
	if limit <= 0 || spent <= 0 {
		return 0
	}
	if spent > (1<<63-1)/10000 { // would overflow: the budget is far exceeded
		return spent / limit * 10000
	}
	return spent * 10000 / limit
}

// Crossed lists the thresholds that used has reached.
func Crossed(thresholds []int64, used int64) []int64 {
	out := []int64{}
	for _, t := range thresholds {
		if used >= t {
			out = append(out, t)
		}
	}
	return out
}
