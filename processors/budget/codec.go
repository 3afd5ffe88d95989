package budget

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"finstream/processors/category"
	"finstream/processors/event"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"finstream/processors/compact"
	"finstream/processors/period"
)

// stateFormat is the first byte of a binary-encoded State: aggregates
// only. The formats of earlier builds (0xB1, 0xB2: with every transaction;
// '{': JSON) still decode, their transactions dropped (the transaction
// stage's table holds them now).
const (
	stateFormat   byte = 0xB8
	stateFormatV7 byte = 0xB7 // budgets' and the duplicate guard's strings and times in full, its alerts in alertsV1
	stateFormatV6 byte = 0xB6 // builders' ids and merchant names in full
	stateFormatV5 byte = 0xB5 // never released: a format of two branches, not read
	stateFormatV4 byte = 0xB4 // before drops, rollover, pace, builders and recurring merchants
	stateFormatV3 byte = 0xB3 // before invitations
	stateFormatV2 byte = 0xB2
	stateFormatV1 byte = 0xB1
)

// Codec is the goka codec of the finstream-users table: a compact binary
// encoding of State. Decode returns a State value.
type Codec struct {
	// RulesOnly makes Decode return only what the transaction stage looks
	// up on every event (Rules): the user, zone, version, rules and
	// memberships. It reads past the spend buckets without keeping them and
	// stops before the rest. Encode is the same either way. (goka's tester
	// keeps one codec per topic, the last registered, so it must be the
	// same type as the full codec.)
	RulesOnly bool
}

// Encode encodes a State or *State.
func (Codec) Encode(v any) ([]byte, error) {
	switch s := v.(type) {
	case State:
		return s.MarshalBinary()
	case *State:
		return s.MarshalBinary()
	}
	return nil, fmt.Errorf("budget codec: cannot encode %T", v)
}

// Decode decodes what Encode wrote (or the formats of earlier builds).
func (c Codec) Decode(b []byte) (any, error) {
	var s State
	if c.RulesOnly {
		err := s.unmarshalRules(b)
		return s, err
	}
	err := s.UnmarshalBinary(b)
	return s, err
}

// unmarshalRules decodes the head and the memberships of what
// MarshalBinary wrote (Codec.RulesOnly). An earlier build's value decodes
// in full, and keeps the same fields.
func (s *State) unmarshalRules(b []byte) error {
	if len(b) == 0 || b[0] != stateFormat {
		var full State
		if err := full.UnmarshalBinary(b); err != nil {
			return err
		}
		*s = State{UserID: full.UserID, TimeZone: full.TimeZone, Version: full.Version, Rules: full.Rules, Memberships: full.Memberships}
		return nil
	}
	r, err := s.head(b)
	if err != nil {
		return err
	}
	readBudgets(r) // a few; the spend buckets are the bulk
	skipSpend(r)
	s.readShared(r)
	if r.err != nil {
		return fmt.Errorf("budget state of %q: %w", s.UserID, r.err)
	}
	return nil
}

// MarshalBinary encodes the state.
func (s *State) MarshalBinary() ([]byte, error) {
	// Sized for the typical value (a few budgets with their largest
	// transactions, the recurring merchants): one allocation, not four.
	w := writer{b: make([]byte, 0, 1024+320*len(s.Budgets)+48*len(s.Recurring))}
	w.b = append(w.b, stateFormat)
	w.str(s.UserID)
	w.str(s.TimeZone)
	w.int(s.Version)
	w.uint(len(s.Rules))
	for k, v := range s.Rules {
		w.str(k)
		w.str(v)
	}
	w.uint(len(s.Budgets))
	for _, b := range s.Budgets {
		code(&w, b.Category, slugs)
		code(&w, string(b.Period), periodKinds)
		w.interned(b.Currency)
		w.int(b.LimitMinor)
		w.uint(len(b.ThresholdsBP))
		for _, t := range b.ThresholdsBP {
			w.int(t)
		}
		w.int(b.Version)
		writePlan(&w, b)
	}
	writeSpend(&w, s.Spend)
	s.writeShared(&w)
	w.str(s.LatestMonth)
	w.str(s.LatestWeek)
	w.uint(len(s.Marks))
	for _, m := range s.Marks {
		w.int(int64(m.Stream))
		w.int(int64(m.Partition))
		w.int(m.Offset)
	}
	w.uint(len(s.Recent))
	for _, r := range s.Recent {
		w.prefixed(r.TxnID)
		w.int(r.Seq)
		w.str(string(r.Alerts))
	}
	s.writeInvitations(&w)
	w.uint(len(s.Drops))
	for _, d := range s.Drops {
		w.str(d.Key)
		w.int(d.ThresholdBP)
		w.int(d.Count)
	}
	writeRecurring(&w, s.Recurring)
	s.writeTicks(&w)
	return w.b, nil
}

