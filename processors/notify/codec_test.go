package notify

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"finstream/processors/event"
)

func TestCodecRoundTrip(t *testing.T) {
	s := &State{UserID: "USR-789", Lang: "th", Disabled: []string{event.NotifyInsight}}
	for i := range 40 {
		s.AdmitFrom(event.Notification{NotificationID: fmt.Sprintf("alert|%d|USR-789", i), Kind: event.NotifyBudgetAlert}, fmt.Sprintf("t/1/%d", i))
	}
	b, err := Codec{}.Encode(s)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Codec{}.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, *s) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, *s)
	}
	if _, err := (Codec{}).Decode(b[:len(b)-3]); err == nil {
		t.Error("a truncated value decoded")
	}
}

// One recipient notified about 3,000 transactions (an alert and an insight
// notification for each, every one from its own input record): the value
// stays the size of its windows.
func TestValueSizeDoesNotGrowWithHistory(t *testing.T) {
	s := &State{UserID: "USR-789"}
	at := time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)
	var size100, total, n int
	for i := 1; i <= 3000; i++ {
		a := tescoAlert()
		a.AlertID = fmt.Sprintf("USR-789|groceries|2026-11|8000|T%05d", i)
		a.TxnID = fmt.Sprintf("T%05d", i)
		a.EventTime = at.Add(time.Duration(i) * time.Hour)
		for _, c := range FromAlert(a) {
			s.AdmitFrom(c, fmt.Sprintf("finstream.budget.alerts/2/%d", i))
		}
		b, err := Codec{}.Encode(s)
		if err != nil {
			t.Fatal(err)
		}
		total, n = total+len(b), n+1
		if i == 100 {
			size100 = len(b)
		}
		if i == 3000 {
			t.Logf("notifications value: %d bytes at 100 transactions, %d at 3,000, average %d", size100, len(b), total/n)
			if len(b) > size100+size100/10 {
				t.Errorf("value grew from %d to %d bytes", size100, len(b))
			}
			if total/n > 4096 {
				t.Errorf("average value %d bytes, want ≤ 4 KiB", total/n)
			}
		}
	}
	// The latest alert is still a duplicate from another record.
	a := tescoAlert()
	a.AlertID, a.TxnID = "USR-789|groceries|2026-11|8000|T03000", "T03000"
	if _, ok := s.AdmitFrom(FromAlert(a)[0], "finstream.budget.alerts/2/99999"); ok {
		t.Error("a recent duplicate notified again")
	}
}
