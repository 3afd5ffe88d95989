package insight

import (
	"encoding/json"
	"fmt"
	"maps"
	"math/bits"
	"slices"
	"strings"
	"time"

	"finstream/processors/category"
	"finstream/processors/compact"
	"finstream/processors/event"
	"finstream/processors/period"
)

// stateFormat is the first byte of a binary-encoded State. Format 0xA3
// writes what 0xA2 does, shorter: personal budgets' ids as their category's
// code, the months of curves and last days as the step from the month
// before, curves' currencies and histories' names and merchant keys
// interned, recent
// transactions' times as the step from the one before, and insights'
// versions as their distance from the state's, their event times as the
// step from the insight before and their expiry from their event time.
// stateFormatV2 (0xA2) writes insights' kinds and severities as codes, the
// strings an insight shares with others (subject, period, currency, name,
// basis) and those of the recent transactions interned, and the budgets'
// and insights' times to the nanosecond (Instant), histories' currencies
// interned; stateFormatV1 (0xA1), those strings and times in full. Both
// still decode. A value starting with '{' is the JSON of earlier
// builds: its summaries and insights are read (its transactions are not:
// later changes of them count as first changes, see ApplyCategorized).
const (
	stateFormat   byte = 0xA3
	stateFormatV2 byte = 0xA2
	stateFormatV1 byte = 0xA1
)

// Codec is the goka codec of the finstream-insights table: State in a
// compact binary form (maps in key order, histories delta-coded, daily
// curves sparse, insights without their texts). Times decode in UTC.
// Decode returns a State value.
type Codec = compact.Codec[State, *State]

// dataKeys are the keys of insights' Data, written as their index + 1 (0
// then a string for a key not listed). Append only: indexes are stored.
var dataKeys = []string{
	"used_bp", "spent_minor", "limit_minor", "remaining_minor", "days_left", "daily_allowance_minor",
	"avg_daily_minor", "days_elapsed", "period_days", "run_out_day", "run_out_in_days",
	"baseline_minor", "ratio_bp", "day", "amount_minor", "median_minor", "mad_minor", "z_x100",
	"history_n", "count", "cadence_days", "safe_to_spend_minor", "commitments_minor", "budgets",
}

// kinds and severities are written as their index + 1 (0 then a string
// for another). Append only.
var (
	kinds      = []string{event.InsightBudgetUsage, event.InsightRemaining, event.InsightRunway, event.InsightSpike, event.InsightUnusual, event.InsightRecurring, event.InsightSafeToSpend}
	severities = []string{event.SeverityInfo, event.SeverityWarning, event.SeverityCritical}
)

// MarshalBinary encodes the state.
func (s *State) MarshalBinary() ([]byte, error) {
	w := &compact.Writer{B: make([]byte, 0, 2048)}
	w.Byte(stateFormat)
	for _, f := range []string{s.UserID, s.TimeZone, s.LatestMonth, s.FirstMonth} {
		w.Str(f)
	}
	w.Int(s.Version)
	w.Len(len(s.Budgets))
	for _, id := range slices.Sorted(maps.Keys(s.Budgets)) {
		b := s.Budgets[id]
		writeBudgetID(w, s.UserID, id)
		w.Int(b.Version)
		w.Instant(b.MaxEventTime)
		w.Instant(b.PeriodStart)
	}
	w.Len(len(s.Recent))
	var at int64 // the minute of the transaction before
	for _, a := range s.Recent {
		w.Fixed64(a.Txn)
		w.Int(a.Version)
		w.Int(a.Amount)
		writeCategory(w, a.Category)
		w.Interned(a.Currency)
		w.Interned(a.Merchant)
		m := minutes(a.PostedAt)
		w.Int(m - at)
		at = m
	}
	w.Len(len(s.Curves))
	var month months // the curves' keys are sorted: their months ascend
	for _, k := range slices.Sorted(maps.Keys(s.Curves)) {
		c := s.Curves[k]
		writeCurveKey(w, &month, k)
		var mask uint64
		for d, v := range c.Daily {
			if v != 0 {
				mask |= 1 << d
			}
		}
		w.Uint(mask)
		for _, v := range c.Daily {
			if v != 0 {
				w.Int(v)
			}
		}
	}
	w.Len(len(s.LastDay))
	month = months{}
	for _, m := range slices.Sorted(maps.Keys(s.LastDay)) {
		month.write(w, m)
		w.Int(int64(s.LastDay[m]))
	}
	writeHistories(w, s.Categories, categoryKey)
	writeHistories(w, s.Merchants, merchantKey)
	w.Len(len(s.Insights))
	var event int64 // the event time of the insight before, Unix seconds
	for _, id := range slices.Sorted(maps.Keys(s.Insights)) {
		writeKept(w, s.Insights[id], s.Version, &event)
	}
	return w.B, nil
}

