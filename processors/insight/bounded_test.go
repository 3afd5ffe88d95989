package insight

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"finstream/processors/compact"
	"finstream/processors/event"
)

func encode(t *testing.T, s *State) []byte {
	t.Helper()
	b, err := Codec{}.Encode(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// history is a deterministic user, a transaction every gap to gap+spread
// hours:
// groceries at three stores, dining at six places, rides, shopping at many
// shops seen once or twice, two monthly subscriptions and a monthly bill,
// with a reversal now and then; the groceries and dining budgets' updates
// follow each purchase in their category.
type history struct {
	gap    int
	spread int
	rng    *rand.Rand
	at     time.Time
	n      int
	spent  map[string]int64 // category|month → spent
	budget map[string]int64 // category → version
	last   []event.Categorized
}

func newHistory(gap, spread int) *history {
	return &history{gap: gap, spread: spread, rng: rand.New(rand.NewPCG(7, 9)), at: time.Date(2024, 9, 1, 8, 0, 0, 0, bkk),
		spent: map[string]int64{}, budget: map[string]int64{}}
}

// next returns the records of the next transaction (its categorized record,
// then a budget update or a reversal of an earlier one, if any).
func (h *history) next() []any {
	h.n++
	h.at = h.at.Add(time.Duration(h.gap+h.rng.IntN(h.spread)) * time.Hour)
	pick := func(names ...string) string { return names[h.rng.IntN(len(names))] }
	var c event.Categorized
	due := func(d int) time.Time { return time.Date(h.at.Year(), h.at.Month(), d, 7, 0, 0, 0, bkk) }
	switch r := h.rng.IntN(100); {
	case !due(5).After(h.at) && !h.paid("Netflix"): // charged on the 5th, posted then
		c = txn("", "subscriptions", "Netflix", 419, due(5))
	case !due(12).After(h.at) && !h.paid("Spotify"):
		c = txn("", "subscriptions", "Spotify", 149, due(12))
	case !due(20).After(h.at) && !h.paid("MEA Electricity"):
		c = txn("", "bills", "MEA Electricity", int64(1200+h.rng.IntN(600)), due(20))
	case r < 35:
		c = txn("", "groceries", pick("Tesco Lotus", "Big C", "7-Eleven"), int64(80+h.rng.IntN(1400)), h.at)
	case r < 60:
		c = txn("", "dining", pick("Sizzler", "MK", "Starbucks", "S&P", "After You", "Somtam Nua"), int64(90+h.rng.IntN(500)), h.at)
	case r < 80:
		c = txn("", "transport", pick("Grab", "BTS", "Bolt"), int64(40+h.rng.IntN(260)), h.at)
	case r < 97:
		c = txn("", "shopping", fmt.Sprintf("Shop %d", h.rng.IntN(150)), int64(200+h.rng.IntN(4000)), h.at)
	default:
		c = txn("", "health", pick("Bumrungrad", "Boots"), int64(300+h.rng.IntN(3000)), h.at)
	}
	if h.rng.IntN(60) == 0 {
		c.SpendMinor *= 8 // now and then something far above the usual
		c.AmountMinor = c.SpendMinor
	}
	c.TxnID = fmt.Sprintf("T%05d", h.n)
	h.last = append(h.last, c)
	out := []any{c}
	if c.Category == "groceries" || c.Category == "dining" {
		out = append(out, h.update(c, c.SpendMinor))
	}
	if h.n%25 == 0 { // an earlier purchase reversed: a recent one, or one long forgotten
		back := 1 + h.rng.IntN(10)
		if h.n%50 == 0 {
			back = 60 + h.rng.IntN(100)
		}
		if back < len(h.last) {
			rv := reversed(h.last[len(h.last)-1-back])
			out = append(out, rv)
		}
	}
	if len(h.last) > 200 {
		h.last = h.last[100:]
	}
	return out
}

// paid reports whether merchant was paid this month already.
func (h *history) paid(merchant string) bool {
	for i := len(h.last) - 1; i >= 0 && i >= len(h.last)-200; i-- {
		if c := h.last[i]; c.MerchantName == merchant && c.PostedAt.Month() == h.at.Month() && c.PostedAt.Year() == h.at.Year() {
			return true
		}
	}
	return false
}

func (h *history) update(c event.Categorized, delta int64) event.BudgetUpdate {
	month := c.PostedAt.Format("2006-01")
	h.spent[c.Category+"|"+month] += delta
	h.budget[c.Category]++
	start := time.Date(c.PostedAt.Year(), c.PostedAt.Month(), 1, 0, 0, 0, 0, bkk)
	spent, limit := h.spent[c.Category+"|"+month], int64(1_200_000)
	return event.BudgetUpdate{
		Kind: event.BudgetPersonal, BudgetID: "USR-1:" + c.Category, UserID: "USR-1", Category: c.Category,
		Period: "monthly", PeriodKey: month, PeriodStart: start, PeriodEnd: start.AddDate(0, 1, 0), Currency: "THB",
		LimitMinor: limit, SpentMinor: spent, RemainingMinor: limit - spent, UsedBP: spent * 10000 / limit,
		Version: h.budget[c.Category], TxnID: c.TxnID, AmountMinor: delta, EventTime: c.PostedAt,
		Pace: event.PaceOnTrack, SafeToSpendMinor: max(0, limit-spent-41_900), CommitmentsMinor: 41_900,
	}
}

func apply(s *State, v any) []event.Insight {
	switch v := v.(type) {
	case event.Categorized:
		return s.ApplyCategorized(v)
	case event.BudgetUpdate:
		return s.ApplyBudget(v)
	}
	return nil
}

// sizes runs 3,000 transactions of h through a state and returns the
// encoded value's size after each, and the insights that fired by kind.
func sizes(t *testing.T, h *history) ([]int, map[string]int, *State) {
	s := &State{UserID: "USR-1"}
	fired := map[string]int{}
	out := make([]int, 3001)
	for i := 1; i <= 3000; i++ {
		for _, v := range h.next() {
			for _, in := range apply(s, v) {
				if !in.Cleared {
					fired[in.Kind]++
				}
			}
		}
		out[i] = len(encode(t, s))
	}
	return out, fired, s
}

func average(xs []int) (avg, largest int) {
	for _, x := range xs[1:] {
		avg, largest = avg+x, max(largest, x)
	}
	return avg / (len(xs) - 1), largest
}

// One user, 3,000 transactions. The summaries are bounded by time (the
// daily curves of the latest month and the HorizonMonths before it) and by
// count (HistoryLen amounts per category, MerchantLen for each of
// MaxMerchants merchants, MaxRecent transactions, MaxInsights insights): a
// value fills up until the history spans the horizon and the windows are
// full, which 100 transactions cannot do (the merchants' windows alone
// hold 192 amounts), and stays the same size from then on. So the value at
// 3,000 is compared with the value at 1,000 (within 10%); the value at 100
// is logged. The average is at most 4 KiB, and the bounded summaries still
// find unusual amounts, the subscriptions, spikes and runways.
func TestValueSizeDoesNotGrowWithHistory(t *testing.T) {
	for _, c := range []struct {
		name        string
		gap, spread int
	}{
		{"daily user", 24, 16},
		{"three a day", 4, 8},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := newHistory(c.gap, c.spread)
			size, fired, s := sizes(t, h)
			avg, largest := average(size)
			t.Logf("insights value: %d bytes at 100 transactions, %d at 1,000, %d at 3,000; average %d, largest %d; spans %s; fired %v",
				size[100], size[1000], size[3000], avg, largest, h.at.Sub(time.Date(2024, 9, 1, 8, 0, 0, 0, bkk)).Round(time.Hour), fired)
			if size[3000] > size[1000]+size[1000]/10 {
				t.Errorf("value grew from %d bytes at 1,000 transactions to %d at 3,000", size[1000], size[3000])
			}
			if avg > 4096 {
				t.Errorf("average value %d bytes, want ≤ 4 KiB", avg)
			}
			for _, kind := range []string{event.InsightUnusual, event.InsightRecurring, event.InsightSpike, event.InsightBudgetUsage, event.InsightRunway} {
				if fired[kind] == 0 {
					t.Errorf("no %s insight in 3,000 transactions", kind)
				}
			}
			var netflix bool
			for _, in := range s.Current(h.at) {
				netflix = netflix || in.InsightID == "USR-1|recurring|netflix:THB"
			}
			if !netflix {
				t.Error("the Netflix subscription is not a current insight after 3,000 transactions at many shops")
			}
		})
	}
}

