package category

import (
	"strings"
	"testing"
)

func TestMerchantKey(t *testing.T) {
	tests := []struct {
		id, name, want string
	}{
		{"M-000123", "TESCO LOTUS #123", "M-000123"},
		{"  M-000123 ", "", "M-000123"},
		{"", "TESCO LOTUS #123", "tesco lotus"},
		{"   ", "Tesco-Lotus 0456", "tesco lotus"},
		{"", "  Tops   Market\tSukhumvit  0042 ", "tops market sukhumvit"},
		{"", "STARBUCKS #1234 SIAM PARAGON", "starbucks siam paragon"},
		{"", "7-ELEVEN 12345", "7 eleven"},
		{"", "7-11", "7 11"},             // no letters: numbers are the name
		{"", "12345", "12345"},           // likewise
		{"", "Big C Branch 12", "big c"}, // marker and number
		{"", "BIG C NO. 12 34", "big c"},
		{"", "McDonald's", "mcdonald s"},
		{"", "S&P Bakery", "s p bakery"},
		{"", "GRAB*FOOD", "grab food"},
		{"", "apple.com/bill", "apple com bill"},
		{"", "Disney+ Hotstar", "disney hotstar"},
		{"", "Café Ämazon", "café ämazon"},
		{"", "โลตัส สาขา 123", "โลตัส"},
		{"", "เซเว่น อีเลฟเว่น สาขาที่ ๑๒", "เซเว่น อีเลฟเว่น"},
		{"", "C# Books", "c books"},
		{"", "", ""},
		{"", "*** --- ***", ""},
		{"", "#42", ""},
	}
	for _, tt := range tests {
		got := MerchantKey(tt.id, tt.name)
		if got != tt.want {
			t.Errorf("MerchantKey(%q, %q) = %q, want %q", tt.id, tt.name, got, tt.want)
		}
		if tt.id == "" && MerchantKey("", got) != got {
			t.Errorf("MerchantKey not idempotent for %q: %q → %q", tt.name, got, MerchantKey("", got))
		}
	}
}

func TestMerchantKeywordsData(t *testing.T) {
	seen := make(map[string]string)
	for _, g := range merchantKeywords {
		if !Valid(g.Slug) {
			t.Errorf("invalid slug %q", g.Slug)
		}
		if g.Confidence <= 0 || g.Confidence >= 1 {
			t.Errorf("%s: confidence %v outside (0,1)", g.Slug, g.Confidence)
		}
		for _, kw := range g.Keywords {
			if n := MerchantKey("", kw); n != kw {
				t.Errorf("keyword %q is not normalized (want %q)", kw, n)
			}
			if prev, dup := seen[kw]; dup {
				t.Errorf("keyword %q listed for %s and %s", kw, prev, g.Slug)
			}
			seen[kw] = g.Slug
		}
	}
}

func TestMatchMerchant(t *testing.T) {
	tests := []struct {
		name string
		want string // "" for no match
	}{
		{"TESCO LOTUS #123", Groceries},
		{"Lotus's Rama 4", Groceries},
		{"BIG C EXTRA", Groceries},
		{"MAKRO", Groceries},
		{"TOPS DAILY", Groceries},
		{"Villa Market 12", Groceries},
		{"7-Eleven #4567", Groceries},
		{"FamilyMart", Groceries},
		{"Family Mart Silom", Groceries},
		{"แม็คโคร", Groceries},
		{"GRAB*TAXI", Transport},
		{"Bolt", Transport},
		{"BTS SKYTRAIN", Transport},
		{"MRT", Transport},
		{"PTT STATION 00123", Transport},
		{"Shell", Transport},
		{"BANGCHAK", Transport},
		{"GRABFOOD", Dining},
		{"GRAB FOOD", Dining},
		{"Grab*Food Bangkok", Dining},
		{"foodpanda", Dining},
		{"LINE MAN", Dining},
		{"Starbucks", Dining},
		{"MK RESTAURANT", Dining},
		{"S&P", Dining},
		{"After You Dessert Cafe", Dining},
		{"KFC", Dining},
		{"McDonald's", Dining},
		{"NETFLIX.COM", Subscriptions},
		{"Spotify", Subscriptions},
		{"YouTube Premium", Subscriptions},
		{"Disney+", Subscriptions},
		{"APPLE.COM/BILL", Subscriptions},
		{"APPLE.COM/TH", Shopping},
		{"AIS", Bills},
		{"True Move H", Bills},
		{"dtac", Bills},
		{"MEA", Bills},
		{"PEA", Bills},
		{"MWA", Bills},
		{"การไฟฟ้านครหลวง", Bills},
		{"Central World", Shopping},
		{"Robinson", Shopping},
		{"UNIQLO", Shopping},
		{"Shopee", Shopping},
		{"SHOPEE FOOD", Dining},
		{"LAZADA", Shopping},
		{"Boots", Health},
		{"Watsons", Health},
		{"Bumrungrad", Health},
		{"Bangkok Hospital", Health},
		{"Major Cineplex", Entertainment},
		{"SF Cinema", Entertainment},
		{"Agoda", Travel},
		{"AirAsia", Travel},
		{"Thai Airways", Travel},
		{"Bangkok Airways", Travel},
		{"Chulalongkorn University", Education},
		{"PromptPay", Transfers},
		// Longest match at a word, leftmost word first.
		{"Central Food Hall", Groceries},
		{"Tops Central World", Groceries},
		{"Starbucks Central World", Dining},
		{"Cafe Amazon PTT", Dining},
		{"Siam Pharmacy", Health},
		// Whole words only.
		{"Bolton Store", ""},
		{"Grabber Co", ""},
		{"Stops", ""},
		{"Shellfish Restaurant", Dining},
		{"Somchai Trading", ""},
		{"", ""},
	}
	for _, tt := range tests {
		m := matchMerchant([]byte(MerchantKey("", tt.name)))
		got := ""
		if m != nil {
			got = m.slug
		}
		if got != tt.want {
			kw := ""
			if m != nil {
				kw = m.keyword
			}
			t.Errorf("matchMerchant(%q) = %q (keyword %q), want %q", tt.name, got, kw, tt.want)
		}
	}
}

func TestMatchMerchantConfidence(t *testing.T) {
	brand := matchMerchant([]byte("bumrungrad"))
	generic := matchMerchant([]byte("somchai clinic"))
	if brand == nil || generic == nil {
		t.Fatal("expected matches")
	}
	if brand.confidence != brandConfidence || generic.confidence != genericConfidence {
		t.Errorf("confidences %v, %v; want %v, %v", brand.confidence, generic.confidence, brandConfidence, genericConfidence)
	}
}

func TestMerchantKeyLongName(t *testing.T) {
	name := strings.Repeat("Very Long Merchant Name ", 40) + "#77"
	want := strings.TrimSpace(strings.Repeat("very long merchant name ", 40))
	if got := MerchantKey("", name); got != want {
		t.Errorf("long name: got %q", got)
	}
}
