package insight

import (
	"maps"
	"testing"
	"time"

	"finstream/processors/event"
)

var bkk, _ = time.LoadLocation("Asia/Bangkok")

func day(m time.Month, d int) time.Time { return time.Date(2026, m, d, 10, 0, 0, 0, bkk) }

// groceries is the update the budget processor writes for the seed's Tesco
// Lotus purchase: budget ฿16,000, spent ฿15,000 after ฿1,500 on 19 Nov 2026.
func groceries(version, spent int64, at time.Time) event.BudgetUpdate {
	return event.BudgetUpdate{
		Kind: event.BudgetPersonal, BudgetID: "USR-789:groceries", UserID: "USR-789", Category: "groceries",
		Period: "monthly", PeriodKey: "2026-11", PeriodStart: time.Date(2026, 11, 1, 0, 0, 0, 0, bkk),
		PeriodEnd: time.Date(2026, 12, 1, 0, 0, 0, 0, bkk), Currency: "THB", LimitMinor: 1_600_000,
		SpentMinor: spent, RemainingMinor: 1_600_000 - spent, UsedBP: spent * 10000 / 1_600_000,
		Version: version, TxnID: "T3", Merchant: "Tesco Lotus", AmountMinor: 150_000, EventTime: at,
	}
}

// want is the expected part of an insight.
type want struct {
	severity, text, textTH, date string
	cleared                      bool
	data                         map[string]int64
}

func check(t *testing.T, got []event.Insight, exp map[string]want) {
	t.Helper()
	if len(got) != len(exp) {
		for _, g := range got {
			t.Logf("got %s: %s %q %v", g.InsightID, g.Severity, g.Text, g.Data)
		}
		t.Fatalf("%d insights changed, want %d", len(got), len(exp))
	}
	for _, g := range got {
		w, ok := exp[g.InsightID]
		if !ok {
			t.Errorf("unexpected insight %s: %q", g.InsightID, g.Text)
			continue
		}
		if g.Cleared != w.cleared {
			t.Errorf("%s cleared = %v, want %v", g.InsightID, g.Cleared, w.cleared)
		}
		if w.cleared {
			continue
		}
		if g.Severity != w.severity || g.Text != w.text || (w.textTH != "" && g.TextTH != w.textTH) || g.Date != w.date {
			t.Errorf("%s = %s %q %q %q,\n want %s %q %q %q", g.InsightID, g.Severity, g.Text, g.TextTH, g.Date, w.severity, w.text, w.textTH, w.date)
		}
		if !maps.Equal(g.Data, w.data) {
			t.Errorf("%s data = %v, want %v", g.InsightID, g.Data, w.data)
		}
	}
}

