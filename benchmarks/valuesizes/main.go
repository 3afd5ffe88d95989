// Command valuesizes replays the pipeline benchmark's simulated world
// through the domain logic of the transaction stage, the users group and the
// insights group, in one process and without Kafka, and reports the size of
// the users and insights values as those groups would store them: their
// average and largest, and how many bytes each part of a value takes (the
// value's size less its size without that part), at the end of the run.
//
//	go run ./benchmarks/valuesizes -users 20 -events 40000
//
// It answers "where do a deep value's bytes go" in seconds, where the
// sweep's deepest point takes minutes; the sweep stays the measurement of
// record.
package main

import (
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"time"

	"finstream/benchmarks/loadgen"
	"finstream/processors/budget"
	"finstream/processors/category"
	"finstream/processors/cdc"
	"finstream/processors/event"
	"finstream/processors/insight"
)

func main() {
	users := flag.Int("users", 20, "simulated users")
	events := flag.Int("events", 40000, "CDC events to replay (events per user = events / users)")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: valuesizes [-users N] [-events N]\n\nReplays the benchmark's simulated world through the users and insights logic and reports their values' sizes.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if *users < 1 || *events < 1 {
		fmt.Fprintln(os.Stderr, "valuesizes: -users and -events must be positive")
		os.Exit(2)
	}
	if err := run(os.Stdout, *users, *events); err != nil {
		fmt.Fprintln(os.Stderr, "valuesizes:", err)
		os.Exit(1)
	}
}

func categorize(mcc int, name, id, dir, typ string) string {
	return category.Categorize(category.Input{MCC: mcc, MerchantName: name, MerchantID: id, Direction: dir, Type: typ}, nil).Category
}

// sizes accumulates the sizes of one table's stored values.
type sizes struct {
	n, sum, largest int
}

func (s *sizes) add(n int) { s.n, s.sum, s.largest = s.n+1, s.sum+n, max(s.largest, n) }

func (s sizes) String() string {
	if s.n == 0 {
		return "no writes"
	}
	return fmt.Sprintf("%d writes, average %d B, largest %d B", s.n, s.sum/s.n, s.largest)
}

func run(out io.Writer, nUsers, nEvents int) error {
	cfg := loadgen.DefaultConfig()
	cfg.Users, cfg.Seed = nUsers, 1
	cfg.ForeignZones = 0
	cfg.Start = time.Date(2026, 11, 1, 8, 0, 0, 0, time.FixedZone("ICT", 7*3600))
	g, err := loadgen.NewGenerator(cfg, nil, categorize)
	if err != nil {
		return err
	}
	books := map[string]*budget.Book{}
	ins := map[string]*insight.State{}
	owner := map[string]string{} // account id → user id (the accounts join)
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for _, u := range g.Users() {
		b := budget.NewBook(u.ID)
		for _, cat := range []string{"groceries", "dining", "transport", "shopping"} {
			bu, err := budget.ValidateBudget(cat, 1_000_000, "THB", "monthly", nil, func(string) bool { return true })
			if err != nil {
				return err
			}
			b.SetBudget(*bu, at)
		}
		books[u.ID] = b
		ins[u.ID] = &insight.State{UserID: u.ID}
	}
	var users, insights sizes
	offset := int64(0)
	start := time.Now()
	for i := range nEvents {
		ev, err := g.Next()
		if err != nil {
			return err
		}
		if ev.Account != nil {
			owner[ev.Account.ID] = ev.Account.UserID
			continue
		}
		if ev.Op == "" { // a tombstone
			continue
		}
		row := ev.After
		if row == nil {
			row = ev.Before
		}
		ch := cdc.TxnChange{Op: ev.Op, Row: *row, Pos: ev.Pos}
		if ch.Row.UserID == "" {
			ch.Row.UserID = owner[ch.Row.AccountID]
		}
		b := books[ch.Row.UserID]
		if b == nil {
			continue // the pipeline holds it until its account comes; rare
		}
		offset++
		eff := b.ApplyTxnFrom(ch, budget.At(0, offset))
		if !eff.Unstored && !eff.Late {
			n, err := encodedSize(budget.Codec{}, b.State)
			if err != nil {
				return err
			}
			users.add(n)
		}
		s := ins[ch.Row.UserID]
		for j, c := range eff.Categorized {
			if j == len(eff.Categorized)-1 {
				for _, up := range eff.Updates {
					if up.Kind == event.BudgetPersonal && up.UserID != "" {
						c.BudgetUpdates = append(c.BudgetUpdates, up)
					}
				}
			}
			known, version := s.Remembers(c.TxnID), s.Version
			s.ApplyCategorized(c)
			for _, up := range c.BudgetUpdates {
				s.ApplyBudget(up)
			}
			if !known && s.Version == version {
				continue
			}
			n, err := encodedSize(insight.Codec{}, s)
			if err != nil {
				return err
			}
			insights.add(n)
		}
		if (i+1)%100000 == 0 {
			fmt.Fprintf(os.Stderr, "%d events, %s\n", i+1, time.Since(start).Round(time.Second))
		}
	}
	fmt.Fprintf(out, "%d users, %d events (%d per user)\n", nUsers, nEvents, nEvents/nUsers)
	fmt.Fprintf(out, "users table:    %s\n", users)
	fmt.Fprintf(out, "insights table: %s\n", insights)
	return parts(out, books, ins)
}

