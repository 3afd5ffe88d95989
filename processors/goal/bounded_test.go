package goal

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"finstream/processors/cdc"
	"finstream/processors/event"
)

// stage fills Seq and Prev as the transaction stage will: it numbers the
// changes of each transaction and sends the row it last applied.
type stage map[string]cdc.TxnChange

func (st stage) send(ch cdc.TxnChange) cdc.TxnChange {
	if last, ok := st[ch.Row.ID]; ok {
		prev := last.Row
		ch.Seq, ch.Prev, ch.PrevDeleted = last.Seq+1, &prev, last.Deleted
	} else {
		ch.Seq = 1
	}
	st[ch.Row.ID] = ch
	return ch
}

func ids(evs []event.GoalEvent) []string {
	var out []string
	for _, ev := range evs {
		out = append(out, ev.EventID+"@"+ev.UserID)
	}
	return out
}

// Records of the stage carry the previous row: the goal moves by the
// difference, a re-sent (transaction, seq) changes nothing and repeats the
// events of its change with the same ids.
func TestStageRecordsApplyTheDifference(t *testing.T) {
	s := &State{UserID: "USR-1"}
	if _, err := s.SetGoal(house(), at(9, 30)); err != nil {
		t.Fatal(err)
	}
	st := stage{}
	c1 := move("C1", "USR-1", "CREDIT", 1_000_000, 10, at(10, 1))
	first := st.send(c1)
	c1.Row.AmountMinor, c1.Pos.LSN = 1_300_000, 11 // corrected amount: 26% now
	second := st.send(c1)
	c1.Row.Status, c1.Pos.LSN = "REVERSED", 12
	third := st.send(c1)
	if second.Seq != 2 || second.Prev == nil || second.Prev.AmountMinor != 1_000_000 {
		t.Fatalf("stage record %+v", second)
	}
	for _, c := range []struct {
		name      string
		in        cdc.TxnChange
		saved     int64
		milestone bool
	}{
		{"first change", first, 1_000_000, false},
		{"amount corrected", second, 1_300_000, true},
		{"reversed", third, 0, false},
	} {
		eff := s.ApplyTxn(c.in)
		g := s.Goals["G-HOUSE"]
		if g.SavedMinor != c.saved || len(eff.Events) == 0 || eff.Events[0].SavedMinor != c.saved {
			t.Fatalf("%s: saved %d, events %+v; want %d", c.name, g.SavedMinor, eff.Events, c.saved)
		}
		milestones := 0
		for _, ev := range eff.Events {
			if ev.Kind == event.GoalMilestone {
				milestones++
			}
		}
		if got := milestones == 1; got != c.milestone { // a reversal to 0 is off track too (plan_test.go)
			t.Errorf("%s: events %v", c.name, ids(eff.Events))
		}
	}
	// The corrected amount's record again (the stage re-sent it after a
	// crash): nothing changes, its events come again with their ids.
	version := s.Goals["G-HOUSE"].Version
	again := s.ApplyTxnFrom(second, "finstream.txn.by-user/1/77")
	want := []string{"USR-1|G-HOUSE|v3@USR-1", "USR-1|G-HOUSE|m2500@USR-1"}
	if fmt.Sprint(ids(again.Events)) != fmt.Sprint(want) || again.Events[0].TxnID != "C1" || again.Events[0].AmountMinor != 300_000 {
		t.Fatalf("re-sent %v %+v, want %v", ids(again.Events), again.Events, want)
	}
	if g := s.Goals["G-HOUSE"]; g.SavedMinor != 0 || g.Version != version {
		t.Fatalf("a re-send changed the goal: saved %d version %d", g.SavedMinor, g.Version)
	}
	// Twice is the same as once.
	if twice := s.ApplyTxn(second); fmt.Sprint(ids(twice.Events)) != fmt.Sprint(want) || s.Goals["G-HOUSE"].SavedMinor != 0 {
		t.Fatalf("second re-send %v", ids(twice.Events))
	}
}