// head decodes the format byte, user id, zone, version and rules, and
// returns the reader positioned after them.
func (s *State) head(b []byte) (*reader, error) {
	*s = State{}
	if len(b) == 0 {
		return &reader{}, nil
	}
	if b[0] != stateFormat && b[0] != stateFormatV7 && b[0] != stateFormatV6 && b[0] != stateFormatV4 && b[0] != stateFormatV3 && b[0] != stateFormatV2 && b[0] != stateFormatV1 {
		return nil, fmt.Errorf("budget state: unknown format byte 0x%02x", b[0])
	}
	r := &reader{b: b[1:], v1: b[0] == stateFormatV1, old: b[0] == stateFormatV2 || b[0] == stateFormatV1, v3: b[0] == stateFormatV3,
		pre6: b[0] != stateFormat && b[0] != stateFormatV7 && b[0] != stateFormatV6,
		pre7: b[0] != stateFormat && b[0] != stateFormatV7, pre8: b[0] != stateFormat}
	s.UserID = r.str()
	s.TimeZone = r.str()
	s.Version = r.int()
	if n := r.len(); n > 0 {
		s.Rules = make(map[string]string, n)
		for range n {
			k := r.str()
			s.Rules[k] = r.str()
		}
	}
	return r, r.err
}

// UnmarshalBinary decodes what MarshalBinary wrote, an earlier build's
// binary format (its transactions dropped), or JSON.
func (s *State) UnmarshalBinary(b []byte) error {
	if len(b) > 0 && b[0] == '{' {
		*s = State{}
		if err := json.Unmarshal(b, s); err != nil {
			return err
		}
		return nil
	}
	r, err := s.head(b)
	if err != nil || len(b) == 0 {
		return err
	}
	s.Budgets = readBudgets(r)
	if r.old {
		if n := r.len(); n > 0 {
			s.Spend = make(map[string]int64, n)
			for range n {
				k := r.str()
				s.Spend[k] = r.int()
			}
		}
	} else {
		s.Spend = readSpend(r)
	}
	if r.old {
		return s.readOld(r)
	}
	s.readShared(r)
	s.LatestMonth = r.str()
	s.LatestWeek = r.str()
	if n := r.len(); n > 0 {
		s.Marks = make([]Mark, n)
		for i := range s.Marks {
			s.Marks[i] = Mark{Stream: int32(r.int()), Partition: int32(r.int()), Offset: r.int()}
		}
	}
	if n := r.len(); n > 0 {
		s.Recent = make([]Seen, n)
		for i := range s.Recent {
			if r.pre8 {
				s.Recent[i].TxnID = r.str()
			} else {
				s.Recent[i].TxnID = r.prefixed()
			}
			s.Recent[i].Seq = r.int()
			if a := r.str(); a != "" {
				s.Recent[i].Alerts = []byte(a)
			}
			if r.pre8 && r.err == nil {
				s.Recent[i].Alerts = recodeAlerts(s.Recent[i].Alerts, s.UserID, s.Recent[i].TxnID)
			}
		}
	}
	if !r.v3 {
		s.readInvitations(r)
	}
	if !r.pre6 {
		if n := r.len(); n > 0 {
			s.Drops = make(Drops, n)
			for i := range s.Drops {
				s.Drops[i] = Drop{Key: r.str(), ThresholdBP: r.int(), Count: r.int()}
			}
		}
		s.Recurring = readRecurring(r)
		s.readTicks(r) // an optional trailer
	}
	return s.done(r)
}

