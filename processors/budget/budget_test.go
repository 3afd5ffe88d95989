package budget

import (
	"reflect"
	"testing"
	"time"

	"finstream/processors/cdc"
	"finstream/processors/event"
)

var bkk = mustZone("Asia/Bangkok")

func mustZone(n string) *time.Location {
	l, err := time.LoadLocation(n)
	if err != nil {
		panic(err)
	}
	return l
}

func at(day, hour int) time.Time { return time.Date(2026, 11, day, hour, 0, 0, 0, bkk) }

func txn(id string, amount int64, status string, posted time.Time) cdc.Txn {
	return cdc.Txn{
		ID: id, AccountID: "ACC-1", UserID: "USR-789", Direction: "DEBIT", Type: "PURCHASE",
		Status: status, AmountMinor: amount, Currency: "THB", MerchantName: "Tesco Lotus",
		MerchantID: "M-TESCO", MCC: 5411, Channel: "PROMPTPAY", PostedAt: posted, UpdatedAt: posted,
	}
}

func change(row cdc.Txn, lsn int64) cdc.TxnChange {
	return cdc.TxnChange{Op: cdc.OpUpdate, Row: row, Pos: cdc.Position{LSN: lsn}}
}

func known(c string) bool { return c == "THB" || c == "USD" }

func groceries(t *testing.T, s *Book, limit int64) {
	t.Helper()
	b, err := ValidateBudget("groceries", limit, "THB", "monthly", nil, known)
	if err != nil {
		t.Fatal(err)
	}
	s.SetBudget(*b, at(1, 9))
}

// The seed's worked example: ฿16,000 groceries budget with ฿13,500 spent; a
// POSTED DEBIT of ฿1,500 at Tesco Lotus crosses 90%.
func TestWorkedExample(t *testing.T) {
	s := NewBook("USR-789")
	groceries(t, s, 1_600_000)
	e1 := s.ApplyTxn(change(txn("T1", 1_000_000, "POSTED", at(5, 10)), 10))
	e2 := s.ApplyTxn(change(txn("T2", 350_000, "POSTED", at(12, 10)), 20))
	if got := alertThresholds(e1, e2); !reflect.DeepEqual(got, []int64{5000, 8000}) {
		t.Fatalf("alerts while reaching ฿13,500: %v, want [5000 8000]", got)
	}

	tesco := change(txn("T3", 150_000, "POSTED", at(19, 10)), 30)
	eff := s.ApplyTxn(tesco)
	if len(eff.Alerts) != 1 || eff.Alerts[0].ThresholdBP != 9000 {
		t.Fatalf("alerts %+v, want exactly one for 9000", eff.Alerts)
	}
	if want := "93.75% of your groceries budget used, ฿1,000 left for 12 days"; eff.Alerts[0].Text != want {
		t.Errorf("alert text %q, want %q", eff.Alerts[0].Text, want)
	}
	v := s.Views(at(19, 12))[0]
	if v.SpentMinor != 1_500_000 || v.UsedBP != 9375 || v.RemainingMinor != 100_000 || v.DaysLeft != 12 {
		t.Fatalf("view %+v", v)
	}
	if !reflect.DeepEqual(v.CrossedBP, []int64{5000, 8000, 9000}) {
		t.Fatalf("crossed %v", v.CrossedBP)
	}
	u := eff.Updates[0]
	if u.AmountMinor != 150_000 || u.Merchant != "Tesco Lotus" || u.TxnID != "T3" || !reflect.DeepEqual(u.ThresholdCrossedBP, []int64{9000}) || !u.Alert {
		t.Fatalf("update attribution %+v", u)
	}

	// The same CDC record again changes nothing.
	version := s.Version
	if again := s.ApplyTxn(tesco); again.Changed() || s.Version != version {
		t.Fatalf("duplicate changed state: %+v", again)
	}

	// REVERSED brings used_bp back to 8437.
	rev := txn("T3", 150_000, "REVERSED", at(19, 10))
	eff = s.ApplyTxn(change(rev, 40))
	if len(eff.Alerts) != 0 || len(eff.Updates) != 1 || eff.Updates[0].AmountMinor != -150_000 {
		t.Fatalf("reversal effects %+v", eff)
	}
	if v := s.Views(at(19, 12))[0]; v.UsedBP != 8437 || v.SpentMinor != 1_350_000 {
		t.Fatalf("after reversal %+v", v)
	}
	// A late redelivery of the older POSTED record is stale.
	if late := s.ApplyTxn(tesco); late.Changed() {
		t.Fatalf("stale redelivery changed state: %+v", late)
	}
}

