package shared

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"finstream/processors/event"
)

var bkk = mustZone("Asia/Bangkok")

func mustZone(n string) *time.Location {
	l, err := time.LoadLocation(n)
	if err != nil {
		panic(err)
	}
	return l
}

func at(day, hour int) time.Time { return time.Date(2026, 11, day, hour, 0, 0, 0, bkk) }

func known(c string) bool { return c == "THB" || c == "USD" }

func cmd(id, kind, actor, user, role string, day int) event.SharedCommand {
	return event.SharedCommand{CommandID: id, BudgetID: "BDG-456", Kind: kind, ActorID: actor, UserID: user, Role: role, IssuedAt: at(day, 8)}
}

// household is BDG-456 "Household Groceries" (฿16,000 on groceries) created
// by A on 1 November, with B as contributor.
func household(t *testing.T) *Budget {
	t.Helper()
	c := event.SharedCommand{CommandID: "c-create", BudgetID: "BDG-456", Kind: event.CmdSharedCreate, ActorID: "A",
		Name: "Household Groceries", Category: "groceries", LimitMinor: 1_600_000, Currency: "THB", IssuedAt: at(1, 8)}
	b, eff, err := Create(c, known)
	if err != nil {
		t.Fatal(err)
	}
	if len(eff.Members) != 1 || eff.Members[0].Kind != event.CmdSetMembership || eff.Members[0].Role != "owner" || eff.Members[0].UserID != "A" {
		t.Fatalf("create effects %+v", eff)
	}
	join(t, b, "c-b", "B", "contributor", 1)
	return b
}

// join invites user as role (A's command id) on day, and user accepts.
func join(t *testing.T, b *Budget, id, user, role string, day int) {
	t.Helper()
	mustApply(t, b, cmd(id, event.CmdSharedAddMember, "A", user, role, day))
	acc := event.SharedCommand{CommandID: id + "-accept", BudgetID: "BDG-456", Kind: event.CmdSharedAccept, ActorID: user, InvitationID: id, IssuedAt: at(day, 8)}
	mustApply(t, b, acc)
}

func mustApply(t *testing.T, b *Budget, c event.SharedCommand) Effects {
	t.Helper()
	eff, err := b.Apply(c)
	if err != nil {
		t.Fatalf("%s: %v", c.Kind, err)
	}
	return eff
}

type spendOpt func(*event.SharedSpend)

func tag(id string) spendOpt        { return func(s *event.SharedSpend) { s.BudgetTag = id } }
func cat(c string) spendOpt         { return func(s *event.SharedSpend) { s.Category = c } }
func posted(t time.Time) spendOpt   { return func(s *event.SharedSpend) { s.PostedAt = t } }
func merchant(name string) spendOpt { return func(s *event.SharedSpend) { s.Merchant = name } }
func cur(c string) spendOpt         { return func(s *event.SharedSpend) { s.Currency = c } }

// before says the change before was sent here too, with the facts now but
// amount and posted_at.
func before(amount int64, postedAt time.Time) spendOpt {
	return func(s *event.SharedSpend) {
		s.BeforeMinor, s.BeforePostedAt = amount, postedAt
		s.BeforeCurrency, s.BeforeCategory, s.BeforeTag = s.Currency, s.Category, s.BudgetTag
	}
}

// offsets numbers the records the tests make, as the stage's input offsets.
var offsets int64

// spend is a change of what transaction txn of user offers BDG-456, made by
// a new stage input (stream 1, partition 0): the same value again is that
// record redelivered.
func spend(txn, user string, amount, seq int64, opts ...spendOpt) event.SharedSpend {
	offsets++
	s := event.SharedSpend{BudgetID: "BDG-456", TxnID: txn, UserID: user, Seq: seq, AmountMinor: amount,
		Currency: "THB", Category: "groceries", Merchant: "Big C", PostedAt: at(10, 10),
		MarkStream: 1, MarkOffset: offsets}
	for _, o := range opts {
		o(&s)
	}
	return s
}

