package insight

import (
	"maps"
	"slices"
	"strings"
	"time"

	"finstream/processors/compact"
	"finstream/processors/event"
	"finstream/processors/period"
)

// Bounds of what State keeps per user, and thresholds of the insights. With
// them a value is bounded by a constant whatever the number of the user's
// transactions: at most 31 days × (HorizonMonths+1) months of daily spend
// per category, HistoryLen amounts per category, MerchantLen per merchant
// (MaxMerchants merchants), MaxRecent transactions and MaxInsights
// insights without their texts.
const (
	// HorizonMonths is how many calendar months before the latest month seen
	// the state keeps (spike compares with the previous 3). A transaction
	// posted before the horizon is ignored.
	HorizonMonths = 3
	// HistoryLen is how many recent amounts are kept per category (for
	// unusual_transaction): the newest by event time.
	HistoryLen = 12
	// MerchantLen is how many recent amounts are kept per merchant (for
	// unusual_transaction, which needs MinHistory, and recurring, which
	// needs MinOccurrences and counts at most MerchantLen).
	MerchantLen = 8
	// MaxMerchants bounds the merchants tracked. Beyond it the merchant
	// with the fewest amounts kept goes first, the one seen least recently
	// (by event time) among those: a regular merchant (a subscription)
	// outlives one-off visits.
	MaxMerchants = 24
	// MaxRecent bounds the transactions remembered (Recent) with the
	// version applied and what each counted: the duplicate guard by
	// (txn id, version) and the memory of a change's difference.
	MaxRecent = 16
	// MaxInsights bounds the insights kept; the oldest by event time go first.
	MaxInsights = 32
	// MinHistory is the history an amount is compared with before
	// unusual_transaction can fire.
	MinHistory = 5
	// MinOccurrences of a regular payment before recurring fires.
	MinOccurrences = 3
)

// State is what the insights processor keeps for one user (the value of its
// table; Codec encodes it): bounded summaries of the user's spending, never
// the transactions themselves. It is not safe for concurrent use.
type State struct {
	UserID   string `json:"user_id"`
	TimeZone string `json:"time_zone,omitempty"` // "" means period.DefaultZone
	// Budgets are the personal budgets seen, by budget id (one per category
	// and currency at most): the last version applied of each.
	Budgets map[string]*BudgetSeen `json:"budgets,omitempty"`
	// Recent are the last MaxRecent transactions that counted, oldest
	// first, with what each counts (see Applied).
	Recent []Applied `json:"recent,omitempty"`
	// Curves are daily spend per "<month>|<category>|<currency>", for the
	// latest month and the HorizonMonths before it.
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
	// Insights are the user's current insights by id, without their texts
	// (Render derives them). A cleared or expired insight is forgotten; its
	// next version is still greater, since versions are the state's.
	Insights map[string]*Kept `json:"insights,omitempty"`
	// Version increases with every change applied; an insight changed by
	// it takes it as its version.
	Version int64 `json:"version"`
}

// BudgetSeen is the last applied update of a personal budget.
type BudgetSeen struct {
	Version      int64     `json:"version"`
	MaxEventTime time.Time `json:"max_event_time"`
	PeriodStart  time.Time `json:"period_start"`
}

// Applied is a transaction as State.Recent remembers it: the hash of its id
// (compact.Hash), the version applied and what it counts in the summaries
// (Amount 0 once it no longer counts). A change of a transaction that is no
// longer remembered is applied as its first, except a reversal, which takes
// out what the row says it counted (see ApplyCategorized).
type Applied struct {
	Txn     uint64 `json:"txn"`
	Version int64  `json:"version"`
	Counted
}

