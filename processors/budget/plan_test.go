package budget

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"finstream/processors/cdc"
	"finstream/processors/event"
	"finstream/processors/period"
)

func nov(day, hour int) time.Time { return at(day, hour) }
func dec(day, hour int) time.Time { return time.Date(2026, 12, day, hour, 0, 0, 0, bkk) }
func oct(day, hour int) time.Time { return time.Date(2026, 10, day, hour, 0, 0, 0, bkk) }

// pay applies a new POSTED DEBIT at Tesco Lotus (groceries by MCC 5411).
func pay(s *Book, id string, amount int64, posted time.Time) Effects {
	lsn++
	return s.ApplyTxn(change(txn(id, amount, "POSTED", posted), lsn))
}

var lsn int64

func paceAlerts(effs ...Effects) []event.Alert {
	var out []event.Alert
	for _, e := range effs {
		for _, a := range e.Alerts {
			if a.Kind == event.AlertPace {
				out = append(out, a)
			}
		}
	}
	return out
}

// Pace, by hand: November has 30 days, so by the end of the 6th 6/30 =
// 2000 bp of it has elapsed; the pace is too fast above 2000 + 1000 bp.
func TestPaceRule(t *testing.T) {
	month := period.Of(period.Monthly, nov(6, 12), bkk)
	week := period.Of(period.Weekly, nov(18, 12), bkk) // Mon 16 .. Sun 22 November
	cases := []struct {
		name    string
		used    int64
		p       period.Period
		at      time.Time
		pace    string
		elapsed int64
	}{
		{"3500 bp on the 6th", 3500, month, nov(6, 12), event.PaceTooFast, 2000},
		{"3000 bp on the 6th is not above 2000+1000", 3000, month, nov(6, 12), event.PaceOnTrack, 2000},
		{"9000 bp on the 2nd: too early", 9000, month, nov(2, 12), event.PaceOnTrack, 666},
		{"1999 bp on the 3rd: too little", 1999, month, nov(3, 12), event.PaceOnTrack, 1000},
		{"2001 bp on the 3rd", 2001, month, nov(3, 12), event.PaceTooFast, 1000},
		{"weekly, Wednesday 3/7 = 4285 bp: 5286 bp", 5286, week, nov(18, 12), event.PaceTooFast, 4285},
		{"weekly, Wednesday: 5285 bp", 5285, week, nov(18, 12), event.PaceOnTrack, 4285},
		{"the last day: 10000 elapsed", 10900, month, nov(30, 23), event.PaceOnTrack, 10000},
	}
	for _, c := range cases {
		pace, elapsed := PaceOf(c.used, c.p, c.at)
		if pace != c.pace || elapsed != c.elapsed {
			t.Errorf("%s: pace %s elapsed %d, want %s %d", c.name, pace, elapsed, c.pace, c.elapsed)
		}
	}
}

// A ฿1,000 groceries budget: ฿100 on the 1st, ฿250 on the 6th (฿350 =
// 3500 bp with 2000 bp elapsed: too fast, one alert), ฿100 on the 7th (4500
// bp, 2333 elapsed: still too fast, no second alert); in December ฿400 on
// the 5th (4000 bp, 5/31 = 1612 elapsed) alerts again, once.
func TestPaceAlertOncePerPeriod(t *testing.T) {
	s := NewBook("USR-789")
	groceries(t, s, 100_000)
	first := pay(s, "P1", 10_000, nov(1, 9))
	if len(paceAlerts(first)) != 0 || first.Updates[0].Pace != event.PaceOnTrack {
		t.Fatalf("day 1: %+v", first.Updates)
	}
	second := pay(s, "P2", 25_000, nov(6, 9))
	got := paceAlerts(second)
	if len(got) != 1 || second.Updates[0].Pace != event.PaceTooFast {
		t.Fatalf("day 6: pace alerts %+v, update pace %s", got, second.Updates[0].Pace)
	}
	a := got[0]
	if a.AlertID != "USR-789|groceries|2026-11|pace" || a.UsedBP != 3500 || a.ThresholdBP != 0 ||
		a.Explanation.Pace != event.PaceTooFast || a.Explanation.ElapsedBP != 2000 || !strings.HasPrefix(a.Explanation.Rule, "pace:") {
		t.Fatalf("pace alert %+v explanation %+v", a, a.Explanation)
	}
	if a.Text != "Spending fast: 35% of your groceries budget used with 20% of the period gone" {
		t.Fatalf("text %q", a.Text)
	}
	if third := pay(s, "P3", 10_000, nov(7, 9)); len(paceAlerts(third)) != 0 || third.Updates[0].Pace != event.PaceTooFast {
		t.Fatalf("day 7: %+v", third.Alerts)
	}
	decAlerts := paceAlerts(pay(s, "P4", 40_000, dec(5, 9)))
	if len(decAlerts) != 1 || decAlerts[0].AlertID != "USR-789|groceries|2026-12|pace" || decAlerts[0].Explanation.ElapsedBP != 1612 {
		t.Fatalf("December: %+v", decAlerts)
	}
	if more := paceAlerts(pay(s, "P5", 1_000, dec(6, 9))); len(more) != 0 {
		t.Fatalf("second December alert %+v", more)
	}
}