func TestWorkedExample(t *testing.T) {
	b := household(t)
	b.ApplySpend(spend("T1", "A", 700_000, 1))
	b.ApplySpend(spend("T2", "B", 650_000, 1, tag("BDG-456"), cat("shopping")))
	version := b.Version

	tesco := spend("T3", "B", 180_000, 1, tag("BDG-456"), merchant("Tesco Lotus"), posted(at(19, 10)))
	eff := b.ApplySpend(tesco)
	if len(eff.Updates) != 1 {
		t.Fatalf("updates %+v, want one", eff.Updates)
	}
	u := eff.Updates[0]
	if u.Kind != "shared" || u.BudgetID != "BDG-456" || u.Name != "Household Groceries" || u.SpentMinor != 1_530_000 ||
		u.UsedBP != 9562 || u.RemainingMinor != 70_000 || !reflect.DeepEqual(u.ThresholdCrossedBP, []int64{9000}) || !u.Alert {
		t.Fatalf("update %+v", u)
	}
	if u.UserID != "B" || u.Merchant != "Tesco Lotus" || u.AmountMinor != 180_000 || u.TxnID != "T3" || u.Version != version+1 || u.PeriodKey != "2026-11" {
		t.Fatalf("attribution %+v", u)
	}
	wantParts := []event.ParticipantSpend{
		{UserID: "A", Role: "owner", SpentMinor: 700_000, ShareBP: 4575},
		{UserID: "B", Role: "contributor", SpentMinor: 830_000, ShareBP: 5424},
	}
	if !reflect.DeepEqual(u.Participants, wantParts) {
		t.Fatalf("participants %+v", u.Participants)
	}
	if len(eff.Alerts) != 2 || eff.Alerts[0].UserID != "A" || eff.Alerts[1].UserID != "B" || eff.Alerts[0].ThresholdBP != 9000 {
		t.Fatalf("alerts %+v, want one per participant", eff.Alerts)
	}
	if want := "B spent ฿1,800 at Tesco Lotus: 95.62% of Household Groceries used, ฿700 left for 12 days"; eff.Alerts[0].Text != want {
		t.Fatalf("alert text %q", eff.Alerts[0].Text)
	}
	v := b.View(at(19, 12))
	if v.SpentMinor != 1_530_000 || v.UsedBP != 9562 || !reflect.DeepEqual(v.CrossedBP, []int64{5000, 8000, 9000}) || !reflect.DeepEqual(v.Participants, wantParts) {
		t.Fatalf("view %+v", v)
	}

	// Redelivered (after a crash, through the encoded value): nothing
	// moves, and the alerts it fired come again with their ids and text.
	b = roundTrip(t, b)
	// The budget's current update is sent again too, at the same version,
	// in case the first copy was lost.
	again := b.ApplySpend(tesco)
	if b.Version != version+1 || !reflect.DeepEqual(inUTC(again.Alerts), inUTC(eff.Alerts)) || !resent(again.Updates, b.Version, 1_530_000) {
		t.Fatalf("duplicate: %+v", again)
	}
	// Reversed: back to 8437 without an alert.
	rev := spend("T3", "B", 0, 2, tag("BDG-456"), merchant("Tesco Lotus"), posted(at(19, 10)), before(180_000, at(19, 10)))
	eff = b.ApplySpend(rev)
	if len(eff.Updates) != 1 || eff.Updates[0].AmountMinor != -180_000 || eff.Updates[0].UsedBP != 8437 || len(eff.Alerts) != 0 {
		t.Fatalf("reversal %+v", eff)
	}
	if again := b.ApplySpend(rev); len(again.Alerts) != 0 || !resent(again.Updates, b.Version, 1_350_000) || b.View(at(19, 12)).SpentMinor != 1_350_000 {
		t.Fatalf("reversal redelivered: %+v", again)
	}
}

