package budget

import (
	"fmt"
	"reflect"
	"slices"
	"testing"

	"finstream/processors/event"
)

func alertIDs(effs ...Effects) []string {
	var out []string
	for _, e := range effs {
		for _, a := range e.Alerts {
			if a.Kind == event.AlertPace { // one per period, by its own id
				continue
			}
			out = append(out, a.AlertID)
		}
	}
	return out
}

// The ids of the alerts do not depend on which transaction crossed: the
// same transactions in another order fire the same ids.
func TestAlertIDsDoNotDependOnArrivalOrder(t *testing.T) {
	ids := func(order ...string) []string {
		s := NewBook("USR-789")
		groceries(t, s, 1_000_000)
		amounts := map[string]int64{"T1": 450_000, "T2": 400_000, "T3": 200_000}
		var all []string
		for i, id := range order {
			all = append(all, alertIDs(s.ApplyTxn(change(txn(id, amounts[id], "POSTED", at(5+i, 10)), int64(10+i))))...)
		}
		return all
	}
	a, b := ids("T1", "T2", "T3"), ids("T3", "T2", "T1")
	want := []string{"USR-789|groceries|2026-11|5000|1", "USR-789|groceries|2026-11|8000|1",
		"USR-789|groceries|2026-11|10000|1", "USR-789|groceries|2026-11|9000|1"}
	if !reflect.DeepEqual(sorted(a), sorted(want)) || !reflect.DeepEqual(sorted(b), sorted(want)) {
		t.Fatalf("ids in one order %v, in another %v, want %v", a, b, want)
	}
}

func sorted(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}

// A threshold crossed again after the usage fell below it (a reversal, a
// higher limit, a deleted budget) is a new alert: the n-th crossing.
func TestCrossingAgainIsTheNextCrossing(t *testing.T) {
	s := NewBook("USR-789")
	groceries(t, s, 1_000_000)
	t1 := change(txn("T1", 850_000, "POSTED", at(5, 10)), 10)
	if got := alertIDs(s.ApplyTxn(t1)); !reflect.DeepEqual(got, []string{"USR-789|groceries|2026-11|8000|1", "USR-789|groceries|2026-11|5000|1"}) {
		t.Fatalf("first crossing: %v", got)
	}
	s.ApplyTxn(change(txn("T1", 850_000, "REVERSED", at(5, 10)), 11)) // back to 0
	if got := alertIDs(s.ApplyTxn(change(txn("T2", 820_000, "POSTED", at(6, 10)), 12))); !reflect.DeepEqual(got, []string{"USR-789|groceries|2026-11|8000|2", "USR-789|groceries|2026-11|5000|2"}) {
		t.Fatalf("crossing after a reversal: %v", got)
	}
	// A higher limit drops 8000 (and 5000) below; spending crosses them a
	// third time.
	groceries(t, s, 2_000_000)
	if got := alertIDs(s.ApplyTxn(change(txn("T3", 900_000, "POSTED", at(7, 10)), 13))); !reflect.DeepEqual(got, []string{"USR-789|groceries|2026-11|8000|3", "USR-789|groceries|2026-11|5000|3"}) {
		t.Fatalf("crossing after a higher limit: %v", got)
	}
	// Deleted and created again: what the old budget had reached is a drop.
	s.DeleteBudget("groceries", at(8, 9))
	groceries(t, s, 10_000_000) // 17.2% used
	if got := alertIDs(s.ApplyTxn(change(txn("T4", 4_000_000, "POSTED", at(9, 10)), 14))); !reflect.DeepEqual(got, []string{"USR-789|groceries|2026-11|5000|4"}) {
		t.Fatalf("crossing after delete and create: %v", got)
	}
	// Drops survive the codec.
	d := roundTrip(t, s.State)
	if !reflect.DeepEqual(d.Drops, s.Drops) || len(d.Drops) == 0 {
		t.Fatalf("drops after the codec %+v, want %+v", d.Drops, s.Drops)
	}
}

func TestDropsAreBounded(t *testing.T) {
	var d Drops
	for i := range 3 * MaxDrops {
		d.Move(PeriodDropKey("c", "2026-11"), []int64{int64(i + 1)}, int64(i+1), 0)
	}
	if len(d) != MaxDrops || d[0].ThresholdBP != int64(2*MaxDrops+1) {
		t.Fatalf("%d drops, first %+v: want the last %d", len(d), d[0], MaxDrops)
	}
	d.Forget(func(k string) bool { return true })
	if d != nil {
		t.Fatalf("after Forget: %+v", d)
	}
}

// A user whose every budget period keeps dropping below its thresholds
// holds at most MaxDrops entries: the encoded state stays small.
func TestDropsSizeIsBounded(t *testing.T) {
	s := NewBook("USR-789")
	groceries(t, s, 1_000)
	base, err := s.State.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	for i := range 10 * MaxDrops {
		s.Drops.Move(PeriodDropKey("entertainment-and-subscriptions", fmt.Sprintf("2026-W%02d", i%53)), []int64{int64(100_000 - i)}, 100_000, 0)
	}
	b, err := s.State.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if grown := len(b) - len(base); len(s.Drops) != MaxDrops || grown > 2048 {
		t.Fatalf("%d drops add %d bytes, want %d drops in at most 2 KiB", len(s.Drops), grown, MaxDrops)
	}
	t.Logf("%d drops add %d bytes to the encoded state", len(s.Drops), len(b)-len(base))
}