func TestCodecRoundTrip(t *testing.T) {
	s := &State{UserID: "USR-1", TimeZone: "Asia/Tokyo"}
	if _, err := s.SetGoal(house(), at(9, 30)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetMember("G-HOUSE", "USR-2", RoleContributor, at(9, 30)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AnswerInvite("G-HOUSE", "USR-2", true, at(9, 31)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetMember("G-HOUSE", "USR-4", RoleViewer, at(9, 32)); err != nil { // pending
		t.Fatal(err)
	}
	s.ApplyMembership(Membership{OwnerID: "USR-3", GoalID: "G-CAR", AccountID: "ACC-3", Role: RoleViewer})
	s.ApplyMembership(Membership{OwnerID: "USR-5", GoalID: "G-BOAT", Role: RoleViewer, Pending: true, ExpiresAt: at(16, 1)})
	s.ApplyAccount(cdc.AccountChange{Pos: cdc.Position{LSN: 3}, Row: cdc.Account{ID: "ACC-X", UserID: "USR-1", Type: "GOAL", GoalID: "G-OTHER"}})
	st := stage{}
	s.ApplyTxnFrom(st.send(move("C1", "USR-1", "CREDIT", 1_500_000, 10, at(10, 1))), "t/0/1")
	s.ApplyTxnFrom(st.send(move("C2", "USR-2", "CREDIT", 500_000, 11, at(10, 2))), "t/0/2")
	xfer := move("T1", "USR-1", "CREDIT", 5_000, 20, at(10, 2))
	xfer.Row.AccountID = "ACC-UNKNOWN"
	s.ApplyTxn(st.send(xfer))

	b, err := Codec{}.Encode(s)
	if err != nil {
		t.Fatal(err)
	}
	v, err := Codec{}.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	r := v.(State)
	b2, _ := r.MarshalBinary()
	if !bytes.Equal(b, b2) {
		t.Fatalf("decode and encode again differ:\n%x\n%x", b, b2)
	}
	if r.Goals["G-HOUSE"].SavedMinor != 2_000_000 || len(r.Pending) != 1 || len(r.Recent) != 2 || r.Shared()[0].GoalID != "G-CAR" {
		t.Fatalf("decoded %+v", r)
	}
	if again := r.ApplyTxnFrom(st["C1"], "t/0/1"); len(again.Events) == 0 || again.Events[0].EventID != "USR-1|G-HOUSE|v3" {
		t.Fatalf("decoded state re-sent %v", ids(again.Events))
	}
	if _, err := (Codec{}).Decode(b[:len(b)-2]); err == nil {
		t.Error("a truncated value decoded")
	}
	// The JSON of earlier builds still decodes.
	old, err := Codec{}.Decode([]byte(`{"user_id":"USR-1","goals":{"G":{"id":"G","name":"Trip","currency":"THB","target_minor":100,"participants":{"USR-1":{"role":"owner"}},"saved_minor":40,"flows":{"T9":{"amount":40}}}},"version":4}`))
	if err != nil || old.(State).Goals["G"].SavedMinor != 40 {
		t.Fatalf("old JSON: %+v %v", old, err)
	}
}

// One user, 3,000 transactions, one every 22 hours (so that the first 100
// span the RateWindowDays of daily contributions, the largest part of the
// bound): purchases and transfers on the checking account (a transfer
// waits, in case its account turns out to be a goal's), a deposit into the
// goal account every fourth, some reversed later. The value stays bounded.
func TestValueSizeDoesNotGrowWithHistory(t *testing.T) {
	s := &State{UserID: "USR-1"}
	g := house()
	g.TargetMinor = 1 << 40 // never completes
	if _, err := s.SetGoal(g, at(1, 1)); err != nil {
		t.Fatal(err)
	}
	st := stage{}
	start := time.Date(2025, 1, 1, 9, 0, 0, 0, bkk)
	var size100, total, n int
	var want int64
	for i := 1; i <= 3000; i++ {
		when := start.Add(time.Duration(i) * 22 * time.Hour)
		id := fmt.Sprintf("T%05d", i)
		var ch cdc.TxnChange
		switch {
		case i%4 == 0:
			ch = move(id, "USR-1", "CREDIT", int64(100_000+i), int64(i), when)
			want += int64(100_000 + i)
		case i%4 == 1:
			ch = move(id, "USR-1", "DEBIT", 20_000, int64(i), when)
			ch.Row.AccountID = "ACC-CHECKING" // a transfer out: waits
		default:
			ch = move(id, "USR-1", "DEBIT", 15_000, int64(i), when)
			ch.Row.AccountID, ch.Row.Type = "ACC-CHECKING", "PURCHASE"
		}
		s.ApplyTxnFrom(st.send(ch), fmt.Sprintf("finstream.txn.by-user/0/%d", i))
		if i%40 == 0 { // a deposit of 16 changes ago is reversed
			dep := st[fmt.Sprintf("T%05d", i-16)]
			dep.Row.Status, dep.Pos.LSN = "REVERSED", int64(i)
			want -= dep.Row.AmountMinor
			s.ApplyTxn(st.send(dep))
		}
		b, err := Codec{}.Encode(s)
		if err != nil {
			t.Fatal(err)
		}
		total, n = total+len(b), n+1
		if i == 100 {
			size100 = len(b)
		}
	}
	b, _ := Codec{}.Encode(s)
	t.Logf("goals value: %d bytes at 100 transactions, %d at 3,000, average %d", size100, len(b), total/n)
	if len(b) > size100+size100/10 {
		t.Errorf("value grew from %d to %d bytes", size100, len(b))
	}
	if total/n > 4096 {
		t.Errorf("average value %d bytes, want ≤ 4 KiB", total/n)
	}
	if got := s.Goals["G-HOUSE"].SavedMinor; got != want {
		t.Errorf("saved %d, want %d", got, want)
	}
}
