package loadgen

import (
	"errors"
	"flag"
	"fmt"
	"math"
	"time"

	// Users' time zones must load in minimal containers without
	// /usr/share/zoneinfo; the embedded database costs ~450 KB.
	_ "time/tzdata"
)

// Defaults applied to zero-valued Config fields.
const (
	DefaultUsers          = 1000
	DefaultZone           = "Asia/Bangkok"
	DefaultTxnsPerUserDay = 5
	DefaultFormat         = "json"
	maxUsers              = 10_000_000
)

// Config describes one generated stream. The zero value is valid: 1000 users,
// as fast as possible, forever, a clean stream (no anomalies). Start from
// DefaultConfig for realistic traffic with every anomaly the contract names.
//
// Fractions are probabilities in [0, 1]; zero means never.
type Config struct {
	// Users is the number of simulated users. Zero means DefaultUsers.
	Users int
	// Rate paces Run in events per second with a token bucket (bursts of at
	// most 10 ms of events). Zero means as fast as the sink accepts.
	Rate float64
	// Count stops Run after this many events. Zero means no limit.
	Count int64
	// Duration stops Run after this much wall time. Zero means no limit.
	Duration time.Duration
	// Seed fixes the world and the stream: the same Config (with a fixed Start
	// and Realtime off) yields the same events. Every value, zero included,
	// is a valid seed.
	Seed uint64
	// Start is the event time of the first transaction. Zero means Now() when
	// the generator is created.
	Start time.Time
	// Realtime makes event time follow the clock (Now) instead of the
	// simulated clock, so live dashboards see current periods; the stream is
	// then no longer reproducible. Off: event time advances from Start by
	// simulated gaps (TxnsPerUserDay per user, busier at meal and commute
	// hours), independent of Rate.
	Realtime bool
	// Now is the event-time clock (Start's default, Realtime's source); Run
	// paces with the wall clock regardless. Nil means time.Now.
	Now func() time.Time
	// Zone is the time zone of most users and of the billing calendar.
	// Empty means DefaultZone.
	Zone string
	// TxnsPerUserDay is the mean number of day-to-day transactions per user
	// and simulated day, besides salaries and bills. Zero means
	// DefaultTxnsPerUserDay.
	TxnsPerUserDay float64
	// Format is the wire format the caller passes to its encoder factory
	// (json, json-schema, avro). The generator itself never reads it. Empty
	// means DefaultFormat.
	Format string
	// TruthOut, if set, is the file Run writes the ground truth JSON to when
	// it stops (atomically: a temporary file renamed).
	TruthOut string
	// Tombstones sends a null-valued record after each delete, as Debezium
	// does by default (tombstones.on.delete=true).
	Tombstones bool

	// NullUserID is the fraction of transactions whose user_id is null, so
	// that the pipeline resolves the user from the account.
	NullUserID float64
	// LateAccounts is the fraction of accounts whose row arrives after their
	// first transactions (all with user_id null), within 512 transactions of
	// the whole stream.
	LateAccounts float64
	// Duplicates is the probability that a change is sent again, byte for
	// byte, shortly after.
	Duplicates float64
	// OutOfOrder is the probability that a change is involved in an
	// out-of-order delivery: half the time it is held back and delivered
	// after the row's next change, half the time the row's previous change is
	// redelivered after it. Positions are always the original ones.
	OutOfOrder float64
	// Reversals is the fraction of transactions that end REVERSED (after
	// posting) or FAILED (while pending).
	Reversals float64
	// Deletes is the fraction of transactions whose row is later deleted.
	Deletes float64
	// AmountChanges is the fraction of transactions whose amount is corrected
	// by a later update (a tip, a final fuel amount).
	AmountChanges float64
	// Snapshots is the probability that a row already sent is later replayed
	// as an op "r" snapshot record (same row state, a new position).
	Snapshots float64
	// BudgetTags is the fraction of debit purchases and bill payments tagged
	// with the user's household shared budget id.
	BudgetTags float64
	// ForeignZones is the fraction of users living outside Zone (Tokyo,
	// London, New York, Singapore, Sydney), whose periods differ.
	ForeignZones float64
}

// DefaultConfig returns realistic traffic: DefaultUsers users, tombstones on
// and every anomaly of the contract at a rate a production stream shows.
func DefaultConfig() Config {
	return Config{
		Users:          DefaultUsers,
		Zone:           DefaultZone,
		TxnsPerUserDay: DefaultTxnsPerUserDay,
		Format:         DefaultFormat,
		Tombstones:     true,
		NullUserID:     0.3,
		LateAccounts:   0.05,
		Duplicates:     0.02,
		OutOfOrder:     0.02,
		Reversals:      0.02,
		Deletes:        0.005,
		AmountChanges:  0.03,
		Snapshots:      0.01,
		BudgetTags:     0.15,
		ForeignZones:   0.02,
	}
}

