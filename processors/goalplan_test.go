package processors

import (
	"testing"
	"time"

	"github.com/lovoo/goka"

	"finstream/processors/cdc"
	"finstream/processors/event"
	"finstream/processors/goal"
)

// The goals processor keeps the off-track month in its table: ฿1,000 on 1
// October then ฿1,000 on 1 November into the ฿50,000 house goal due 31
// December project far past the date, so one goal_off_track event (฿48,000
// over 2 months: ฿24,000 a month) and its notification come; ฿1,000 more on
// 5 November sends none.
func TestGoalOffTrackThroughProcessors(t *testing.T) {
	c := startCopilot(t)
	c.houseGoal("2026-12-31", time.Date(2026, 9, 30, 9, 0, 0, 0, bkk))
	c.txn(row("C1", "ACC-GOAL", "CREDIT", "TRANSFER", "", 100_000, time.Date(2026, 10, 1, 9, 0, 0, 0, bkk)))
	c.txn(row("C2", "ACC-GOAL", "CREDIT", "TRANSFER", "", 100_000, nov(1)))
	c.txn(row("C3", "ACC-GOAL", "CREDIT", "TRANSFER", "", 100_000, nov(5)))
	var off []event.GoalEvent
	for {
		_, v, ok := c.goals.Next()
		if !ok {
			break
		}
		if ev := v.(event.GoalEvent); ev.Kind == event.GoalOffTrack {
			off = append(off, ev)
		}
	}
	if len(off) != 1 || off[0].EventID != "USR-789|G-HOUSE|off2026-11" || off[0].MonthlyNeededMinor != 2_400_000 {
		t.Fatalf("off-track events %+v", off)
	}
	var titles []string
	for _, n := range c.notifications() {
		if n.Kind == event.NotifyGoalOffTrack {
			titles = append(titles, n.Texts[0].Title)
		}
	}
	if len(titles) != 1 || titles[0] != "House deposit: off track" {
		t.Fatalf("notified %v", titles)
	}
	s, _ := c.tt.TableValue(goka.GroupTable(GroupGoals), "USR-789").(goal.State)
	if g := s.Goals["G-HOUSE"]; g == nil || g.OffTrackMonth != "2026-11" || g.SavedMinor != 300_000 {
		t.Fatalf("stored goal %+v", g)
	}
}

// houseGoal sets USR-789's goal G-HOUSE (฿50,000 by targetDate, "" for
// none) on its GOAL account ACC-GOAL, the command issued at issued.
func (c *copilot) houseGoal(targetDate string, issued time.Time) {
	c.account(cdc.Account{ID: "ACC-GOAL", UserID: "USR-789", Type: "GOAL", Currency: "THB", Status: "ACTIVE", GoalID: "G-HOUSE"})
	c.tt.Consume(TopicCommandsGoals, "USR-789", event.GoalCommand{CommandID: "g1", UserID: "USR-789", Kind: event.CmdSetGoal,
		GoalID: "G-HOUSE", Name: "House deposit", TargetMinor: 5_000_000, Currency: "THB", TargetDate: targetDate, IssuedAt: issued})
}