func alertThresholds(effs ...Effects) []int64 {
	var out []int64
	for _, e := range effs {
		for _, a := range e.Alerts {
			if a.Kind != event.AlertPace { // pace alerts: plan_test.go
				out = append(out, a.ThresholdBP)
			}
		}
	}
	return out
}

func TestDifferences(t *testing.T) {
	cases := []struct {
		name  string
		steps []cdc.TxnChange
		want  int64
	}{
		{"pending does not count", []cdc.TxnChange{change(txn("A", 500, "PENDING", at(3, 9)), 1)}, 0},
		{"pending then posted", []cdc.TxnChange{change(txn("A", 500, "PENDING", at(3, 9)), 1), change(txn("A", 500, "POSTED", at(3, 9)), 2)}, 500},
		{"out of order: posted first, pending late", []cdc.TxnChange{change(txn("A", 500, "POSTED", at(3, 9)), 2), change(txn("A", 500, "PENDING", at(3, 9)), 1)}, 500},
		{"amount change", []cdc.TxnChange{change(txn("A", 500, "POSTED", at(3, 9)), 1), change(txn("A", 700, "POSTED", at(3, 9)), 2)}, 700},
		{"failed", []cdc.TxnChange{change(txn("A", 500, "POSTED", at(3, 9)), 1), change(txn("A", 500, "FAILED", at(3, 9)), 2)}, 0},
		{"delete", []cdc.TxnChange{change(txn("A", 500, "POSTED", at(3, 9)), 1), {Op: cdc.OpDelete, Row: cdc.Txn{ID: "A"}, Deleted: true, Pos: cdc.Position{LSN: 2}}}, 0},
		{"delete before create arrives", []cdc.TxnChange{{Op: cdc.OpDelete, Row: cdc.Txn{ID: "A"}, Deleted: true, Pos: cdc.Position{LSN: 2}}, change(txn("A", 500, "POSTED", at(3, 9)), 1)}, 0},
		{"snapshot replay of same row", []cdc.TxnChange{change(txn("A", 500, "POSTED", at(3, 9)), 1), {Op: cdc.OpSnapshot, Row: txn("A", 500, "POSTED", at(3, 9)), Pos: cdc.Position{LSN: 9}}}, 500},
		{"credit does not count", []cdc.TxnChange{change(func() cdc.Txn { r := txn("A", 500, "POSTED", at(3, 9)); r.Direction = "CREDIT"; return r }(), 1)}, 0},
		{"moved to next month", []cdc.TxnChange{change(txn("A", 500, "POSTED", at(30, 23)), 1), change(txn("A", 500, "POSTED", at(30, 23).Add(2*time.Hour)), 2)}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := NewBook("USR-1")
			for _, st := range c.steps {
				s.ApplyTxn(st)
			}
			if got := s.SpentIn("groceries", "THB", "monthly", at(15, 0)); got != c.want {
				t.Fatalf("spent %d, want %d (buckets %v)", got, c.want, s.Spend)
			}
		})
	}
}

// A budget created mid-period alerts the thresholds its period's spend
// already reaches, once each, with the ids the same spend would give had
// the budget come first (a replay reads commands and transactions in
// either order).
func TestBudgetCreatedMidPeriodAlertsTheThresholdsAlreadyReached(t *testing.T) {
	s := NewBook("USR-1")
	s.ApplyTxn(change(txn("A", 900_000, "POSTED", at(3, 9)), 1))
	b, _ := ValidateBudget("groceries", 1_000_000, "THB", "", nil, known)
	eff := s.SetBudget(*b, at(4, 9))
	var ids []string
	for _, a := range eff.Alerts {
		ids = append(ids, a.AlertID)
	}
	want := []string{"USR-1|groceries|2026-11|9000|1", "USR-1|groceries|2026-11|8000|1", "USR-1|groceries|2026-11|5000|1"}
	if !reflect.DeepEqual(ids, want) || len(eff.Updates) != 1 || !eff.Updates[0].Alert ||
		!reflect.DeepEqual(eff.Updates[0].ThresholdCrossedBP, []int64{5000, 8000, 9000}) {
		t.Fatalf("alerts %v, want %v; effects %+v", ids, want, eff)
	}
	if again := s.SetBudget(*b, at(4, 10)); len(again.Alerts) != 0 {
		t.Fatalf("the same command again alerted %+v", again.Alerts)
	}
	// The same budget with a new limit alerts only what it newly reaches.
	lower := *b
	lower.LimitMinor = 900_000
	if got := alertThresholds(s.SetBudget(lower, at(4, 11))); !reflect.DeepEqual(got, []int64{10000}) {
		t.Fatalf("lowered limit alerts %v, want [10000]", got)
	}
	if got := alertThresholds(s.SetBudget(*b, at(4, 12))); len(got) != 0 {
		t.Fatalf("raised limit alerts %v, want none", got)
	}
	v := s.Views(at(4, 9))[0]
	if v.SpentMinor != 900_000 || v.UsedBP != 9000 || !reflect.DeepEqual(v.CrossedBP, []int64{5000, 8000, 9000}) {
		t.Fatalf("view %+v", v)
	}
	eff = s.ApplyTxn(change(txn("B", 100_000, "POSTED", at(5, 9)), 2))
	if got := alertThresholds(eff); !reflect.DeepEqual(got, []int64{10000}) {
		t.Fatalf("alerts %v, want [10000]", got)
	}
}