func TestBudgetInsights(t *testing.T) {
	const (
		usage = "USR-789|budget_usage|groceries|2026-11"
		rem   = "USR-789|remaining|groceries|2026-11"
		run   = "USR-789|runway|groceries|2026-11"
	)
	s := &State{UserID: "USR-789"}
	steps := []struct {
		name string
		in   event.BudgetUpdate
		want map[string]want
	}{{
		// 1,500,000·10000/1,600,000 = 9375 bp. Days left on 19 Nov: 12 (30 − 19 + 1).
		// Remaining 100,000 < pro-rata 1,600,000·12/30 = 640,000: warning.
		// Runway: elapsed 19 days, average 1,500,000/19 = 78,947 a day;
		// k = ceil(1,600,000·19/1,500,000) = ceil(20.27) = 21 → runs out on 21 Nov, in 2 days.
		name: "seed: Tesco Lotus on 19 Nov",
		in:   groceries(3, 1_500_000, day(11, 19)),
		want: map[string]want{
			usage: {severity: "warning", text: "93.75% of your Groceries budget used", textTH: "ใช้งบหมวดของใช้ประจำวันไปแล้ว 93.75%",
				data: map[string]int64{"used_bp": 9375, "spent_minor": 1_500_000, "limit_minor": 1_600_000}},
			rem: {severity: "warning", text: "฿1,000 left for 12 days", textTH: "เหลือ ฿1,000 สำหรับ 12 วัน",
				data: map[string]int64{"remaining_minor": 100_000, "days_left": 12, "daily_allowance_minor": 8333}},
			run: {severity: "critical", text: "At this rate you run out in 2 days (21 Nov 2026)", textTH: "ถ้าใช้จ่ายในอัตรานี้ งบจะหมดใน 2 วัน (21 พ.ย. 2569)",
				date: "2026-11-21", data: map[string]int64{"avg_daily_minor": 78_947, "days_elapsed": 19, "period_days": 30, "run_out_day": 21, "run_out_in_days": 2}},
		},
	}, {
		name: "the same update again changes nothing",
		in:   groceries(3, 1_500_000, day(11, 19)),
	}, {
		name: "a stale update changes nothing",
		in:   groceries(2, 1_350_000, day(11, 10)),
	}, {
		// Usage unchanged: not emitted. 11 days left; elapsed 20:
		// k = ceil(1,600,000·20/1,500,000) = ceil(21.33) = 22 → 22 Nov, in 2 days; 1,500,000/20 = 75,000.
		name: "next day, same spend: only what depends on the day",
		in:   groceries(4, 1_500_000, day(11, 20)),
		want: map[string]want{
			rem: {severity: "warning", text: "฿1,000 left for 11 days",
				data: map[string]int64{"remaining_minor": 100_000, "days_left": 11, "daily_allowance_minor": 9090}},
			run: {severity: "critical", text: "At this rate you run out in 2 days (22 Nov 2026)",
				date: "2026-11-22", data: map[string]int64{"avg_daily_minor": 75_000, "days_elapsed": 20, "period_days": 30, "run_out_day": 22, "run_out_in_days": 2}},
		},
	}, {
		// 1,700,000·10000/1,600,000 = 10625 bp; ฿1,000 over; nothing left to run out of.
		name: "over budget",
		in:   groceries(5, 1_700_000, day(11, 20)),
		want: map[string]want{
			usage: {severity: "critical", text: "106.25% of your Groceries budget used",
				data: map[string]int64{"used_bp": 10625, "spent_minor": 1_700_000, "limit_minor": 1_600_000}},
			rem: {severity: "critical", text: "฿1,000 over budget with 11 days left", textTH: "เกินงบ ฿1,000 เหลืออีก 11 วัน",
				data: map[string]int64{"remaining_minor": -100_000, "days_left": 11}},
			run: {cleared: true},
		},
	}, {
		// A refund: 400,000 spent by 20 Nov. 2500 bp; 1,200,000·30 = 36,000,000 ≥ 1,600,000·11
		// = 17,600,000: info. k = ceil(1,600,000·20/400,000) = 80 ≥ 30: no runway.
		name: "back on track",
		in:   groceries(6, 400_000, day(11, 20)),
		want: map[string]want{
			usage: {severity: "info", text: "25% of your Groceries budget used",
				data: map[string]int64{"used_bp": 2500, "spent_minor": 400_000, "limit_minor": 1_600_000}},
			rem: {severity: "info", text: "฿12,000 left for 11 days",
				data: map[string]int64{"remaining_minor": 1_200_000, "days_left": 11, "daily_allowance_minor": 109_090}},
		},
	}, {
		// Deleted and created again: versions restart, event time moves on.
		name: "budget created again",
		in:   groceries(1, 1_500_000, day(11, 21)),
		want: map[string]want{
			usage: {severity: "warning", text: "93.75% of your Groceries budget used",
				data: map[string]int64{"used_bp": 9375, "spent_minor": 1_500_000, "limit_minor": 1_600_000}},
			// 10 days left; elapsed 21: k = ceil(1,600,000·21/1,500,000) = ceil(22.4) = 23 → 23 Nov.
			rem: {severity: "warning", text: "฿1,000 left for 10 days",
				data: map[string]int64{"remaining_minor": 100_000, "days_left": 10, "daily_allowance_minor": 10_000}},
			run: {severity: "critical", text: "At this rate you run out in 2 days (23 Nov 2026)",
				date: "2026-11-23", data: map[string]int64{"avg_daily_minor": 71_428, "days_elapsed": 21, "period_days": 30, "run_out_day": 23, "run_out_in_days": 2}},
		},
	}}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) { check(t, s.ApplyBudget(st.in), st.want) })
	}

	// GET /v1/me/insights: the current ones, newest first, on 21 Nov.
	cur := s.Current(day(11, 21))
	if len(cur) != 3 {
		t.Fatalf("current = %d insights, want 3", len(cur))
	}
	for _, in := range cur {
		if in.Version < 2 || in.UserID != "USR-789" || !in.EventTime.Equal(day(11, 21)) {
			t.Errorf("current %s: version %d user %q at %v", in.InsightID, in.Version, in.UserID, in.EventTime)
		}
	}
	if got := s.Current(time.Date(2026, 12, 1, 0, 0, 0, 0, bkk)); len(got) != 0 {
		t.Errorf("after the period: %d current insights, want 0", len(got))
	}
}

func TestBudgetInsightsIgnoreOthers(t *testing.T) {
	s := &State{UserID: "USR-789"}
	shared := groceries(1, 1_500_000, day(11, 19))
	shared.Kind = event.BudgetShared
	if got := s.ApplyBudget(shared); len(got) != 0 {
		t.Errorf("shared budget update made %d insights", len(got))
	}
	s.ApplyBudget(groceries(3, 1_500_000, day(11, 19)))
	old := groceries(4, 1_000_000, day(11, 20))
	old.PeriodKey, old.PeriodStart, old.PeriodEnd = "2026-10", time.Date(2026, 10, 1, 0, 0, 0, 0, bkk), time.Date(2026, 11, 1, 0, 0, 0, 0, bkk)
	if got := s.ApplyBudget(old); len(got) != 0 {
		t.Errorf("an update of an earlier period made %d insights", len(got))
	}
}
