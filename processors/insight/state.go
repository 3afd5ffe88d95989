package insight

import (
	"maps"
	"slices"
	"strings"
	"time"

	"finstream/processors/event"
	"finstream/processors/period"
)

// Bounds of what State keeps per user, and thresholds of the insights.
const (
	// HorizonMonths is how many calendar months before the latest month seen
	// the state keeps (spike compares with the previous 3). A transaction
	// posted before the horizon is ignored.
	HorizonMonths = 3
	// HistoryLen is how many recent amounts are kept per category and per
	// merchant (for unusual_transaction and recurring).
	HistoryLen = 12
	// MaxMerchants bounds the merchants tracked; the one seen least
	// recently (by event time) is forgotten first.
	MaxMerchants = 50
	// MaxInsights bounds the insights kept; the oldest by event time go first.
	MaxInsights = 100
	// MinHistory is the history an amount is compared with before
	// unusual_transaction can fire.
	MinHistory = 5
	// MinOccurrences of a regular payment before recurring fires.
	MinOccurrences = 3
)

// State is what the insights processor keeps for one user (the value of its
// table). It is not safe for concurrent use.
type State struct {
	UserID   string `json:"user_id"`
	TimeZone string `json:"time_zone,omitempty"` // "" means period.DefaultZone
	// Budgets are the personal budgets seen, by budget id.
	Budgets map[string]*BudgetSeen `json:"budgets,omitempty"`
	// Txns are the transactions that count or counted, by id, within the
	// horizon: what each one added, so a change applies the difference.
	Txns map[string]*Txn `json:"txns,omitempty"`
	// Curves are daily spend per "<month>|<category>|<currency>".
	Curves map[string]*Curve `json:"curves,omitempty"`
	// LastDay is the latest day of month with spend, per month key.
	LastDay map[string]int `json:"last_day,omitempty"`
	// Categories are recent amounts per "<category>|<currency>".
	Categories map[string]*History `json:"categories,omitempty"`
	// Merchants are recent amounts per "<merchant key>|<currency>".
	Merchants map[string]*History `json:"merchants,omitempty"`
	// LatestMonth and FirstMonth are the latest and earliest months with
	// spend seen ("2026-11").
	LatestMonth string `json:"latest_month,omitempty"`
	FirstMonth  string `json:"first_month,omitempty"`
	// Insights are the user's insights by id, cleared ones included (so
	// that their version keeps increasing) until they expire.
	Insights map[string]*event.Insight `json:"insights,omitempty"`
	Version  int64                     `json:"version"`
}

// BudgetSeen is the last applied update of a personal budget.
type BudgetSeen struct {
	Version      int64     `json:"version"`
	MaxEventTime time.Time `json:"max_event_time"`
	PeriodStart  time.Time `json:"period_start"`
}

// Txn is what one transaction adds to the statistics.
type Txn struct {
	Version  int64     `json:"version"`
	Amount   int64     `json:"amount,omitempty"`
	Category string    `json:"category,omitempty"`
	Currency string    `json:"currency,omitempty"`
	Merchant string    `json:"merchant,omitempty"` // merchant key
	Name     string    `json:"name,omitempty"`     // merchant name as sent
	PostedAt time.Time `json:"posted_at"`
}

// Curve is one month's spend per day of month (index 0 is the 1st).
type Curve struct {
	Daily [31]int64 `json:"daily"`
}

// cumulative is the spend from the 1st through day d.
func (c *Curve) cumulative(d int) int64 {
	var sum int64
	if c == nil {
		return 0
	}
	for i := 0; i < d && i < len(c.Daily); i++ {
		sum += c.Daily[i]
	}
	return sum
}

// History is the recent amounts of a category or merchant, oldest first.
type History struct {
	Name    string  `json:"name,omitempty"`
	Entries []Entry `json:"entries"`
}

// Entry is one transaction in a History.
type Entry struct {
	TxnID  string    `json:"txn_id"`
	Amount int64     `json:"amount"`
	At     time.Time `json:"at"`
}

func (h *History) amountsExcept(txnID string) []int64 {
	var out []int64
	for _, e := range h.Entries {
		if e.TxnID != txnID {
			out = append(out, e.Amount)
		}
	}
	return out
}

func (h *History) remove(txnID string) {
	h.Entries = slices.DeleteFunc(h.Entries, func(e Entry) bool { return e.TxnID == txnID })
}

