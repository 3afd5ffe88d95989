package loadgen

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"time"

	"finstream/processors/cdc"
)

// User is one simulated user as the generator sees it: the part a test or
// the caller needs to recompute or seed state (time zone, accounts, the
// household's shared budget).
type User struct {
	ID       string
	Zone     string // IANA time zone of the user's periods
	BudgetID string // the household's shared budget id, used by budget tags
	Accounts []cdc.Account
}

type user struct {
	id       string
	zone     string
	loc      *time.Location
	foreign  bool
	budgetID string
	activity float64 // relative activity in (0.25, 1]
	checking []*account
	savings  *account
	goal     *account
	opened   bool // the user's accounts have been announced
	bills    []userRecurring
}

type account struct {
	row       cdc.Account
	owner     *user
	late      bool // the row arrives after its first transactions
	scheduled bool // the late row is scheduled
	sent      bool
	deferred  []effect // effects of its transactions waiting for the row
}

type world struct {
	users     []user
	accounts  []*account
	merchants []Merchant
	branchID  [][]string // per merchant: merchant_id of each branch
	branchNm  [][]string // per merchant with per-branch names: merchant_name of each branch
	spendIdx  []int      // day-to-day merchants
	cum       [24][]float64
	intensity [24]float64 // arrival intensity per local hour, mean 1
	loc       *time.Location
	byName    map[string]int
	byDay     [29][]dueRef // recurring payments by day of month
}

// newWorld builds the deterministic world of cfg (defaults applied).
func newWorld(cfg Config, rng *rand.Rand) (*world, error) {
	loc, err := time.LoadLocation(cfg.Zone)
	if err != nil {
		return nil, fmt.Errorf("load zone %q: %w", cfg.Zone, err)
	}
	w := &world{loc: loc, merchants: catalog(), byName: map[string]int{}}
	w.indexMerchants()
	foreignZones := []string{"Asia/Tokyo", "Europe/London", "America/New_York", "Asia/Singapore", "Australia/Sydney"}
	foreign := make([]*time.Location, len(foreignZones))
	for i, z := range foreignZones {
		if foreign[i], err = time.LoadLocation(z); err != nil {
			return nil, fmt.Errorf("load zone %q: %w", z, err)
		}
	}
	w.users = make([]user, cfg.Users)
	w.accounts = make([]*account, 0, cfg.Users*2)
	width := max(6, len(strconv.Itoa(cfg.Users)))
	household, left := 0, 0
	for i := range w.users {
		u := &w.users[i]
		u.id = fmt.Sprintf("USR-%0*d", width, i+1)
		u.zone, u.loc = cfg.Zone, loc
		if rng.Float64() < cfg.ForeignZones {
			z := rng.IntN(len(foreignZones))
			u.zone, u.loc, u.foreign = foreignZones[z], foreign[z], true
		}
		if left == 0 {
			household++
			left = 1 + rng.IntN(4)
		}
		left--
		u.budgetID = fmt.Sprintf("BDG-%06d", household)
		u.activity = 0.25 + 0.75*rng.Float64()
	}
	groups := recurringGroups()
	for i := range w.users {
		u := &w.users[i]
		n := 1
		if rng.Float64() < 0.3 {
			n = 2
		}
		for range n {
			u.checking = append(u.checking, w.addAccount(u, "CHECKING", "", cfg, rng))
		}
		if rng.Float64() < 0.55 {
			u.savings = w.addAccount(u, "SAVINGS", "", cfg, rng)
		}
		if rng.Float64() < 0.12 {
			u.goal = w.addAccount(u, "GOAL", fmt.Sprintf("GOAL-%06d", i+1), cfg, rng)
		}
		w.assignRecurring(u, groups, rng)
	}
	return w, nil
}

func (w *world) addAccount(u *user, typ, goalID string, cfg Config, rng *rand.Rand) *account {
	a := &account{
		row:   cdc.Account{ID: fmt.Sprintf("ACC-%08d", len(w.accounts)+1), UserID: u.id, Type: typ, Currency: "THB", Status: "ACTIVE", GoalID: goalID},
		owner: u,
	}
	w.accounts = append(w.accounts, a)
	a.late = rng.Float64() < cfg.LateAccounts
	return a
}

