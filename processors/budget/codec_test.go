package budget

import (
	"encoding/hex"
	"fmt"
	"reflect"
	"testing"
	"time"

	"finstream/processors/cdc"
	"finstream/processors/compact"
	"finstream/processors/event"
)

// fill sets every field reachable from v to a non-zero value, so that a
// field added to State later and forgotten by the codec fails the test.
func fill(v reflect.Value, n *int) {
	*n++
	switch v.Kind() {
	case reflect.String:
		v.SetString("s" + string(rune('a'+*n%26)))
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(int64(*n) * 1_000_003)
	case reflect.Float64:
		v.SetFloat(0.25 + float64(*n))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Ptr:
		p := reflect.New(v.Type().Elem())
		fill(p.Elem(), n)
		v.Set(p)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		fill(s.Index(0), n)
		fill(s.Index(1), n)
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fill(k, n)
		fill(e, n)
		m.SetMapIndex(k, e)
		v.Set(m)
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(time.Time{}) {
			v.Set(reflect.ValueOf(time.Unix(1_790_000_000+int64(*n), 123456789).UTC()))
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), n)
			}
		}
	}
}

// everyField is a State with every field set (fill), in the shape the
// codec keeps.
func everyField() State {
	var s State
	n := 0
	fill(reflect.ValueOf(&s).Elem(), &n)
	// Spend keys are buckets (period|category|currency); a category outside
	// the slugs takes the long form.
	s.Spend = map[string]int64{"2026-11|groceries|THB": 5, "2026-11|dining|USD": -3, "2026-W47|pets|THB": 7, "2026-10|custom-cat|THB": 9}
	// The codec keys budgets by category and memberships by budget id.
	for id, m := range s.Memberships {
		m.BudgetID = id
	}
	for cat, b := range s.Budgets {
		b.Category = cat
		for i := range b.Builders.Top { // kept to the second
			b.Builders.Top[i].PostedAt = b.Builders.Top[i].PostedAt.Truncate(time.Second)
		}
	}
	for i := range s.Recurring {
		s.Recurring[i].Last = s.Recurring[i].Last.Truncate(time.Second)
	}
	return s
}

func TestCodecRoundTripsEveryField(t *testing.T) {
	s := everyField()
	b, err := Codec{}.Encode(&s)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Codec{}.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, s) {
		t.Fatalf("round trip lost data:\n got %+v\nwant %+v", got, s)
	}
	// Truncated input is an error, never a panic.
	for i := 1; i < len(b); i += 7 {
		if _, err := (Codec{}).Decode(b[:i]); err == nil {
			t.Fatalf("decoding %d of %d bytes succeeded", i, len(b))
		}
	}
}

func TestCodecReadsJSONOfEarlierBuilds(t *testing.T) {
	got, err := Codec{}.Decode([]byte(`{"user_id":"U","spend":{"2026-11|groceries|THB":5},"version":3}`))
	if err != nil {
		t.Fatal(err)
	}
	if s := got.(State); s.UserID != "U" || s.Spend["2026-11|groceries|THB"] != 5 || s.Version != 3 {
		t.Fatalf("%+v", s)
	}
}

func BenchmarkCodec(b *testing.B) {
	s := NewBook("USR-000001")
	for i := range 20 {
		s.ApplyTxn(cdc.TxnChange{Row: cdc.Txn{ID: "T" + string(rune('A'+i)), AccountID: "ACC-1", Direction: "DEBIT", Type: "PURCHASE",
			Status: "POSTED", AmountMinor: 1000, Currency: "THB", MerchantName: "Tesco Lotus", MCC: 5411,
			PostedAt: time.Date(2026, 11, 3, 9, 0, 0, 0, time.UTC)}, Pos: cdc.Position{LSN: int64(i + 1)}})
	}
	b.ReportAllocs()
	for b.Loop() {
		raw, _ := Codec{}.Encode(s)
		if _, err := (Codec{}).Decode(raw); err != nil {
			b.Fatal(err)
		}
	}
}

// A value written by the previous binary format (0xB1, before Txn.Fired)
// still decodes: tables written by older builds keep working.
func TestCodecDecodesFormatV1(t *testing.T) {
	const v1 = "b1055553522d31000600010967726f636572696573076d6f6e74686c790354484280a8c30102904ed08c01040115323032362d31317c67726f6365726965737c544842e0a712010554584e2d310e80b083c59868054143432d31055553522d3105444542495408505552434841534506504f53544544035448420b546573636f204c6f747573000000e0a712c65401808098bf84e1add73100000967726f636572696573036d6363666666666666ee3fe0a7120967726f6365726965730354484207323032362d313108323032362d573437020000"
	b, err := hex.DecodeString(v1)
	if err != nil {
		t.Fatal(err)
	}
	var s State
	if err := s.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	// Its aggregates stay; its transactions are dropped (the transaction
	// stage's table keeps them now).
	if s.UserID != "USR-1" || s.Version != 3 || s.Spend["2026-11|groceries|THB"] != 150000 {
		t.Fatalf("decoded %+v", s)
	}
	if s.Budgets["groceries"].LimitMinor != 1600000 {
		t.Fatalf("budget %+v", s.Budgets["groceries"])
	}
}