// The same (txn id, version) twice changes nothing, even after a restore;
// a later version applies the difference.
func TestDuplicateVersionChangesNothing(t *testing.T) {
	s := &State{UserID: "USR-1"}
	h := newHistory(4, 8)
	for range 300 {
		for _, v := range h.next() {
			apply(s, v)
		}
	}
	c := txn("DUP", "dining", "Sizzler", 3000, h.at.Add(time.Hour))
	if got := s.ApplyCategorized(c); len(got) == 0 {
		t.Fatal("a purchase 10× the usual made no insight")
	}
	before := encode(t, s)
	if got := s.ApplyCategorized(c); len(got) != 0 || !bytes.Equal(encode(t, s), before) {
		t.Fatalf("the same version again: %d insights, state changed %v", len(got), !bytes.Equal(encode(t, s), before))
	}
	v, err := Codec{}.Decode(before)
	if err != nil {
		t.Fatal(err)
	}
	r := v.(State)
	if got := r.ApplyCategorized(c); len(got) != 0 || !bytes.Equal(encode(t, &r), before) {
		t.Fatalf("the same version after a restore: %d insights", len(got))
	}
	if !bytes.Equal(encode(t, &r), before) {
		t.Fatal("decode and encode again differ")
	}
	got := r.ApplyCategorized(reversed(c))
	if len(got) == 0 || !got[0].Cleared || got[0].InsightID != "USR-1|unusual_transaction|DUP" {
		t.Fatalf("the reversal: %+v", got)
	}
}