// Ten purchases of ฿10..฿100 on 28 November in a ฿1,000 budget: the tenth
// (total ฿550) crosses 50%. The alert explains itself with the eight
// largest (฿100..฿30), 10 in all, truncated; pace on track (5500 bp with
// 28/30 = 9333 bp elapsed). Reversing the ฿100 one takes it out.
func TestAlertExplainsTheLargestTransactions(t *testing.T) {
	s := NewBook("USR-789")
	groceries(t, s, 100_000)
	var eff Effects
	for i := 1; i <= 10; i++ {
		eff = pay(s, fmt.Sprintf("T%02d", i), int64(i)*1_000, nov(28, 8+i))
	}
	if len(eff.Alerts) != 1 {
		t.Fatalf("alerts %+v", eff.Alerts)
	}
	x := eff.Alerts[0].Explanation
	if x.ThresholdBP != 5000 || x.Count != 10 || !x.Truncated || x.Pace != event.PaceOnTrack || x.ElapsedBP != 9333 ||
		x.Rule != "threshold: spend reached 5000 bp of the limit (used 5500 bp ≥ 5000 bp)" {
		t.Fatalf("explanation %+v", x)
	}
	var ids []string
	var amounts []int64
	for _, tx := range x.Transactions {
		ids, amounts = append(ids, tx.TxnID), append(amounts, tx.AmountMinor)
		if tx.Source != "mcc" || tx.Category != "groceries" || tx.Merchant != "Tesco Lotus" || tx.PostedAt.IsZero() {
			t.Fatalf("transaction %+v", tx)
		}
	}
	if want := []int64{10_000, 9_000, 8_000, 7_000, 6_000, 5_000, 4_000, 3_000}; !reflect.DeepEqual(amounts, want) || ids[0] != "T10" {
		t.Fatalf("amounts %v ids %v, want %v", amounts, ids, want)
	}
	lsn++
	s.ApplyTxn(change(txn("T10", 10_000, "REVERSED", nov(28, 18)), lsn))
	bs := s.Budgets["groceries"].Builders
	if bs.Count != 9 || len(bs.Top) != 7 || bs.Top[0].TxnID != "T09" {
		t.Fatalf("after the reversal: %+v", bs)
	}
}

// A weekly shop at Tesco on Mondays 2, 9 and 16 November (฿500, ฿520,
// ฿510: each within 10% of the one before) makes it regular: ฿510 is
// expected on the 23rd and the 30th. In a ฿4,000 budget with ฿1,530 spent,
// on the 18th ฿2,470 remains and ฿1,020 is committed: ฿1,450 safe to spend.
// On the 24th the 23rd's shop is a day late (within the weekly tolerance):
// still ฿1,020; on the 25th it is two days late and no longer expected:
// ฿510. A dining budget of ฿1,000 adds ฿1,000 to the overall figure.
func TestSafeToSpendSubtractsExpectedRecurringPayments(t *testing.T) {
	s := NewBook("USR-789")
	groceries(t, s, 400_000)
	d, _ := ValidateBudget("dining", 100_000, "THB", "monthly", nil, known)
	s.SetBudget(*d, nov(1, 9))
	pay(s, "W1", 50_000, nov(2, 18))
	pay(s, "W2", 52_000, nov(9, 18))
	pay(s, "W3", 51_000, nov(16, 18))
	r := s.Recurring[0]
	if len(s.Recurring) != 1 || !r.Regular() || r.Cadence != 7 || r.Count != 3 || r.AmountMinor != 51_000 || r.Category != "groceries" {
		t.Fatalf("recurring %+v", s.Recurring)
	}
	for _, c := range []struct {
		now               time.Time
		commitments, safe int64
	}{
		{nov(18, 12), 102_000, 145_000},
		{nov(24, 12), 102_000, 145_000},
		{nov(25, 12), 51_000, 196_000},
		{nov(30, 20), 51_000, 196_000},
	} {
		v := s.Views(c.now)[1] // dining, groceries
		if v.Category != "groceries" || v.RemainingMinor != 247_000 || v.CommitmentsMinor != c.commitments || v.SafeToSpendMinor != c.safe {
			t.Fatalf("at %s: %+v, want commitments %d safe %d", c.now, v, c.commitments, c.safe)
		}
	}
	all := OverallOf(s.Views(nov(18, 12)))
	if want := []Overall{{Currency: "THB", SafeToSpendMinor: 245_000, RemainingMinor: 347_000, CommitmentsMinor: 102_000}}; !reflect.DeepEqual(all, want) {
		t.Fatalf("overall %+v, want %+v", all, want)
	}
	// The update of the purchase carries it too: after W3 (on the 16th,
	// from that day) the 23rd and 30th are expected.
	eff := pay(s, "X1", 10_000, nov(17, 12))
	if u := eff.Updates[0]; u.CommitmentsMinor != 102_000 || u.SafeToSpendMinor != 400_000-163_000-102_000 {
		t.Fatalf("update %+v", u)
	}
	// A ฿800 shop breaks the chain (more than 10% above ฿510).
	pay(s, "W4", 80_000, nov(23, 18))
	if v := s.Views(nov(24, 12))[1]; v.CommitmentsMinor != 0 || v.SafeToSpendMinor != v.RemainingMinor {
		t.Fatalf("after the chain broke: %+v", v)
	}
	// Floored at 0: a budget with less left than its commitments.
	if safe, _ := s.SafeToSpend(s.Budgets["groceries"], period.Of(period.Monthly, nov(24, 1), bkk), 10, nov(24, 1)); safe != 10 {
		t.Fatalf("safe %d", safe)
	}
}