func TestRecategorizeMovesSpendAndTeachesRule(t *testing.T) {
	s := NewBook("USR-789")
	groceries(t, s, 1_000_000)
	b, _ := ValidateBudget("dining", 100_000, "THB", "monthly", nil, known)
	s.SetBudget(*b, at(1, 9))
	s.ApplyTxn(change(txn("A", 60_000, "POSTED", at(3, 9)), 1))
	eff, err := s.Recategorize("A", "dining", at(3, 10))
	if err != nil {
		t.Fatal(err)
	}
	if got := alertThresholds(eff); len(eff.Updates) != 2 || !reflect.DeepEqual(got, []int64{5000}) {
		t.Fatalf("effects %+v", eff)
	}
	if g, d := s.SpentIn("groceries", "THB", "monthly", at(3, 9)), s.SpentIn("dining", "THB", "monthly", at(3, 9)); g != 0 || d != 60_000 {
		t.Fatalf("groceries %d dining %d", g, d)
	}
	next := s.ApplyTxn(change(txn("B", 10_000, "POSTED", at(4, 9)), 2))
	if c := next.Categorized[0]; c.Category != "dining" || c.Source != "user_rule" {
		t.Fatalf("next transaction at the merchant: %+v", c)
	}
	if _, err := s.Recategorize("nope", "dining", at(4, 9)); err == nil {
		t.Fatal("want not found")
	}
	if _, err := s.Recategorize("A", "pets", at(4, 9)); err == nil {
		t.Fatal("want invalid category")
	}
	other := NewBook("USR-1")
	other.Ledgers = s.Ledgers
	if _, err := other.Recategorize("A", "dining", at(4, 9)); err == nil {
		t.Fatal("another user's transaction: want not found")
	}
}

func TestWeeklyBudgetAndTimeZone(t *testing.T) {
	s := NewBook("USR-1")
	b, _ := ValidateBudget("groceries", 10_000, "THB", "weekly", []int64{10000, 5000}, known)
	if !reflect.DeepEqual(b.ThresholdsBP, []int64{5000, 10000}) {
		t.Fatalf("thresholds not sorted: %v", b.ThresholdsBP)
	}
	s.SetBudget(*b, at(16, 9))
	// Sunday 22 Nov 23:30 Bangkok is in ISO week 47; Monday 00:30 in week 48.
	s.ApplyTxn(change(txn("A", 6_000, "POSTED", time.Date(2026, 11, 22, 23, 30, 0, 0, bkk)), 1))
	if v := s.Views(at(22, 12))[0]; v.SpentMinor != 6_000 || v.DaysLeft != 1 {
		t.Fatalf("week 47 view %+v", v)
	}
	// In Tokyo, Sunday 23:30 Bangkok is Monday 01:30: a transaction from
	// then on counts in the new zone's week 48; what was counted stays.
	if err := s.SetTimeZone("Asia/Tokyo"); err != nil {
		t.Fatal(err)
	}
	s.ApplyTxn(change(txn("B", 1_000, "POSTED", time.Date(2026, 11, 22, 23, 30, 0, 0, bkk)), 2))
	if got := s.SpendingIn("2026-W48"); len(got) != 1 || got[0].SpentMinor != 1_000 {
		t.Fatalf("after moving to Tokyo week 48 holds %+v, want 1000", got)
	}
	if got := s.SpendingIn("2026-W47"); len(got) != 1 || got[0].SpentMinor != 6_000 {
		t.Fatalf("week 47 holds %+v, want the 6000 counted before", got)
	}
	// A change of the first transaction moves exactly what it counted.
	s.ApplyTxn(change(txn("A", 6_000, "REVERSED", time.Date(2026, 11, 22, 23, 30, 0, 0, bkk)), 3))
	if got := s.SpendingIn("2026-W47"); len(got) != 0 {
		t.Fatalf("week 47 after the reversal %+v", got)
	}
	if err := s.SetTimeZone("Nowhere/Land"); err == nil {
		t.Fatal("want error for unknown zone")
	}
}

