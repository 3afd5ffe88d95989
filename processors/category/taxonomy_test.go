package category

import (
	"strings"
	"testing"
)

func TestTaxonomyData(t *testing.T) {
	if n := len(detailedTable); n < 60 || n > 100 {
		t.Errorf("%d detailed codes, want 60..100", n)
	}
	seen := map[string]bool{}
	for _, d := range detailedTable {
		if seen[d.Code] {
			t.Errorf("detailed code %q listed twice", d.Code)
		}
		seen[d.Code] = true
		p, detail, ok := strings.Cut(d.Code, ".")
		if !ok || p != d.Primary || !Valid(p) || detail == "" || strings.ContainsAny(detail, ". ") {
			t.Errorf("detailed code %q: want <primary>.<detail> under %q", d.Code, d.Primary)
		}
		if d.EN == "" || d.TH == "" {
			t.Errorf("detailed code %q: missing a name (%q, %q)", d.Code, d.EN, d.TH)
		}
		if len(d.Code) > 32 {
			t.Errorf("detailed code %q longer than 32 bytes", d.Code)
		}
	}
	tax := Taxonomy()
	if len(tax) != len(All()) {
		t.Fatalf("Taxonomy has %d primaries, want %d", len(tax), len(All()))
	}
	for i, p := range tax {
		if p.Slug != All()[i] || p.EN == "" || p.TH == "" {
			t.Errorf("primary %d: %+v", i, p)
		}
		if len(p.Detailed) == 0 || p.Detailed[len(p.Detailed)-1].Code != Generic(p.Slug) {
			t.Errorf("primary %s: the generic code %q is not its last detailed code", p.Slug, Generic(p.Slug))
		}
		if !ValidDetailed(Generic(p.Slug)) || PrimaryOf(Generic(p.Slug)) != p.Slug {
			t.Errorf("primary %s: generic code %q unknown", p.Slug, Generic(p.Slug))
		}
	}
	if Generic("food") != "" || ValidDetailed("dining") || PrimaryOf("dining.pizza") != "" {
		t.Error("unknown slugs or codes accepted")
	}
}

func TestMCCDetailsWithinTheirPrimary(t *testing.T) {
	for i, d := range mccDetails {
		if d.From > d.To || (i > 0 && d.From <= mccDetails[i-1].To) {
			t.Errorf("row %d [%04d,%04d] empty, overlapping or out of order", i, d.From, d.To)
		}
		if !ValidDetailed(d.Code) {
			t.Errorf("row %d: unknown detailed code %q", i, d.Code)
		}
		for mcc := d.From; mcc <= d.To; mcc++ {
			if slug, _ := FromMCC(mcc); slug != PrimaryOf(d.Code) {
				t.Errorf("MCC %04d is %s in the MCC table but %s in the detailed table", mcc, slug, d.Code)
				break
			}
		}
	}
	for _, g := range merchantKeywords {
		if g.Detailed != "" && PrimaryOf(g.Detailed) != g.Slug {
			t.Errorf("keywords %v: detailed %q is not under %s", g.Keywords[:1], g.Detailed, g.Slug)
		}
	}
}