// Monthly chains: 5 Sep, 5 Oct, 4 Nov (within 3 days of the 5th) make a
// regular payment due on 4 December; on 1 December it is committed in
// December, in November nothing remains due.
func TestMonthlyRecurringCommitment(t *testing.T) {
	s := NewBook("USR-789")
	groceries(t, s, 400_000)
	pay(s, "M1", 30_000, time.Date(2026, 9, 5, 10, 0, 0, 0, bkk))
	pay(s, "M2", 30_000, oct(5, 10))
	pay(s, "M3", 31_000, nov(4, 10))
	if r := s.Recurring[0]; r.Cadence != 30 || r.Count != 3 {
		t.Fatalf("%+v", r)
	}
	if c := s.Commitments("groceries", "THB", nov(20, 1), dec(1, 0)); c != 0 {
		t.Fatalf("November commitments %d", c)
	}
	if c := s.Commitments("groceries", "THB", dec(1, 1), time.Date(2027, 1, 1, 0, 0, 0, 0, bkk)); c != 31_000 {
		t.Fatalf("December commitments %d, want 31000", c)
	}
}

// Rollover: a ฿1,000 budget created in October with ฿700 spent there
// carries ฿300 into November, so ฿650 spent in November is 650/1300 = 5000
// bp (6500 without rollover). October overspent carries nothing; a budget
// created in November carries nothing into November.
func TestRolloverAddsLastPeriodsRemainder(t *testing.T) {
	s := NewBook("USR-789")
	b, _ := ValidateBudget("groceries", 100_000, "THB", "monthly", nil, known)
	b.Rollover = true
	s.SetBudget(*b, oct(5, 9))
	pay(s, "O1", 70_000, oct(10, 9))
	eff := pay(s, "N1", 65_000, nov(10, 9))
	u := eff.Updates[0]
	if u.RolloverMinor != 30_000 || u.RemainingMinor != 65_000 || u.UsedBP != 5000 || !reflect.DeepEqual(u.ThresholdCrossedBP, []int64{5000}) {
		t.Fatalf("update %+v", u)
	}
	v := s.Views(nov(10, 12))[0]
	if !v.Rollover || v.RolloverMinor != 30_000 || v.LimitMinor != 100_000 || v.UsedBP != 5000 {
		t.Fatalf("view %+v", v)
	}
	pay(s, "N2", 60_000, nov(11, 9)) // November: ฿1,250 spent of ฿1,000
	if v := s.Views(dec(2, 12))[0]; v.RolloverMinor != 0 || v.RemainingMinor != 100_000 {
		t.Fatalf("after an overspent November: %+v", v)
	}
	s2 := NewBook("USR-789")
	s2.SetBudget(*b, nov(5, 9))
	if v := s2.Views(nov(10, 12))[0]; v.RolloverMinor != 0 {
		t.Fatalf("created in November: %+v", v)
	}
	// Turning rollover off is a change of settings.
	off := *b
	off.Rollover = false
	if eff := s.SetBudget(off, dec(2, 12)); len(eff.Updates) != 1 || eff.Updates[0].RolloverMinor != 0 {
		t.Fatalf("rollover off: %+v", eff.Updates)
	}
}

