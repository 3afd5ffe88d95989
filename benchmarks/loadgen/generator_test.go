package loadgen

import (
	"bytes"
	"testing"
	"time"

	"finstream/processors/cdc"
)

func TestSameSeedSameStream(t *testing.T) {
	cfg := testConfig(300)
	_, a := generate(t, cfg, jsonEncoder{}, 20000)
	_, b := generate(t, cfg, jsonEncoder{}, 20000)
	for i := range a {
		if a[i].Kind != b[i].Kind || a[i].Topic != b[i].Topic || !bytes.Equal(a[i].Key, b[i].Key) || !bytes.Equal(a[i].Value, b[i].Value) {
			t.Fatalf("event %d differs:\n%s %s\n%s %s", i, a[i].Key, a[i].Value, b[i].Key, b[i].Value)
		}
	}
	cfg.Seed++
	_, c := generate(t, cfg, jsonEncoder{}, 100)
	same := 0
	for i := range c {
		if bytes.Equal(a[i].Value, c[i].Value) {
			same++
		}
	}
	if same == len(c) {
		t.Fatal("another seed gave the same stream")
	}
}

func TestEveryKindHappens(t *testing.T) {
	_, evs := generate(t, testConfig(300), nil, 30000)
	var seen [numKinds]int
	for _, e := range evs {
		seen[e.Kind]++
	}
	for k := range numKinds {
		if seen[k] == 0 {
			t.Errorf("no %s event in 30000", k)
		}
	}
}

// TestStreamInvariants checks positions and row lifecycles: every new
// change has a position after every earlier one (one WAL), a redelivery
// repeats an earlier change of its row exactly, posted_at never changes.
func TestStreamInvariants(t *testing.T) {
	_, evs := generate(t, testConfig(300), jsonEncoder{}, 30000)
	var last cdc.Position
	type change struct{ key, value []byte }
	made := map[cdc.Position]change{} // every new change by position
	latest := map[string]cdc.Position{}
	created := map[string]*cdc.Txn{}
	for i, e := range evs {
		switch e.Kind {
		case KindTombstone:
			if e.Value != nil || e.Key == nil {
				t.Fatalf("event %d: tombstone with value %q key %q", i, e.Value, e.Key)
			}
			continue
		case KindDuplicate, KindOutOfOrder:
			c, ok := made[e.Pos]
			switch {
			case ok && (!bytes.Equal(c.key, e.Key) || !bytes.Equal(c.value, e.Value)):
				t.Fatalf("event %d: %s differs from the original", i, e.Kind)
			case !ok && e.Kind == KindDuplicate:
				t.Fatalf("event %d: duplicate at %v of nothing sent", i, e.Pos)
			case e.Kind == KindOutOfOrder && !newer(latest[e.TxnID()], e.Pos):
				t.Fatalf("event %d: out-of-order change is not older than its row's latest", i)
			}
			made[e.Pos] = change{e.Key, e.Value} // a held change is first sent late
			continue
		}
		if !newer(e.Pos, last) || e.Pos.TsMs < last.TsMs {
			t.Fatalf("event %d (%s): position %v not after %v", i, e.Kind, e.Pos, last)
		}
		last = e.Pos
		made[e.Pos] = change{e.Key, e.Value}
		if e.Topic != TopicTransactions {
			continue
		}
		id := e.TxnID()
		latest[id] = e.Pos
		if e.Kind == KindCreate {
			created[id] = e.After
			want := StatusPosted
			if e.After.Channel == ChannelCard && e.After.Direction == "DEBIT" {
				want = StatusPending
			}
			if e.After.Status != want {
				t.Fatalf("event %d: %s %s created %s, want %s", i, e.After.Channel, e.After.Direction, e.After.Status, want)
			}
			continue
		}
		// A held create can arrive after its row's next change: fall back
		// on any image of the row for the comparison.
		c := created[id]
		row := e.After
		if row == nil {
			row = e.Before
		}
		if c != nil && !row.PostedAt.Equal(c.PostedAt) {
			t.Fatalf("event %d: posted_at of %s moved from %v to %v", i, id, c.PostedAt, row.PostedAt)
		}
		if e.Op == cdc.OpUpdate && (e.Before == nil || e.Before.ID != id) {
			t.Fatalf("event %d: update without its before image", i)
		}
	}
}

func TestLateAccounts(t *testing.T) {
	_, evs := generate(t, testConfig(200), nil, 30000)
	txnsBefore := map[string]int{} // account id → its transactions sent before its row
	sent := map[string]bool{}
	late := 0
	for i, e := range evs {
		switch {
		case e.Account != nil && (e.Kind == KindAccount || e.Kind == KindLateAccount):
			id := e.Account.ID
			if sent[id] {
				t.Fatalf("event %d: account %s sent twice as new", i, id)
			}
			sent[id] = true
			if e.Kind == KindAccount && txnsBefore[id] > 0 {
				t.Fatalf("event %d: account %s came after %d of its transactions", i, id, txnsBefore[id])
			}
			if e.Kind == KindLateAccount {
				late++
				if txnsBefore[id] == 0 || e.Op != cdc.OpCreate {
					t.Fatalf("event %d: late account %s (op %s) after %d transactions", i, id, e.Op, txnsBefore[id])
				}
			}
		case e.Topic == TopicTransactions && e.Kind != KindTombstone:
			r := e.After
			if r == nil {
				r = e.Before
			}
			if !sent[r.AccountID] {
				txnsBefore[r.AccountID]++
				if r.UserID != "" {
					t.Fatalf("event %d: transaction %s before its account row carries user_id", i, r.ID)
				}
			}
		}
	}
	if late == 0 {
		t.Fatal("no late account in 30000 events")
	}
}

