package category

import (
	"slices"
	"testing"
)

func TestAllAndValid(t *testing.T) {
	want := []string{"groceries", "dining", "transport", "shopping", "bills", "entertainment",
		"health", "travel", "education", "subscriptions", "transfers", "cash", "fees", "income", "other"}
	all := All()
	if !slices.Equal(all, want) {
		t.Fatalf("All() = %v, want %v", all, want)
	}
	all[0] = "mutated"
	if All()[0] != Groceries {
		t.Error("All() shares its backing array with the caller")
	}
	for _, s := range want {
		if !Valid(s) {
			t.Errorf("Valid(%q) = false", s)
		}
	}
	for _, s := range []string{"", "Groceries", "food", " dining", "other "} {
		if Valid(s) {
			t.Errorf("Valid(%q) = true", s)
		}
	}
}

func TestCategorizePrecedence(t *testing.T) {
	tests := []struct {
		name  string
		in    Input
		rules Rules
		want  Result
	}{
		{"user rule by name beats MCC",
			Input{MCC: 5411, MerchantName: "TOPS #12", Type: "PURCHASE", Direction: "DEBIT"},
			Rules{"tops": Dining}, res(Dining, 1, SourceUserRule)},
		{"user rule by merchant id",
			Input{MCC: 5411, MerchantName: "TOPS", MerchantID: "m-1"},
			Rules{"m-1": Health, "tops": Dining}, res(Health, 1, SourceUserRule)},
		{"name rule used when the id has none",
			Input{MCC: 5411, MerchantName: "Tops Market 0042", MerchantID: "m-2"},
			Rules{"tops market": Shopping}, res(Shopping, 1, SourceUserRule)},
		{"invalid user rule ignored",
			Input{MCC: 5411, MerchantName: "TOPS"},
			Rules{"tops": "food"}, res(Groceries, 0.95, SourceMCC)},
		{"empty name never matches an empty key",
			Input{MCC: 0, MerchantName: "***"},
			Rules{"": Dining}, res(Other, fallbackConfidence, SourceFallback)},
		{"MCC beats merchant name",
			Input{MCC: 5812, MerchantName: "TESCO LOTUS"},
			nil, res(Dining, 0.95, SourceMCC)},
		{"broad MCC still beats a brand keyword",
			Input{MCC: 5999, MerchantName: "Starbucks"},
			nil, res(Shopping, 0.5, SourceMCC)},
		{"merchant name when no MCC",
			Input{MerchantName: "TESCO LOTUS #123", Type: "PURCHASE", Direction: "DEBIT"},
			Rules{"big c": Dining}, res(Groceries, brandConfidence, SourceMerchant)},
		{"merchant name when MCC says other",
			Input{MCC: 7399, MerchantName: "Starbucks"},
			nil, res(Dining, brandConfidence, SourceMerchant)},
		{"MCC out of range is no MCC",
			Input{MCC: 54110, MerchantName: "Grab"},
			nil, res(Transport, brandConfidence, SourceMerchant)},
		{"generic word",
			Input{MerchantName: "Somtam Nua Restaurant"},
			nil, res(Dining, genericConfidence, SourceMerchant)},
		{"MCC other and unknown name",
			Input{MCC: 7399, MerchantName: "Somchai Trading"},
			nil, res(Other, 0.4, SourceMCC)},
		{"fallback",
			Input{MerchantName: "Somchai Trading", Type: "PURCHASE", Direction: "DEBIT"},
			nil, res(Other, fallbackConfidence, SourceFallback)},
		{"zero input",
			Input{}, nil, res(Other, fallbackConfidence, SourceFallback)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Categorize(tt.in, tt.rules); withoutDetail(got) != tt.want {
				t.Errorf("Categorize(%+v) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestCategorizeTypeRules(t *testing.T) {
	tests := []struct {
		name  string
		in    Input
		rules Rules
		want  Result
	}{
		{"fee", Input{Type: "FEE", Direction: "DEBIT"}, nil, res(Fees, 0.95, SourceFallback)},
		{"fee reversal", Input{Type: "FEE", Direction: "CREDIT"}, nil, res(Fees, 0.95, SourceFallback)},
		{"ATM fee under MCC 6011", Input{MCC: 6011, Type: "FEE", Direction: "DEBIT"}, nil, res(Fees, 0.95, SourceFallback)},
		{"type in lower case", Input{Type: "fee", Direction: "debit"}, nil, res(Fees, 0.95, SourceFallback)},
		{"interest earned", Input{Type: "INTEREST", Direction: "CREDIT"}, nil, res(Income, 0.95, SourceFallback)},
		{"interest charged", Input{Type: "INTEREST", Direction: "DEBIT"}, nil, res(Fees, 0.9, SourceFallback)},
		{"deposit", Input{Type: "DEPOSIT", Direction: "CREDIT"}, nil, res(Income, 0.6, SourceFallback)},
		{"deposit debit has no rule", Input{Type: "DEPOSIT", Direction: "DEBIT"}, nil, res(Other, fallbackConfidence, SourceFallback)},
		{"withdrawal", Input{Type: "WITHDRAWAL", Direction: "DEBIT"}, nil, res(Cash, 0.9, SourceFallback)},
		{"withdrawal at ATM MCC agrees", Input{MCC: 6011, Type: "WITHDRAWAL", Direction: "DEBIT"}, nil, res(Cash, 0.95, SourceMCC)},
		{"transfer out", Input{Type: "TRANSFER", Direction: "DEBIT", MerchantName: "Somchai J."}, nil, res(Transfers, 0.8, SourceFallback)},
		{"transfer in", Input{Type: "TRANSFER", Direction: "CREDIT"}, nil, res(Transfers, 0.8, SourceFallback)},
		{"type beats merchant name", Input{Type: "TRANSFER", Direction: "DEBIT", MerchantName: "Starbucks"}, nil, res(Transfers, 0.8, SourceFallback)},
		{"type beats MCC other", Input{MCC: 7399, Type: "FEE", Direction: "DEBIT"}, nil, res(Fees, 0.95, SourceFallback)},
		{"specific MCC beats type", Input{MCC: 5411, Type: "FEE", Direction: "DEBIT"}, nil, res(Groceries, 0.95, SourceMCC)},
		{"user rule beats type", Input{Type: "TRANSFER", Direction: "DEBIT", MerchantName: "Mom"}, Rules{"mom": Education}, res(Education, 1, SourceUserRule)},
		{"purchase at ATM MCC is cash", Input{MCC: 6011, Type: "PURCHASE", Direction: "DEBIT"}, nil, res(Cash, 0.95, SourceMCC)},
		{"refund keeps the purchase category", Input{MCC: 5812, Type: "REFUND", Direction: "CREDIT"}, nil, res(Dining, 0.95, SourceMCC)},
		{"bill payment to known payee", Input{Type: "BILL_PAYMENT", Direction: "DEBIT", MerchantName: "Bumrungrad Hospital"}, nil, res(Health, brandConfidence, SourceMerchant)},
		{"bill payment to utility", Input{Type: "BILL_PAYMENT", Direction: "DEBIT", MerchantName: "MEA"}, nil, res(Bills, brandConfidence, SourceMerchant)},
		{"bill payment to unknown payee", Input{Type: "BILL_PAYMENT", Direction: "DEBIT", MerchantName: "Somchai Co"}, nil, res(Bills, billPaymentConfidence, SourceFallback)},
		{"unknown type", Input{Type: "ADJUSTMENT", Direction: "DEBIT"}, nil, res(Other, fallbackConfidence, SourceFallback)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Categorize(tt.in, tt.rules); withoutDetail(got) != tt.want {
				t.Errorf("Categorize(%+v) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

// Every result, for every code and type, carries a valid slug, a confidence in
// (0,1] and a known source.
func TestCategorizeResultsAreWellFormed(t *testing.T) {
	types := []string{"", "PURCHASE", "TRANSFER", "REFUND", "FEE", "INTEREST", "DEPOSIT", "WITHDRAWAL", "BILL_PAYMENT"}
	sources := []Source{SourceUserRule, SourceMCC, SourceMerchant, SourceFallback}
	for mcc := -1; mcc <= maxMCC+1; mcc++ {
		for _, typ := range types {
			for _, dir := range []string{"DEBIT", "CREDIT"} {
				r := Categorize(Input{MCC: mcc, MerchantName: "Somchai Shop", Type: typ, Direction: dir}, nil)
				if !Valid(r.Category) || r.Confidence <= 0 || r.Confidence > 1 || !slices.Contains(sources, r.Source) {
					t.Fatalf("mcc %d %s %s: malformed %+v", mcc, typ, dir, r)
				}
			}
		}
	}
}

var benchInputs = []Input{
	{MCC: 5411, MerchantName: "TOPS MARKET #0042", MerchantID: "m-42", Type: "PURCHASE", Direction: "DEBIT"},
	{MCC: 0, MerchantName: "GRAB*FOOD BANGKOK", Type: "PURCHASE", Direction: "DEBIT"},
	{MCC: 0, MerchantName: "Starbucks Central World 0123", Type: "PURCHASE", Direction: "DEBIT"},
	{MCC: 5999, MerchantName: "Somchai Trading Co., Ltd.", Type: "PURCHASE", Direction: "DEBIT"},
	{MCC: 0, MerchantName: "", Type: "TRANSFER", Direction: "CREDIT"},
	{MCC: 0, MerchantName: "ร้านป้าแดง สาขา 2", Type: "PURCHASE", Direction: "DEBIT"},
}

var benchRules = Rules{"m-7": Dining, "starbucks central world": Shopping, "tesco lotus": Groceries}

func TestCategorizeDoesNotAllocate(t *testing.T) {
	for _, in := range benchInputs {
		if n := testing.AllocsPerRun(100, func() { Categorize(in, benchRules) }); n != 0 {
			t.Errorf("Categorize(%+v) allocates %v times per call", in, n)
		}
	}
}

func BenchmarkCategorize(b *testing.B) {
	b.ReportAllocs()
	var sink Result
	i := 0
	for b.Loop() {
		sink = Categorize(benchInputs[i%len(benchInputs)], benchRules)
		i++
	}
	_ = sink
}

// res is a Result without its detailed category, as the tables above write
// them; withoutDetail drops the detailed category of a result to compare it
// with one.
func res(slug string, confidence float64, source Source) Result {
	return Result{Category: slug, Confidence: confidence, Source: source}
}

func withoutDetail(r Result) Result {
	r.Detailed = ""
	return r
}