// A reversal of a transaction no longer among the Recent ones still takes
// its amount out of the spike's curves.
func TestReversalOfAForgottenTransaction(t *testing.T) {
	const spike = "USR-1|spike|dining:THB|2026-11"
	s := &State{UserID: "USR-1"}
	for _, c := range []event.Categorized{
		txn("A1", "dining", "R1", 1000, day(8, 5)), txn("S1", "dining", "R3", 3000, day(9, 10)),
		txn("O1", "dining", "R4", 1500, day(10, 3)),
	} {
		s.ApplyCategorized(c)
	}
	big := txn("N1", "dining", "R6", 6000, day(11, 14))
	if got := s.ApplyCategorized(big); len(got) == 0 {
		t.Fatal("no spike")
	}
	for i := range MaxRecent { // rides push N1 out of Recent
		s.ApplyCategorized(txn(fmt.Sprintf("G%d", i), "transport", "Grab", 150, day(11, 15)))
	}
	if s.recent("N1") != nil {
		t.Fatal("N1 still remembered")
	}
	got := s.ApplyCategorized(reversed(big))
	var cleared bool
	for _, in := range got {
		cleared = cleared || (in.InsightID == spike && in.Cleared)
	}
	if !cleared || s.Curves["2026-11|dining|THB"].cumulative(31) != 0 {
		t.Fatalf("reversal of a forgotten transaction: %+v, November dining %d", got, s.Curves["2026-11|dining|THB"].cumulative(31))
	}
}