// indexMerchants precomputes branch ids and the per-hour pick tables.
func (w *world) indexMerchants() {
	w.branchID = make([][]string, len(w.merchants))
	w.branchNm = make([][]string, len(w.merchants))
	for i, m := range w.merchants {
		w.byName[m.Name+"/"+m.Direction] = i
		ids := make([]string, m.branches)
		for b := range ids {
			if m.branches == 1 {
				ids[b] = m.ID
			} else {
				ids[b] = fmt.Sprintf("%s-%05d", m.ID, b+1)
			}
		}
		w.branchID[i] = ids
		if m.perBranchN {
			names := make([]string, m.branches)
			for b := range names {
				// A masked mobile number, as banking apps show PromptPay payees.
				names[b] = fmt.Sprintf("PromptPay 0%d%d-xxx-%04d", 6+b%3, b%10, (b*7919)%10000)
			}
			w.branchNm[i] = names
		}
		if m.weight > 0 {
			w.spendIdx = append(w.spendIdx, i)
		}
	}
	var total float64
	for h := range 24 {
		cum := make([]float64, len(w.spendIdx))
		var sum float64
		for j, i := range w.spendIdx {
			m := w.merchants[i]
			sum += m.weight * m.profile.weights()[h]
			cum[j] = sum
		}
		w.cum[h] = cum
		w.intensity[h] = sum
		total += sum
	}
	for h := range w.intensity {
		w.intensity[h] /= total / 24
	}
}

// merchant returns the catalog index of name and direction; it panics on
// an unknown name, which is a bug in the catalog.
func (w *world) merchant(name, direction string) int {
	i, ok := w.byName[name+"/"+direction]
	if !ok {
		panic("loadgen: no merchant " + name + "/" + direction)
	}
	return i
}

// pickMerchant returns a day-to-day merchant for a local hour.
func (w *world) pickMerchant(rng *rand.Rand, hour int) int {
	cum := w.cum[hour]
	x := rng.Float64() * cum[len(cum)-1]
	lo, hi := 0, len(cum)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if cum[mid] < x {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return w.spendIdx[lo]
}

// amount draws an amount of merchant m: log-uniform in its range (small
// amounts are common, large ones rare), a multiple of its step.
func amount(rng *rand.Rand, m *Merchant) int64 {
	if len(m.Prices) > 0 {
		return m.Prices[rng.IntN(len(m.Prices))]
	}
	lo, hi := math.Log(float64(m.MinMinor)), math.Log(float64(m.MaxMinor))
	return roundTo(int64(math.Exp(lo+rng.Float64()*(hi-lo))), m.step, m.MinMinor)
}

// roundTo rounds v to a multiple of step, at least floor.
func roundTo(v, step, floor int64) int64 {
	if step > 1 {
		v = (v + step/2) / step * step
	}
	return max(v, floor, 1)
}

func channel(rng *rand.Rand, m *Merchant) string {
	if len(m.mix) == 1 {
		return m.mix[0].channel
	}
	x := rng.IntN(100)
	for _, s := range m.mix {
		if x < s.pct {
			return s.channel
		}
		x -= s.pct
	}
	return m.mix[len(m.mix)-1].channel
}

// publicUsers returns the world's users as the exported User type.
func (w *world) publicUsers() []User {
	out := make([]User, len(w.users))
	for i := range w.users {
		u := &w.users[i]
		pu := User{ID: u.id, Zone: u.zone, BudgetID: u.budgetID}
		for _, a := range u.accounts() {
			pu.Accounts = append(pu.Accounts, a.row)
		}
		out[i] = pu
	}
	return out
}

func (u *user) accounts() []*account {
	out := append([]*account(nil), u.checking...)
	if u.savings != nil {
		out = append(out, u.savings)
	}
	if u.goal != nil {
		out = append(out, u.goal)
	}
	return out
}