// The recurring memory holds at most MaxRecurring merchants: a regular one
// outlives 40 one-off merchants.
func TestRecurringMerchantsAreBounded(t *testing.T) {
	s := NewBook("USR-789")
	groceries(t, s, 400_000)
	pay(s, "W1", 50_000, nov(2, 18))
	pay(s, "W2", 50_000, nov(9, 18))
	pay(s, "W3", 50_000, nov(16, 18))
	for i := range 40 {
		row := txn(fmt.Sprintf("X%02d", i), 1_000, "POSTED", nov(17, 9).Add(time.Duration(i)*time.Minute))
		row.MerchantID, row.MerchantName = fmt.Sprintf("M-%d", i), fmt.Sprintf("Shop %d", i)
		lsn++
		s.ApplyTxn(change(row, lsn))
	}
	if len(s.Recurring) != MaxRecurring {
		t.Fatalf("%d merchants, first %+v", len(s.Recurring), s.Recurring[0])
	}
	regular := 0
	for _, r := range s.Recurring {
		if r.Regular() {
			regular++
		}
	}
	if regular != 1 {
		t.Fatalf("%d regular merchants kept", regular)
	}
}

// State cost of the planning state at its bounds: 15 budgets each with
// MaxBuilders transactions (36-byte ids, 32-byte names) and MaxRecurring
// merchants with 32-byte names.
func TestPlanStateIsBounded(t *testing.T) {
	s := State{UserID: "USR-000001", Budgets: map[string]*Budget{}}
	long := strings.Repeat("n", 64)
	for i, cat := range []string{"groceries", "dining", "transport", "shopping", "bills", "entertainment", "health",
		"travel", "education", "subscriptions", "transfers", "cash", "fees", "income", "other"} {
		b := &Budget{Category: cat, Period: period.Monthly, Currency: "THB", LimitMinor: 1_000_000, ThresholdsBP: DefaultThresholdsBP,
			Rollover: true, Since: "2026-01", PaceAlerted: "2026-11"}
		for j := range 3 * MaxBuilders {
			row := txn(fmt.Sprintf("%036d", i*100+j), int64(1_000+j), "POSTED", nov(20, 9))
			row.MerchantName = long
			b.track(cdc.TxnChange{Row: row, Source: "mcc"}, period.Of(period.Monthly, nov(20, 9), bkk), 0, row.AmountMinor)
		}
		s.Budgets[cat] = b
	}
	for i := range 3 * MaxRecurring {
		row := txn(fmt.Sprintf("R%d", i), 5_000, "POSTED", nov(1, 9).Add(time.Duration(i)*time.Hour))
		row.MerchantID, row.MerchantName = fmt.Sprintf("%032d", i), long
		s.observe(cdc.TxnChange{Row: row, Category: "subscriptions", Counts: cdc.Contribution{Amount: 5_000}})
	}
	raw, err := Codec{}.Encode(&s)
	if err != nil {
		t.Fatal(err)
	}
	plan := 0
	for _, b := range s.Budgets {
		if len(b.Builders.Top) != MaxBuilders || b.Builders.Count != 3*MaxBuilders {
			t.Fatalf("builders %+v", b.Builders)
		}
		plan += len(b.Builders.Top)
	}
	t.Logf("users value with 15 full budgets and %d recurring merchants: %d bytes (%d builders)", len(s.Recurring), len(raw), plan)
	if len(s.Recurring) != MaxRecurring || len(raw) > 13*1024 {
		t.Fatalf("%d merchants, %d bytes: want %d, ≤ 13 KiB", len(s.Recurring), len(raw), MaxRecurring)
	}
	var back State
	if err := back.UnmarshalBinary(raw); err != nil || !reflect.DeepEqual(back.Recurring, s.Recurring) ||
		!reflect.DeepEqual(back.Budgets["dining"].Builders, s.Budgets["dining"].Builders) {
		t.Fatalf("round trip: %v", err)
	}
}

// A value of the previous format (0xB4: no planning state) still decodes.
func TestCodecDecodesFormatV4(t *testing.T) {
	s := State{UserID: "U", Version: 3, Spend: map[string]int64{"2026-11|groceries|THB": 5}}
	raw, _ := s.MarshalBinary()
	if raw[len(raw)-2] != 0 || raw[len(raw)-1] != 0 { // the empty drops and recurring lists, last
		t.Fatalf("unexpected tail %x", raw)
	}
	v4 := append([]byte{stateFormatV4}, raw[1:len(raw)-2]...)
	var got State
	if err := got.UnmarshalBinary(v4); err != nil || !reflect.DeepEqual(got, s) {
		t.Fatalf("decoded %+v, %v", got, err)
	}
}

