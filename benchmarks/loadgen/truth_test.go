package loadgen

import (
	"bytes"
	"slices"
	"testing"
	"time"

	"finstream/processors/cdc"
)

// recount applies the contract to a delivered stream, independently of the
// generator's bookkeeping: per transaction id the change at the greatest
// position wins; a POSTED DEBIT that is not deleted counts; a null user_id
// resolves through the accounts delivered (unresolved ones wait, uncounted);
// the period is the month of posted_at in the user's zone.
func recount(t *testing.T, users []User, evs []Event) map[spendKey]int64 {
	t.Helper()
	zones := map[string]*time.Location{}
	for _, u := range users {
		loc, err := time.LoadLocation(u.Zone)
		if err != nil {
			t.Fatal(err)
		}
		zones[u.ID] = loc
	}
	type change struct {
		pos cdc.Position
		op  cdc.Op
		row *cdc.Txn
	}
	owner := map[string]string{}
	final := map[string]change{}
	for _, e := range evs {
		switch {
		case e.Value == nil && e.Op == "": // tombstone
		case e.Topic == TopicAccounts:
			owner[e.Account.ID] = e.Account.UserID
		default:
			id := e.TxnID()
			if c, ok := final[id]; !ok || newer(e.Pos, c.pos) {
				final[id] = change{e.Pos, e.Op, e.After}
			}
		}
	}
	out := map[spendKey]int64{}
	for id, c := range final {
		if c.op == cdc.OpDelete || c.row.Status != StatusPosted || c.row.Direction != "DEBIT" {
			continue
		}
		r := c.row
		u, o := r.UserID, owner[r.AccountID]
		if u == "" {
			u = o
		} else if o != "" && o != u {
			t.Fatalf("transaction %s: user_id %s, account owner %s", id, u, o)
		}
		if u == "" {
			continue // waits for its account
		}
		k := spendKey{u, r.PostedAt.In(zones[u]).Format("2006-01"), categorize(r.MCC, r.MerchantName, r.MerchantID, r.Direction, r.Type)}
		out[k] += r.AmountMinor
	}
	for k, v := range out {
		if v == 0 {
			delete(out, k)
		}
	}
	return out
}

func truthOf(evs []Event) *Truth {
	tr := NewTruth()
	for i := range evs {
		tr.Apply(&evs[i])
	}
	return tr
}

func TestTruthMatchesRecount(t *testing.T) {
	clean := testConfig(150)
	clean.NullUserID, clean.LateAccounts, clean.Duplicates, clean.OutOfOrder = 0, 0, 0, 0
	clean.Reversals, clean.Deletes, clean.AmountChanges, clean.Snapshots = 0, 0, 0, 0
	for name, cfg := range map[string]Config{"anomalies": testConfig(150), "clean": clean, "defaults": DefaultConfig()} {
		t.Run(name, func(t *testing.T) {
			if cfg.Start.IsZero() {
				cfg.Start = testStart
			}
			g, evs := generate(t, cfg, nil, 40000)
			// Prefixes cut the stream inside lifecycles, held changes and
			// late accounts' waits.
			for _, n := range []int{1, 777, 5003, 19999, len(evs)} {
				tr := truthOf(evs[:n])
				want := recount(t, g.Users(), evs[:n])
				got := map[spendKey]int64{}
				tr.Each(func(u, p, c string, v int64) { got[spendKey{u, p, c}] = v })
				for k, v := range want {
					if got[k] != v {
						t.Errorf("%d events: %v = %d, recount %d", n, k, got[k], v)
					}
					if tr.Spend(k.user, k.category, k.period) != v {
						t.Errorf("%d events: Spend%v = %d, recount %d", n, k, tr.Spend(k.user, k.category, k.period), v)
					}
				}
				for k, v := range got {
					if _, ok := want[k]; !ok {
						t.Errorf("%d events: %v = %d, recount has none", n, k, v)
					}
				}
			}
		})
	}
}

// TestTruthSpansPeriodsAndZones checks the recount is not vacuous: the
// stream starting an hour before December in Bangkok spends in both months,
// and anomalies moved totals (reversed and deleted spend is not counted).
func TestTruthSpansPeriodsAndZones(t *testing.T) {
	_, evs := generate(t, testConfig(150), nil, 40000)
	tr := truthOf(evs)
	periods := map[string]bool{}
	tr.Each(func(_, p, _ string, _ int64) { periods[p] = true })
	if !periods["2026-11"] || !periods["2026-12"] {
		t.Errorf("periods %v, want 2026-11 and 2026-12", periods)
	}
	var created, counted int64
	for _, e := range evs {
		if e.Kind == KindCreate && e.After.Direction == "DEBIT" {
			created += e.After.AmountMinor
		}
	}
	tr.Each(func(_, _, _ string, v int64) { counted += v })
	if counted <= 0 || counted >= created {
		t.Errorf("counted %d of %d created debit satang", counted, created)
	}
}

func TestTruthJSONRoundTrip(t *testing.T) {
	_, evs := generate(t, testConfig(50), nil, 5000)
	tr := truthOf(evs)
	var a bytes.Buffer
	if err := tr.WriteJSON(&a); err != nil {
		t.Fatal(err)
	}
	back, err := ReadTruth(bytes.NewReader(a.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := back.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatalf("round trip changed the JSON:\n%s\n%s", a.Bytes(), b.Bytes())
	}
	users := tr.Users()
	if len(users) == 0 || !slices.IsSorted(users) || !slices.Equal(users, back.Users()) {
		t.Fatalf("users %v, read back %v", users, back.Users())
	}
	if back.Sent() != 5000 || back.Events()["create"] != tr.Events()["create"] {
		t.Fatalf("sent %d events %v, want 5000 and %v", back.Sent(), back.Events(), tr.Events())
	}
	if _, err := ReadTruth(bytes.NewReader([]byte(`{"events":{"teleport":1}}`))); err == nil {
		t.Fatal("unknown event kind accepted")
	}
}

func TestTruthJSONShape(t *testing.T) {
	tr := NewTruth()
	tr.add("USR-1", "2026-11", "groceries", 123)
	tr.add("USR-1", "2026-11", "dining", 0)
	var b bytes.Buffer
	if err := tr.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	want := `{"sent":0,"events":{},"users":{"USR-1":{"2026-11":{"groceries":123}}}}` + "\n"
	if b.String() != want {
		t.Fatalf("got %s want %s", b.String(), want)
	}
}
