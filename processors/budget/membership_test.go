package budget

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"finstream/processors/cdc"
	"finstream/processors/event"
	"finstream/processors/period"
)

func household(role string) Membership {
	return Membership{BudgetID: "BDG-456", Name: "Household Groceries", Role: role, Category: "groceries", Currency: "THB", Period: "monthly", Since: at(1, 8)}
}

func spendsOf(recs []event.SharedSpend) []string {
	var out []string
	for _, r := range recs {
		out = append(out, r.BudgetID+":"+r.TxnID)
	}
	return out
}

func TestSharedRouting(t *testing.T) {
	s := NewBook("USR-789")
	if eff, err := s.SetMembership(household("contributor")); err != nil || eff.Changed() {
		t.Fatalf("membership on an empty state: %+v %v", eff, err)
	}
	// In the budget's category: sent, with the facts; the same record again
	// re-sends without a change.
	groceries := change(txn("G1", 50_000, "POSTED", at(5, 10)), 10)
	eff := s.ApplyTxnFrom(groceries, At(0, 1))
	if len(eff.Shared) != 1 {
		t.Fatalf("shared %+v", eff.Shared)
	}
	sp := eff.Shared[0]
	if sp.BudgetID != "BDG-456" || sp.TxnID != "G1" || sp.UserID != "USR-789" || sp.Seq != 1 || sp.AmountMinor != 50_000 ||
		sp.Category != "groceries" || sp.Merchant != "Tesco Lotus" || sp.LSN != 10 || !sp.PostedAt.Equal(at(5, 10)) {
		t.Fatalf("record %+v", sp)
	}
	again := s.ApplyTxnFrom(groceries, At(0, 1))
	want := eff.Shared[0]
	want.Resent = true
	if again.Changed() || len(again.Shared) != 1 || again.Shared[0] != want {
		t.Fatalf("redelivery: %+v", again)
	}

	// Reversed: the budget learns it counts 0 now.
	eff = s.ApplyTxn(change(txn("G1", 50_000, "REVERSED", at(5, 10)), 20))
	if len(eff.Shared) != 1 || eff.Shared[0].AmountMinor != 0 || eff.Shared[0].Seq != 2 ||
		eff.Shared[0].BeforeMinor != 50_000 || !eff.Shared[0].BeforePostedAt.Equal(at(5, 10)) {
		t.Fatalf("reversal %+v", eff.Shared)
	}

	// Tagged with a budget the user is no member of: sent there only (the
	// budget decides, and shows the refusal).
	other := txn("X1", 10_000, "POSTED", at(6, 10))
	other.BudgetID = "BDG-OTHER"
	if eff = s.ApplyTxn(change(other, 30)); !reflect.DeepEqual(spendsOf(eff.Shared), []string{"BDG-OTHER:X1"}) {
		t.Fatalf("tagged elsewhere %+v", eff.Shared)
	}
	// Another category, untagged: nowhere. Pending: nowhere yet.
	dining := txn("D1", 10_000, "POSTED", at(6, 10))
	dining.MCC, dining.MerchantName, dining.MerchantID = 5812, "Somtam Nua", "M-SOMTAM"
	if eff = s.ApplyTxn(change(dining, 40)); len(eff.Shared) != 0 {
		t.Fatalf("dining %+v", eff.Shared)
	}
	if eff = s.ApplyTxn(change(txn("P1", 10_000, "PENDING", at(6, 10)), 50)); len(eff.Shared) != 0 {
		t.Fatalf("pending %+v", eff.Shared)
	}

	// Recategorized into dining: the budget it was sent to hears the change.
	s.ApplyTxn(change(txn("G2", 70_000, "POSTED", at(7, 10)), 60))
	eff, err := s.Recategorize("G2", "dining", at(7, 11))
	if err != nil || len(eff.Shared) != 1 || eff.Shared[0].Category != "dining" || eff.Shared[0].AmountMinor != 0 || eff.Shared[0].BeforeMinor != 70_000 {
		t.Fatalf("recategorize %+v %v", eff.Shared, err)
	}

	// Removed: new groceries go nowhere; changes of what was posted while
	// the membership ran still go.
	bigC := func(amount int64) cdc.Txn { // another merchant: Tesco's rule says dining now
		r := txn("G6", amount, "POSTED", at(7, 12))
		r.MerchantName, r.MerchantID = "Big C", "M-BIGC"
		return r
	}
	s.ApplyTxn(change(bigC(7_000), 65))
	s.RemoveMembership("BDG-456", at(8, 9))
	if got := s.SharedMemberships(); len(got) != 0 {
		t.Fatalf("memberships after removal %+v", got)
	}
	if eff = s.ApplyTxn(change(txn("G3", 5_000, "POSTED", at(8, 10)), 70)); len(eff.Shared) != 0 {
		t.Fatalf("after removal %+v", eff.Shared)
	}
	if eff = s.ApplyTxn(change(bigC(7_500), 80)); !reflect.DeepEqual(spendsOf(eff.Shared), []string{"BDG-456:G6"}) {
		t.Fatalf("change after removal %+v", eff.Shared)
	}
}