func readBudgets(r *reader) map[string]*Budget {
	n := r.len()
	if n == 0 {
		return nil
	}
	budgets := make(map[string]*Budget, n)
	for range n {
		bd := &Budget{}
		if r.pre8 {
			bd.Category, bd.Period, bd.Currency = r.str(), period.Kind(r.str()), r.str()
		} else {
			bd.Category, bd.Period, bd.Currency = decode(r, slugs), period.Kind(decode(r, periodKinds)), r.interned8()
		}
		bd.LimitMinor = r.int()
		if m := r.len(); m > 0 {
			bd.ThresholdsBP = make([]int64, m)
			for i := range bd.ThresholdsBP {
				bd.ThresholdsBP[i] = r.int()
			}
		}
		bd.Version = r.int()
		if !r.pre6 {
			readPlan(r, bd)
		}
		budgets[bd.Category] = bd
	}
	return budgets
}

func (s *State) done(r *reader) error {
	if r.err != nil {
		return fmt.Errorf("budget state of %q: %w", s.UserID, r.err)
	}
	if len(r.b) != 0 {
		return fmt.Errorf("budget state of %q: %d trailing bytes", s.UserID, len(r.b))
	}
	return nil
}

// readOld reads the rest of an earlier build's value: its transactions
// (skipped), memberships and shared routes (routes skipped), latest month.
func (s *State) readOld(r *reader) error {
	for n := r.len(); n > 0; n-- {
		r.str() // id
		r.skipTxn()
	}
	if r.err == nil && len(r.b) > 0 {
		if n := r.len(); n > 0 {
			s.Memberships = make(map[string]*Membership, n)
			for range n {
				id := r.str()
				m := &Membership{BudgetID: r.str(), Name: r.str(), Role: r.str(), Category: r.str(), Currency: r.str(), Period: r.str()}
				m.Since = r.time()
				s.Memberships[id] = m
			}
		}
		for n := r.len(); n > 0; n-- {
			r.str()
			r.int()
			for k := r.len(); k > 0; k-- {
				r.str()
			}
			r.int()
			r.str()
			r.str()
			r.str()
			r.time()
		}
	}
	if r.err == nil && len(r.b) > 0 {
		s.LatestMonth = r.str()
	}
	return s.done(r)
}

type writer struct {
	b    []byte
	seen compact.Strings // what interned wrote
	prev string          // what prefixed wrote last
}

func (w *writer) uint(n int)      { w.b = binary.AppendUvarint(w.b, uint64(n)) }
func (w *writer) int(n int64)     { w.b = binary.AppendVarint(w.b, n) }
func (w *writer) str(s string)    { w.uint(len(s)); w.b = append(w.b, s...) }
func (w *writer) float(f float64) { w.b = binary.LittleEndian.AppendUint64(w.b, math.Float64bits(f)) }
func (w *writer) bool(v bool) {
	if v {
		w.b = append(w.b, 1)
	} else {
		w.b = append(w.b, 0)
	}
}

// time writes 0 for the zero time, else 1 + Unix nanoseconds + zone offset
// (the location's name is not kept: transaction times are instants).
func (w *writer) time(t time.Time) {
	if t.IsZero() {
		w.b = append(w.b, 0)
		return
	}
	w.b = append(w.b, 1)
	w.int(t.UnixNano())
}

var errShort = errors.New("truncated")

type reader struct {
	b   []byte
	err error
	v1  bool // stateFormatV1: no Txn.Fired
	v3  bool // stateFormatV3: no invitations
	// pre6: before stateFormatV6 (0xB6): no drops, rollover, pace, builders,
	// recurring merchants or ticks
	pre6 bool
	old  bool // an earlier build's format (V1, V2)
	// pre7: before stateFormat (0xB7): builders' ids and recurring
	// merchants' names in full
	pre7 bool
	// pre8: before stateFormat (0xB8): budgets' category, period and
	// currency, their period keys, builders' and recurring merchants' times
	// and currencies, the duplicate guard's transaction ids in full, its
	// alerts in alertsV1
	pre8  bool
	names compact.Strings // what interned read
	prev  string          // what prefixed read last
}