// Validate reports the first field out of range.
func (c *Config) Validate() error {
	switch {
	case c.Users < 0 || c.Users > maxUsers:
		return fmt.Errorf("users %d: want 0..%d", c.Users, maxUsers)
	case c.Rate < 0 || math.IsNaN(c.Rate) || math.IsInf(c.Rate, 0):
		return fmt.Errorf("rate %v: want a finite number >= 0", c.Rate)
	case c.Count < 0:
		return fmt.Errorf("count %d: want >= 0", c.Count)
	case c.Duration < 0:
		return fmt.Errorf("duration %v: want >= 0", c.Duration)
	case c.TxnsPerUserDay < 0 || math.IsNaN(c.TxnsPerUserDay) || math.IsInf(c.TxnsPerUserDay, 0):
		return fmt.Errorf("txns per user day %v: want a finite number >= 0", c.TxnsPerUserDay)
	}
	if c.Zone != "" {
		if _, err := time.LoadLocation(c.Zone); err != nil {
			return fmt.Errorf("zone %q: %w", c.Zone, err)
		}
	}
	for _, f := range c.fractions() {
		if !(*f.v >= 0 && *f.v <= 1) {
			return fmt.Errorf("%s %v: want a fraction in [0, 1]", f.name, *f.v)
		}
	}
	return nil
}

type fraction struct {
	name, flag, usage string
	v                 *float64
}

func (c *Config) fractions() []fraction {
	return []fraction{
		{"null user id fraction", "null-user-frac", "fraction of transactions with user_id null", &c.NullUserID},
		{"late accounts fraction", "late-account-frac", "fraction of accounts whose row arrives after some of their transactions", &c.LateAccounts},
		{"duplicates fraction", "dup-frac", "probability that a change is sent twice", &c.Duplicates},
		{"out-of-order fraction", "out-of-order-frac", "probability that a change is delivered out of order", &c.OutOfOrder},
		{"reversals fraction", "reversal-frac", "fraction of transactions that end REVERSED or FAILED", &c.Reversals},
		{"deletes fraction", "delete-frac", "fraction of transactions later deleted", &c.Deletes},
		{"amount changes fraction", "amount-change-frac", "fraction of transactions whose amount is corrected", &c.AmountChanges},
		{"snapshots fraction", "snapshot-frac", "probability that a row is replayed as an op r snapshot", &c.Snapshots},
		{"budget tags fraction", "budget-tag-frac", "fraction of debit purchases tagged with a shared budget id", &c.BudgetTags},
		{"foreign zones fraction", "foreign-zone-frac", "fraction of users living in another time zone", &c.ForeignZones},
	}
}

// RegisterFlags registers one flag per field on fs, with c's current values
// as defaults (call it on DefaultConfig() for realistic defaults). Parsing
// fs writes into c.
func (c *Config) RegisterFlags(fs *flag.FlagSet) {
	fs.IntVar(&c.Users, "users", c.Users, "number of simulated users (0: 1000)")
	fs.Float64Var(&c.Rate, "rate", c.Rate, "events per second (0: as fast as possible)")
	fs.Int64Var(&c.Count, "count", c.Count, "stop after this many events (0: no limit)")
	fs.DurationVar(&c.Duration, "duration", c.Duration, "stop after this long (0: no limit)")
	fs.Uint64Var(&c.Seed, "seed", c.Seed, "seed of the world and the stream")
	fs.Var((*timeFlag)(&c.Start), "start", "event time of the first transaction, RFC 3339 (default: now)")
	fs.BoolVar(&c.Realtime, "realtime", c.Realtime, "event time follows the wall clock instead of simulated time")
	fs.StringVar(&c.Zone, "zone", c.Zone, "time zone of most users (empty: Asia/Bangkok)")
	fs.Float64Var(&c.TxnsPerUserDay, "txns-per-user-day", c.TxnsPerUserDay, "day-to-day transactions per user and simulated day (0: 5)")
	fs.StringVar(&c.Format, "format", c.Format, "wire format of CDC values: json, json-schema or avro")
	fs.StringVar(&c.TruthOut, "truth-out", c.TruthOut, "write the ground truth JSON to this file when done")
	fs.BoolVar(&c.Tombstones, "tombstones", c.Tombstones, "send a tombstone after each delete, like Debezium")
	for _, f := range c.fractions() {
		fs.Float64Var(f.v, f.flag, *f.v, f.usage)
	}
}

// withDefaults returns c with zero values replaced by their defaults.
func (c Config) withDefaults() Config {
	if c.Users == 0 {
		c.Users = DefaultUsers
	}
	if c.Zone == "" {
		c.Zone = DefaultZone
	}
	if c.TxnsPerUserDay == 0 {
		c.TxnsPerUserDay = DefaultTxnsPerUserDay
	}
	if c.Format == "" {
		c.Format = DefaultFormat
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Start.IsZero() {
		c.Start = c.Now()
	}
	c.Start = c.Start.UTC().Truncate(time.Millisecond)
	return c
}

// timeFlag is a flag.Value for an RFC 3339 time; empty means the zero time.
type timeFlag time.Time

func (t *timeFlag) String() string {
	if t == nil || time.Time(*t).IsZero() {
		return ""
	}
	return time.Time(*t).Format(time.RFC3339)
}

func (t *timeFlag) Set(s string) error {
	if s == "" {
		*t = timeFlag{}
		return nil
	}
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return errors.New("want RFC 3339, like 2026-11-01T00:00:00+07:00")
	}
	*t = timeFlag(v)
	return nil
}