// Counted is what one transaction adds to the summaries. PostedAt is kept
// to the minute (what the histories keep).
type Counted struct {
	Amount   int64     `json:"amount,omitempty"`
	Category string    `json:"category,omitempty"`
	Currency string    `json:"currency,omitempty"`
	Merchant string    `json:"merchant,omitempty"` // merchant key
	Name     string    `json:"name,omitempty"`     // merchant name as sent (not kept in Recent)
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

// History is the recent amounts of a category or merchant, oldest first,
// at most HistoryLen (MerchantLen for a merchant).
type History struct {
	Name    string  `json:"name,omitempty"`
	Entries []Entry `json:"entries"`
}

// Entry is one transaction in a History: its amount at its posting time
// (to the minute). Entries carry no id: a change removes the entry of the
// same time and amount.
type Entry struct {
	Amount int64     `json:"amount"`
	At     time.Time `json:"at"`
}

func (h *History) amounts() []int64 {
	out := make([]int64, len(h.Entries))
	for i, e := range h.Entries {
		out[i] = e.Amount
	}
	return out
}

func (h *History) remove(e Entry) {
	if i := slices.IndexFunc(h.Entries, func(x Entry) bool { return x.Amount == e.Amount && x.At.Equal(e.At) }); i >= 0 {
		h.Entries = slices.Delete(h.Entries, i, i+1)
	}
}

// add inserts e in event-time order (after entries of the same time) and
// keeps the newest limit entries.
func (h *History) add(e Entry, limit int) {
	i := len(h.Entries)
	for i > 0 && h.Entries[i-1].At.After(e.At) {
		i--
	}
	h.Entries = slices.Insert(h.Entries, i, e)
	if n := len(h.Entries); n > limit {
		h.Entries = slices.Delete(h.Entries, 0, n-limit)
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
		s.Insights = map[string]*Kept{}
	}
}

// location is the user's time zone (the default zone when unset or unknown).
func (s *State) location() *time.Location {
	return period.ZoneOrDefault(s.TimeZone)
}

// SetTimeZone changes the user's time zone for what comes next: the daily
// curves already kept stay in the days of the zone they were counted in
// (the transactions themselves are not kept to re-bucket them).
func (s *State) SetTimeZone(name string) error {
	if _, err := period.Zone(name); err != nil {
		return err
	}
	if name == s.TimeZone {
		return nil
	}
	s.TimeZone = name
	s.Version++
	return nil
}

// recent is the remembered transaction of id, nil when none.
func (s *State) recent(id string) *Applied {
	h := compact.Hash(id)
	for i := len(s.Recent) - 1; i >= 0; i-- {
		if s.Recent[i].Txn == h {
			return &s.Recent[i]
		}
	}
	return nil
}

// Remembers reports whether transaction id is among the Recent ones (a
// record of it may be a duplicate: its processor stores the state again
// anyway, since a redelivery may follow a crash before the changelog write).
func (s *State) Remembers(id string) bool { return s.recent(id) != nil }

// remember records what transaction id counts at version v and keeps the
// newest MaxRecent.
func (s *State) remember(id string, v int64, c Counted) {
	h := compact.Hash(id)
	c.Name = ""
	s.Recent = slices.DeleteFunc(s.Recent, func(a Applied) bool { return a.Txn == h })
	s.Recent = append(s.Recent, Applied{Txn: h, Version: v, Counted: c})
	if n := len(s.Recent); n > MaxRecent {
		s.Recent = slices.Delete(s.Recent, 0, n-MaxRecent)
	}
}

// Current returns the insights that hold at now (not expired), newest
// first (by event time, then id), with their texts.
func (s *State) Current(now time.Time) []event.Insight {
	out := []event.Insight{}
	for id, k := range s.Insights {
		if now.Before(k.ExpiresAt) {
			out = append(out, k.insight(s.UserID, id))
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

// put stores k if its facts differ from the stored insight of its id and
// returns it (with the state's version, its texts rendered) and true; an
// equal insight changes nothing.
func (s *State) put(k Kept) (event.Insight, bool) {
	id := ID(s.UserID, k.Kind, k.Subject, k.PeriodKey)
	if old := s.Insights[id]; old != nil && old.same(k) {
		return event.Insight{}, false
	}
	k.Version = s.Version
	k.Data = maps.Clone(k.Data)
	s.Insights[id] = &k
	return k.insight(s.UserID, id), true
}

// clear forgets insight id, if kept, and returns it marked Cleared (with
// the state's version) for consumers to drop.
func (s *State) clear(id string, at time.Time) (event.Insight, bool) {
	old := s.Insights[id]
	if old == nil {
		return event.Insight{}, false
	}
	delete(s.Insights, id)
	in := old.insight(s.UserID, id)
	in.Cleared, in.Version, in.EventTime = true, s.Version, at
	return in, true
}

// pruneInsights forgets insights expired by at, then the oldest beyond
// MaxInsights.
func (s *State) pruneInsights(at time.Time) {
	for id, k := range s.Insights {
		if !at.Before(k.ExpiresAt) {
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