func (r *reader) fail() {
	if r.err == nil {
		r.err = errShort
	}
	r.b = nil
}

func (r *reader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) len() int {
	v := r.uvarint()
	if v > uint64(len(r.b)) { // every element takes at least a byte
		r.fail()
		return 0
	}
	return int(v)
}

func (r *reader) int() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) str() string {
	n := r.len()
	if r.err != nil {
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

// skip reads past a string.
func (r *reader) skip() {
	n := r.len()
	if r.err == nil {
		r.b = r.b[n:]
	}
}

func (r *reader) byte() byte {
	if len(r.b) == 0 {
		r.fail()
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *reader) float() float64 {
	if len(r.b) < 8 {
		r.fail()
		return 0
	}
	f := math.Float64frombits(binary.LittleEndian.Uint64(r.b))
	r.b = r.b[8:]
	return f
}

func (r *reader) time() time.Time {
	if r.byte() == 0 {
		return time.Time{}
	}
	return time.Unix(0, r.int()).UTC()
}

// skipTxn reads past one transaction of an earlier build's value.
func (r *reader) skipTxn() {
	r.int()
	r.int()
	for range 10 {
		r.str()
	}
	r.int()
	r.int()
	r.time()
	r.time()
	r.byte()
	r.str()
	r.str()
	r.float()
	r.int()
	for range 4 {
		r.str()
	}
	r.int()
	if !r.v1 {
		r.str()
	}
}

// writeSpend writes the spend buckets grouped by period, each bucket as a
// category code (its index among the slugs, or its name), a currency code
// (an index into the value's own list of currencies) and the amount: about
// six bytes a bucket instead of the key's twenty.
func writeSpend(w *writer, spend map[string]int64) {
	// This runs on every event: one pass that finds the periods (a handful)
	// and the currencies by a linear scan, then the buckets written period
	// by period, without a map of periods or a sort of the buckets.
	type bucketOf struct {
		period, cur int
		cat         string
		v           int64
	}
	bs := make([]bucketOf, 0, len(spend))
	var periods, curs []string
	for k, v := range spend {
		p, cat, cur, ok := splitBucket(k)
		if !ok {
			continue
		}
		pi, ci := slices.Index(periods, p), slices.Index(curs, cur)
		if pi < 0 {
			pi, periods = len(periods), append(periods, p)
		}
		if ci < 0 {
			ci, curs = len(curs), append(curs, cur)
		}
		bs = append(bs, bucketOf{pi, ci, cat, v})
	}
	w.uint(len(curs))
	for _, c := range curs {
		w.str(c)
	}
	order := make([]int, len(periods)) // period indexes in key order
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return strings.Compare(periods[a], periods[b]) })
	counts := make([]int, len(periods))
	for _, b := range bs {
		counts[b.period]++
	}
	w.uint(len(periods))
	for _, pi := range order {
		w.str(periods[pi])
		w.uint(counts[pi])
		for _, b := range bs {
			if b.period != pi {
				continue
			}
			if c := slices.Index(slugs, b.cat); c >= 0 {
				w.uint(c + 1)
			} else {
				w.uint(0)
				w.str(b.cat)
			}
			w.uint(b.cur)
			w.int(b.v)
		}
	}
}

func readSpend(r *reader) map[string]int64 {
	curs := make([]string, r.len())
	for i := range curs {
		curs[i] = r.str()
	}
	n := r.len()
	if n == 0 || r.err != nil {
		return nil
	}
	// Every key is a substring of one string: two allocations for the keys
	// of a value, not one per bucket (this runs on every event).
	type at struct {
		end int
		v   int64
	}
	keys := make([]byte, 0, 8*24*n) // about 8 buckets of 24 bytes a period
	bs := make([]at, 0, 8*n)
	for range n {
		p := r.str()
		for m := r.len(); m > 0 && r.err == nil; m-- {
			var cat string
			if c := r.len(); c == 0 {
				cat = r.str()
			} else if c <= len(slugs) {
				cat = slugs[c-1]
			} else {
				r.fail()
			}
			ci := r.len()
			if ci >= len(curs) {
				r.fail()
				break
			}
			keys = append(append(append(append(append(keys, p...), '|'), cat...), '|'), curs[ci]...)
			bs = append(bs, at{len(keys), r.int()})
		}
	}
	all := string(keys)
	out := make(map[string]int64, len(bs))
	start := 0
	for _, b := range bs {
		out[all[start:b.end]] = b.v
		start = b.end
	}
	return out
}

// skipSpend reads past what writeSpend wrote, as readSpend reads it,
// keeping nothing.
func skipSpend(r *reader) {
	curs := r.len()
	for range curs {
		r.skip()
	}
	for n := r.len(); n > 0 && r.err == nil; n-- {
		r.skip() // the period
		for m := r.len(); m > 0 && r.err == nil; m-- {
			if c := r.len(); c == 0 {
				r.skip()
			} else if c > len(slugs) {
				r.fail()
			}
			if r.len() >= curs {
				r.fail()
			}
			r.int()
		}
	}
}

// slugs are the category slugs in their documented order: their index is
// their code in the binary format (append only).
var slugs = category.All()

// The alerts one record fired, as the duplicate guard keeps them
// (Seen.Alerts): alertsV2, a 0 byte and then every alert's facts with its
// category as a code and its other strings interned, its time in seconds
// and nanoseconds and its id as the crossing it names; alertsV1 (values
// before 0xB8), the count first (never 0) and every string and time in
// full, the ids after the facts (an earlier build wrote none).
const alertsV2 byte = 0

// Alert id codes of alertsV2: an id the alert's facts do not derive is
// written in full after idInFull; idPace is the period's pace alert;
// idNth+n names the n-th crossing of the threshold (AlertID).
const (
	idInFull = iota
	idPace
	idNth
)

// encodeAlerts encodes the alerts one record of user's fired for the
// duplicate guard (alertsV2). Budget ids and texts are derived again.
func encodeAlerts(user string, alerts []event.Alert) []byte {
	w := writer{b: make([]byte, 0, 48*len(alerts))}
	w.b = append(w.b, alertsV2)
	w.uint(len(alerts))
	for _, a := range alerts {
		code(&w, a.Category, slugs)
		w.interned(a.PeriodKey)
		w.interned(a.Currency)
		w.interned(a.Merchant)
		for _, v := range []int64{a.ThresholdBP, a.UsedBP, a.SpentMinor, a.LimitMinor, a.RemainingMinor, a.DaysLeft} {
			w.int(v)
		}
		w.instant(a.EventTime)
		switch nth, ok := crossing(user, a); {
		case ok:
			w.uint(idNth + int(nth))
		case a.ThresholdBP == 0 && a.AlertID == paceAlertID(user, a.Category, a.PeriodKey):
			w.uint(idPace)
		default:
			w.uint(idInFull)
			w.str(a.AlertID)
		}
	}
	return w.b
}

// crossing is the n of an alert whose id is AlertID(user, its category,
// period, threshold, n).
func crossing(user string, a event.Alert) (int64, bool) {
	prefix := AlertID(user, a.Category, a.PeriodKey, a.ThresholdBP, 0)
	prefix = prefix[:len(prefix)-1] // without the "0"
	rest, ok := strings.CutPrefix(a.AlertID, prefix)
	if !ok || rest == "" || (len(rest) > 1 && rest[0] == '0') {
		return 0, false
	}
	var n int64
	for _, c := range rest {
		if c < '0' || c > '9' || n > (1<<31) {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

// instant writes a time as its nanoseconds + 1 and its Unix seconds, the
// zero time as 0 (compact.Writer.Instant's form).
func (w *writer) instant(t time.Time) {
	if t.IsZero() {
		w.uint(0)
		return
	}
	w.uint(t.Nanosecond() + 1)
	w.int(t.Unix())
}

func (r *reader) instant() time.Time {
	ns := r.uvarint()
	switch {
	case ns == 0:
		return time.Time{}
	case ns > 1e9:
		r.fail()
		return time.Time{}
	}
	return time.Unix(r.int(), int64(ns-1)).UTC()
}

// decodeAlerts decodes what encodeAlerts wrote for the alerts of user's
// transaction txnID, or alertsV1 (a build's without ids gets the ids that
// build gave them).
func decodeAlerts(b []byte, userID, txnID string) ([]event.Alert, error) {
	if len(b) == 0 || b[0] != alertsV2 {
		return decodeAlertsV1(b, userID, txnID)
	}
	r := &reader{b: b[1:]}
	out := make([]event.Alert, r.len())
	for i := range out {
		a := event.Alert{UserID: userID, TxnID: txnID, Category: decode(r, slugs), PeriodKey: r.interned(), Currency: r.interned(), Merchant: r.interned()}
		for _, p := range []*int64{&a.ThresholdBP, &a.UsedBP, &a.SpentMinor, &a.LimitMinor, &a.RemainingMinor, &a.DaysLeft} {
			*p = r.int()
		}
		a.EventTime = r.instant()
		a.BudgetID = BudgetID(userID, a.Category)
		a.Text, a.Kind = AlertText(a.Category, a.UsedBP, a.RemainingMinor, a.Currency, a.DaysLeft), event.AlertThreshold
		if a.ThresholdBP == 0 {
			a.Kind = event.AlertPace
		}
		switch id := r.uvarint(); id {
		case idInFull:
			a.AlertID = r.str()
		case idPace:
			a.AlertID = paceAlertID(userID, a.Category, a.PeriodKey)
		default:
			a.AlertID = AlertID(userID, a.Category, a.PeriodKey, a.ThresholdBP, int64(id-idNth))
		}
		out[i] = a
	}
	if r.err == nil && len(r.b) > 0 {
		r.err = fmt.Errorf("%d trailing bytes", len(r.b))
	}
	if r.err != nil {
		return nil, fmt.Errorf("duplicate guard's alerts: %w", r.err)
	}
	return out, nil
}

// recodeAlerts turns what an earlier build kept (alertsV1) into
// alertsV2; what does not decode is kept as it was (decodeAlerts reads
// both).
func recodeAlerts(b []byte, userID, txnID string) []byte {
	if len(b) == 0 || b[0] == alertsV2 {
		return b
	}
	alerts, err := decodeAlertsV1(b, userID, txnID)
	if err != nil || len(alerts) == 0 {
		return b
	}
	return encodeAlerts(userID, alerts)
}

// decodeAlertsV1 decodes alertsV1.
func decodeAlertsV1(b []byte, userID, txnID string) ([]event.Alert, error) {
	r := &reader{b: b}
	out := make([]event.Alert, r.len())
	for i := range out {
		a := event.Alert{UserID: userID, TxnID: txnID, Category: r.str(), PeriodKey: r.str(), Currency: r.str(), Merchant: r.str()}
		for _, p := range []*int64{&a.ThresholdBP, &a.UsedBP, &a.SpentMinor, &a.LimitMinor, &a.RemainingMinor, &a.DaysLeft} {
			*p = r.int()
		}
		a.EventTime = r.time()
		a.BudgetID = BudgetID(userID, a.Category)
		a.AlertID = legacyAlertID(userID, a.Category, a.PeriodKey, a.ThresholdBP, txnID)
		a.Text, a.Kind = AlertText(a.Category, a.UsedBP, a.RemainingMinor, a.Currency, a.DaysLeft), event.AlertThreshold
		if a.ThresholdBP == 0 {
			a.Kind, a.AlertID = event.AlertPace, paceAlertID(userID, a.Category, a.PeriodKey)
		}
		out[i] = a
	}
	if len(r.b) > 0 {
		for i := range out {
			out[i].AlertID = r.str()
		}
	}
	if r.err != nil {
		return nil, r.err
	}
	return out, nil
}