func TestWhatCounts(t *testing.T) {
	cases := []struct {
		name    string
		sp      event.SharedSpend
		counted int64
		refused string
	}{
		{"contributor in category", spend("X", "B", 500, 1), 500, ""},
		{"owner tagged in another category", spend("X", "A", 500, 1, tag("BDG-456"), cat("dining")), 500, ""},
		{"contributor untagged other category", spend("X", "B", 500, 1, cat("dining")), 0, ""},
		{"tagged with another budget", spend("X", "B", 500, 1, tag("BDG-OTHER")), 0, ""},
		{"viewer tagged", spend("X", "V", 500, 1, tag("BDG-456")), 0, RefusedViewer},
		{"viewer in category", spend("X", "V", 500, 1), 0, ""},
		{"outsider tagged", spend("X", "Z", 500, 1, tag("BDG-456")), 0, RefusedNotParticipant},
		{"outsider in category", spend("X", "Z", 500, 1), 0, ""},
		{"tagged in another currency", spend("X", "B", 500, 1, tag("BDG-456"), cur("USD")), 0, RefusedCurrency},
		{"category in another currency", spend("X", "B", 500, 1, cur("USD")), 0, ""},
		{"before joining", spend("X", "B", 500, 1, posted(at(1, 7))), 0, ""},
		{"pending (no spend) tagged by viewer", spend("X", "V", 0, 1, tag("BDG-456")), 0, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := household(t)
			join(t, b, "c-v", "V", "viewer", 1)
			eff := b.ApplySpend(c.sp)
			if got := b.View(at(10, 12)).SpentMinor; got != c.counted {
				t.Fatalf("spent %d, want %d", got, c.counted)
			}
			refused := ""
			for _, u := range eff.Updates {
				if u.Refused {
					refused = u.RefusedReason
					if u.AmountMinor != c.sp.AmountMinor || u.UserID != c.sp.UserID || u.SpentMinor != 0 {
						t.Fatalf("refused update %+v", u)
					}
				}
			}
			if refused != c.refused {
				t.Fatalf("refused %q, want %q (%+v)", refused, c.refused, eff.Updates)
			}
			version := b.Version
			if again := b.ApplySpend(c.sp); b.Version != version || (len(again.Updates) > 0 && !resent(again.Updates, version, c.counted)) {
				t.Fatalf("duplicate emitted %+v", again.Updates)
			}
		})
	}
}

func TestMembershipChanges(t *testing.T) {
	b := household(t)
	b.ApplySpend(spend("B1", "B", 100_000, 1, posted(at(15, 10))))

	eff := mustApply(t, b, cmd("c-rm", event.CmdSharedRemoveMember, "A", "B", "", 20))
	if len(eff.Updates) != 1 || len(eff.Updates[0].Participants) != 1 || eff.Updates[0].UserID != "A" {
		t.Fatalf("removal update %+v", eff.Updates)
	}
	if m := eff.Members; len(m) != 1 || m[0].Kind != event.CmdRemoveMembership || m[0].UserID != "B" || !m[0].IssuedAt.Equal(at(20, 8)) {
		t.Fatalf("removal membership %+v", m)
	}
	// A new transaction after removal does not count; a change of one made
	// before it still moves the total by the difference.
	b.ApplySpend(spend("B2", "B", 50_000, 1, posted(at(21, 10))))
	b.ApplySpend(spend("B1", "B", 120_000, 2, posted(at(15, 10)), before(100_000, at(15, 10))))
	v := b.View(at(21, 12))
	if v.SpentMinor != 120_000 || len(v.Participants) != 1 || v.Participants[0].UserID != "A" {
		t.Fatalf("after removal %+v", v)
	}

	// A tagged spend applied before a membership command whose instant is
	// earlier stays refused: the membership starts after the latest
	// transaction applied, so that no decision already taken changes, and
	// a later change of the spend moves nothing.
	c1 := spend("C1", "C", 30_000, 1, tag("BDG-456"), posted(at(22, 10)))
	c1.SourceTime = at(22, 10)
	if eff = b.ApplySpend(c1); len(eff.Updates) != 1 || !eff.Updates[0].Refused {
		t.Fatalf("early spend %+v", eff.Updates)
	}
	// Invited: nothing of C counts until C accepts.
	eff = mustApply(t, b, cmd("c-c", event.CmdSharedAddMember, "A", "C", "contributor", 22))
	if m := eff.Members; len(eff.Updates) != 0 || len(m) != 1 || m[0].Kind != event.CmdInvite || m[0].InvitationID != "c-c" ||
		m[0].UserID != "C" || !m[0].ExpiresAt.Equal(at(29, 8)) || b.RoleOf("C") != "" {
		t.Fatalf("invitation %+v", eff)
	}
	c := event.SharedCommand{CommandID: "c-c-accept", BudgetID: "BDG-456", Kind: event.CmdSharedAccept, ActorID: "C", InvitationID: "c-c", IssuedAt: at(22, 9)}
	eff = mustApply(t, b, c)
	if m := eff.Members[0]; m.Kind != event.CmdSetMembership || m.Role != "contributor" || m.Category != "groceries" || !m.IssuedAt.After(at(22, 10)) {
		t.Fatalf("membership command %+v", m)
	}
	rev := spend("C1", "C", 0, 2, tag("BDG-456"), posted(at(22, 10)), before(30_000, at(22, 10)))
	if eff = b.ApplySpend(rev); len(eff.Updates) != 0 || b.View(at(22, 12)).SpentMinor != 120_000 {
		t.Fatalf("reversal of the refused spend %+v", eff.Updates)
	}
	c2 := spend("C2", "C", 10_000, 1, posted(at(23, 10)))
	if b.ApplySpend(c2); b.View(at(23, 12)).SpentMinor != 130_000 {
		t.Fatalf("spend after joining not counted")
	}

	// A redelivered command changes nothing and re-sends the membership.
	version := b.Version
	eff = mustApply(t, b, c)
	if len(eff.Updates) != 0 || len(eff.Members) != 1 || eff.Members[0].Role != "contributor" || b.Version != version {
		t.Fatalf("duplicate command %+v", eff)
	}

	// Demoted to viewer: new spend stops counting, older spend stays, and
	// a change of the older spend is decided by the role it was made with.
	mustApply(t, b, cmd("c-c2", event.CmdSharedChangeRole, "A", "C", "viewer", 25))
	b.ApplySpend(spend("C3", "C", 10_000, 1, posted(at(26, 10))))
	b.ApplySpend(spend("C2", "C", 15_000, 2, posted(at(23, 10)), before(10_000, at(23, 10))))
	if got := b.View(at(26, 12)).SpentMinor; got != 135_000 {
		t.Fatalf("spent %d after demotion", got)
	}
}

