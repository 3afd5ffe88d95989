package budget

import (
	"testing"

	"finstream/processors/category"
	"finstream/processors/cdc"
)

func TestLedgerCodecDetailedCategory(t *testing.T) {
	l := Ledger{Changes: []Change{{Rec: cdc.TxnChange{
		Op: cdc.OpCreate, Row: cdc.Txn{ID: "T1", UserID: "U1", MCC: 5814},
		Category: category.Dining, Source: string(category.SourceMCC), Confidence: 0.95, Detailed: "dining.fast_food",
	}}}}
	if got := decodeLedger(t, encodeLedger(t, l)).Changes[0].Rec.Detailed; got != "dining.fast_food" {
		t.Errorf("detailed category after the codec = %q, want dining.fast_food", got)
	}

	// A ledger written before the detailed level (format 0xC2: the same
	// change without the trailing detailed code) reads as the generic code.
	l.Changes[0].Rec.Detailed = ""
	raw := encodeLedger(t, l)
	old := append([]byte{ledgerFormatC2}, raw[1:len(raw)-1]...) // drop the empty code's length byte
	if got := decodeLedger(t, old).Changes[0].Rec.Detailed; got != "dining.other" {
		t.Errorf("detailed category of a 0xC2 ledger = %q, want dining.other", got)
	}
}

func encodeLedger(t *testing.T, l Ledger) []byte {
	t.Helper()
	raw, err := LedgerCodec{}.Encode(l)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func decodeLedger(t *testing.T, raw []byte) Ledger {
	t.Helper()
	v, err := LedgerCodec{}.Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	return v.(Ledger)
}