type encoder interface {
	Encode(any) ([]byte, error)
}

func encodedSize(c encoder, v any) (int, error) {
	b, err := c.Encode(v)
	return len(b), err
}

// part is one part of a value of type T: drop removes it.
type part[T any] struct {
	name string
	drop func(*T)
}

// parts reports, averaged over the users at the end of the run, how many
// bytes each part of a value takes.
func parts(out io.Writer, books map[string]*budget.Book, ins map[string]*insight.State) error {
	ids := slices.Sorted(maps.Keys(books))
	users := make([]*budget.State, len(ids))
	insights := make([]*insight.State, len(ids))
	for i, id := range ids {
		users[i], insights[i] = books[id].State, ins[id]
	}
	err := breakdown(out, "users", budget.Codec{}, users, []part[budget.State]{
		{"spend buckets", func(s *budget.State) { s.Spend = nil }},
		{"budgets (with builders)", func(s *budget.State) { s.Budgets = nil }},
		{"recurring", func(s *budget.State) { s.Recurring = nil }},
		{"duplicate guard (recent)", func(s *budget.State) { s.Recent = nil }},
		{"marks", func(s *budget.State) { s.Marks = nil }},
		{"drops", func(s *budget.State) { s.Drops = nil }},
		{"rules", func(s *budget.State) { s.Rules = nil }},
	})
	if err != nil {
		return err
	}
	err = breakdown(out, "insights", insight.Codec{}, insights, []part[insight.State]{
		{"daily curves", func(s *insight.State) { s.Curves = nil }},
		{"last day", func(s *insight.State) { s.LastDay = nil }},
		{"category histories", func(s *insight.State) { s.Categories = nil }},
		{"merchant histories", func(s *insight.State) { s.Merchants = nil }},
		{"insights", func(s *insight.State) { s.Insights = nil }},
		{"recent transactions", func(s *insight.State) { s.Recent = nil }},
		{"budgets seen", func(s *insight.State) { s.Budgets = nil }},
	})
	if err != nil {
		return err
	}
	var spend, curves, merchants, kept int
	for i := range ids {
		spend += len(users[i].Spend)
		curves += len(insights[i].Curves)
		merchants += len(insights[i].Merchants)
		kept += len(insights[i].Insights)
	}
	n := len(ids)
	fmt.Fprintf(out, "\ncounts, average over users: %d spend buckets, %d curves, %d merchant histories, %d insights kept\n", spend/n, curves/n, merchants/n, kept/n)
	return nil
}

// breakdown prints the average size of the values and, for each part, the
// average of a value's size less its size without the part.
func breakdown[T any](out io.Writer, table string, c encoder, values []*T, ps []part[T]) error {
	fmt.Fprintf(out, "\n%s value at the end, average over users (B):\n", table)
	whole := make([]int, len(values))
	sum := 0
	for i, v := range values {
		n, err := encodedSize(c, v)
		if err != nil {
			return err
		}
		whole[i], sum = n, sum+n
	}
	fmt.Fprintf(out, "  %-26s %6d\n", "whole value", sum/len(values))
	for _, p := range ps {
		sum := 0
		for i, v := range values {
			x := *v
			p.drop(&x)
			less, err := encodedSize(c, &x)
			if err != nil {
				return err
			}
			sum += whole[i] - less
		}
		fmt.Fprintf(out, "  %-26s %6d\n", p.name, sum/len(values))
	}
	return nil
}
