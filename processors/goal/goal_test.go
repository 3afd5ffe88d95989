package goal

import (
	"testing"
	"time"

	"finstream/processors/cdc"
	"finstream/processors/event"
)

var bkk, _ = time.LoadLocation("Asia/Bangkok")

func at(m time.Month, d int) time.Time { return time.Date(2026, m, d, 9, 0, 0, 0, bkk) }

func move(id, user, dir string, amount int64, lsn int64, when time.Time) cdc.TxnChange {
	return cdc.TxnChange{Op: cdc.OpCreate, Pos: cdc.Position{LSN: lsn}, Row: cdc.Txn{
		ID: id, AccountID: "ACC-GOAL", UserID: user, Direction: dir, Type: "TRANSFER", Status: "POSTED",
		AmountMinor: amount, Currency: "THB", PostedAt: when, UpdatedAt: when,
	}}
}

func known(string) bool { return true }

func house() Settings {
	return Settings{ID: "G-HOUSE", Name: "House deposit", TargetMinor: 5_000_000, Currency: "THB", TargetDate: "2026-12-31", AccountID: "ACC-GOAL"}
}

// The acceptance sequence: target ฿50,000; contributions crossing 25% and
// 50%; a replay of the same CDC; a withdrawal; a new crossing of 50%.
func TestGoalMilestonesOnceAndProjection(t *testing.T) {
	s := &State{UserID: "USR-1"}
	if _, err := s.SetGoal(house(), at(9, 30)); err != nil {
		t.Fatal(err)
	}
	c1 := move("C1", "USR-1", "CREDIT", 1_000_000, 10, at(10, 1))
	c2 := move("C2", "USR-1", "CREDIT", 500_000, 20, at(10, 15))
	c3 := move("C3", "USR-1", "CREDIT", 1_200_000, 30, at(11, 1))
	c4 := move("C4", "USR-1", "CREDIT", 200_000, 50, at(11, 20))
	c4r := c4
	c4r.Row.Status, c4r.Pos.LSN = "REVERSED", 60
	steps := []struct {
		name      string
		in        cdc.TxnChange
		saved     int64
		progress  int64
		milestone int64  // announced by this step, 0 for none
		projected string // as computed by hand (see each step)
		onTrack   bool
		silent    bool // changes nothing
	}{
		// W = 1 (1 Oct only), net 1,000,000: ceil(4,000,000·1/1,000,000) = 4 → 5 Oct.
		{name: "฿10,000 on 1 Oct", in: c1, saved: 1_000_000, progress: 2000, projected: "2026-10-05", onTrack: true},
		// W = 15 (1–15 Oct), net 1,500,000: ceil(3,500,000·15/1,500,000) = 35 → 19 Nov.
		{name: "฿5,000 on 15 Oct crosses 25%", in: c2, saved: 1_500_000, progress: 3000, milestone: 2500, projected: "2026-11-19", onTrack: true},
		// W = 32 (1 Oct–1 Nov), net 2,700,000: ceil(2,300,000·32/2,700,000) = ceil(27.26) = 28 → 29 Nov.
		{name: "฿12,000 on 1 Nov crosses 50%", in: c3, saved: 2_700_000, progress: 5400, milestone: 5000, projected: "2026-11-29", onTrack: true},
		{name: "replay C1", in: c1, silent: true},
		{name: "replay C2", in: c2, silent: true},
		{name: "replay C3", in: c3, silent: true},
		// W = 41 (1 Oct–10 Nov), net 2,400,000: ceil(2,600,000·41/2,400,000) = ceil(44.42) = 45 → 25 Dec ≤ 31 Dec.
		{name: "withdraw ฿3,000 on 10 Nov", in: move("W1", "USR-1", "DEBIT", 300_000, 40, at(11, 10)), saved: 2_400_000, progress: 4800, projected: "2026-12-25", onTrack: true},
		// 52% again: 50% was announced already. W = 51, net 2,600,000:
		// ceil(2,400,000·51/2,600,000) = ceil(47.08) = 48 → 7 Jan 2027 > 31 Dec: behind.
		{name: "฿2,000 on 20 Nov crosses 50% again", in: c4, saved: 2_600_000, progress: 5200, projected: "2027-01-07", onTrack: false},
		{name: "replay C4", in: c4, silent: true},
		// C4 reversed: back to 2,400,000 with the window of 20 Nov (W = 51, net 2,400,000):
		// ceil(2,600,000·51/2,400,000) = ceil(55.25) = 56 → 15 Jan 2027.
		{name: "C4 reversed", in: c4r, saved: 2_400_000, progress: 4800, projected: "2027-01-15", onTrack: false},
	}
	milestones := map[int64]int{}
	for _, st := range steps {
		eff := s.ApplyTxn(st.in)
		if st.silent {
			if len(eff.Events) != 0 {
				t.Errorf("%s: %d events, want none", st.name, len(eff.Events))
			}
			continue
		}
		var got int64
		for _, ev := range eff.Events {
			if ev.Kind == event.GoalMilestone {
				milestones[ev.MilestoneBP]++
				got = ev.MilestoneBP
			}
		}
		if got != st.milestone {
			t.Errorf("%s: milestone %d, want %d", st.name, got, st.milestone)
		}
		ev := eff.Events[0]
		if ev.Kind != event.GoalUpdated || ev.UserID != "USR-1" || ev.SavedMinor != st.saved || ev.ProgressBP != st.progress ||
			ev.ProjectedDate != st.projected || ev.OnTrack != st.onTrack || ev.TargetDate != "2026-12-31" || ev.TxnID != st.in.Row.ID {
			t.Errorf("%s: %+v\nwant saved %d progress %d projected %s on track %v", st.name, ev, st.saved, st.progress, st.projected, st.onTrack)
		}
	}
	if len(milestones) != 2 || milestones[2500] != 1 || milestones[5000] != 1 {
		t.Errorf("milestones announced %v, want 2500 and 5000 once each", milestones)
	}
	v := s.Views()
	if len(v) != 1 || v[0].SavedMinor != 2_400_000 || *v[0].ProjectedDate != "2027-01-15" || len(v[0].MilestonesBP) != 2 || v[0].OnTrack {
		t.Errorf("view %+v", v)
	}
}

