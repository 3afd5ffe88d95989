package category

import "testing"

func TestMCCTableCoversEveryCodeOnce(t *testing.T) {
	if len(mccTable) == 0 {
		t.Fatal("empty MCC table")
	}
	if got := mccTable[0].From; got != minMCC {
		t.Errorf("first range starts at %d, want %d", got, minMCC)
	}
	if got := mccTable[len(mccTable)-1].To; got != maxMCC {
		t.Errorf("last range ends at %d, want %d", got, maxMCC)
	}
	for i, r := range mccTable {
		if r.From > r.To {
			t.Errorf("row %d: From %d > To %d", i, r.From, r.To)
		}
		if i > 0 {
			prev := mccTable[i-1]
			switch {
			case r.From <= prev.To:
				t.Errorf("row %d [%04d,%04d] overlaps or is out of order with [%04d,%04d]", i, r.From, r.To, prev.From, prev.To)
			case r.From != prev.To+1:
				t.Errorf("gap between %04d and %04d", prev.To, r.From)
			}
		}
		if !Valid(r.Slug) {
			t.Errorf("row %d [%04d,%04d]: invalid slug %q", i, r.From, r.To, r.Slug)
		}
		if r.Confidence <= 0 || r.Confidence > 1 {
			t.Errorf("row %d [%04d,%04d]: confidence %v outside (0,1]", i, r.From, r.To, r.Confidence)
		}
		if r.Description == "" {
			t.Errorf("row %d [%04d,%04d]: no description", i, r.From, r.To)
		}
	}
}

func TestFromMCCSpecificCodes(t *testing.T) {
	tests := []struct {
		mcc  int
		want string
	}{
		// The codes the contract names.
		{5411, Groceries}, {5499, Groceries}, {4121, Transport}, {5812, Dining},
		{5814, Dining}, {5541, Transport}, {4814, Bills}, {6011, Cash}, {8062, Health},
		{8220, Education}, {7832, Entertainment}, {3000, Travel}, {3501, Travel},
		{4511, Travel}, {7011, Travel},
		// Range edges and other codes of the brief.
		{3350, Travel}, {3351, Travel}, {3500, Travel}, {3999, Travel}, {7512, Travel},
		{4111, Transport}, {4131, Transport}, {4411, Travel}, {4722, Travel},
		{4816, Bills}, {4899, Subscriptions}, {4900, Bills}, {4829, Transfers},
		{5422, Groceries}, {5441, Groceries}, {5451, Groceries}, {5462, Groceries},
		{5311, Shopping}, {5542, Transport}, {5600, Shopping}, {5651, Shopping}, {5699, Shopping},
		{5813, Dining}, {5815, Entertainment}, {5816, Entertainment},
		{5817, Subscriptions}, {5818, Subscriptions}, {5912, Health}, {6010, Cash},
		{6012, Transfers}, {6051, Transfers}, {6300, Bills}, {8011, Health}, {8021, Health},
		{8099, Health}, {8211, Education}, {8299, Education}, {9311, Bills}, {9399, Bills},
		{4119, Health}, {7523, Transport}, {7399, Other}, {1520, Other}, {5999, Shopping},
	}
	for _, tt := range tests {
		got, ok := FromMCC(tt.mcc)
		if !ok || got != tt.want {
			t.Errorf("FromMCC(%04d) = %q, %v; want %q, true", tt.mcc, got, ok, tt.want)
		}
	}
}

func TestFromMCCOutOfRange(t *testing.T) {
	for _, mcc := range []int{0, -1, -5411, 10000, 54110} {
		if got, ok := FromMCC(mcc); ok || got != "" {
			t.Errorf("FromMCC(%d) = %q, %v; want \"\", false", mcc, got, ok)
		}
	}
}

// The binary search must agree with a linear scan for every code.
func TestLookupMCCMatchesLinearScan(t *testing.T) {
	for mcc := minMCC - 1; mcc <= maxMCC+1; mcc++ {
		var want *mccRange
		for i := range mccTable {
			if mccTable[i].From <= mcc && mcc <= mccTable[i].To {
				want = &mccTable[i]
				break
			}
		}
		if got := lookupMCC(mcc); got != want {
			t.Fatalf("lookupMCC(%d) = %v, want %v", mcc, got, want)
		}
	}
}

func TestMCCConfidenceReflectsSpecificity(t *testing.T) {
	conf := func(mcc int) float64 {
		r := lookupMCC(mcc)
		if r == nil {
			t.Fatalf("no row for %04d", mcc)
		}
		return r.Confidence
	}
	tests := []struct {
		specific, broad int
	}{
		{5411, 5499}, // grocery stores vs. convenience and specialty markets
		{5411, 5999}, // vs. miscellaneous retail
		{5311, 5399}, // department stores vs. miscellaneous general merchandise
		{4121, 4789}, // taxis vs. transportation not elsewhere classified
		{8062, 8099}, // hospitals vs. medical services not elsewhere classified
		{5812, 5412}, // restaurants vs. an unassigned food-store code
	}
	for _, tt := range tests {
		if conf(tt.specific) <= conf(tt.broad) {
			t.Errorf("confidence of %04d (%v) should exceed that of %04d (%v)", tt.specific, conf(tt.specific), tt.broad, conf(tt.broad))
		}
	}
	if c := conf(5411); c < 0.95 {
		t.Errorf("5411 confidence %v, want >= 0.95", c)
	}
	if c := conf(5999); c > 0.6 {
		t.Errorf("5999 confidence %v, want <= 0.6", c)
	}
}
