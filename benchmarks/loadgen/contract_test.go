package loadgen

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"finstream/processors/category"
	"finstream/processors/cdc"
)

// Contract tests: the stream through the project's own cdc encoder, decoder
// and categorizer.

func realCategorize(mcc int, name, id, direction, typ string) string {
	return category.Categorize(category.Input{MCC: mcc, MerchantName: name, MerchantID: id, Direction: direction, Type: typ}, nil).Category
}

// registry assigns Confluent-style ids: one id per distinct schema.
type registry struct {
	mu   sync.Mutex
	ids  map[string]int
	byID map[int]string
}

func (r *registry) Register(_ context.Context, _, schema string) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ids == nil {
		r.ids, r.byID = map[string]int{}, map[int]string{}
	}
	id, ok := r.ids[schema]
	if !ok {
		id = len(r.ids) + 1
		r.ids[schema], r.byID[id] = id, schema
	}
	return id, nil
}

func (r *registry) SchemaByID(_ context.Context, id int) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s, ok := r.byID[id]
	if !ok {
		return "", fmt.Errorf("schema %d not found", id)
	}
	return s, nil
}

func cdcEncoder(t testing.TB, f cdc.Format, reg *registry) Encoder {
	t.Helper()
	ctx := context.Background()
	txns, err := cdc.NewEncoder(ctx, f, reg, TopicTransactions)
	if err != nil {
		t.Fatal(err)
	}
	accounts, err := cdc.NewEncoder(ctx, f, reg, TopicAccounts)
	if err != nil {
		t.Fatal(err)
	}
	return TableEncoders(txns, accounts)
}

// TestStreamDecodesAndTruthHolds decodes every record with cdc.Decoder (none
// may be rejected: a rejected record would go to the DLQ and break the
// truth), checks the decoded rows are the generated ones, and recounts the
// spend from the decoded changes alone.
func TestStreamDecodesAndTruthHolds(t *testing.T) {
	for _, f := range []cdc.Format{cdc.FormatJSON, cdc.FormatJSONSchema, cdc.FormatAvro} {
		t.Run(string(f), func(t *testing.T) {
			reg := &registry{}
			cfg := testConfig(150)
			g, err := NewGenerator(cfg, cdcEncoder(t, f, reg), realCategorize)
			if err != nil {
				t.Fatal(err)
			}
			dec := cdc.NewDecoder(reg)
			ctx := context.Background()
			tr := NewTruth()
			owner := map[string]string{}
			final := map[string]cdc.TxnChange{}
			for i := range 20000 {
				e, err := g.Next()
				if err != nil {
					t.Fatal(err)
				}
				tr.Apply(&e)
				if e.Topic == TopicAccounts {
					c, err := dec.DecodeAccount(ctx, e.Value)
					if err != nil || c.Row != *e.Account || c.Pos != e.Pos {
						t.Fatalf("event %d: account decodes to %+v, %v; sent %+v at %v", i, c, err, *e.Account, e.Pos)
					}
					owner[c.Row.ID] = c.Row.UserID
					continue
				}
				c, err := dec.DecodeTxn(ctx, e.Value)
				if e.Kind == KindTombstone {
					if !errors.Is(err, cdc.ErrTombstone) {
						t.Fatalf("event %d: tombstone decodes to %v", i, err)
					}
					continue
				}
				sent := e.After
				if sent == nil {
					sent = e.Before
				}
				if err != nil || !sameTxn(c.Row, *sent) || c.Pos != e.Pos || c.Op != e.Op {
					t.Fatalf("event %d (%s): decodes to %+v, %v; sent %s %+v at %v", i, e.Kind, c, err, e.Op, *sent, e.Pos)
				}
				if prev, ok := final[c.Row.ID]; !ok || newer(c.Pos, prev.Pos) {
					final[c.Row.ID] = c
				}
			}
			zones := map[string]*time.Location{}
			for _, u := range g.Users() {
				zones[u.ID], _ = time.LoadLocation(u.Zone)
			}
			want := map[spendKey]int64{}
			for _, c := range final {
				r := c.Row
				if c.Deleted || r.Status != StatusPosted || r.Direction != "DEBIT" {
					continue
				}
				u := r.UserID
				if u == "" {
					if u = owner[r.AccountID]; u == "" {
						continue
					}
				}
				cat := realCategorize(r.MCC, r.MerchantName, r.MerchantID, r.Direction, r.Type)
				want[spendKey{u, r.PostedAt.In(zones[u]).Format("2006-01"), cat}] += r.AmountMinor
			}
			n := 0
			tr.Each(func(u, p, c string, v int64) {
				n++
				if want[spendKey{u, p, c}] != v {
					t.Errorf("%s %s %s: truth %d, recount from decoded records %d", u, p, c, v, want[spendKey{u, p, c}])
				}
			})
			for k, v := range want {
				if v != 0 && tr.Spend(k.user, k.category, k.period) == 0 {
					t.Errorf("%v: recount %d, truth has none", k, v)
				}
			}
			if n == 0 {
				t.Fatal("empty truth")
			}
		})
	}
}

func sameTxn(a, b cdc.Txn) bool {
	if !a.PostedAt.Equal(b.PostedAt) || !a.UpdatedAt.Equal(b.UpdatedAt) {
		return false
	}
	a.PostedAt, a.UpdatedAt, b.PostedAt, b.UpdatedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	return a == b
}

// TestRealCategories: the catalog's merchants land in the categories a
// Thai user expects, by the project's categorizer.
func TestRealCategories(t *testing.T) {
	want := map[string]string{
		"Lotus's": "groceries", "7-Eleven": "groceries", "Starbucks": "dining", "GrabFood": "dining",
		"Grab": "transport", "BTS Skytrain": "transport", "PTT Station": "transport", "Netflix": "subscriptions",
		"Metropolitan Electricity Authority (MEA)": "bills", "AIS": "bills", "Uniqlo": "shopping",
		"Boots": "health", "Major Cineplex": "entertainment", "Agoda": "travel", "Thai Airways": "travel",
		"Chulalongkorn University": "education", "KBank ATM": "cash",
	}
	for _, m := range Merchants() {
		slug, ok := want[m.Name]
		if !ok || m.Direction != "DEBIT" {
			continue
		}
		if got := realCategorize(m.MCC, m.Name, m.ID, m.Direction, m.Type); got != slug {
			t.Errorf("%s (MCC %d): %s, want %s", m.Name, m.MCC, got, slug)
		}
	}
}