// The JSON of earlier builds decodes: its summaries and current insights
// (not the cleared ones).
func TestDecodeOldJSON(t *testing.T) {
	old := `{"user_id":"USR-1","txns":{"T1":{"version":1,"amount":41900}},
	"merchants":{"netflix|THB":{"name":"Netflix","entries":[{"txn_id":"T1","amount":41900,"at":"2026-11-05T10:00:00+07:00"}]}},
	"latest_month":"2026-11","first_month":"2026-09",
	"insights":{"USR-1|recurring|netflix:THB":{"insight_id":"USR-1|recurring|netflix:THB","kind":"recurring","severity":"info","subject":"netflix:THB",
	"currency":"THB","text":"Recurring payment: Netflix ฿419 monthly","data":{"amount_minor":41900,"count":3,"cadence_days":30},"date":"2026-12-05",
	"version":3,"expires_at":"2026-12-09T00:00:00+07:00","event_time":"2026-11-05T10:00:00+07:00"},
	"USR-1|runway|groceries|2026-11":{"kind":"runway","subject":"groceries","period_key":"2026-11","cleared":true,"expires_at":"2026-12-01T00:00:00+07:00"}},"version":9}`
	v, err := Codec{}.Decode([]byte(old))
	if err != nil {
		t.Fatal(err)
	}
	s := v.(State)
	cur := s.Current(day(11, 20))
	if len(cur) != 1 || cur[0].Text != "Recurring payment: netflix ฿419 monthly, seen 3 times; next expected 5 Dec 2026" ||
		len(s.Merchants["netflix|THB"].Entries) != 1 || s.Version != 9 {
		t.Fatalf("decoded %+v, current %+v", s, cur)
	}
}

// Values of earlier formats decode to what the current format
// round-trips, their insights render the same, and the current format is
// smaller; a truncated value does not decode: testdata/insights-a1.hex
// (newHistory(4, 8) after 300 transactions, written by the build before
// 0xA2) and testdata/insights-a2.hex (after 600, its zone set, by the build
// before 0xA3).
func TestDecodeEarlierFormats(t *testing.T) {
	for _, c := range []struct {
		file   string
		format byte
		n      int
		zone   string
	}{
		{"testdata/insights-a1.hex", stateFormatV1, 300, ""},
		{"testdata/insights-a2.hex", stateFormatV2, 600, "Asia/Bangkok"},
	} {
		t.Run(c.file, func(t *testing.T) {
			earlier, err := compact.Fixture(c.file, c.format)
			if err != nil {
				t.Fatal(err)
			}
			old, err := Codec{}.Decode(earlier)
			if err != nil {
				t.Fatal(err)
			}
			h, s := newHistory(4, 8), &State{UserID: "USR-1", TimeZone: c.zone}
			for range c.n {
				for _, v := range h.next() {
					apply(s, v)
				}
			}
			if len(s.Budgets) == 0 || len(s.Insights) < 5 || len(s.Recent) == 0 || len(s.Curves) == 0 {
				t.Fatalf("the fixture's state lacks parts: %d budgets, %d insights, %d recent, %d curves", len(s.Budgets), len(s.Insights), len(s.Recent), len(s.Curves))
			}
			b := encode(t, s)
			now, err := Codec{}.Decode(b)
			if err != nil || !reflect.DeepEqual(old, now) {
				t.Fatalf("0x%02X decodes to\n%+v\nthe state round-trips to\n%+v (%v)", c.format, old, now, err)
			}
			o, n := old.(State), now.(State)
			if a, b := o.Current(h.at), n.Current(h.at); len(a) == 0 || !reflect.DeepEqual(a, b) {
				t.Fatalf("0x%02X's insights\n%+v\nthe state's\n%+v", c.format, a, b)
			}
			t.Logf("%d bytes in the current format, %d in 0x%02X", len(b), len(earlier), c.format)
			if len(b) >= len(earlier) {
				t.Fatalf("%d bytes in the current format, %d in 0x%02X", len(b), len(earlier), c.format)
			}
			for i := 1; i < len(b); i += 5 {
				if _, err := (Codec{}).Decode(b[:i]); err == nil {
					t.Fatalf("decoding %d of %d bytes succeeded", i, len(b))
				}
			}
		})
	}
}