// UnmarshalBinary decodes what MarshalBinary wrote, or the JSON of earlier
// builds.
func (s *State) UnmarshalBinary(b []byte) error {
	*s = State{}
	if len(b) > 0 && b[0] == '{' {
		return s.fromJSON(b)
	}
	if len(b) == 0 || (b[0] != stateFormat && b[0] != stateFormatV2 && b[0] != stateFormatV1) {
		return fmt.Errorf("insight state: %w: unknown format", compact.ErrCorrupt)
	}
	r := &reader{Reader: compact.NewReader(b[1:]), v1: b[0] == stateFormatV1, pre3: b[0] != stateFormat}
	s.UserID, s.TimeZone, s.LatestMonth, s.FirstMonth = r.Str(), r.Str(), r.Str(), r.Str()
	s.Version = r.Int()
	s.init()
	for n := r.Len(); n > 0; n-- {
		id := r.budgetID(s.UserID)
		s.Budgets[id] = &BudgetSeen{Version: r.Int(), MaxEventTime: r.time(), PeriodStart: r.time()}
	}
	var at int64
	for n := r.Len(); n > 0; n-- {
		a := Applied{Txn: r.Fixed64(), Version: r.Int()}
		a.Amount, a.Category, a.Currency, a.Merchant = r.Int(), readCategory(r.Reader), r.str(), r.str()
		if m := r.Int(); r.pre3 {
			a.PostedAt = fromMinutes(m)
		} else {
			at += m
			a.PostedAt = fromMinutes(at)
		}
		s.Recent = append(s.Recent, a)
	}
	// The curves of a value in one allocation (a value holds a few dozen
	// of 248 bytes each, decoded on every event).
	curves := make([]Curve, min(r.Len(), maxHistories))
	var month months
	for i := range curves {
		k := r.curveKey(&month)
		c := &curves[i]
		mask := r.Uint()
		if bits.Len64(mask) > len(c.Daily) {
			return fmt.Errorf("insight state: %w: curve %q has a day beyond 31", compact.ErrCorrupt, k)
		}
		for d := range c.Daily {
			if mask&(1<<d) != 0 {
				c.Daily[d] = r.Int()
			}
		}
		s.Curves[k] = c
	}
	month = months{}
	for n := r.Len(); n > 0; n-- {
		m := r.month(&month)
		s.LastDay[m] = int(r.Int())
	}
	readHistories(r, s.Categories, categoryKey)
	readHistories(r, s.Merchants, merchantKey)
	var event int64
	for n := r.Len(); n > 0; n-- {
		k := readKept(r, s.Version, &event)
		s.Insights[ID(s.UserID, k.Kind, k.Subject, k.PeriodKey)] = k
	}
	if err := r.Done(); err != nil {
		return fmt.Errorf("insight state: %w", err)
	}
	return nil
}

// minutes is t in Unix minutes (histories keep times to the minute).
func minutes(t time.Time) int64 { return t.Unix() / 60 }

func fromMinutes(m int64) time.Time { return time.Unix(m*60, 0).UTC() }

// writeHistories writes each history (its key with keys, its name) and its
// entries oldest first, each time as the minutes since the previous entry.
func writeHistories(w *compact.Writer, hs map[string]*History, keys historyKey) {
	w.Len(len(hs))
	for _, k := range slices.Sorted(maps.Keys(hs)) {
		h := hs[k]
		w.Interned(h.Name)
		keys.write(w, k, h.Name)
		w.Len(len(h.Entries))
		var last int64
		for _, e := range h.Entries {
			m := minutes(e.At)
			w.Int(m - last)
			w.Int(e.Amount)
			last = m
		}
	}
}

// maxHistories bounds the curves and histories a value's count may claim
// (a corrupt count must not allocate gigabytes; more than it decodes as
// trailing bytes): months × categories × currencies, or MaxMerchants,
// with room to spare.
const maxHistories = 1024

func readHistories(r *reader, hs map[string]*History, keys historyKey) {
	all := make([]History, min(r.Len(), maxHistories))
	for i := range all {
		h := &all[i]
		h.Name = r.name()
		k := keys.read(r, h.Name)
		var last int64
		m := r.Len()
		h.Entries = make([]Entry, 0, min(m, HistoryLen))
		for ; m > 0; m-- {
			last += r.Int()
			h.Entries = append(h.Entries, Entry{At: fromMinutes(last), Amount: r.Int()})
		}
		hs[k] = h
	}
}

