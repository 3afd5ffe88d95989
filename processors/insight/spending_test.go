package insight

import (
	"testing"
	"time"

	"finstream/processors/event"
)

// txn is a categorized purchase of major THB units (×100 minor).
func txn(id, cat, merchant string, baht int64, at time.Time) event.Categorized {
	return event.Categorized{
		TxnID: id, UserID: "USR-1", Direction: "DEBIT", Type: "PURCHASE", Status: "POSTED",
		AmountMinor: baht * 100, SpendMinor: baht * 100, Currency: "THB", MerchantName: merchant,
		Category: cat, PostedAt: at, Version: 1,
	}
}

func reversed(c event.Categorized) event.Categorized {
	c.Status, c.SpendMinor, c.Version = "REVERSED", 0, c.Version+1
	return c
}

type step struct {
	name string
	in   event.Categorized
	want map[string]want
}

func run(t *testing.T, s *State, steps []step) {
	t.Helper()
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) { check(t, s.ApplyCategorized(st.in), st.want) })
	}
}

func TestSpike(t *testing.T) {
	const spike = "USR-1|spike|dining:THB|2026-11"
	s := &State{UserID: "USR-1"}
	// Three months of dining: through day 14, August 1,000, September
	// 3,000, October 1,500 (the 2,000 on 25 Aug is after day 14).
	for _, c := range []event.Categorized{
		txn("A1", "dining", "R1", 1000, day(8, 5)), txn("A2", "dining", "R2", 2000, day(8, 25)),
		txn("S1", "dining", "R3", 3000, day(9, 10)),
		txn("O1", "dining", "R4", 1500, day(10, 3)), txn("O2", "dining", "R5", 1500, day(10, 15)),
	} {
		check(t, s.ApplyCategorized(c), nil)
	}
	n14 := txn("N2", "dining", "R7", 1000, day(11, 14))
	run(t, s, []step{{
		// Day 2: every previous month had 0 by day 2 → no baseline.
		name: "no baseline yet", in: txn("N1", "dining", "R6", 2000, day(11, 2)),
	}, {
		// Day 14: S = 3,000; C = 1,000 + 3,000 + 1,500 = 5,500; 2·3,000 ≥ 5,500.
		// Baseline 5,500/3 = 1,833.33; ratio 300,000·30000/550,000 = 16363 bp.
		name: "1.63x by day 14", in: n14,
		want: map[string]want{spike: {severity: "warning",
			text:   "Dining spending is 1.63× your usual by day 14 of the month: ฿3,000 vs ฿1,833.33",
			textTH: "ค่าใช้จ่ายหมวดอาหารนอกบ้านสูงกว่าปกติ 1.63× ณ วันที่ 14 ของเดือน: ฿3,000 เทียบกับ ฿1,833.33",
			data:   map[string]int64{"spent_minor": 300_000, "baseline_minor": 183_333, "ratio_bp": 16363, "day": 14}}},
	}, {
		name: "a duplicate changes nothing", in: n14,
	}, {
		// 2,000·2 = 4,000 < 5,500.
		name: "reversal clears it", in: reversed(n14),
		want: map[string]want{spike: {cleared: true}},
	}, {
		// S = 2,000 + 4,000 = 6,000 ≥ 5,500 → critical (≥ 3×): 600,000·30000/550,000 = 32727 bp.
		// The 4,000 is also unusual for dining: history 1,000 2,000 3,000 1,500 1,500 2,000 →
		// median (1,500+2,000)/2 = 1,750, deviations 750 250 1,250 250 250 250 → MAD 250
		// (≥ 1,750/10); 4,000 ≥ 2·1,750 and (4,000−1,750)·0.6745/250 = 6.07 > 3.5.
		name: "critical spike and an unusual amount", in: txn("N3", "dining", "R8", 4000, day(11, 14)),
		want: map[string]want{
			spike: {severity: "critical",
				text: "Dining spending is 3.27× your usual by day 14 of the month: ฿6,000 vs ฿1,833.33",
				data: map[string]int64{"spent_minor": 600_000, "baseline_minor": 183_333, "ratio_bp": 32727, "day": 14}},
			"USR-1|unusual_transaction|N3": {severity: "warning",
				text: "Unusual: ฿4,000 at R8 is 2.28× your usual ฿1,750 for Dining",
				data: map[string]int64{"amount_minor": 400_000, "median_minor": 175_000, "mad_minor": 25_000, "z_x100": 607, "ratio_bp": 22857, "history_n": 6}},
		},
	}})
}

func TestSpikeNeedsThreeMonths(t *testing.T) {
	s := &State{UserID: "USR-1"}
	// First seen in September: 2·3,000 ≥ 3,000 + 1,500 would be a spike,
	// but August is unknown.
	for _, c := range []event.Categorized{
		txn("S1", "dining", "R3", 3000, day(9, 10)), txn("O1", "dining", "R4", 1500, day(10, 3)),
		txn("N1", "dining", "R6", 2000, day(11, 2)),
	} {
		check(t, s.ApplyCategorized(c), nil)
	}
	check(t, s.ApplyCategorized(txn("N2", "dining", "R7", 1000, day(11, 14))), nil)
}