// TestEventTimeAndCalendar checks that event time advances realistically:
// a simulated month of 100 users brings one salary each and monthly bills.
func TestEventTimeAndCalendar(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Users, cfg.Start = 100, testStart
	g, err := NewGenerator(cfg, nil, categorize)
	if err != nil {
		t.Fatal(err)
	}
	salaries, netflix := map[string]int{}, 0
	var last cdc.Position
	for last.TsMs < testStart.AddDate(0, 1, 0).UnixMilli() {
		e, err := g.Next()
		if err != nil {
			t.Fatal(err)
		}
		if e.Kind == KindCreate {
			last = e.Pos
			if e.After.Type == "DEPOSIT" && e.After.MerchantID == "PAYROLL" {
				salaries[e.After.AccountID]++
			}
			if e.After.MerchantName == "Netflix" {
				netflix++
				if p := e.After.AmountMinor; p != 9900 && p != 16900 && p != 34900 && p != 41900 {
					t.Errorf("Netflix charged %d satang, not a Thai plan price", p)
				}
			}
		}
	}
	if n := len(salaries); n < 80 || n > 100 {
		t.Errorf("%d of 100 users paid in a month, want about 92", n)
	}
	for acct, n := range salaries {
		if n != 1 {
			t.Errorf("account %s got %d salaries in a month", acct, n)
		}
	}
	if netflix < 25 || netflix > 65 {
		t.Errorf("%d Netflix charges for 100 users in a month, want about 45", netflix)
	}
}

func TestMerchantMCCs(t *testing.T) {
	want := map[string]int{
		"Lotus's": 5411, "Big C": 5411, "Tops": 5411, "Makro": 5300, "7-Eleven": 5499, "FamilyMart": 5499,
		"Grab": 4121, "Bolt": 4121, "BTS Skytrain": 4111, "MRT": 4111, "PTT Station": 5541, "Shell": 5541,
		"Starbucks": 5814, "MK Restaurants": 5812, "KFC": 5814, "McDonald's": 5814, "After You": 5812,
		"GrabFood": 5814, "foodpanda": 5814, "LINE MAN": 5814, "Netflix": 4899, "Spotify": 5815,
		"YouTube Premium": 5815, "AIS": 4814, "True Move H": 4814, "Metropolitan Electricity Authority (MEA)": 4900,
		"Metropolitan Waterworks Authority (MWA)": 4900, "Central Department Store": 5311, "Robinson": 5311,
		"Uniqlo": 5651, "Shopee": 5399, "Lazada": 5399, "Boots": 5912, "Watsons": 5912,
		"Bumrungrad International Hospital": 8062, "Major Cineplex": 7832, "SF Cinema": 7832, "Agoda": 4722,
		"AirAsia": 4511, "Thai Airways": 3077, "Chulalongkorn University": 8220, "KBank ATM": 6011,
	}
	got := map[string]int{}
	for _, m := range Merchants() {
		if prev, ok := got[m.Name]; ok && prev != m.MCC {
			t.Errorf("%s has MCCs %d and %d", m.Name, prev, m.MCC)
		}
		got[m.Name] = m.MCC
		if m.MinMinor <= 0 || m.MaxMinor < m.MinMinor || len(m.Channels) == 0 {
			t.Errorf("%s: amounts %d..%d, channels %v", m.Name, m.MinMinor, m.MaxMinor, m.Channels)
		}
	}
	for name, mcc := range want {
		if got[name] != mcc {
			t.Errorf("%s: MCC %d, want %d", name, got[name], mcc)
		}
	}
}

func TestAmountsWithinMerchantRanges(t *testing.T) {
	ranges := map[string]Merchant{}
	for _, m := range Merchants() {
		ranges[m.Name+"/"+m.Direction] = m
	}
	_, evs := generate(t, testConfig(300), nil, 20000)
	for _, e := range evs {
		if e.Kind != KindCreate {
			continue
		}
		r := e.After
		m, ok := ranges[r.MerchantName+"/"+r.Direction]
		if !ok { // PromptPay payees carry their own names
			m = ranges["PromptPay/"+r.Direction]
		}
		if r.AmountMinor < m.MinMinor || r.AmountMinor > m.MaxMinor+m.MaxMinor/50 {
			t.Fatalf("%s: %d satang outside %d..%d", r.MerchantName, r.AmountMinor, m.MinMinor, m.MaxMinor)
		}
	}
}

// TestRealtimeFollowsClock: in Realtime mode every new transaction is
// posted at the injected clock's time.
func TestRealtimeFollowsClock(t *testing.T) {
	clock := testStart
	cfg := testConfig(100)
	cfg.Start, cfg.Realtime = time.Time{}, true
	cfg.Now = func() time.Time { return clock }
	g, err := NewGenerator(cfg, nil, categorize)
	if err != nil {
		t.Fatal(err)
	}
	if !g.Config().Start.Equal(testStart) {
		t.Fatalf("start %v, want the clock's %v", g.Config().Start, testStart)
	}
	creates := 0
	for i := range 3000 {
		if i%10 == 0 {
			clock = clock.Add(1500 * time.Millisecond)
		}
		e, err := g.Next()
		if err != nil {
			t.Fatal(err)
		}
		if e.Kind != KindCreate {
			continue
		}
		creates++
		// Posted at the clock's time when its tick ran: at most now, and
		// (a tick's events are read within ten calls) after two steps ago.
		if at := e.After.PostedAt; at.After(clock) || !at.After(clock.Add(-3*time.Second)) {
			t.Fatalf("event %d posted at %v, clock %v", i, at, clock)
		}
	}
	if creates == 0 {
		t.Fatal("no transaction created")
	}
}
