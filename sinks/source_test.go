package sinks

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"finstream/processors/event"
)

// Source is a stream of the sink's input records.
type Source struct {
	Txns    []event.Categorized
	Updates []event.BudgetUpdate
	Alerts  []event.Alert
}

// SharedBudget is the shared budget GenSource generates; its participants
// are SharedMembers.
const SharedBudget = "hh-1"

// SharedMembers take part in SharedBudget.
var SharedMembers = []string{"USR-000001", "USR-000002", "USR-000003"}

// GenSource generates n transactions of users users (each in one to three
// versions: pending, posted, sometimes reversed), the personal budget
// updates they cause (limit ฿10,000 per user and category), the updates of
// SharedBudget (groceries of SharedMembers) and an alert per crossing of
// 50% and 100%. It is deterministic in seed.
func GenSource(seed uint64, users, n int) Source {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	cats := []string{"groceries", "dining", "transport", "shopping"}
	base := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	var src Source
	type budgetState struct{ version, spent int64 }
	budgets := map[string]*budgetState{}
	shared := map[string]int64{}
	var sharedVersion int64
	const limit = 1_000_000
	for i := range n {
		user := fmt.Sprintf("USR-%06d", rng.IntN(users)+1)
		c := event.Categorized{
			TxnID: fmt.Sprintf("T%07d", i), UserID: user, AccountID: "ACC-" + user[4:], Direction: "DEBIT",
			Type: "PURCHASE", Status: "PENDING", AmountMinor: int64(100 + rng.IntN(50_000)), Currency: "THB",
			MerchantName: fmt.Sprintf("Merchant %d", rng.IntN(50)), MerchantID: fmt.Sprintf("M%d", rng.IntN(50)),
			MCC: 5411, Channel: "CARD", Category: cats[rng.IntN(len(cats))], Confidence: 0.9, Source: "mcc",
			PostedAt: base.Add(time.Duration(i) * time.Minute).Add(time.Duration(rng.IntN(60)) * time.Second),
			LSN:      int64(1000 + i), Version: 1,
		}
		if rng.IntN(5) == 0 {
			c.BudgetID = SharedBudget
		}
		versions := 1 + rng.IntN(3)
		for v := 1; v <= versions; v++ {
			old := c.SpendMinor
			c.Version = int64(v)
			switch v {
			case 2:
				c.Status, c.SpendMinor = "POSTED", c.AmountMinor
			case 3:
				c.Status, c.SpendMinor = "REVERSED", 0
				c.Deleted = rng.IntN(4) == 0
			}
			src.Txns = append(src.Txns, c)
			delta := c.SpendMinor - old
			if delta == 0 {
				continue
			}
			id := user + ":" + c.Category
			b := budgets[id]
			if b == nil {
				b = &budgetState{}
				budgets[id] = b
			}
			before := b.spent
			b.version++
			b.spent += delta
			u := event.BudgetUpdate{
				Kind: event.BudgetPersonal, BudgetID: id, UserID: user, Category: c.Category, Period: "monthly",
				PeriodKey: "2026-03", PeriodStart: base, PeriodEnd: base.AddDate(0, 1, 0), Currency: "THB",
				LimitMinor: limit, SpentMinor: b.spent, RemainingMinor: limit - b.spent, UsedBP: b.spent * 10000 / limit,
				ThresholdsBP: []int64{5000, 10000}, Version: b.version, TxnID: c.TxnID, Merchant: c.MerchantName,
				AmountMinor: delta, EventTime: c.PostedAt,
			}
			for _, th := range u.ThresholdsBP {
				if before*10000/limit < th && u.UsedBP >= th {
					u.ThresholdCrossedBP = append(u.ThresholdCrossedBP, th)
					src.Alerts = append(src.Alerts, event.Alert{
						AlertID: fmt.Sprintf("%s|%s|2026-03|%d|%s", user, c.Category, th, c.TxnID), UserID: user,
						BudgetID: id, Category: c.Category, PeriodKey: "2026-03", ThresholdBP: th, UsedBP: u.UsedBP,
						SpentMinor: b.spent, LimitMinor: limit, RemainingMinor: limit - b.spent, Currency: "THB",
						TxnID: c.TxnID, Merchant: c.MerchantName, Text: "crossed", EventTime: c.PostedAt,
					})
				}
			}
			u.Alert = len(u.ThresholdCrossedBP) > 0
			src.Updates = append(src.Updates, u)
			if c.BudgetID == SharedBudget || (c.Category == "groceries" && member(user)) {
				sharedVersion++
				refused := !member(user)
				if !refused {
					shared[user] += delta
				}
				var parts []event.ParticipantSpend
				var total int64
				for _, m := range SharedMembers {
					total += shared[m]
				}
				for _, m := range SharedMembers {
					p := event.ParticipantSpend{UserID: m, Role: "contributor", SpentMinor: shared[m]}
					if total > 0 {
						p.ShareBP = shared[m] * 10000 / total
					}
					parts = append(parts, p)
				}
				parts[0].Role = "owner"
				s := event.BudgetUpdate{
					Kind: event.BudgetShared, Name: "Household", BudgetID: SharedBudget, UserID: user,
					Category: "groceries", Period: "monthly", PeriodKey: "2026-03", Currency: "THB",
					LimitMinor: 5_000_000, SpentMinor: total, RemainingMinor: 5_000_000 - total,
					Participants: parts, Refused: refused, Version: sharedVersion, TxnID: c.TxnID,
					Merchant: c.MerchantName, AmountMinor: delta, EventTime: c.PostedAt,
				}
				if refused {
					s.RefusedReason = "not a participant"
				}
				src.Updates = append(src.Updates, s)
			}
		}
	}
	return src
}