// Values the steps must not lose: an insight with a zero event time and
// one with a zero expiry, times with nanoseconds, a curve and a last day of
// a key that is not a month, a budget that is not the user's personal one
// and a category outside the list, round-trip.
func TestStepCodedFieldsRoundTrip(t *testing.T) {
	at := time.Date(2026, 11, 19, 10, 30, 0, 123, time.UTC)
	s := &State{UserID: "USR-1", Version: 40,
		Budgets: map[string]*BudgetSeen{
			"USR-1:groceries": {Version: 3, MaxEventTime: at, PeriodStart: at.AddDate(0, 0, -18)},
			"USR-1:no-such":   {Version: 1},
			"HH-1":            {Version: 2, MaxEventTime: at},
		},
		Recent: []Applied{
			{Txn: 1, Version: 1, Counted: Counted{Amount: 100, Category: "dining", Currency: "THB", Merchant: "mk", PostedAt: at.Truncate(time.Minute)}},
			{Txn: 2, Version: 2, Counted: Counted{Amount: 200, Category: "dining", Currency: "THB", Merchant: "mk", PostedAt: at.Add(-48 * time.Hour).Truncate(time.Minute)}},
		},
		Curves: map[string]*Curve{
			"2026-09|dining|THB": {Daily: [31]int64{3: 500}}, "2026-11|dining|THB": {Daily: [31]int64{0: 100, 30: 7}},
			"2026-11|dining|USD": {Daily: [31]int64{1: 1}}, "someday|dining|THB": {Daily: [31]int64{2: 2}},
		},
		LastDay:    map[string]int{"2026-09": 4, "2026-11": 31, "someday": 3},
		Categories: map[string]*History{},
		Merchants:  map[string]*History{"mk|THB": {Name: "MK", Entries: []Entry{{Amount: 100, At: at.Truncate(time.Minute)}}}},
		Insights:   map[string]*Kept{},
	}
	for i, k := range []Kept{
		{Kind: event.InsightUnusual, Severity: event.SeverityWarning, Subject: "mk:THB", Version: 40, EventTime: at, ExpiresAt: at.AddDate(0, 0, 7), Name: "MK", Data: map[string]int64{"amount_minor": 9000}},
		{Kind: event.InsightSpike, Severity: event.SeverityInfo, Subject: "dining:THB", PeriodKey: "2026-11", Version: 12, ExpiresAt: at.Add(time.Nanosecond)},
		{Kind: event.InsightRunway, Severity: event.SeverityCritical, Subject: "dining", PeriodKey: "2026-11", Version: 39, EventTime: at.Add(-time.Hour)},
		{Kind: "a later kind", Severity: event.SeverityInfo, Subject: "x", Version: 41, EventTime: at.AddDate(-1, 0, 0), ExpiresAt: at.AddDate(-2, 0, 0)},
	} {
		k := k
		s.Insights[fmt.Sprint(i)] = &k
	}
	b := encode(t, s)
	back, err := Codec{}.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	got := back.(State)
	want := *s
	want.Insights = map[string]*Kept{}
	for _, k := range s.Insights {
		want.Insights[ID(s.UserID, k.Kind, k.Subject, k.PeriodKey)] = k
	}
	if !reflect.DeepEqual(got.Budgets, want.Budgets) || !reflect.DeepEqual(got.Recent, want.Recent) || !reflect.DeepEqual(got.Curves, want.Curves) ||
		!reflect.DeepEqual(got.LastDay, want.LastDay) || !reflect.DeepEqual(got.Merchants, want.Merchants) || !reflect.DeepEqual(got.Insights, want.Insights) {
		t.Fatalf("decoded\n%+v\nwant\n%+v", got, want)
	}
}

// The state after each of a user's first transactions decodes to what
// encodes to the same bytes: small values too, where a code may exceed
// the bytes left after it.
func TestEveryStateRoundTrips(t *testing.T) {
	h, s := newHistory(4, 8), &State{UserID: "USR-1"}
	for i := range 200 {
		for _, v := range h.next() {
			apply(s, v)
		}
		b := encode(t, s)
		back, err := Codec{}.Decode(b)
		if err != nil {
			t.Fatalf("after %d transactions: %v", i+1, err)
		}
		if again := encode(t, &[]State{back.(State)}[0]); !bytes.Equal(again, b) {
			t.Fatalf("after %d transactions: re-encoded differently", i+1)
		}
	}
}