// Members, periods, commands, marks and fired alerts are bounded, whatever
// the history: a year of weekly spend by 40 people joining and leaving.
func TestValueIsBounded(t *testing.T) {
	b := household(t)
	size := func() int {
		raw, err := b.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		return len(raw)
	}
	var at100 int
	for i := range 3000 {
		user := fmt.Sprintf("U%02d", i%30)
		if i%30 == i/30%30 {
			if b.RoleOf(user) == "" {
				join(t, b, fmt.Sprintf("add-%d", i), user, "contributor", 1)
			} else if user != "A" {
				mustApply(t, b, cmd(fmt.Sprintf("rm-%d", i), event.CmdSharedRemoveMember, "A", user, "", 1))
			}
		}
		day := at(1, 10).AddDate(0, 0, i/8)
		sp := spend(fmt.Sprintf("T%d", i), user, 1_000, 1, posted(day), merchant(fmt.Sprintf("Shop %d", i)))
		sp.SourceTime, sp.MarkPartition = day, int32(i%8)
		b.ApplySpend(sp)
		if i == 99 {
			at100 = size()
		}
	}
	if n := len(b.Spend); n > 13 {
		t.Errorf("%d periods of spend kept", n)
	}
	if n := len(b.Members); n > maxMembers {
		t.Errorf("%d members kept", n)
	}
	if len(b.Commands) > maxCommands || len(b.Marks) > 8 || len(b.Fired) > keepFired {
		t.Errorf("guards grew: %d commands, %d marks, %d fired", len(b.Commands), len(b.Marks), len(b.Fired))
	}
	at3000 := size()
	t.Logf("shared budget value: %d B after 100 spends, %d B after 3,000", at100, at3000)
	if at3000 > 8<<10 {
		t.Errorf("value %d B after 3,000 spends", at3000)
	}
}