// The state keeps no transactions: a membership counts the transactions
// that arrive after it (posted since it began), not those before it.
func TestMembershipArrivingAfterTransactions(t *testing.T) {
	s := NewBook("USR-789")
	s.ApplyTxn(change(txn("G1", 2_000, "POSTED", at(3, 10)), 20))
	eff, err := s.SetMembership(household("contributor"))
	if err != nil || len(eff.Shared) != 0 {
		t.Fatalf("membership %+v %v", eff.Shared, err)
	}
	if eff = s.ApplyTxn(change(txn("G4", 2_000, "POSTED", at(3, 11)), 30)); !reflect.DeepEqual(spendsOf(eff.Shared), []string{"BDG-456:G4"}) {
		t.Fatalf("after membership %+v", eff.Shared)
	}
	if eff = s.ApplyTxn(change(txn("OLD", 1_000, "POSTED", at(1, 7)), 40)); len(eff.Shared) != 0 {
		t.Fatalf("posted before the membership began %+v", eff.Shared)
	}
	if eff, _ = s.SetMembership(household("contributor")); eff.Changed() {
		t.Fatalf("same membership again %+v", eff)
	}
	if got := s.SharedMemberships(); len(got) != 1 || got[0].Role != "contributor" {
		t.Fatalf("memberships %+v", got)
	}
	if _, err := s.SetMembership(Membership{BudgetID: "BDG-1"}); err == nil {
		t.Fatal("membership without role accepted")
	}
}

func TestViewerSpendIsRoutedOnlyWhenTagged(t *testing.T) {
	s := NewBook("V")
	if _, err := s.SetMembership(household("viewer")); err != nil {
		t.Fatal(err)
	}
	if eff := s.ApplyTxn(change(txn("G1", 2_000, "POSTED", at(3, 10)), 10)); len(eff.Shared) != 0 {
		t.Fatalf("viewer's groceries routed %+v", eff.Shared)
	}
	tagged := txn("G2", 2_000, "POSTED", at(3, 10))
	tagged.BudgetID = "BDG-456"
	if eff := s.ApplyTxn(change(tagged, 20)); !reflect.DeepEqual(spendsOf(eff.Shared), []string{"BDG-456:G2"}) {
		t.Fatalf("viewer's tagged spend %+v", eff.Shared)
	}
}

func TestCodecKeepsMembershipsAndTheDuplicateGuard(t *testing.T) {
	s := NewBook("USR-789")
	if _, err := s.SetMembership(household("owner")); err != nil {
		t.Fatal(err)
	}
	s.ApplyTxnFrom(change(txn("G1", 2_000, "POSTED", at(3, 10)), 10), At(0, 5))
	got := roundTrip(t, s.State)
	if m := got.Memberships["BDG-456"]; m == nil || m.Role != "owner" || !m.Since.Equal(at(1, 8)) {
		t.Fatalf("membership %+v", m)
	}
	// A redelivery after the restart re-sends the same shared record.
	b := &Book{State: &got, Ledgers: s.Ledgers}
	if again := b.ApplyTxnFrom(change(txn("G1", 2_000, "POSTED", at(3, 10)), 10), At(0, 5)); len(again.Shared) != 1 || again.Shared[0].Seq != 1 || !again.Shared[0].Resent || again.Changed() {
		t.Fatalf("resend after decode %+v", again)
	}
}

