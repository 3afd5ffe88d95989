package loadgen

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"finstream/processors/cdc"
)

// Encoder encodes change events in the caller's wire format (Debezium JSON,
// JSON with schema, Avro in Confluent framing). It must be deterministic for
// a stream to be reproducible byte for byte.
type Encoder interface {
	EncodeTxn(op cdc.Op, before, after *cdc.Txn, pos cdc.Position) (key, value []byte, err error)
	EncodeAccount(op cdc.Op, before, after *cdc.Account, pos cdc.Position) (key, value []byte, err error)
}

// Categorizer returns the category slug of a transaction, as the pipeline
// would without user rules.
type Categorizer func(mcc int, merchantName, merchantID, direction, typ string) string

const (
	wheelSize = 1024              // ticks a follow-up can be scheduled ahead
	lsnBase   = int64(0x16) << 32 // the first position, "16/0" in Postgres notation
)

// Generator produces the CDC stream of a simulated core bank: a pure,
// deterministic function of its Config (with a fixed Start and Realtime
// off). It is not safe for concurrent use.
type Generator struct {
	cfg Config
	enc Encoder
	cat Categorizer
	rng *rand.Rand
	w   *world

	clock   time.Time // simulated clock
	now     time.Time // event time of the change being made, ms precision
	hour    int       // local hour of now in the billing zone
	meanGap float64   // seconds between day-to-day transactions at mean intensity
	lsn     int64
	txnSeq  int64
	runTag  string
	idBuf   []byte
	tick    int64
	wheel   [wheelSize][]task
	out     []Event // events of the current tick, in delivery order
	head    int

	due      []dueTxn // recurring payments loaded and not yet made, by time
	dueHead  int
	dayStart time.Time // midnight of the last day whose payments are loaded

	ownCredit, atmFee int // catalog indexes
	catCache          map[catKey]string
	periods           map[int]string
	err               error
}

type catKey struct {
	mcc                int
	name, id, dir, typ string
}

// NewGenerator returns the generator of cfg. enc may be nil: events then
// carry only their structured form. cat is required.
func NewGenerator(cfg Config, enc Encoder, cat Categorizer) (*Generator, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("loadgen config: %w", err)
	}
	if cat == nil {
		return nil, errors.New("loadgen: nil categorizer")
	}
	cfg = cfg.withDefaults()
	w, err := newWorld(cfg, rand.New(rand.NewPCG(cfg.Seed, 0x9e3779b97f4a7c15)))
	if err != nil {
		return nil, err
	}
	g := &Generator{
		cfg: cfg, enc: enc, cat: cat, w: w,
		rng:      rand.New(rand.NewPCG(cfg.Seed, 0xda942042e4dd58b5)),
		clock:    cfg.Start,
		now:      cfg.Start,
		meanGap:  86400 / (float64(cfg.Users) * cfg.TxnsPerUserDay),
		lsn:      lsnBase,
		runTag:   runTag(cfg.Seed, cfg.Start),
		catCache: map[catKey]string{},
		periods:  map[int]string{},
	}
	g.ownCredit = w.merchant("Transfer from own checking", "CREDIT")
	g.atmFee = w.merchant("Cross-bank ATM fee", "DEBIT")
	g.hour = cfg.Start.In(w.loc).Hour()
	y, m, d := cfg.Start.In(w.loc).Date()
	g.dayStart = time.Date(y, m, d, 0, 0, 0, 0, w.loc)
	g.due = w.dueOn(g.dayStart, cfg.Start, nil)
	slices.SortStableFunc(g.due, func(a, b dueTxn) int { return a.at.Compare(b.at) })
	return g, nil
}

// runTag distinguishes the transaction ids of streams with different seeds
// or start times, so that two runs never reuse each other's ids.
func runTag(seed uint64, start time.Time) string {
	h := seed ^ uint64(start.UnixMilli())*0x9e3779b97f4a7c15
	h ^= h >> 31
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 29
	const width = 8
	s := strconv.FormatUint(h%uint64(math.Pow(36, width)), 36)
	for len(s) < width {
		s = "0" + s
	}
	return s
}

// Users returns the simulated users, their time zones and accounts.
func (g *Generator) Users() []User { return g.w.publicUsers() }

