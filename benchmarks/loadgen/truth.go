package loadgen

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
)

// Truth is what the events applied to it amount to, counted exactly as the
// contract counts: spend is the sum of distinct POSTED DEBIT transactions in
// their final state (status POSTED, not deleted, latest amount), per user
// (resolved through the account when user_id is null), category (by the
// generator's Categorizer, no user rules) and period (calendar month in the
// user's time zone, "2026-11"). It also counts the events by kind.
//
// A Truth is not safe for concurrent use.
type Truth struct {
	spend  map[spendKey]int64 // minor units
	events [numKinds]int64
	sent   int64
}

type spendKey struct{ user, period, category string }

// NewTruth returns an empty truth.
func NewTruth() *Truth { return &Truth{spend: map[spendKey]int64{}} }

// Apply counts e, which must be the next event of one generator's stream
// after every event already applied (in stream order, none skipped).
func (t *Truth) Apply(e *Event) {
	t.sent++
	if int(e.Kind) < len(t.events) {
		t.events[e.Kind]++
	}
	if e.fx.delta != 0 {
		t.add(e.fx.user, e.fx.period, e.fx.category, e.fx.delta)
	}
	for _, fx := range e.more {
		t.add(fx.user, fx.period, fx.category, fx.delta)
	}
}

func (t *Truth) add(user, period, category string, minor int64) {
	t.spend[spendKey{user, period, category}] += minor
}

// Spend returns the user's spend in minor units (THB satang) in a category
// and period ("2026-11"); 0 when none.
func (t *Truth) Spend(user, category, period string) int64 {
	return t.spend[spendKey{user, period, category}]
}

// Users returns, sorted, the users with some non-zero spend.
func (t *Truth) Users() []string {
	seen := map[string]bool{}
	for k, v := range t.spend {
		if v != 0 {
			seen[k.user] = true
		}
	}
	return slices.Sorted(maps.Keys(seen))
}

// Each calls fn for every non-zero total, sorted by user, period, category.
func (t *Truth) Each(fn func(user, period, category string, minor int64)) {
	keys := make([]spendKey, 0, len(t.spend))
	for k, v := range t.spend {
		if v != 0 {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b spendKey) int {
		return cmp.Or(cmp.Compare(a.user, b.user), cmp.Compare(a.period, b.period), cmp.Compare(a.category, b.category))
	})
	for _, k := range keys {
		fn(k.user, k.period, k.category, t.spend[k])
	}
}

// Sent returns the number of events applied.
func (t *Truth) Sent() int64 { return t.sent }

// Events returns the number of events applied by kind name; kinds never
// seen are absent.
func (t *Truth) Events() map[string]int64 {
	out := map[string]int64{}
	for k, n := range t.events {
		if n != 0 {
			out[Kind(k).String()] = n
		}
	}
	return out
}

type truthJSON struct {
	Sent   int64                                  `json:"sent"`
	Events map[string]int64                       `json:"events"`
	Users  map[string]map[string]map[string]int64 `json:"users"`
}

// WriteJSON writes the truth as stable JSON (keys sorted, zero totals left
// out): {"sent":N,"events":{"create":N,...},"users":{"USR-000001":{"2026-11":{"groceries":123}}}}.
func (t *Truth) WriteJSON(w io.Writer) error {
	doc := truthJSON{Sent: t.sent, Events: t.Events(), Users: map[string]map[string]map[string]int64{}}
	t.Each(func(u, p, c string, v int64) {
		if doc.Users[u] == nil {
			doc.Users[u] = map[string]map[string]int64{}
		}
		if doc.Users[u][p] == nil {
			doc.Users[u][p] = map[string]int64{}
		}
		doc.Users[u][p][c] = v
	})
	if err := json.NewEncoder(w).Encode(doc); err != nil {
		return fmt.Errorf("write truth: %w", err)
	}
	return nil
}

// ReadTruth reads what WriteJSON wrote.
func ReadTruth(r io.Reader) (*Truth, error) {
	var doc truthJSON
	if err := json.NewDecoder(r).Decode(&doc); err != nil {
		return nil, fmt.Errorf("read truth: %w", err)
	}
	t := NewTruth()
	t.sent = doc.Sent
	for name, n := range doc.Events {
		k, ok := parseKind(name)
		if !ok {
			return nil, fmt.Errorf("read truth: unknown event kind %q", name)
		}
		t.events[k] = n
	}
	for u, periods := range doc.Users {
		for p, cats := range periods {
			for c, v := range cats {
				t.add(u, p, c, v)
			}
		}
	}
	return t, nil
}