func roundTrip(t *testing.T, b *Budget) *Budget {
	t.Helper()
	raw, err := Codec{}.Encode(b)
	if err != nil {
		t.Fatal(err)
	}
	v, err := Codec{}.Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	got := v.(Budget)
	again, err := got.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if string(again) != string(raw) || !reflect.DeepEqual(got.View(at(20, 12)), b.View(at(20, 12))) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, *b)
	}
	return &got
}

// resent reports whether updates is one re-sent update of the current
// state: version and spent as now, crossing nothing.
func resent(updates []event.BudgetUpdate, version, spent int64) bool {
	return len(updates) == 1 && updates[0].Version == version && updates[0].SpentMinor == spent && len(updates[0].ThresholdCrossedBP) == 0 && !updates[0].Alert
}

// inUTC is alerts with their event times in UTC (a decoded value's zone).
func inUTC(alerts []event.Alert) []event.Alert {
	out := slices.Clone(alerts)
	for i := range out {
		out[i].EventTime = out[i].EventTime.UTC()
	}
	return out
}

func TestCheck(t *testing.T) {
	b := household(t)
	join(t, b, "c-v", "V", "viewer", 1)
	cases := []struct {
		name string
		c    event.SharedCommand
		want error
	}{
		{"owner adds", cmd("", event.CmdSharedAddMember, "A", "N", "viewer", 2), nil},
		{"contributor adds", cmd("", event.CmdSharedAddMember, "B", "N", "viewer", 2), ErrForbidden},
		{"viewer adds", cmd("", event.CmdSharedAddMember, "V", "N", "viewer", 2), ErrForbidden},
		{"outsider adds", cmd("", event.CmdSharedAddMember, "Z", "N", "viewer", 2), ErrForbidden},
		{"bad role", cmd("", event.CmdSharedAddMember, "A", "N", "admin", 2), ErrInvalid},
		{"no user", cmd("", event.CmdSharedAddMember, "A", "", "viewer", 2), ErrInvalid},
		{"already a member", cmd("", event.CmdSharedAddMember, "A", "B", "viewer", 2), ErrConflict},
		{"already that role", cmd("", event.CmdSharedChangeRole, "A", "B", "contributor", 2), ErrConflict},
		{"change role", cmd("", event.CmdSharedChangeRole, "A", "B", "owner", 2), nil},
		{"change role of outsider", cmd("", event.CmdSharedChangeRole, "A", "Z", "owner", 2), ErrNotFound},
		{"demote last owner", cmd("", event.CmdSharedChangeRole, "A", "A", "viewer", 2), ErrConflict},
		{"owner removes", cmd("", event.CmdSharedRemoveMember, "A", "V", "", 2), nil},
		{"viewer removes other", cmd("", event.CmdSharedRemoveMember, "V", "B", "", 2), ErrForbidden},
		{"viewer leaves", cmd("", event.CmdSharedRemoveMember, "V", "V", "", 2), nil},
		{"outsider leaves", cmd("", event.CmdSharedRemoveMember, "Z", "Z", "", 2), ErrForbidden},
		{"remove non-member", cmd("", event.CmdSharedRemoveMember, "A", "Z", "", 2), ErrNotFound},
		{"remove last owner", cmd("", event.CmdSharedRemoveMember, "A", "A", "", 2), ErrConflict},
		{"owner sets limit", event.SharedCommand{Kind: event.CmdSharedSetLimit, ActorID: "A", LimitMinor: 5}, nil},
		{"contributor sets limit", event.SharedCommand{Kind: event.CmdSharedSetLimit, ActorID: "B", LimitMinor: 5}, ErrForbidden},
		{"zero limit", event.SharedCommand{Kind: event.CmdSharedSetLimit, ActorID: "A"}, ErrInvalid},
		{"create again", event.SharedCommand{Kind: event.CmdSharedCreate, ActorID: "A"}, ErrConflict},
		{"unknown kind", event.SharedCommand{Kind: "rename", ActorID: "A"}, ErrInvalid},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := b.Check(c.c)
			if (c.want == nil) != (err == nil) || (c.want != nil && !errors.Is(err, c.want)) {
				t.Fatalf("Check = %v, want %v", err, c.want)
			}
		})
	}
	// With a second owner, the first may leave.
	mustApply(t, b, cmd("c-o", event.CmdSharedChangeRole, "A", "B", "owner", 3))
	if err := b.Check(cmd("", event.CmdSharedRemoveMember, "A", "A", "", 3)); err != nil {
		t.Fatalf("owner leaves with another owner: %v", err)
	}
}

