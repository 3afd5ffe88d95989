package loadgen

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"finstream/processors/cdc"
)

// testStart is 23:00 on 30 November 2026 in Bangkok: streams cross a month
// boundary within their first simulated hour.
var testStart = time.Date(2026, 11, 30, 16, 0, 0, 0, time.UTC)

// jsonEncoder writes Debezium JSON without schema, as the connector does
// with the JsonConverter and schemas.enable=false.
type jsonEncoder struct{}

type envelope[T any] struct {
	Before *T     `json:"before"`
	After  *T     `json:"after"`
	Source source `json:"source"`
	Op     cdc.Op `json:"op"`
	TsMs   int64  `json:"ts_ms"`
}

type source struct {
	Connector string `json:"connector"`
	DB        string `json:"db"`
	Schema    string `json:"schema"`
	Table     string `json:"table"`
	Snapshot  string `json:"snapshot"`
	LSN       int64  `json:"lsn"`
	TsMs      int64  `json:"ts_ms"`
}

func encode[T any](id, table string, op cdc.Op, before, after *T, pos cdc.Position) ([]byte, []byte, error) {
	key, err := json.Marshal(map[string]string{"id": id})
	if err != nil {
		return nil, nil, err
	}
	snap := "false"
	if op == cdc.OpSnapshot {
		snap = "true"
	}
	value, err := json.Marshal(envelope[T]{Before: before, After: after, Op: op, TsMs: pos.TsMs,
		Source: source{Connector: "postgresql", DB: "core", Schema: "public", Table: table, Snapshot: snap, LSN: pos.LSN, TsMs: pos.TsMs}})
	return key, value, err
}

func (jsonEncoder) EncodeTxn(op cdc.Op, before, after *cdc.Txn, pos cdc.Position) ([]byte, []byte, error) {
	row := after
	if row == nil {
		row = before
	}
	if row == nil {
		return nil, nil, errors.New("no row image")
	}
	return encode(row.ID, "transactions", op, before, after, pos)
}

func (jsonEncoder) EncodeAccount(op cdc.Op, before, after *cdc.Account, pos cdc.Position) ([]byte, []byte, error) {
	row := after
	if row == nil {
		row = before
	}
	return encode(row.ID, "accounts", op, before, after, pos)
}

// categorize is a small MCC categorizer standing in for the pipeline's.
func categorize(mcc int, _, _, direction, typ string) string {
	switch {
	case direction == "CREDIT":
		return "income"
	case typ == "FEE":
		return "fees"
	case typ == "TRANSFER":
		return "transfers"
	case typ == "WITHDRAWAL":
		return "cash"
	}
	switch mcc {
	case 5300, 5411, 5499:
		return "groceries"
	case 5812, 5814:
		return "dining"
	case 4111, 4121, 4784, 5541:
		return "transport"
	case 4814, 4816, 4900, 6300:
		return "bills"
	case 4899, 5815:
		return "subscriptions"
	case 5816, 7832, 7997:
		return "entertainment"
	case 5912, 8062:
		return "health"
	case 4511, 4722:
		return "travel"
	case 8220:
		return "education"
	case 5200, 5311, 5399, 5651, 5712, 5732, 5942:
		return "shopping"
	}
	if mcc >= 3000 && mcc <= 3299 {
		return "travel"
	}
	return "other"
}

// memSink records what it is sent.
type memSink struct {
	mu      sync.Mutex
	records []record
	flushes int
	failAt  int // Send number (1-based) that fails with errSend; 0: never
	onSend  func(n int)
}

type record struct {
	topic      string
	key, value []byte
}

var errSend = errors.New("broker unreachable")

func (s *memSink) Send(_ context.Context, topic string, key, value []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failAt > 0 && len(s.records)+1 == s.failAt {
		return errSend
	}
	s.records = append(s.records, record{topic, key, value})
	if s.onSend != nil {
		s.onSend(len(s.records))
	}
	return nil
}

func (s *memSink) Flush(context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.flushes++
	return nil
}

// testConfig is DefaultConfig with a fixed start and anomalies frequent
// enough that a few thousand events show each of them.
func testConfig(users int) Config {
	c := DefaultConfig()
	c.Users = users
	c.Start = testStart
	c.Seed = 42
	c.LateAccounts = 0.2
	c.Duplicates = 0.1
	c.OutOfOrder = 0.2
	c.Reversals = 0.1
	c.Deletes = 0.05
	c.AmountChanges = 0.1
	c.Snapshots = 0.1
	c.ForeignZones = 0.1
	return c
}

// generate returns the first n events of cfg's stream.
func generate(t testing.TB, cfg Config, enc Encoder, n int) (*Generator, []Event) {
	t.Helper()
	g, err := NewGenerator(cfg, enc, categorize)
	if err != nil {
		t.Fatal(err)
	}
	evs := make([]Event, n)
	for i := range evs {
		if evs[i], err = g.Next(); err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
	}
	return g, evs
}
