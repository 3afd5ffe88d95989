package notify

import (
	"testing"
	"time"

	"finstream/processors/event"
	"finstream/processors/insight"
)

// An off-track goal event tells the recipient what it now takes a month.
func TestOffTrackGoalNotifies(t *testing.T) {
	ns := FromGoalEvent(event.GoalEvent{EventID: "USR-1|G-HOUSE|off2026-11", Kind: event.GoalOffTrack, UserID: "USR-1", OwnerID: "USR-1",
		Role: "owner", GoalID: "G-HOUSE", Name: "House deposit", Currency: "THB", TargetMinor: 5_000_000, SavedMinor: 200_000,
		TargetDate: "2026-12-31", MonthlyNeededMinor: 2_400_000, EventTime: time.Date(2026, 11, 1, 2, 0, 0, 0, time.UTC)})
	if len(ns) != 1 {
		t.Fatalf("notifications %+v", ns)
	}
	n := ns[0]
	want := insight.FormatDate(time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC), insight.LangEN)
	en := n.Texts[0]
	if n.Kind != event.NotifyGoalOffTrack || en.Title != "House deposit: off track" || n.Severity != event.SeverityWarning ||
		en.Body != "At this rate it misses "+want+": save ฿24,000 a month to make it." || n.Data["monthly_needed_minor"] != "2400000" {
		t.Fatalf("notification %+v", n)
	}
}