func TestValidateBudget(t *testing.T) {
	bad := []struct {
		cat, cur, period string
		limit            int64
		ts               []int64
	}{
		{"pets", "THB", "monthly", 1, nil},
		{"groceries", "THB", "monthly", 0, nil},
		{"groceries", "XXX", "monthly", 1, nil},
		{"groceries", "THB", "yearly", 1, nil},
		{"groceries", "THB", "monthly", 1, []int64{0}},
		{"groceries", "THB", "monthly", 1, []int64{5000, 5000}},
	}
	for _, c := range bad {
		if _, err := ValidateBudget(c.cat, c.limit, c.cur, c.period, c.ts, known); err == nil {
			t.Errorf("%+v: want error", c)
		}
	}
}

func TestUsedBP(t *testing.T) {
	cases := [][3]int64{{1_500_000, 1_600_000, 9375}, {1_350_000, 1_600_000, 8437}, {0, 100, 0}, {5, 0, 0}}
	for _, c := range cases {
		if got := UsedBP(c[0], c[1]); got != c[2] {
			t.Errorf("UsedBP(%d,%d) = %d, want %d", c[0], c[1], got, c[2])
		}
	}
	if got := UsedBP(1<<62, 1<<40); got <= 0 {
		t.Errorf("UsedBP overflow guard gave %d", got)
	}
}

// After a crash between storing the state and producing, the input record
// is delivered again: its alerts are sent again (they may be lost), while a
// source duplicate of the same change in another record sends none.
func TestRedeliveredRecordResendsItsAlerts(t *testing.T) {
	s := NewBook("USR-789")
	groceries(t, s, 1_600_000)
	s.ApplyTxnFrom(change(txn("T1", 1_350_000, "POSTED", at(5, 10)), 10), At(3, 100))
	tesco := change(txn("T3", 150_000, "POSTED", at(19, 10)), 30)
	first := s.ApplyTxnFrom(tesco, At(3, 101))
	if len(first.Alerts) != 1 || first.Alerts[0].ThresholdBP != 9000 {
		t.Fatalf("alerts %+v, want one for 9000", first.Alerts)
	}
	version := s.Version

	again := s.ApplyTxnFrom(tesco, At(3, 101))
	if again.Changed() || s.Version != version {
		t.Fatalf("redelivery changed the state: %+v", again)
	}
	if !sameAlerts(again.ResendAlerts, first.Alerts) {
		t.Fatalf("redelivery re-sent %+v, want %+v", again.ResendAlerts, first.Alerts)
	}
	for _, in := range []Input{At(3, 102), At(4, 101), {}} {
		if dup := s.ApplyTxnFrom(tesco, in); len(dup.ResendAlerts) != 0 || dup.Changed() {
			t.Fatalf("duplicate from %+v re-sent %+v", in, dup.ResendAlerts)
		}
	}

	// What the state remembers survives its codec.
	d := roundTrip(t, s.State)
	db := &Book{State: &d, Ledgers: map[string]*Ledger{}}
	for id, l := range s.Ledgers {
		raw, err := LedgerCodec{}.Encode(l)
		if err != nil {
			t.Fatal(err)
		}
		v, err := LedgerCodec{}.Decode(raw)
		if err != nil {
			t.Fatal(err)
		}
		lv := v.(Ledger)
		db.Ledgers[id] = &lv
	}
	if again := db.ApplyTxnFrom(tesco, At(3, 101)); !sameAlerts(again.ResendAlerts, first.Alerts) {
		t.Fatalf("after the codec, redelivery re-sent %+v, want %+v", again.ResendAlerts, first.Alerts)
	}

	// A later change of the transaction (a reversal) fires nothing: a
	// redelivery of its record re-sends nothing, while a redelivery of the
	// superseded record that fired still re-sends what it fired.
	rev := change(txn("T3", 150_000, "REVERSED", at(19, 10)), 40)
	s.ApplyTxnFrom(rev, At(3, 110))
	if again := s.ApplyTxnFrom(rev, At(3, 110)); len(again.ResendAlerts) != 0 {
		t.Fatalf("redelivered reversal re-sent %+v", again.ResendAlerts)
	}
	if again := s.ApplyTxnFrom(tesco, At(3, 101)); again.Changed() || !sameAlerts(again.ResendAlerts, first.Alerts) {
		t.Fatalf("redelivered superseded record: %+v, want alerts %+v", again, first.Alerts)
	}
}