// reader reads stateFormat, or (pre3) stateFormatV2, or (v1 and pre3)
// stateFormatV1.
type reader struct {
	*compact.Reader
	v1, pre3 bool
}

// name reads a history's name: interned, or (before 0xA3) a string.
func (r *reader) name() string {
	if r.pre3 {
		return r.Str()
	}
	return r.Interned()
}

// str reads an interned string (v1: a string).
func (r *reader) str() string {
	if r.v1 {
		return r.Str()
	}
	return r.Interned()
}

// time reads an Instant (v1: a Time).
func (r *reader) time() time.Time {
	if r.v1 {
		return r.Time()
	}
	return r.Instant()
}

// code reads a code of list (v1: a string).
func (r *reader) code(list []string) string {
	if r.v1 {
		return r.Str()
	}
	return readCode(r.Reader, list, "")
}

// writeKept writes k: its version as the distance from the state's
// version, its event time as the step from event (the event time of the
// insight written before, in Unix seconds, which it updates: a zero event
// time leaves it) and its expiry as the step from event then.
func writeKept(w *compact.Writer, k *Kept, version int64, event *int64) {
	writeCode(w, k.Kind, kinds)
	writeCode(w, k.Severity, severities)
	for _, f := range []string{k.Subject, k.PeriodKey, k.Currency} {
		w.Interned(f)
	}
	w.Date(k.Date)
	w.Len(len(k.Data))
	for _, key := range slices.Sorted(maps.Keys(k.Data)) {
		if i := slices.Index(dataKeys, key); i >= 0 {
			w.Len(i + 1)
		} else {
			w.Len(0)
			w.Str(key)
		}
		w.Int(k.Data[key])
	}
	w.Int(version - k.Version)
	w.InstantFrom(k.EventTime, *event)
	if !k.EventTime.IsZero() {
		*event = k.EventTime.Unix()
	}
	w.InstantFrom(k.ExpiresAt, *event)
	w.Interned(k.Name)
	w.Interned(k.Basis)
}

func readKept(r *reader, version int64, event *int64) *Kept {
	k := &Kept{Kind: r.code(kinds), Severity: r.code(severities), Subject: r.str(), PeriodKey: r.str(), Currency: r.str(), Date: r.Date()}
	if n := r.Len(); n > 0 {
		k.Data = make(map[string]int64, n)
		for ; n > 0; n-- {
			var key string
			if i := r.Uint(); i == 0 { // a code, not a length: it may exceed the bytes left
				key = r.Str()
			} else if i <= uint64(len(dataKeys)) {
				key = dataKeys[i-1]
			} else {
				key = fmt.Sprintf("key%d", i) // a key of a later build
			}
			k.Data[key] = r.Int()
		}
	}
	k.Version = r.Int()
	if r.pre3 {
		k.ExpiresAt, k.EventTime = r.time(), r.time()
	} else {
		k.Version = version - k.Version
		k.EventTime = r.InstantFrom(*event)
		if !k.EventTime.IsZero() {
			*event = k.EventTime.Unix()
		}
		k.ExpiresAt = r.InstantFrom(*event)
	}
	k.Name = r.str()
	k.Basis = r.str()
	return k
}

// fromJSON reads the JSON state of earlier builds, whose fields have the
// names of State's (Kept's for its insights, which it kept with their
// texts and a cleared flag).
func (s *State) fromJSON(b []byte) error {
	var old struct {
		Insights map[string]struct {
			Cleared bool `json:"cleared"`
		} `json:"insights"`
	}
	if err := json.Unmarshal(b, s); err != nil {
		return fmt.Errorf("insight state (json): %w", err)
	}
	if err := json.Unmarshal(b, &old); err != nil {
		return fmt.Errorf("insight state (json): %w", err)
	}
	for id, in := range old.Insights {
		if in.Cleared {
			delete(s.Insights, id)
		}
	}
	return nil
}

// writeCategory writes a category slug as its index in category.All() + 1,
// or 0 and the string for another.
func writeCategory(w *compact.Writer, slug string) { writeCode(w, slug, slugs) }

// readCategory reads what writeCategory wrote ("other" for a code of a
// later build).
func readCategory(r *compact.Reader) string { return readCode(r, slugs, "other") }

// writeCode writes v as its index in list + 1, or 0 and v for another.
func writeCode(w *compact.Writer, v string, list []string) {
	if i := slices.Index(list, v); i >= 0 {
		w.Len(i + 1)
		return
	}
	w.Len(0)
	w.Str(v)
}