// Reversed returns src with each topic's records in reverse order.
func (s Source) Reversed() Source {
	r := Source{Txns: slices.Clone(s.Txns), Updates: slices.Clone(s.Updates), Alerts: slices.Clone(s.Alerts)}
	slices.Reverse(r.Txns)
	slices.Reverse(r.Updates)
	slices.Reverse(r.Alerts)
	return r
}

func member(user string) bool {
	for _, m := range SharedMembers {
		if m == user {
			return true
		}
	}
	return false
}

// CheckTables fails t unless the tables hold exactly what src says: the
// latest version of every transaction (compared row by row), every budget
// version once, the latest version of every budget and every alert once
// (counts and sums).
func CheckTables(t testing.TB, pool *pgxpool.Pool, src Source) {
	t.Helper()
	latest := map[string]event.Categorized{}
	for _, c := range src.Txns {
		if c.Version > latest[c.TxnID].Version {
			latest[c.TxnID] = c
		}
	}
	rows, err := pool.Query(context.Background(), "SELECT txn_id, version, amount_minor, spend_minor, status, deleted, posted_at FROM transactions")
	if err != nil {
		t.Fatal(err)
	}
	got := 0
	for rows.Next() {
		var c event.Categorized
		if err := rows.Scan(&c.TxnID, &c.Version, &c.AmountMinor, &c.SpendMinor, &c.Status, &c.Deleted, &c.PostedAt); err != nil {
			t.Fatal(err)
		}
		got++
		w, ok := latest[c.TxnID]
		if !ok || w.Version != c.Version || w.AmountMinor != c.AmountMinor || w.SpendMinor != c.SpendMinor ||
			w.Status != c.Status || w.Deleted != c.Deleted || !w.PostedAt.Equal(c.PostedAt) {
			t.Errorf("transaction %s: got %+v, want %+v", c.TxnID, c, w)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if got != len(latest) {
		t.Errorf("transactions: %d rows, want %d", got, len(latest))
	}

	var hist, histSpent, histAmount, cur, curVersions, curSpent int64
	current := map[string]event.BudgetUpdate{}
	for _, u := range src.Updates {
		hist++
		histSpent += u.SpentMinor
		histAmount += u.AmountMinor
		if u.Version > current[u.BudgetID].Version {
			current[u.BudgetID] = u
		}
	}
	for _, u := range current {
		cur++
		curVersions += u.Version
		curSpent += u.SpentMinor
	}
	var alerts, alertSpent int64
	for _, a := range src.Alerts {
		alerts++
		alertSpent += a.SpentMinor
	}
	for _, c := range []struct {
		sql  string
		want int64
	}{
		{"SELECT count(*) FROM budget_history", hist},
		{"SELECT coalesce(sum(spent_minor), 0)::bigint FROM budget_history", histSpent},
		{"SELECT coalesce(sum(amount_minor), 0)::bigint FROM budget_history", histAmount},
		{"SELECT count(*) FROM budgets", cur},
		{"SELECT coalesce(sum(version), 0)::bigint FROM budgets", curVersions},
		{"SELECT coalesce(sum(spent_minor), 0)::bigint FROM budgets", curSpent},
		{"SELECT count(*) FROM budget_alerts", alerts},
		{"SELECT coalesce(sum(spent_minor), 0)::bigint FROM budget_alerts", alertSpent},
	} {
		if got := QueryInt(t, pool, c.sql); got != c.want {
			t.Errorf("%s = %d, want %d", c.sql, got, c.want)
		}
	}
}