// Config returns the generator's configuration with defaults applied.
func (g *Generator) Config() Config { return g.cfg }

// Next returns the next event of the stream, which never ends. After an
// encoder error every call returns that error.
func (g *Generator) Next() (Event, error) {
	for g.head == len(g.out) {
		if g.err != nil {
			return Event{}, g.err
		}
		clear(g.out)
		g.out, g.head = g.out[:0], 0
		g.step()
	}
	if g.err != nil {
		return Event{}, g.err
	}
	ev := g.out[g.head]
	g.head++
	return ev, nil
}

// step advances the simulated clock by one day-to-day transaction and
// makes every change due until then.
func (g *Generator) step() {
	g.tick++
	t := g.advance()
	g.loadDays(t)
	for g.dueHead < len(g.due) && !g.due[g.dueHead].at.After(t) {
		d := g.due[g.dueHead]
		g.due[g.dueHead] = dueTxn{}
		g.dueHead++
		g.setNow(d.at)
		g.payRecurring(d.u, d.bill)
	}
	g.setNow(t)
	g.runTasks()
	g.dayToDay()
}

// advance moves the clock to the next day-to-day transaction: exponential
// gaps, shorter at busy local hours; in Realtime mode, to the clock.
func (g *Generator) advance() time.Time {
	if g.cfg.Realtime {
		if c := g.cfg.Now().UTC(); c.After(g.clock) {
			g.clock = c
		}
		return g.clock
	}
	gap := -math.Log(1-g.rng.Float64()) * g.meanGap / g.w.intensity[g.hour]
	g.clock = g.clock.Add(time.Duration(gap * float64(time.Second)))
	return g.clock
}

// setNow sets the event time of the next changes; event time never goes back.
func (g *Generator) setNow(t time.Time) {
	t = t.UTC().Truncate(time.Millisecond)
	if t.After(g.now) {
		g.now = t
		g.hour = t.In(g.w.loc).Hour()
	}
}

// loadDays loads the recurring payments of every day that starts by t.
func (g *Generator) loadDays(t time.Time) {
	for {
		y, m, d := g.dayStart.Date()
		next := time.Date(y, m, d+1, 0, 0, 0, 0, g.w.loc)
		if next.After(t) {
			return
		}
		n := copy(g.due, g.due[g.dueHead:])
		clear(g.due[n:])
		g.due, g.dueHead = g.due[:n], 0
		g.due = g.w.dueOn(next, next, g.due)
		slices.SortStableFunc(g.due, func(a, b dueTxn) int { return a.at.Compare(b.at) })
		g.dayStart = next
	}
}

func (g *Generator) chance(p float64) bool { return p > 0 && g.rng.Float64() < p }

func (g *Generator) nextPos() cdc.Position {
	g.lsn += 48 + int64(g.rng.IntN(400)) // one WAL record per change
	return cdc.Position{LSN: g.lsn, TsMs: g.now.UnixMilli()}
}

func (g *Generator) nextTxnID() string {
	g.txnSeq++
	b := append(g.idBuf[:0], "TXN-"...)
	b = append(b, g.runTag...)
	b = append(b, '-')
	var digits [20]byte
	d := strconv.AppendInt(digits[:0], g.txnSeq, 10)
	for range 10 - len(d) {
		b = append(b, '0')
	}
	b = append(b, d...)
	g.idBuf = b
	return string(b)
}

func (g *Generator) category(r *cdc.Txn) string {
	k := catKey{r.MCC, r.MerchantName, r.MerchantID, r.Direction, r.Type}
	c, ok := g.catCache[k]
	if !ok {
		c = g.cat(r.MCC, r.MerchantName, r.MerchantID, r.Direction, r.Type)
		g.catCache[k] = c
	}
	return c
}

// period returns the calendar month of t in u's time zone, "2026-11".
func (g *Generator) period(u *user, t time.Time) string {
	y, m, _ := t.In(u.loc).Date()
	k := y*100 + int(m)
	p, ok := g.periods[k]
	if !ok {
		p = fmt.Sprintf("%04d-%02d", y, int(m))
		g.periods[k] = p
	}
	return p
}

func (g *Generator) fail(err error) {
	if g.err == nil {
		g.err = err
	}
}
