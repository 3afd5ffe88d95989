package goal

import (
	"bytes"
	"testing"
	"time"

	"finstream/processors/compact"
	"finstream/processors/event"
)

func day(s string) time.Time {
	d, _ := time.Parse(time.DateOnly, s)
	return d
}

// monthly_needed_minor by hand: ceil(remaining / months left), a started
// month counting as one.
func TestMonthlyNeeded(t *testing.T) {
	cases := []struct {
		saved, target int64
		due, today    string
		months, want  int64
	}{
		{0, 100_000, "2027-05-19", "2026-11-19", 6, 16_667},              // 100,000/6 = 16,666.67
		{0, 100_000, "2027-05-20", "2026-11-19", 7, 14_286},              // 100,000/7 = 14,285.71
		{1_000_000, 5_000_000, "2026-12-31", "2026-11-19", 2, 2_000_000}, // 4,000,000/2
		{0, 90_000, "2026-11-30", "2026-11-19", 1, 90_000},               // this month: all of it
		{0, 90_000, "2026-10-01", "2026-11-19", 1, 90_000},               // passed: all of it now
		{120_000, 100_000, "2027-01-01", "2026-11-19", 2, 0},             // reached
	}
	for _, c := range cases {
		if m := MonthsLeft(day(c.today), day(c.due)); m != c.months {
			t.Errorf("months from %s to %s: %d, want %d", c.today, c.due, m, c.months)
		}
		if got, ok := MonthlyNeeded(c.saved, c.target, c.due, day(c.today)); !ok || got != c.want {
			t.Errorf("%d of %d by %s on %s: %d, want %d", c.saved, c.target, c.due, c.today, got, c.want)
		}
	}
	if _, ok := MonthlyNeeded(0, 1, "", day("2026-11-19")); ok {
		t.Error("no target date: nothing needed")
	}
}

// The house goal (฿50,000 by 31 December): ฿1,000 on 1 October projects
// to 19 November (49 days at ฿1,000 a day): on track. ฿1,000 more on 1
// November: ฿2,000 over 32 days projects 768 days on, past the target: off
// track, one event, needing ฿48,000 over 2 months = ฿24,000 a month. On 5
// November still off track: no second event in November. On 1 December
// again (฿46,000 in 1 month).
func TestOffTrackOncePerMonth(t *testing.T) {
	s := &State{UserID: "USR-1"}
	if _, err := s.SetGoal(house(), at(9, 30)); err != nil {
		t.Fatal(err)
	}
	offTrack := func(eff Effects) []event.GoalEvent {
		var out []event.GoalEvent
		for _, ev := range eff.Events {
			if ev.Kind == event.GoalOffTrack {
				out = append(out, ev)
			}
		}
		return out
	}
	if got := offTrack(s.ApplyTxn(move("C1", "USR-1", "CREDIT", 100_000, 1, at(10, 1)))); len(got) != 0 {
		t.Fatalf("1 October: %+v", got)
	}
	c2 := move("C2", "USR-1", "CREDIT", 100_000, 2, at(11, 1))
	got := offTrack(s.ApplyTxnFrom(c2, "finstream.txn.by-user/0/2"))
	if len(got) != 1 || got[0].EventID != "USR-1|G-HOUSE|off2026-11" || got[0].MonthlyNeededMinor != 2_400_000 || got[0].OnTrack {
		t.Fatalf("1 November: %+v", got)
	}
	// The same record again (after a crash): its off-track event again,
	// with the same id.
	if again := offTrack(s.ApplyTxnFrom(c2, "finstream.txn.by-user/0/2")); len(again) != 1 || again[0].EventID != got[0].EventID ||
		again[0].MonthlyNeededMinor != 2_400_000 {
		t.Fatalf("redelivered: %+v", again)
	}
	if got := offTrack(s.ApplyTxn(move("C3", "USR-1", "CREDIT", 100_000, 3, at(11, 5)))); len(got) != 0 {
		t.Fatalf("5 November: %+v", got)
	}
	got = offTrack(s.ApplyTxn(move("C4", "USR-1", "CREDIT", 100_000, 4, at(12, 1))))
	if len(got) != 1 || got[0].EventID != "USR-1|G-HOUSE|off2026-12" || got[0].MonthlyNeededMinor != 4_600_000 {
		t.Fatalf("1 December: %+v", got)
	}
	// The view as of 2 December: ฿46,000 left, in 1 month.
	v := s.Views()[0]
	s.Plan(&v, time.Date(2026, 12, 2, 12, 0, 0, 0, bkk))
	if v.MonthlyNeededMinor == nil || *v.MonthlyNeededMinor != 4_600_000 {
		t.Fatalf("view %+v", v)
	}
	// The month of the last event survives the codec.
	b, _ := s.MarshalBinary()
	var back State
	if err := back.UnmarshalBinary(b); err != nil || back.Goals["G-HOUSE"].OffTrackMonth != "2026-12" {
		t.Fatalf("codec: %v %+v", err, back.Goals["G-HOUSE"])
	}
}

// A value of the previous format (0xC2: no off-track month) still decodes.
func TestCodecDecodesFormatC2(t *testing.T) {
	s := &State{UserID: "USR-1"}
	if _, err := s.SetGoal(house(), at(9, 30)); err != nil {
		t.Fatal(err)
	}
	raw, _ := s.MarshalBinary()
	w := &compact.Writer{}
	writeGoal(w, s.Goals["G-HOUSE"])
	i := bytes.Index(raw, w.B)
	if i < 0 || raw[i+len(w.B)] != 0 {
		t.Fatalf("goal not found in %x", raw)
	}
	c2 := append([]byte{stateFormatC2}, raw[1:i+len(w.B)]...)
	c2 = append(c2, raw[i+len(w.B)+1:]...)
	var back State
	if err := back.UnmarshalBinary(c2); err != nil || back.Goals["G-HOUSE"].TargetMinor != 5_000_000 || back.Version != s.Version {
		t.Fatalf("decoded %+v, %v", back, err)
	}
}
