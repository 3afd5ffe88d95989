package insight

import (
	"testing"
	"time"
)

func TestUnusualTransaction(t *testing.T) {
	const sizzler = "USR-1|unusual_transaction|D6"
	s := &State{UserID: "USR-1"}
	// Dining at five different places: 100 120 90 110 100 → median 100,
	// deviations 0 20 10 10 0 → MAD 10 (= 100/10, the floor).
	for i, baht := range []int64{100, 120, 90, 110} {
		check(t, s.ApplyCategorized(txn("D"+string(rune('1'+i)), "dining", "Place "+string(rune('A'+i)), baht, day(10, 1+3*i))), nil)
	}
	big := txn("D6", "dining", "Sizzler", 400, day(10, 20))
	run(t, s, []step{{
		// Four amounts of history: below MinHistory, nothing fires.
		name: "too little history", in: txn("D0", "dining", "Place Z", 400, day(10, 14)),
	}, {
		name: "reverse it", in: reversed(txn("D0", "dining", "Place Z", 400, day(10, 14))),
	}, {
		name: "fifth", in: txn("D5", "dining", "Place E", 100, day(10, 16)),
	}, {
		// 400 ≥ 2·100 and (400−100)·0.6745/10 = 20.23 > 3.5; 4× → warning.
		name: "4x the usual", in: big,
		want: map[string]want{sizzler: {severity: "warning",
			text:   "Unusual: ฿400 at Sizzler is 4× your usual ฿100 for Dining",
			textTH: "รายการผิดปกติ: ฿400 ที่ Sizzler สูงกว่าปกติ 4× (ปกติ ฿100 ในหมวดอาหารนอกบ้าน)",
			data:   map[string]int64{"amount_minor": 40_000, "median_minor": 10_000, "mad_minor": 1_000, "z_x100": 2023, "ratio_bp": 40_000, "history_n": 5}}},
	}, {
		name: "replayed", in: big,
	}, {
		// 150 < 2·100: not unusual.
		name: "a bit more than usual", in: txn("D7", "dining", "Place F", 150, day(10, 21)),
	}, {
		name: "the unusual one reversed", in: reversed(big),
		want: map[string]want{sizzler: {cleared: true}},
	}})
}

func TestUnusualAtMerchant(t *testing.T) {
	s := &State{UserID: "USR-1"}
	// Starbucks 150 150 160 140 150 at irregular days → median 150, MAD 0,
	// floored to 15. 900: (900−150)·0.6745/15 = 33.7; 6× → critical.
	for i, d := range []int{1, 4, 12, 15, 27} {
		baht := []int64{150, 150, 160, 140, 150}[i]
		check(t, s.ApplyCategorized(txn("C"+string(rune('1'+i)), "dining", "Starbucks", baht, day(10, d))), nil)
	}
	check(t, s.ApplyCategorized(txn("C9", "dining", "STARBUCKS", 900, day(10, 29))), map[string]want{
		"USR-1|unusual_transaction|C9": {severity: "critical",
			text: "Unusual: ฿900 at STARBUCKS is 6× your usual ฿150 there",
			data: map[string]int64{"amount_minor": 90_000, "median_minor": 15_000, "mad_minor": 1_500, "z_x100": 3372, "ratio_bp": 60_000, "history_n": 5}},
	})
}

func TestRecurring(t *testing.T) {
	const netflix = "USR-1|recurring|netflix:THB"
	const grab = "USR-1|recurring|grab:THB"
	s := &State{UserID: "USR-1"}
	run(t, s, []step{
		{name: "netflix 1", in: txn("NF1", "subscriptions", "Netflix", 419, day(9, 5))},
		{name: "netflix 2", in: txn("NF2", "subscriptions", "Netflix", 419, day(10, 5))},
		{
			// 5 Oct + 1 month = 5 Nov; 6 Nov is within 3 days. Next: 6 Dec.
			name: "netflix 3, a day late", in: txn("NF3", "subscriptions", "Netflix", 419, day(11, 6)),
			want: map[string]want{netflix: {severity: "info", date: "2026-12-06",
				text:   "Recurring payment: Netflix ฿419 monthly, seen 3 times; next expected 6 Dec 2026",
				textTH: "รายการจ่ายประจำ: Netflix ฿419 ทุกเดือน (3 ครั้ง) ครั้งถัดไป 6 ธ.ค. 2569",
				data:   map[string]int64{"amount_minor": 41_900, "count": 3, "cadence_days": 30}}},
		},
		{name: "grab 1", in: txn("G1", "transport", "Grab", 150, day(11, 2))},
		{name: "grab 2", in: txn("G2", "transport", "Grab", 155, day(11, 9))},
		{
			// |155−145|·10 = 100 ≤ 145 and |150−145|·10 ≤ 145; gaps 7 and 7 days.
			name: "grab 3, weekly within 10%", in: txn("G3", "transport", "Grab", 145, day(11, 16)),
			want: map[string]want{grab: {severity: "info", date: "2026-11-23",
				text: "Recurring payment: Grab ฿145 weekly, seen 3 times; next expected 23 Nov 2026",
				data: map[string]int64{"amount_minor": 14_500, "count": 3, "cadence_days": 7}}},
		},
		{
			// |145−500|·10 > 500: the chain breaks at the latest.
			name: "grab at a different price", in: txn("G4", "transport", "Grab", 500, day(11, 23)),
			want: map[string]want{grab: {cleared: true}},
		},
		{
			name: "which was reversed", in: reversed(txn("G4", "transport", "Grab", 500, day(11, 23))),
			want: map[string]want{grab: {severity: "info", date: "2026-11-23",
				text: "Recurring payment: Grab ฿145 weekly, seen 3 times; next expected 23 Nov 2026",
				data: map[string]int64{"amount_minor": 14_500, "count": 3, "cadence_days": 7}}},
		},
	})
	// Two payments two months apart are no cadence.
	s2 := &State{UserID: "USR-1"}
	for i, m := range []int{7, 9, 10} {
		for _, in := range s2.ApplyCategorized(txn("X"+string(rune('1'+i)), "bills", "Gym", 900, day(time.Month(m), 1))) {
			if in.Kind == "recurring" {
				t.Errorf("recurring without a cadence: %q", in.Text)
			}
		}
	}
}