func TestCategorizeDetailed(t *testing.T) {
	tests := []struct {
		name    string
		in      Input
		rules   Rules
		want    string // detailed code
		wantCat string
		wantLvl Level
	}{
		{"5812 restaurants", Input{MCC: 5812, MerchantName: "Somtam Nua"}, nil, "dining.restaurants", Dining, LevelHigh},
		{"5814 fast food", Input{MCC: 5814, MerchantName: "Burger stall"}, nil, "dining.fast_food", Dining, LevelHigh},
		{"5813 bars", Input{MCC: 5813}, nil, "dining.bars", Dining, LevelMedium},
		{"4121 taxis", Input{MCC: 4121}, nil, "transport.taxi_rideshare", Transport, LevelHigh},
		{"5541 service stations", Input{MCC: 5541}, nil, "transport.fuel", Transport, LevelHigh},
		{"5542 fuel dispensers", Input{MCC: 5542}, nil, "transport.fuel", Transport, LevelHigh},
		{"7523 parking", Input{MCC: 7523}, nil, "transport.parking", Transport, LevelHigh},
		{"4784 tolls", Input{MCC: 4784}, nil, "transport.tolls", Transport, LevelHigh},
		{"4111 commuter transit", Input{MCC: 4111}, nil, "transport.public_transit", Transport, LevelHigh},
		{"5411 supermarkets", Input{MCC: 5411}, nil, "groceries.supermarkets", Groceries, LevelHigh},
		{"5499 convenience", Input{MCC: 5499}, nil, "groceries.convenience", Groceries, LevelMedium},
		{"3077 an airline", Input{MCC: 3077}, nil, "travel.flights", Travel, LevelHigh},
		{"7011 hotels", Input{MCC: 7011}, nil, "travel.lodging", Travel, LevelHigh},
		{"8021 dentists", Input{MCC: 8021}, nil, "health.dental", Health, LevelHigh},
		{"4814 telecom", Input{MCC: 4814}, nil, "bills.phone_internet", Bills, LevelHigh},
		{"5999 misc retail: generic", Input{MCC: 5999}, nil, "shopping.other", Shopping, LevelLow},
		{"6011 withdrawal", Input{MCC: 6011, Type: "WITHDRAWAL", Direction: "DEBIT"}, nil, "cash.atm", Cash, LevelHigh},
		{"Starbucks by name", Input{MerchantName: "STARBUCKS CENTRAL WORLD #12"}, nil, "dining.coffee", Dining, LevelMedium},
		{"Grab ride by name", Input{MerchantName: "Grab* ride"}, nil, "transport.taxi_rideshare", Transport, LevelMedium},
		{"GrabFood by name", Input{MerchantName: "GRABFOOD 1234"}, nil, "dining.delivery", Dining, LevelMedium},
		{"7-Eleven by name", Input{MerchantName: "7-Eleven 01234"}, nil, "groceries.convenience", Groceries, LevelMedium},
		{"Tesco Lotus by name", Input{MerchantName: "Tesco Lotus #123"}, nil, "groceries.supermarkets", Groceries, LevelMedium},
		{"PTT by name", Input{MerchantName: "PTT Station Rama 9"}, nil, "transport.fuel", Transport, LevelMedium},
		{"Netflix by name", Input{MerchantName: "NETFLIX.COM"}, nil, "subscriptions.streaming_video", Subscriptions, LevelMedium},
		{"generic word", Input{MerchantName: "Noodle house"}, nil, "dining.restaurants", Dining, LevelLow},
		{"the MCC beats the name", Input{MCC: 5814, MerchantName: "Starbucks"}, nil, "dining.fast_food", Dining, LevelHigh},
		{"user rule: generic", Input{MCC: 5812, MerchantName: "Tops"}, Rules{"tops": Dining}, "dining.other", Dining, LevelHigh},
		{"fee", Input{Type: "FEE", Direction: "DEBIT"}, nil, "fees.bank", Fees, LevelHigh},
		{"interest earned", Input{Type: "INTEREST", Direction: "CREDIT"}, nil, "income.interest", Income, LevelHigh},
		{"transfer in", Input{Type: "TRANSFER", Direction: "CREDIT"}, nil, "transfers.incoming", Transfers, LevelMedium},
		{"transfer out", Input{Type: "TRANSFER", Direction: "DEBIT"}, nil, "transfers.outgoing", Transfers, LevelMedium},
		{"bill payment to an unknown payee", Input{Type: "BILL_PAYMENT", MerchantName: "Somchai"}, nil, "bills.other", Bills, LevelLow},
		{"nothing known", Input{}, nil, "other.other", Other, LevelLow},
		{"7399 business services", Input{MCC: 7399}, nil, "other.other", Other, LevelLow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Categorize(tt.in, tt.rules)
			if got.Detailed != tt.want || got.Category != tt.wantCat || got.Level() != tt.wantLvl {
				t.Errorf("Categorize(%+v) = %+v (level %s), want %s / %s / %s", tt.in, got, got.Level(), tt.wantCat, tt.want, tt.wantLvl)
			}
		})
	}
}

func TestLevelOf(t *testing.T) {
	tests := []struct {
		conf float64
		want Level
	}{
		{1, LevelHigh}, {0.95, LevelHigh}, {0.9, LevelHigh}, {0.89, LevelMedium},
		{brandConfidence, LevelMedium}, {0.69, LevelLow}, {genericConfidence, LevelLow},
		{fallbackConfidence, LevelLow}, {0, LevelLow},
	}
	for _, tt := range tests {
		if got := LevelOf(tt.conf); got != tt.want {
			t.Errorf("LevelOf(%v) = %s, want %s", tt.conf, got, tt.want)
		}
	}
}

func TestDetailedFor(t *testing.T) {
	for _, tt := range []struct{ primary, code, want string }{
		{Dining, "dining.coffee", "dining.coffee"},
		{Dining, "transport.fuel", "dining.other"}, // a code of another primary
		{Dining, "", "dining.other"},
		{Other, "nonsense", "other.other"},
		{"food", "dining.coffee", ""},
	} {
		if got := DetailedFor(tt.primary, tt.code); got != tt.want {
			t.Errorf("DetailedFor(%q, %q) = %q, want %q", tt.primary, tt.code, got, tt.want)
		}
	}
}