func TestGoalLinkedByAccountRow(t *testing.T) {
	s := &State{UserID: "USR-1"}
	g := house()
	g.AccountID = ""
	if _, err := s.SetGoal(g, at(9, 30)); err != nil {
		t.Fatal(err)
	}
	// The transfer arrives before the account row: it waits.
	if eff := s.ApplyTxn(move("C1", "USR-1", "CREDIT", 1_300_000, 10, at(10, 1))); len(eff.Events) != 0 {
		t.Fatalf("counted before the account was known: %+v", eff)
	}
	eff := s.ApplyAccount(cdc.AccountChange{Op: cdc.OpCreate, Pos: cdc.Position{LSN: 5},
		Row: cdc.Account{ID: "ACC-GOAL", UserID: "USR-1", Type: "GOAL", Currency: "THB", GoalID: "G-HOUSE"}})
	var saved int64
	var milestone int64
	for _, ev := range eff.Events {
		saved = max(saved, ev.SavedMinor)
		milestone = max(milestone, ev.MilestoneBP)
	}
	if saved != 1_300_000 || milestone != 2500 {
		t.Errorf("after the link: saved %d milestone %d, want 1,300,000 and 2500", saved, milestone)
	}
}

func TestSharedGoal(t *testing.T) {
	owner := &State{UserID: "USR-1"}
	member := &State{UserID: "USR-2"}
	if _, err := owner.SetGoal(house(), at(9, 30)); err != nil {
		t.Fatal(err)
	}
	eff, err := owner.SetMember("G-HOUSE", "USR-2", RoleContributor, at(9, 30))
	if err != nil {
		t.Fatal(err)
	}
	deliver := func(fs []Forward) Effects {
		var out Effects
		for _, f := range fs {
			switch f.To {
			case "USR-1":
				out.add(owner.Apply(f.Msg, ""))
			case "USR-2":
				out.add(member.Apply(f.Msg, ""))
			}
		}
		return out
	}
	// Invited: the member lists the invitation, sees no goal, and their
	// transfer into the account is not forwarded, until they accept.
	deliver(eff.Forwards)
	if inv := member.Invitations(at(9, 30).Add(time.Hour)); len(inv) != 1 || inv[0].GoalID != "G-HOUSE" || inv[0].Role != RoleContributor || !inv[0].ExpiresAt.Equal(at(9, 30).Add(InviteTTL)) {
		t.Fatalf("member's invitations %+v", inv)
	}
	if _, ok := owner.View("G-HOUSE", "USR-2"); ok || len(member.Shared()) != 0 {
		t.Fatal("an invitee sees the goal")
	}
	if early := member.ApplyTxn(move("C0", "USR-2", "CREDIT", 100, 5, at(9, 30).Add(2*time.Hour))); len(early.Forwards) != 0 {
		t.Fatalf("an invitee's transfer was forwarded: %+v", early.Forwards)
	}
	if _, err := owner.AnswerInvite("G-HOUSE", "USR-3", true, at(9, 30).Add(3*time.Hour)); err == nil {
		t.Fatal("a user who was not invited accepted")
	}
	if _, err := owner.AnswerInvite("G-HOUSE", "USR-2", true, at(9, 30).Add(InviteTTL)); err == nil {
		t.Fatal("an expired invitation was accepted")
	}
	eff, err = owner.AnswerInvite("G-HOUSE", "USR-2", true, at(9, 30).Add(3*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	deliver(eff.Forwards)
	if sh := member.Shared(); len(sh) != 1 || sh[0].AccountID != "ACC-GOAL" || sh[0].Role != RoleContributor || len(member.Invitations(at(9, 30).Add(4*time.Hour))) != 0 {
		t.Fatalf("member's shared goals %+v", sh)
	}
	owner.ApplyTxn(move("C1", "USR-1", "CREDIT", 1_500_000, 10, at(10, 1)))
	// USR-2's transfer into the account reaches USR-2's state and is forwarded.
	fwd := member.ApplyTxn(move("C2", "USR-2", "CREDIT", 500_000, 20, at(10, 2)))
	out := deliver(fwd.Forwards)
	recipients := map[string]string{}
	for _, ev := range out.Events {
		if ev.Kind == event.GoalUpdated {
			recipients[ev.UserID] = ev.Role
			if ev.ContributorID != "USR-2" || ev.AmountMinor != 500_000 || ev.SavedMinor != 2_000_000 {
				t.Errorf("update %+v", ev)
			}
			want := []event.GoalContributor{{UserID: "USR-1", Role: RoleOwner, SavedMinor: 1_500_000, ShareBP: 7500}, {UserID: "USR-2", Role: RoleContributor, SavedMinor: 500_000, ShareBP: 2500}}
			for i := range want {
				if ev.Participants[i] != want[i] {
					t.Errorf("participant %d = %+v, want %+v", i, ev.Participants[i], want[i])
				}
			}
		}
	}
	if recipients["USR-1"] != RoleOwner || recipients["USR-2"] != RoleContributor {
		t.Errorf("recipients %v", recipients)
	}
	if v, ok := owner.View("G-HOUSE", "USR-2"); !ok || v.Role != RoleContributor || v.SavedMinor != 2_000_000 {
		t.Errorf("member's view %+v %v", v, ok)
	}
	// Removal: the member forgets the goal, their part stays, attributed to the owner.
	eff, err = owner.RemoveMember("G-HOUSE", "USR-2", at(10, 3))
	if err != nil {
		t.Fatal(err)
	}
	deliver(eff.Forwards)
	if len(member.Shared()) != 0 || owner.Goals["G-HOUSE"].Participants["USR-1"].SavedMinor != 2_000_000 {
		t.Errorf("after removal: member %+v owner %+v", member.Shared(), owner.Goals["G-HOUSE"].Participants)
	}
	// Declined, and cancelled by the owner: the invitee forgets it.
	for _, answer := range []func() (Effects, error){
		func() (Effects, error) { return owner.AnswerInvite("G-HOUSE", "USR-2", false, at(10, 12)) },
		func() (Effects, error) { return owner.RemoveMember("G-HOUSE", "USR-2", at(10, 12)) },
	} {
		eff, _ = owner.SetMember("G-HOUSE", "USR-2", RoleViewer, at(10, 11))
		deliver(eff.Forwards)
		if eff, err = answer(); err != nil {
			t.Fatal(err)
		}
		deliver(eff.Forwards)
		if len(member.Invitations(at(10, 13))) != 0 || len(owner.Goals["G-HOUSE"].Invited) != 0 {
			t.Fatalf("invitation left %+v %+v", member.Invitations(at(10, 13)), owner.Goals["G-HOUSE"].Invited)
		}
	}
}

func TestGoalCommands(t *testing.T) {
	s := &State{UserID: "USR-1"}
	for _, c := range []struct {
		cmd  event.GoalCommand
		fail bool
	}{
		{event.GoalCommand{Kind: event.CmdSetGoal, GoalID: "G", Name: "Trip", TargetMinor: 0, Currency: "THB"}, true},
		{event.GoalCommand{Kind: event.CmdSetGoal, GoalID: "G", Name: "Trip", TargetMinor: 100, Currency: "THB", TargetDate: "31/12/2026"}, true},
		{event.GoalCommand{Kind: event.CmdSetGoal, GoalID: "G", Name: "Trip", TargetMinor: 100, Currency: "THB"}, false},
		{event.GoalCommand{Kind: event.CmdAddGoalMember, GoalID: "G", MemberID: "USR-2", Role: "owner"}, true},
		{event.GoalCommand{Kind: event.CmdAddGoalMember, GoalID: "NOPE", MemberID: "USR-2", Role: "viewer"}, true},
		{event.GoalCommand{Kind: event.CmdRemoveGoalMember, GoalID: "G", MemberID: "USR-1"}, true},
		{event.GoalCommand{Kind: event.CmdDeleteGoal, GoalID: "G"}, false},
		{event.GoalCommand{Kind: event.CmdDeleteGoal, GoalID: "G"}, true},
	} {
		if _, err := s.Command(c.cmd, known); (err != nil) != c.fail {
			t.Errorf("%+v: err %v, want failure %v", c.cmd, err, c.fail)
		}
	}
}

// After a crash between storing the state and producing, the input record is
// delivered again: the events of its change are sent again (they may be
// lost), while the same change in another record sends nothing.
func TestRedeliveredRecordResendsItsGoalEvents(t *testing.T) {
	s := &State{UserID: "USR-1"}
	if _, err := s.SetGoal(house(), at(9, 30)); err != nil {
		t.Fatal(err)
	}
	c1 := move("C1", "USR-1", "CREDIT", 1_500_000, 10, at(10, 1))
	first := s.ApplyTxnFrom(c1, "finstream.txn.by-user/2/40")
	kinds := map[string]int{}
	for _, ev := range first.Events {
		kinds[ev.Kind]++
	}
	if kinds[event.GoalUpdated] != 1 || kinds[event.GoalMilestone] != 1 {
		t.Fatalf("first delivery: %+v", first.Events)
	}
	again := s.ApplyTxnFrom(c1, "finstream.txn.by-user/2/40")
	if len(again.Events) != len(first.Events) {
		t.Fatalf("redelivered record sent %d events, want %d", len(again.Events), len(first.Events))
	}
	for i := range again.Events {
		if again.Events[i].EventID != first.Events[i].EventID || again.Events[i].SavedMinor != first.Events[i].SavedMinor {
			t.Fatalf("re-sent %+v, want %+v", again.Events[i], first.Events[i])
		}
	}
	for _, in := range []string{"finstream.txn.by-user/2/41", ""} {
		if dup := s.ApplyTxnFrom(c1, in); len(dup.Events) != 0 {
			t.Fatalf("the same change from %q sent %+v", in, dup.Events)
		}
	}
	if g := s.Goals["G-HOUSE"]; g.SavedMinor != 1_500_000 || len(g.Announced) != 1 {
		t.Fatalf("goal after redeliveries: saved %d, announced %v", g.SavedMinor, g.Announced)
	}
}

// A purchase that no goal concerns leaves the state untouched (the group
// then writes nothing), while a transfer on an unknown account waits.
func TestUnrelatedMovementLeavesStateUntouched(t *testing.T) {
	s := &State{UserID: "USR-9"}
	buy := move("P1", "USR-9", "DEBIT", 5_000, 10, at(10, 1))
	buy.Row.Type, buy.Row.AccountID = "PURCHASE", "ACC-CHECKING"
	if eff := s.ApplyTxn(buy); !eff.Untouched || s.Version != 0 {
		t.Fatalf("purchase: %+v, version %d", eff, s.Version)
	}
	xfer := move("T1", "USR-9", "CREDIT", 5_000, 20, at(10, 2))
	xfer.Row.AccountID = "ACC-UNKNOWN"
	if eff := s.ApplyTxn(xfer); eff.Untouched || len(s.Pending) != 1 {
		t.Fatalf("transfer on an unknown account: %+v, pending %d", eff, len(s.Pending))
	}
}