// roundTrip encodes s with the table codec and decodes it again.
func roundTrip(t *testing.T, s *State) State {
	t.Helper()
	raw, err := Codec{}.Encode(s)
	if err != nil {
		t.Fatal(err)
	}
	v, err := Codec{}.Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	return v.(State)
}

// The state after each of a user's first transactions round-trips: small
// values too, where a code may exceed the bytes left after it.
func TestEveryStateRoundTrips(t *testing.T) {
	s := historyUser()
	for i := range 120 {
		s.ApplyTxnFrom(historyTxn(i, int64(i)), At(0, int64(i)))
		back := roundTrip(t, s.State)
		if again := roundTrip(t, &back); !reflect.DeepEqual(again, back) {
			t.Fatalf("after %d transactions: decoded differently again", i+1)
		}
	}
}

// The transaction stage's lookup (Codec.RulesOnly) decodes the user, zone,
// version, rules and memberships as the full decode does, and nothing
// else; truncated input is an error there too.
func TestCodecRulesOnly(t *testing.T) {
	s := everyField()
	b, err := Codec{}.Encode(&s)
	if err != nil {
		t.Fatal(err)
	}
	full, err := Codec{}.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	f := full.(State)
	want := State{UserID: f.UserID, TimeZone: f.TimeZone, Version: f.Version, Rules: f.Rules, Memberships: f.Memberships}
	if len(want.Rules) == 0 || len(want.Memberships) == 0 || want.TimeZone == "" {
		t.Fatalf("the fixture has no rules, memberships or zone: %+v", want)
	}
	got, err := Codec{RulesOnly: true}.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("rules-only decode:\n got %+v\nwant %+v", got, want)
	}
	// Up to the memberships' end a cut is an error; after it the rest is
	// not read.
	failed := 0
	for i := 1; i < len(b); i += 5 {
		g, err := Codec{RulesOnly: true}.Decode(b[:i])
		if err != nil {
			failed++
		} else if !reflect.DeepEqual(g, want) {
			t.Fatalf("decoding %d of %d bytes succeeded with %+v", i, len(b), g)
		}
	}
	if failed == 0 {
		t.Fatal("no cut of the value failed to decode")
	}
	// An earlier build's value (JSON here) decodes in full and keeps the
	// same fields.
	old, err := Codec{RulesOnly: true}.Decode([]byte(`{"user_id":"U","rules":{"m":"dining"},"spend":{"2026-11|groceries|THB":5},"version":3}`))
	if err != nil {
		t.Fatal(err)
	}
	if o := old.(State); o.UserID != "U" || o.Rules["m"] != "dining" || o.Spend != nil || o.Version != 3 {
		t.Fatalf("rules-only decode of JSON: %+v", o)
	}
}

