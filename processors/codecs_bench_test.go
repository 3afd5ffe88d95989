package processors_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/lovoo/goka"

	"finstream/processors/cdc"
	"finstream/processors/event"
)

// Hot records: one of each is encoded and decoded per CDC transaction on the
// hot path (the stage's change, the categorized record, a budget update).
// Record i of each kind differs from its neighbours as a stream's records
// do: ids, amounts, times and merchants change, enum-like fields repeat.
var hotMerchants = []struct {
	name, id, category, detailed string
	mcc                          int
}{
	{"Tesco Lotus", "M-7781", "groceries", "groceries.supermarket", 5411},
	{"Starbucks", "M-1203", "dining", "dining.coffee", 5814},
	{"BTS Skytrain", "M-0042", "transport", "transport.transit", 4111},
	{"Shopee", "M-9930", "shopping", "shopping.online", 5964},
}

func hotTxnChange(i int) cdc.TxnChange {
	at := time.Date(2026, 11, 1, 12, 4, 5, 0, time.UTC).Add(time.Duration(i) * 97 * time.Second)
	m := hotMerchants[i%len(hotMerchants)]
	amount := int64(1_000 + 3_737*i)
	row := cdc.Txn{ID: fmt.Sprintf("TXN-%09d", 123_456+i), AccountID: fmt.Sprintf("ACC-%04d", i%50),
		UserID: fmt.Sprintf("USR-%04d", i%50), Direction: "DEBIT", Type: "PURCHASE", Status: "POSTED",
		AmountMinor: amount, Currency: "THB", MerchantName: m.name, MerchantID: m.id, MCC: m.mcc,
		Channel: "CARD", PostedAt: at, UpdatedAt: at.Add(time.Second)}
	c := cdc.Contribution{Amount: amount, Category: m.category, Currency: "THB", Month: "2026-11", Week: "2026-W45"}
	ch := cdc.TxnChange{Op: cdc.OpCreate, Row: row, Pos: cdc.Position{LSN: 987_654_321 + int64(i)*4_096, TsMs: at.UnixMilli()},
		Seq: 1, Category: m.category, Source: "mcc", Confidence: 0.95, Detailed: m.detailed, Counts: c,
		MarkStream: 1, MarkPartition: int32(i % 8), MarkOffset: 45_678 + int64(i)}
	if i%3 == 0 { // an update of a pending transaction
		prev := row
		prev.Status = "PENDING"
		ch.Op, ch.Seq, ch.Prev = cdc.OpUpdate, 2, &prev
	}
	return ch
}

func hotBudgetUpdate(i int) event.BudgetUpdate {
	t := hotTxnChange(i).Row
	m := hotMerchants[i%len(hotMerchants)]
	spent := 500_000 + t.AmountMinor
	u := event.BudgetUpdate{Kind: event.BudgetPersonal, BudgetID: t.UserID + "/" + m.category, UserID: t.UserID,
		Category: m.category, Period: "monthly", PeriodKey: "2026-11",
		PeriodStart: time.Date(2026, 10, 31, 17, 0, 0, 0, time.UTC), PeriodEnd: time.Date(2026, 11, 30, 17, 0, 0, 0, time.UTC),
		Currency: "THB", LimitMinor: 1_000_000, SpentMinor: spent, RemainingMinor: 1_000_000 - spent,
		UsedBP: spent * 10_000 / 1_000_000, ThresholdsBP: []int64{5000, 8000, 9000, 10000}, CrossedBP: []int64{5000},
		Version: int64(17 + i), TxnID: t.ID, Merchant: t.MerchantName, AmountMinor: t.AmountMinor,
		EventTime: t.PostedAt, SourceTime: t.PostedAt.Add(-3 * time.Millisecond), SafeToSpendMinor: 120_000 - t.AmountMinor,
		Pace: event.PaceOnTrack}
	if i%4 == 0 {
		u.Alert, u.CrossedBP, u.ThresholdCrossedBP, u.Pace = true, []int64{5000, 8000}, []int64{8000}, event.PaceTooFast
	}
	return u
}

func hotCategorized(i int) event.Categorized {
	ch := hotTxnChange(i)
	t := ch.Row
	return event.Categorized{TxnID: t.ID, UserID: t.UserID, AccountID: t.AccountID, Direction: t.Direction,
		Type: t.Type, Status: t.Status, AmountMinor: t.AmountMinor, SpendMinor: t.AmountMinor, Currency: t.Currency,
		MerchantName: t.MerchantName, MerchantID: t.MerchantID, MCC: t.MCC, Channel: t.Channel,
		Category: ch.Category, Confidence: ch.Confidence, Source: ch.Source, DetailedCategory: ch.Detailed,
		ConfidenceLevel: "high", PostedAt: t.PostedAt, LSN: ch.Pos.LSN, Version: int64(17 + i),
		BudgetUpdates: []event.BudgetUpdate{hotBudgetUpdate(i)}}
}

// hotRecords returns n records of each hot kind, as pointers (what the
// processors emit).
func hotRecords(n int) (txns, cats, upds []any) {
	for i := range n {
		txn, cat, upd := hotTxnChange(i), hotCategorized(i), hotBudgetUpdate(i)
		txns, cats, upds = append(txns, &txn), append(cats, &cat), append(upds, &upd)
	}
	return txns, cats, upds
}

// BenchmarkHotCodecs encodes and decodes the hot records with the
// processors' codecs (Confluent-framed Avro through goavro).
func BenchmarkHotCodecs(b *testing.B) {
	c := newTestCodecs(b)
	txns, cats, upds := hotRecords(64)
	for _, r := range []struct {
		name   string
		codec  goka.Codec
		values []any
	}{
		{"TxnChange", c.TxnByUser, txns},
		{"Categorized", c.Categorized, cats},
		{"BudgetUpdate", c.BudgetUpdates, upds},
	} {
		var data [][]byte
		var size int
		for _, v := range r.values {
			rec, err := r.codec.Encode(v)
			if err != nil {
				b.Fatal(err)
			}
			data, size = append(data, rec), size+len(rec)
		}
		b.Run(r.name+"/Encode", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(size / len(data)))
			i := 0
			for b.Loop() {
				if _, err := r.codec.Encode(r.values[i%len(r.values)]); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
		b.Run(r.name+"/Decode", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(size / len(data)))
			i := 0
			for b.Loop() {
				if _, err := r.codec.Decode(data[i%len(data)]); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}
