package budget

import (
	"time"

	"finstream/processors/cdc"
	"finstream/processors/event"
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
	// Txns by transaction id: what each transaction counts, so that a
	// duplicate, a stale redelivery or a change applies exactly the difference.
	Txns map[string]*Txn `json:"txns,omitempty"`
	// Memberships of shared budgets by budget id (membership.go).
	Memberships map[string]*Membership `json:"memberships,omitempty"`
	// Version increases with every change of the state.
	Version int64 `json:"version"`
	// LatestMonth is the month of the latest CDC source time seen: the
	// clock of retention (RetentionMonths).
	LatestMonth string `json:"latest_month,omitempty"`
}

// Budget is a personal budget on one category.
type Budget struct {
	Category     string      `json:"category"`
	Period       period.Kind `json:"period"`
	Currency     string      `json:"currency"`
	LimitMinor   int64       `json:"limit_minor"`
	ThresholdsBP []int64     `json:"thresholds_bp"`
	Version      int64       `json:"version"`
}

// Txn is what the state remembers of one transaction.
type Txn struct {
	Pos        cdc.Position `json:"pos"`
	Row        cdc.Txn      `json:"row"`
	Deleted    bool         `json:"deleted,omitempty"`
	Category   string       `json:"category"`
	Source     string       `json:"source"`
	Confidence float64      `json:"confidence"`
	// Counted is the contribution to Spend applied for this transaction.
	Counted Contribution `json:"counted"`
	Version int64        `json:"version"`
	// Shared is what the transaction last sent to shared budgets (nil if
	// never sent anywhere).
	Shared *SharedRoute `json:"shared,omitempty"`
	// Fired are the alerts the transaction's changes fired, each with the
	// Kafka record of the change: when that very record is delivered again
	// (after a crash, before its offset was committed) its alerts are sent
	// again, since they may never have reached the broker. Alerts are rare
	// (a few per budget and period), so they are kept with the transaction.
	Fired []Fired `json:"fired,omitempty"`
}

// Fired is an alert and the input record whose change fired it.
type Fired struct {
	In    Input       `json:"in"`
	Alert event.Alert `json:"alert"`
}

// Input identifies the Kafka record an input came from: its partition and
// offset on the input topic. The zero Input (Offset 0 on partition 0 is a
// real record, so Known says whether it is set) is an input of unknown
// origin, which is never taken for a redelivery.
type Input struct {
	Partition int32 `json:"partition"`
	Offset    int64 `json:"offset"`
	Known     bool  `json:"known"`
}

// At is the Input of the record at partition and offset.
func At(partition int32, offset int64) Input {
	return Input{Partition: partition, Offset: offset, Known: true}
}

// Contribution is the spend one transaction adds to its buckets.
type Contribution struct {
	Amount   int64  `json:"amount,omitempty"`
	Category string `json:"category,omitempty"`
	Currency string `json:"currency,omitempty"`
	Month    string `json:"month,omitempty"`
	Week     string `json:"week,omitempty"`
}

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
	if s.Txns == nil {
		s.Txns = map[string]*Txn{}
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