// BenchmarkCodecRulesOnly is the transaction stage's lookup of a user a
// year in (historyUser after 2,000 of historyTxn), decoded in full and
// rules only.
func BenchmarkCodecRulesOnly(b *testing.B) {
	s := historyUser()
	for i := range 2000 {
		s.ApplyTxnFrom(historyTxn(i, int64(i)), At(0, int64(i)))
	}
	raw, _ := Codec{}.Encode(s.State)
	for _, c := range []Codec{{}, {RulesOnly: true}} {
		b.Run(fmt.Sprintf("rules-only=%v", c.RulesOnly), func(b *testing.B) {
			b.SetBytes(int64(len(raw)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.Decode(raw); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// Values of earlier formats decode to what the current format
// round-trips, and the current format is smaller: testdata/users-b6.hex
// (historyUser after 300 transactions, written by the build before 0xB7)
// and testdata/users-b7.hex (alertingUser after 300 transactions, by the
// build before 0xB8, its duplicate guard full of records with alerts,
// which are re-sent the same).
func TestCodecDecodesEarlierFormats(t *testing.T) {
	for _, c := range []struct {
		file   string
		format byte
		user   func() *Book
		guard  bool // the duplicate guard is full
	}{
		{"testdata/users-b6.hex", stateFormatV6, historyUser, false},
		{"testdata/users-b7.hex", stateFormatV7, alertingUser, true},
	} {
		t.Run(c.file, func(t *testing.T) {
			earlier, err := compact.Fixture(c.file, c.format)
			if err != nil {
				t.Fatal(err)
			}
			var old State
			if err := old.UnmarshalBinary(earlier); err != nil {
				t.Fatal(err)
			}
			s := c.user()
			for i := range 300 {
				s.ApplyTxnFrom(historyTxn(i, int64(i)), At(0, int64(i)))
			}
			if c.guard && len(s.Recent) != keepRecent {
				t.Fatalf("the duplicate guard holds %d records, want %d", len(s.Recent), keepRecent)
			}
			if now := roundTrip(t, s.State); !reflect.DeepEqual(old, now) {
				t.Fatalf("0x%02X decodes to\n%+v\nthe state round-trips to\n%+v", c.format, old, now)
			}
			for i, r := range old.Recent {
				a, err := decodeAlerts(r.Alerts, old.UserID, r.TxnID)
				b, err2 := decodeAlerts(s.Recent[i].Alerts, s.UserID, s.Recent[i].TxnID)
				if err != nil || err2 != nil || len(a) == 0 || !reflect.DeepEqual(a, b) {
					t.Fatalf("record %s: 0x%02X's alerts %+v (%v), the state's %+v (%v)", r.TxnID, c.format, a, err, b, err2)
				}
			}
			b, _ := Codec{}.Encode(s.State)
			t.Logf("%d bytes in the current format, %d in 0x%02X", len(b), len(earlier), c.format)
			if len(b) >= len(earlier) {
				t.Fatalf("%d bytes in the current format, %d in 0x%02X", len(b), len(earlier), c.format)
			}
		})
	}
}

// The duplicate guard's alerts round-trip whatever their ids and times: an
// id that names the n-th crossing, the pace alert's, an id of an earlier
// build (in full), the zero time and a time with nanoseconds. The earlier
// encoding (alertsV1) still decodes, and recodes to the same alerts.
func TestDuplicateGuardAlertsRoundTrip(t *testing.T) {
	at := time.Date(2026, 11, 19, 10, 0, 0, 123456789, time.UTC)
	base := event.Alert{UserID: "USR-1", TxnID: "T3", Category: "groceries", PeriodKey: "2026-11", Currency: "THB",
		Merchant: "Tesco Lotus", ThresholdBP: 9000, UsedBP: 9375, SpentMinor: 1_500_000, LimitMinor: 1_600_000,
		RemainingMinor: 100_000, DaysLeft: 12, EventTime: at, BudgetID: BudgetID("USR-1", "groceries"), Kind: event.AlertThreshold}
	base.Text = AlertText(base.Category, base.UsedBP, base.RemainingMinor, base.Currency, base.DaysLeft)
	nth := base
	nth.AlertID = AlertID("USR-1", "groceries", "2026-11", 9000, 12)
	first := base
	first.AlertID, first.EventTime = AlertID("USR-1", "groceries", "2026-11", 9000, 0), time.Time{}
	pace := base
	pace.ThresholdBP, pace.Kind, pace.AlertID = 0, event.AlertPace, paceAlertID("USR-1", "groceries", "2026-11")
	pace.Text = AlertText(pace.Category, pace.UsedBP, pace.RemainingMinor, pace.Currency, pace.DaysLeft)
	legacy := base
	legacy.AlertID = legacyAlertID("USR-1", "groceries", "2026-11", 9000, "T3")
	odd := base
	odd.AlertID = AlertID("USR-1", "groceries", "2026-11", 9000, 1) + "0x" // not an id AlertID makes
	leading := base
	leading.AlertID = "USR-1|groceries|2026-11|9000|07"
	alerts := []event.Alert{nth, first, pace, legacy, odd, leading}

	b := encodeAlerts("USR-1", alerts)
	got, err := decodeAlerts(b, "USR-1", "T3")
	if err != nil || !reflect.DeepEqual(got, alerts) {
		t.Fatalf("decoded %+v, %v\nwant %+v", got, err, alerts)
	}
	if _, err := decodeAlerts(append(b, 1), "USR-1", "T3"); err == nil {
		t.Error("a trailing byte decodes")
	}
	if _, err := decodeAlerts(b[:len(b)-3], "USR-1", "T3"); err == nil {
		t.Error("a truncated encoding decodes")
	}

	// alertsV1, as the build before 0xB8 wrote it.
	w := writer{}
	w.uint(1)
	for _, f := range []string{nth.Category, nth.PeriodKey, nth.Currency, nth.Merchant} {
		w.str(f)
	}
	for _, v := range []int64{nth.ThresholdBP, nth.UsedBP, nth.SpentMinor, nth.LimitMinor, nth.RemainingMinor, nth.DaysLeft} {
		w.int(v)
	}
	w.time(nth.EventTime)
	w.str(nth.AlertID)
	v1, err := decodeAlerts(w.b, "USR-1", "T3")
	if err != nil || !reflect.DeepEqual(v1, alerts[:1]) {
		t.Fatalf("alertsV1 decoded %+v, %v", v1, err)
	}
	re := recodeAlerts(w.b, "USR-1", "T3")
	if again, err := decodeAlerts(re, "USR-1", "T3"); re[0] != alertsV2 || err != nil || !reflect.DeepEqual(again, alerts[:1]) {
		t.Fatalf("recoded %x decodes to %+v, %v", re, again, err)
	}
	if re[len(re)-1] != idNth+12 {
		t.Fatalf("the id of the 12th crossing is not written as the crossing it names: %x", re)
	}
	t.Logf("one alert: %d bytes in alertsV2, %d in alertsV1", len(re), len(w.b))
}