func TestCreateValidation(t *testing.T) {
	ok := event.SharedCommand{BudgetID: "BDG-1", Kind: event.CmdSharedCreate, ActorID: "A", Name: "Trip", LimitMinor: 1, Currency: "THB"}
	if err := ValidateCreate(ok, known); err != nil {
		t.Fatal(err)
	}
	bad := map[string]func(*event.SharedCommand){
		"id with colon": func(c *event.SharedCommand) { c.BudgetID = "A:groceries" },
		"empty id":      func(c *event.SharedCommand) { c.BudgetID = "" },
		"blank name":    func(c *event.SharedCommand) { c.Name = "  " },
		"bad category":  func(c *event.SharedCommand) { c.Category = "pets" },
		"zero limit":    func(c *event.SharedCommand) { c.LimitMinor = 0 },
		"bad currency":  func(c *event.SharedCommand) { c.Currency = "BTC" },
		"bad period":    func(c *event.SharedCommand) { c.Period = "daily" },
		"bad threshold": func(c *event.SharedCommand) { c.ThresholdsBP = []int64{0} },
		"repeated th":   func(c *event.SharedCommand) { c.ThresholdsBP = []int64{5000, 5000} },
		"no creator":    func(c *event.SharedCommand) { c.ActorID = "" },
	}
	for name, mut := range bad {
		c := ok
		mut(&c)
		if err := ValidateCreate(c, known); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
}

func TestSetLimitShowsCrossedWithoutAlert(t *testing.T) {
	b := household(t)
	b.ApplySpend(spend("T1", "A", 900_000, 1, posted(at(10, 10))))
	c := event.SharedCommand{CommandID: "c-l", Kind: event.CmdSharedSetLimit, ActorID: "A", LimitMinor: 1_000_000, IssuedAt: at(11, 9)}
	eff := mustApply(t, b, c)
	if len(eff.Updates) != 1 || eff.Updates[0].UsedBP != 9000 || len(eff.Alerts) != 0 || eff.Updates[0].Alert ||
		!reflect.DeepEqual(eff.Updates[0].CrossedBP, []int64{5000, 8000, 9000}) {
		t.Fatalf("set limit %+v", eff)
	}
	// The next spend crosses 100% once.
	eff = b.ApplySpend(spend("T2", "B", 100_000, 1, posted(at(12, 10))))
	if len(eff.Updates) != 1 || !reflect.DeepEqual(eff.Updates[0].ThresholdCrossedBP, []int64{10000}) || len(eff.Alerts) != 2 {
		t.Fatalf("crossing 100%% %+v", eff)
	}
	if want := "B spent ฿1,000 at Big C: 100% of Household Groceries used, ฿0 left for 19 days"; eff.Alerts[0].Text != want {
		t.Fatalf("text %q", eff.Alerts[0].Text)
	}
}

func TestPeriodsAreSeparate(t *testing.T) {
	b := household(t)
	b.ApplySpend(spend("T1", "A", 100_000, 1, posted(at(30, 23))))
	eff := b.ApplySpend(spend("T2", "A", 50_000, 1, posted(at(30, 23).Add(2*time.Hour))))
	if len(eff.Updates) != 1 || eff.Updates[0].PeriodKey != "2026-12" || eff.Updates[0].SpentMinor != 50_000 {
		t.Fatalf("december update %+v", eff.Updates)
	}
	// Moving T1 into December moves its spend between the periods.
	eff = b.ApplySpend(spend("T1", "A", 100_000, 2, posted(at(30, 23).Add(3*time.Hour)), before(100_000, at(30, 23))))
	if len(eff.Updates) != 2 || eff.Updates[0].PeriodKey != "2026-11" || eff.Updates[0].SpentMinor != 0 || eff.Updates[1].SpentMinor != 150_000 {
		t.Fatalf("move between periods %+v", eff.Updates)
	}
}
