package money

import "testing"

func TestFormat(t *testing.T) {
	cases := []struct {
		minor    int64
		currency string
		want     string
		exact    string
	}{
		{100000, "THB", "฿1,000", "฿1,000.00"},
		{150050, "THB", "฿1,500.50", "฿1,500.50"},
		{1600000, "THB", "฿16,000", "฿16,000.00"},
		{-70000, "THB", "-฿700", "-฿700.00"},
		{5, "USD", "$0.05", "$0.05"},
		{1234567, "JPY", "¥1,234,567", "¥1,234,567"},
		{1000, "KWD", "KWD 1", "KWD 1.000"},
	}
	for _, c := range cases {
		if got := Format(c.minor, c.currency); got != c.want {
			t.Errorf("Format(%d, %s) = %q, want %q", c.minor, c.currency, got, c.want)
		}
		if got := FormatExact(c.minor, c.currency); got != c.exact {
			t.Errorf("FormatExact(%d, %s) = %q, want %q", c.minor, c.currency, got, c.exact)
		}
	}
}

func TestPercent(t *testing.T) {
	for bp, want := range map[int64]string{9375: "93.75%", 9000: "90%", 9562: "95.62%", 8437: "84.37%", 5: "0.05%", 10050: "100.5%"} {
		if got := Percent(bp); got != want {
			t.Errorf("Percent(%d) = %q, want %q", bp, got, want)
		}
	}
}