// Pay-months from the 25th: a ฿1,000 groceries budget set on 20 October
// (pay-month 25 Sep – 25 Oct), counting what is posted from then on. ฿300 on 24 October counts there; ฿100 on 25
// October and ฿200 on 24 November in 25 Oct – 25 Nov; ฿50 on 25 November
// in the next. On 24 November ฿300 is spent with 1 day left (day 31 of 31:
// 10000 bp elapsed); on 26 November ฿50 with 29 days left, and with
// rollover ฿700 carried from the pay-month before (฿1,000 − ฿300). The
// calendar month keeps counting as before: November ฿250.
func TestPaydayAlignedPeriods(t *testing.T) {
	s := NewBook("USR-789")
	b, _ := ValidateBudget("groceries", 100_000, "THB", "monthly", nil, known)
	b.AnchorDay = 25
	s.SetBudget(*b, oct(20, 9))
	// Posted on the 18th, before the budget took its anchor day: not in
	// its pay-month (the state cannot know what came before), and its
	// reversal takes nothing out of it either.
	pay(s, "A0", 20_000, oct(18, 9))
	if v := s.Views(oct(21, 9))[0]; v.SpentMinor != 0 || s.SpentIn("groceries", "THB", period.Monthly, oct(21, 9)) != 20_000 {
		t.Fatalf("before the anchor: %+v", v)
	}
	lsn++
	if eff := s.ApplyTxn(change(txn("A0", 20_000, "REVERSED", oct(18, 9)), lsn)); len(eff.Updates) != 0 || s.Views(oct(21, 9))[0].SpentMinor != 0 {
		t.Fatalf("reversal before the anchor: %+v", eff.Updates)
	}
	pay(s, "A1", 30_000, oct(24, 9))
	pay(s, "A2", 10_000, oct(25, 9))
	pay(s, "A3", 20_000, nov(24, 9))
	pay(s, "A4", 5_000, nov(25, 9))
	v := s.Views(nov(24, 12))[0]
	if !v.PeriodStart.Equal(time.Date(2026, 10, 25, 0, 0, 0, 0, bkk)) || !v.PeriodEnd.Equal(time.Date(2026, 11, 25, 0, 0, 0, 0, bkk)) ||
		v.SpentMinor != 30_000 || v.DaysLeft != 1 || v.ElapsedBP != 10000 || v.PeriodAnchorDay != 25 {
		t.Fatalf("24 November: %+v", v)
	}
	v = s.Views(nov(26, 12))[0]
	if !v.PeriodStart.Equal(time.Date(2026, 11, 25, 0, 0, 0, 0, bkk)) || v.SpentMinor != 5_000 || v.DaysLeft != 29 || v.RolloverMinor != 0 {
		t.Fatalf("26 November: %+v", v)
	}
	if got := s.SpentIn("groceries", "THB", period.Monthly, nov(26, 12)); got != 25_000 {
		t.Fatalf("calendar November %d", got)
	}
	r := *b
	r.Rollover = true
	if eff := s.SetBudget(r, nov(26, 12)); len(eff.Updates) != 1 || eff.Updates[0].PeriodKey != "2026-11@25" {
		t.Fatalf("rollover on: %+v", eff.Updates)
	}
	if v := s.Views(nov(26, 12))[0]; v.RolloverMinor != 70_000 || v.RemainingMinor != 165_000 {
		t.Fatalf("with rollover: %+v", v)
	}
	// A reversal moves the pay-month it was counted in.
	lsn++
	s.ApplyTxn(change(txn("A3", 20_000, "REVERSED", nov(24, 9)), lsn))
	if v := s.Views(nov(24, 12))[0]; v.SpentMinor != 10_000 {
		t.Fatalf("after reversing A3: %+v", v)
	}
	for _, c := range []struct {
		kind period.Kind
		day  int
		ok   bool
	}{{period.Monthly, 0, true}, {period.Monthly, 1, true}, {period.Monthly, 28, true}, {period.Monthly, 29, false}, {period.Weekly, 25, false}, {period.Monthly, -1, false}} {
		if err := ValidateAnchor(c.kind, c.day); (err == nil) != c.ok {
			t.Errorf("ValidateAnchor(%s, %d): %v", c.kind, c.day, err)
		}
	}
}
