package processors_test

import (
	"context"
	"testing"
	"time"

	"github.com/lovoo/goka"
	"github.com/twmb/franz-go/pkg/sr/srfake"

	"finstream/avro"
	"finstream/processors"
	"finstream/processors/cdc"
	"finstream/processors/processorstest"
	"finstream/topics"
)

// newTestCodecs returns the processors' codecs on a fresh srfake registry.
func newTestCodecs(tb testing.TB) *processors.Codecs {
	tb.Helper()
	fake := srfake.New()
	tb.Cleanup(fake.Close)
	reg, err := avro.NewClient(fake.URL())
	if err != nil {
		tb.Fatal(err)
	}
	c, err := processors.NewCodecs(context.Background(), reg)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// FuzzTableCodecs decodes arbitrary bytes with every group table's codec,
// as a view or a processor does when it restores a changelog that anyone
// with write access may have written: no decoding may panic (a panic there
// would stop the role at every restart), and what decodes encodes again.
func FuzzTableCodecs(f *testing.F) {
	c := newTestCodecs(f)
	tables := []goka.Codec{c.UsersTable, c.TxnsTable, c.AccountsTable, c.SharedTable,
		c.Copilot.InsightsTable, c.Copilot.GoalsTable, c.Copilot.NotificationsTable, c.AlertsTable,
		c.UsersRules} // the transaction stage's lookup of the users table
	// Seeds: real values of each table, from the processors.
	h := processorstest.Start(f)
	row := tesco("T1", 1_000, "POSTED", 3)
	h.Account(cdc.OpSnapshot, cdc.Account{ID: "ACC-789", UserID: "USR-789", Type: "CHECKING", Currency: "THB", Status: "ACTIVE"})
	h.Txn(cdc.OpCreate, row)
	for _, tv := range []struct {
		table string
		key   string
		codec goka.Codec
	}{{topics.TableUsers, "USR-789", c.UsersTable}, {topics.TableTxns, "T1", c.TxnsTable}, {topics.TableAccounts, "ACC-789", c.AccountsTable}} {
		if v := h.Tester.TableValue(goka.Table(tv.table), tv.key); v != nil {
			b, err := tv.codec.Encode(v)
			if err != nil {
				f.Fatal(err)
			}
			for i := range tables {
				f.Add(byte(i), b)
			}
		}
	}
	for i := range tables {
		f.Add(byte(i), []byte{})
		f.Add(byte(i), []byte(`{}`))
		f.Add(byte(i), []byte{0xff, 0xff, 0xff, 0xff, 0x0f})
	}
	f.Fuzz(func(t *testing.T, which byte, data []byte) {
		codec := tables[int(which)%len(tables)]
		v, err := codec.Decode(data)
		if err != nil || v == nil {
			return
		}
		if _, err := codec.Encode(v); err != nil {
			t.Fatalf("%T decoded %q to %+v, which does not encode: %v", codec, data, v, err)
		}
	})
}

// FuzzCDCToInternal: every CDC record the decoder accepts encodes as the
// re-key stage's internal record (finstream.txn.by-id, Avro), within the
// producer's limit, and decodes back to the same row: nothing accepted at
// decode can fail the processor later for its encoding or size.
func FuzzCDCToInternal(f *testing.F) {
	c := newTestCodecs(f)
	enc, err := cdc.NewEncoder(context.Background(), cdc.FormatJSON, nil, topics.CDCTransactions)
	if err != nil {
		f.Fatal(err)
	}
	row := tesco("T1", 1_000, "POSTED", 3)
	_, v, err := enc.EncodeTxn(cdc.OpCreate, nil, &row, cdc.Position{LSN: 10, TsMs: row.UpdatedAt.UnixMilli()})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(v)
	max := processors.SaramaConfig(time.Millisecond).Producer.MaxMessageBytes
	f.Fuzz(func(t *testing.T, value []byte) {
		ch, err := c.CDC.DecodeTxn(context.Background(), value)
		if err != nil {
			return
		}
		b, err := c.TxnByID.Encode(ch)
		if err != nil {
			t.Fatalf("accepted %q, whose internal record does not encode: %v", value, err)
		}
		if len(b)+len(ch.Row.ID) > max {
			t.Fatalf("accepted %q, whose internal record is %d bytes", value, len(b))
		}
		back, err := c.TxnByID.Decode(b)
		if err != nil {
			t.Fatalf("internal record of %q does not decode: %v", value, err)
		}
		got, ok := back.(cdc.TxnChange)
		if !ok || got.Row.ID != ch.Row.ID || got.Row.AmountMinor != ch.Row.AmountMinor || !got.Row.PostedAt.Equal(ch.Row.PostedAt) ||
			got.Row.MerchantName != ch.Row.MerchantName || got.Row.UserID != ch.Row.UserID {
			t.Fatalf("round trip of %q: %+v, want %+v", value, back, ch)
		}
	})
}
