// Package money formats int64 minor-unit amounts for people.
package money

import (
	"strconv"
	"strings"

	"finstream/processors/cdc"
)

var symbols = map[string]string{
	"THB": "฿", "USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CNY": "¥",
	"KRW": "₩", "INR": "₹", "VND": "₫", "PHP": "₱", "SGD": "S$", "AUD": "A$",
}

// Format renders minor units of currency with its symbol (or code), thousands
// separators and its ISO-4217 number of decimals, dropping a zero fraction:
// Format(100000, "THB") = "฿1,000", Format(150050, "THB") = "฿1,500.50".
func Format(minor int64, currency string) string {
	return format(minor, currency, false)
}

// FormatExact is Format that always shows every decimal: "฿1,500.00".
func FormatExact(minor int64, currency string) string {
	return format(minor, currency, true)
}

func format(minor int64, currency string, exact bool) string {
	exp, ok := cdc.CurrencyExponent(currency)
	if !ok {
		exp = 2
	}
	neg := minor < 0
	u := uint64(minor)
	if neg {
		u = uint64(-minor)
	}
	var div uint64 = 1
	for i := 0; i < exp; i++ {
		div *= 10
	}
	whole, frac := u/div, u%div
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	if sym, ok := symbols[currency]; ok {
		b.WriteString(sym)
	} else {
		b.WriteString(currency + " ")
	}
	ws := strconv.FormatUint(whole, 10)
	for i, c := range ws {
		if i > 0 && (len(ws)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if exp > 0 && (exact || frac != 0) {
		fs := strconv.FormatUint(frac, 10)
		b.WriteByte('.')
		b.WriteString(strings.Repeat("0", exp-len(fs)) + fs)
	}
	return b.String()
}

// Percent renders basis points as a percentage with up to two decimals:
// 9375 → "93.75%", 9000 → "90%", 9562 → "95.62%".
func Percent(bp int64) string {
	s := strconv.FormatInt(bp/100, 10)
	if f := bp % 100; f != 0 {
		if f < 0 {
			f = -f
		}
		fs := strconv.FormatInt(f, 10)
		if len(fs) == 1 {
			fs = "0" + fs
		}
		s += "." + strings.TrimRight(fs, "0")
	}
	return s + "%"
}