// Where a change is sent is decided by the stage from the user's
// memberships as it sees them.
func TestRoute(t *testing.T) {
	ms := map[string]*Membership{}
	for _, m := range []Membership{household("contributor"),
		{BudgetID: "BDG-V", Role: "viewer", Category: "groceries", Currency: "THB", Since: at(1, 8)},
		{BudgetID: "BDG-USD", Role: "owner", Category: "groceries", Currency: "USD", Since: at(1, 8)},
		{BudgetID: "BDG-GONE", Role: "owner", Category: "groceries", Currency: "THB", Since: at(1, 8), Removed: true, Until: at(4, 8)},
	} {
		ms[m.BudgetID] = &m
	}
	tagged := func(id string, posted time.Time) cdc.TxnChange {
		r := txn("X", 500, "POSTED", posted)
		r.BudgetID = id
		return change(r, 1)
	}
	cases := []struct {
		name string
		rec  cdc.TxnChange
		want []string
	}{
		{"in category, during two memberships", change(txn("X", 500, "POSTED", at(3, 10)), 1), []string{"BDG-456", "BDG-GONE"}},
		{"in category, after a removal", change(txn("X", 500, "POSTED", at(5, 10)), 1), []string{"BDG-456"}},
		{"in category, before joining", change(txn("X", 500, "POSTED", at(1, 7)), 1), nil},
		{"pending", change(txn("X", 500, "PENDING", at(3, 10)), 1), nil},
		{"tagged, member", tagged("BDG-456", at(3, 10)), []string{"BDG-456"}},
		{"tagged, viewer", tagged("BDG-V", at(3, 10)), []string{"BDG-V"}},
		{"tagged, no member", tagged("BDG-X", at(3, 10)), []string{"BDG-X"}},
	}
	for _, c := range cases {
		rec := c.rec
		rec.Category = "groceries"
		rec.Counts = contribution(rec, period.ZoneOrDefault(""))
		if got := route(rec, ms); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestInvitationsInTheUserState(t *testing.T) {
	s := NewBook("USR-B")
	inv := Invitation{ID: "inv-1", BudgetID: "BDG-456", Name: "Household Groceries", Role: "contributor", InvitedBy: "USR-A", ExpiresAt: at(8, 8)}
	s.Invite(inv, at(1, 8))
	s.Invite(inv, at(1, 9)) // again: still one
	s.Invite(Invitation{ID: "inv-2", BudgetID: "BDG-9", Role: "viewer", ExpiresAt: at(3, 8)}, at(1, 9))
	if got := s.PendingInvitations(at(2, 8)); len(got) != 2 || got[0].ID != "inv-2" || got[1] != inv {
		t.Fatalf("pending %+v", got)
	}
	if got := s.PendingInvitations(at(4, 8)); len(got) != 1 {
		t.Fatalf("expired one listed %+v", got)
	}
	got := roundTrip(t, s.State)
	if i, ok := got.Invitation("inv-1", at(2, 8)); !ok || i.Name != "Household Groceries" || !i.ExpiresAt.Equal(at(8, 8)) {
		t.Fatalf("after decode %+v %v", i, ok)
	}
	// Joining the budget (accepted) ends its invitation; a decline ends the other.
	if _, err := s.SetMembership(household("contributor")); err != nil {
		t.Fatal(err)
	}
	s.Uninvite("inv-2")
	if len(s.Invitations) != 0 {
		t.Fatalf("invitations left %+v", s.Invitations)
	}
	for i := range 40 {
		s.Invite(Invitation{ID: fmt.Sprint("inv-", i), ExpiresAt: at(8, 8).Add(time.Duration(i) * time.Hour)}, at(1, 8))
	}
	if len(s.Invitations) != maxInvitations || s.Invitations[0].ID != "inv-24" {
		t.Fatalf("bounded: %d, first %+v", len(s.Invitations), s.Invitations[0])
	}
}