// add inserts e in event-time order (ties by txn id) and keeps the newest
// HistoryLen entries.
func (h *History) add(e Entry) {
	h.remove(e.TxnID)
	i, _ := slices.BinarySearchFunc(h.Entries, e, func(a, b Entry) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return strings.Compare(a.TxnID, b.TxnID)
	})
	h.Entries = slices.Insert(h.Entries, i, e)
	if n := len(h.Entries); n > HistoryLen {
		h.Entries = slices.Delete(h.Entries, 0, n-HistoryLen)
	}
}

func (h *History) last() time.Time {
	if h == nil || len(h.Entries) == 0 {
		return time.Time{}
	}
	return h.Entries[len(h.Entries)-1].At
}

func (s *State) init() {
	if s.Budgets == nil {
		s.Budgets = map[string]*BudgetSeen{}
	}
	if s.Txns == nil {
		s.Txns = map[string]*Txn{}
	}
	if s.Curves == nil {
		s.Curves = map[string]*Curve{}
	}
	if s.LastDay == nil {
		s.LastDay = map[string]int{}
	}
	if s.Categories == nil {
		s.Categories = map[string]*History{}
	}
	if s.Merchants == nil {
		s.Merchants = map[string]*History{}
	}
	if s.Insights == nil {
		s.Insights = map[string]*event.Insight{}
	}
}

// location is the user's time zone (the default zone when unset or unknown).
func (s *State) location() *time.Location {
	return period.ZoneOrDefault(s.TimeZone)
}

// SetTimeZone changes the user's time zone and re-buckets the daily curves
// of the transactions kept into the new zone's days and months.
func (s *State) SetTimeZone(name string) error {
	if _, err := period.Zone(name); err != nil {
		return err
	}
	if name == s.TimeZone {
		return nil
	}
	s.init()
	s.TimeZone = name
	s.Curves, s.LastDay = map[string]*Curve{}, map[string]int{}
	for _, t := range s.Txns {
		s.count(t, +1)
	}
	s.Version++
	return nil
}

// Current returns the insights that hold at now (not cleared, not
// expired), newest first (by event time, then id).
func (s *State) Current(now time.Time) []event.Insight {
	out := []event.Insight{}
	for _, in := range s.Insights {
		if !in.Cleared && now.Before(in.ExpiresAt) {
			c := *in
			c.Data = maps.Clone(in.Data)
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b event.Insight) int {
		if c := b.EventTime.Compare(a.EventTime); c != 0 {
			return c
		}
		return strings.Compare(a.InsightID, b.InsightID)
	})
	return out
}

// ID is the stable id of an insight: user, kind, subject and period
// (when it has one) joined by "|".
func ID(user, kind, subject, periodKey string) string {
	id := user + "|" + kind + "|" + subject
	if periodKey != "" {
		id += "|" + periodKey
	}
	return id
}

// put stores in if it differs from the stored insight of its id and
// returns it (with its new version) and true; an equal insight changes
// nothing.
func (s *State) put(in event.Insight) (event.Insight, bool) {
	old := s.Insights[in.InsightID]
	if old != nil && same(*old, in) {
		return event.Insight{}, false
	}
	in.UserID = s.UserID
	in.Version = 1
	if old != nil {
		in.Version = old.Version + 1
	}
	stored := in
	stored.Data = maps.Clone(in.Data)
	s.Insights[in.InsightID] = &stored
	return in, true
}

// clear marks the insight id as no longer holding, if it holds.
func (s *State) clear(id string, at time.Time) (event.Insight, bool) {
	old := s.Insights[id]
	if old == nil || old.Cleared {
		return event.Insight{}, false
	}
	old.Cleared = true
	old.Version++
	old.EventTime = at
	c := *old
	c.Data = maps.Clone(old.Data)
	return c, true
}

func same(a, b event.Insight) bool {
	return a.Severity == b.Severity && a.Text == b.Text && a.TextTH == b.TextTH && a.Date == b.Date &&
		a.Cleared == b.Cleared && a.ExpiresAt.Equal(b.ExpiresAt) && a.Currency == b.Currency && maps.Equal(a.Data, b.Data)
}

// pruneInsights forgets insights that expired more than a month before at,
// then the oldest beyond MaxInsights.
func (s *State) pruneInsights(at time.Time) {
	for id, in := range s.Insights {
		if in.ExpiresAt.Before(at.AddDate(0, -1, 0)) {
			delete(s.Insights, id)
		}
	}
	if len(s.Insights) <= MaxInsights {
		return
	}
	ids := slices.Collect(maps.Keys(s.Insights))
	slices.SortFunc(ids, func(a, b string) int {
		if c := s.Insights[a].EventTime.Compare(s.Insights[b].EventTime); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	for _, id := range ids[:len(ids)-MaxInsights] {
		delete(s.Insights, id)
	}
}