// readCode reads what writeCode wrote: later for a code beyond list (of a
// later build).
func readCode(r *compact.Reader, list []string, later string) string {
	i := r.Uint() // a code, not a length: it may exceed the bytes left
	if i == 0 {
		return r.Str()
	}
	if i > uint64(len(list)) {
		return later
	}
	return list[i-1]
}

var slugs = category.All()

// writeMonth writes a month key "2026-11" as year·12 + month (0 and the
// string for another key).
func writeMonth(w *compact.Writer, m string) {
	y, mo, ok := period.ParseMonth(m)
	if !ok {
		w.Uint(0)
		w.Str(m)
		return
	}
	w.Uint(uint64(y*12 + int(mo)))
}

func readMonth(r *compact.Reader) string {
	n := r.Uint()
	if n == 0 {
		return r.Str()
	}
	return period.MonthKey(int((n-1)/12), time.Month((n-1)%12+1))
}

// months writes and reads months in ascending order (sorted keys) as the
// step from the month before: 0 then the string for a key that is not a
// month or comes before the one before, 1 + the step for another.
type months struct{ last int }

func (m *months) write(w *compact.Writer, key string) {
	y, mo, ok := period.ParseMonth(key)
	n := y*12 + int(mo) - 1
	if !ok || n < m.last {
		w.Uint(0)
		w.Str(key)
		return
	}
	w.Uint(uint64(n-m.last) + 1)
	m.last = n
}

// month reads a month: as months wrote it, or (before 0xA3) as writeMonth
// did.
func (r *reader) month(m *months) string {
	if r.pre3 {
		return readMonth(r.Reader)
	}
	step := r.Uint()
	if step == 0 {
		return r.Str()
	}
	if step > 1<<20 { // beyond the year 87,000: not a value this build wrote
		r.Fail("insight month")
		return ""
	}
	m.last += int(step - 1)
	return period.MonthKey(m.last/12, time.Month(m.last%12+1))
}

// writeCurveKey writes "<month>|<category>|<currency>", the currency
// interned.
func writeCurveKey(w *compact.Writer, m *months, k string) {
	month, rest, _ := strings.Cut(k, "|")
	cat, cur, _ := strings.Cut(rest, "|")
	m.write(w, month)
	writeCategory(w, cat)
	w.Interned(cur)
}

func (r *reader) curveKey(m *months) string {
	month := r.month(m)
	cat := readCategory(r.Reader)
	if r.pre3 {
		return month + "|" + cat + "|" + r.Str()
	}
	return month + "|" + cat + "|" + r.Interned()
}

// writeBudgetID writes a personal budget's id "<user>:<category>" as its
// category's code + 1, another id as 0 and the id.
func writeBudgetID(w *compact.Writer, user, id string) {
	if rest, ok := strings.CutPrefix(id, user); ok && strings.HasPrefix(rest, ":") { // no concatenation on every event
		if i := slices.Index(slugs, rest[1:]); i >= 0 {
			w.Uint(uint64(i) + 1)
			return
		}
	}
	w.Uint(0)
	w.Str(id)
}

// budgetID reads what writeBudgetID wrote (before 0xA3, a string).
func (r *reader) budgetID(user string) string {
	if r.pre3 {
		return r.Str()
	}
	c := r.Uint()
	switch {
	case c == 0:
		return r.Str()
	case c > uint64(len(slugs)):
		r.Fail("insight budget id")
		return ""
	}
	return user + ":" + slugs[c-1]
}

// historyKey writes and reads the key of a history ("<category>|<currency>"
// or "<merchant key>|<currency>") given its name.
type historyKey struct {
	write func(w *compact.Writer, key, name string)
	read  func(r *reader, name string) string
}

var categoryKey = historyKey{
	write: func(w *compact.Writer, key, _ string) {
		cat, cur := splitKey(key)
		writeCategory(w, cat)
		w.Interned(cur)
	},
	read: func(r *reader, _ string) string { return readCategory(r.Reader) + "|" + r.str() },
}

// merchantKey leaves out the merchant key when it is the normalized name.
var merchantKey = historyKey{
	write: func(w *compact.Writer, key, name string) {
		m, cur := splitKey(key)
		w.Interned(cur)
		if m == category.MerchantKey("", name) {
			m = ""
		}
		w.Interned(m) // the recent transactions wrote the keys they share
	},
	read: func(r *reader, name string) string {
		cur, m := r.str(), r.name()
		if m == "" {
			m = category.MerchantKey("", name)
		}
		return m + "|" + cur
	},
}

// splitKey splits "<key>|<currency>" at its last "|".
func splitKey(k string) (key, cur string) {
	if i := strings.LastIndex(k, "|"); i >= 0 {
		return k[:i], k[i+1:]
	}
	return k, ""
}