// sameAlerts compares alerts with their event times as instants (a codec
// may not keep the time's location).
func sameAlerts(a, b []event.Alert) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !SameAlert(a[i], b[i]) {
			return false
		}
	}
	return true
}

// A record applied before, delivered again (its outputs may have been lost
// in a crash), re-sends the budget's current state at its current version,
// attributed to the record, and changes nothing.
func TestRedeliveryResendsTheCurrentUpdate(t *testing.T) {
	s := NewBook("USR-789")
	groceries(t, s, 100_000)
	first := s.ApplyTxnFrom(change(txn("T1", 30_000, "POSTED", at(5, 10)), 10), At(0, 1))
	s.ApplyTxnFrom(change(txn("T2", 20_000, "POSTED", at(6, 10)), 20), At(0, 2))
	version := s.Budgets["groceries"].Version
	again := s.ApplyTxnFrom(change(txn("T1", 30_000, "POSTED", at(5, 10)), 10), At(0, 1))
	if again.Changed() || len(again.ResendUpdates) != 1 || s.Budgets["groceries"].Version != version {
		t.Fatalf("redelivery: %+v", again)
	}
	u := again.ResendUpdates[0]
	if u.Version != version || u.SpentMinor != 50_000 || u.TxnID != "T1" || u.AmountMinor != 30_000 || u.BudgetID != first.Updates[0].BudgetID || len(u.ThresholdCrossedBP) != 0 {
		t.Fatalf("re-sent update %+v", u)
	}
}

// A change that counts nothing before and after (a pending payment, a
// credit) leaves nothing to store: the users group writes only its
// categorized record. Delivered again it counts nothing again; once it
// counts, it counts once. A change that moves the state's clock (a new
// week) is stored, whatever it counts.
func TestAChangeThatCountsNothingIsNotStored(t *testing.T) {
	s := NewBook("USR-789")
	groceries(t, s, 1_600_000)
	timed := func(row cdc.Txn, lsn int64) cdc.TxnChange { // at its CDC source time
		ch := change(row, lsn)
		ch.Pos.TsMs = row.PostedAt.UnixMilli()
		return ch
	}
	s.ApplyTxnFrom(timed(txn("T1", 100_000, "POSTED", at(5, 10)), 10), At(0, 1))
	stored := roundTrip(t, s.State)

	pending := timed(txn("T2", 40_000, "PENDING", at(5, 11)), 20)
	credit := txn("T3", 500_000, "POSTED", at(5, 12))
	credit.Direction, credit.Type = "CREDIT", "DEPOSIT"
	// The transaction stage's by-user records of both, the pending one
	// twice (a redelivery to the users group).
	var recs []cdc.TxnChange
	for i, ch := range []cdc.TxnChange{pending, timed(credit, 30)} {
		recs = append(recs, s.ledger(ch.Row.ID).ApplyChange(ch, InStream(StreamChanges, 0, int64(2+i)), s.rules()).Records...)
	}
	recs = append(recs, recs[0])
	for i, rec := range recs {
		eff := s.State.ApplyTxnFrom(rec, Input{})
		if !eff.Unstored || len(eff.Categorized) != 1 || eff.Categorized[0].TxnID != rec.Row.ID || eff.Categorized[0].SpendMinor != 0 {
			t.Fatalf("record %d (%s %s): %+v, want only its categorized record, unstored", i, rec.Row.ID, rec.Row.Status, eff)
		}
		if len(eff.Updates)+len(eff.Alerts) != 0 {
			t.Fatalf("record %d moved a budget: %+v", i, eff)
		}
	}
	if got := roundTrip(t, s.State); !reflect.DeepEqual(got, stored) {
		t.Fatalf("changes that count nothing changed the state:\n%+v\nwant\n%+v", got, stored)
	}

	posted := timed(txn("T2", 40_000, "POSTED", at(5, 13)), 40)
	for range 2 { // and once more, as a redelivery
		if eff := s.ApplyTxnFrom(posted, At(0, 5)); eff.Unstored {
			t.Fatalf("the posted change was not stored: %+v", eff)
		}
	}
	if got := s.SpentIn("groceries", "THB", "monthly", at(5, 13)); got != 140_000 {
		t.Fatalf("spend %d after the pending payment posted (and came again), want 140000", got)
	}

	nextWeek := timed(txn("T4", 9_000, "PENDING", at(16, 10)), 50)
	if eff := s.ApplyTxnFrom(nextWeek, At(0, 6)); eff.Unstored || s.LatestWeek != "2026-W47" {
		t.Fatalf("a change in a new week was not stored (latest week %q): %+v", s.LatestWeek, eff)
	}
}
