package period

import (
	"fmt"
	"testing"
	"time"
)

func TestOf(t *testing.T) {
	bkk, err := Zone("")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		kind   Kind
		at     string
		key    string
		start  string
		end    string
		daysAt string
		days   int
	}{
		// 2026-10-31T18:30Z is already 1 November 01:30 in Bangkok.
		{"month boundary by zone", Monthly, "2026-10-31T18:30:00Z", "2026-11", "2026-11-01T00:00:00+07:00", "2026-12-01T00:00:00+07:00", "2026-11-19T10:00:00+07:00", 12},
		{"last day", Monthly, "2026-11-30T23:59:00+07:00", "2026-11", "2026-11-01T00:00:00+07:00", "2026-12-01T00:00:00+07:00", "2026-11-30T23:59:00+07:00", 1},
		{"iso week", Weekly, "2026-11-22T12:00:00+07:00", "2026-W47", "2026-11-16T00:00:00+07:00", "2026-11-23T00:00:00+07:00", "2026-11-16T00:00:00+07:00", 7},
		{"iso week year change", Weekly, "2027-01-01T12:00:00+07:00", "2026-W53", "2026-12-28T00:00:00+07:00", "2027-01-04T00:00:00+07:00", "2027-01-04T00:00:00+07:00", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			at, _ := time.Parse(time.RFC3339, c.at)
			p := Of(c.kind, at, bkk)
			if p.Key != c.key {
				t.Errorf("key %s, want %s", p.Key, c.key)
			}
			if want, _ := time.Parse(time.RFC3339, c.start); !p.Start.Equal(want) {
				t.Errorf("start %s, want %s", p.Start, want)
			}
			if want, _ := time.Parse(time.RFC3339, c.end); !p.End.Equal(want) {
				t.Errorf("end %s, want %s", p.End, want)
			}
			da, _ := time.Parse(time.RFC3339, c.daysAt)
			if got := p.DaysLeft(da); got != c.days {
				t.Errorf("days left at %s = %d, want %d", c.daysAt, got, c.days)
			}
		})
	}
}

func TestZoneRejectsUnknown(t *testing.T) {
	if _, err := Zone("Mars/Olympus"); err == nil {
		t.Fatal("want error for unknown zone")
	}
}

func TestParseKeyInvertsOf(t *testing.T) {
	bkk, _ := Zone("")
	for _, s := range []string{"2026-01-01T00:00:00+07:00", "2026-11-22T12:00:00+07:00", "2027-01-01T12:00:00+07:00", "2026-12-31T23:00:00+07:00"} {
		at, _ := time.Parse(time.RFC3339, s)
		for _, k := range []Kind{Monthly, Weekly} {
			p := Of(k, at, bkk)
			q, ok := ParseKey(p.Key, bkk)
			if !ok || q.Key != p.Key || !q.Start.Equal(p.Start) || !q.End.Equal(p.End) {
				t.Errorf("%s %s: ParseKey(%s) = %+v %v, want %+v", s, k, p.Key, q, ok, p)
			}
		}
	}
	if _, ok := ParseKey("garbage", bkk); ok {
		t.Error("garbage parsed")
	}
}

// Keys are formatted as "%04d-%02d", "%04d-W%02d" and "%04d-%02d@%02d"
// wrote them (states hold such keys), every day of 1999..2031 parses back
// to its period, and what is not such a key is refused.
func TestKeysFormatAndParse(t *testing.T) {
	bkk, _ := Zone("")
	for at := time.Date(1999, 1, 1, 12, 0, 0, 0, bkk); at.Year() < 2032; at = at.AddDate(0, 0, 1) {
		y, w := at.ISOWeek()
		want := map[string]string{
			Of(Monthly, at, bkk).Key:  fmt.Sprintf("%04d-%02d", at.Year(), int(at.Month())),
			Of(Weekly, at, bkk).Key:   fmt.Sprintf("%04d-W%02d", y, w),
			Anchored(25, at, bkk).Key: fmt.Sprintf("%04d-%02d@25", Anchored(25, at, bkk).Start.Year(), int(Anchored(25, at, bkk).Start.Month())),
		}
		for got, w := range want {
			if got != w {
				t.Fatalf("%s: key %q, want %q", at.Format(time.DateOnly), got, w)
			}
			if p, ok := ParseKey(got, bkk); !ok || p.Key != got || at.Before(p.Start) || !at.Before(p.End) {
				t.Fatalf("ParseKey(%q) = %+v %v: not the period of %s", got, p, ok, at.Format(time.DateOnly))
			}
		}
	}
	if k := key(987, 0, 3, 0); k != "0987-03" {
		t.Errorf("key of year 987: %q", k)
	}
	for _, bad := range []string{"", "2026-1", "2026-13", "2026-00", "+026-11", "2026-W00", "2026-W54", "2026-W1", "2026-11@01",
		"2026-11@29", "2026-11@2x", "2026-11x", "2026/11", "2026-1a", "20261-11"} {
		if p, ok := ParseKey(bad, bkk); ok {
			t.Errorf("ParseKey(%q) = %+v, want no key", bad, p)
		}
	}
}

// MonthKey and ParseMonth invert each other for every month of 0..9999;
// ParseMonth refuses what is not a month's key.
func TestMonthKey(t *testing.T) {
	for y := 0; y < 10000; y += 7 {
		for m := time.January; m <= time.December; m++ {
			k := MonthKey(y, m)
			if want := fmt.Sprintf("%04d-%02d", y, int(m)); k != want {
				t.Fatalf("MonthKey(%d, %d) = %q, want %q", y, m, k, want)
			}
			if gy, gm, ok := ParseMonth(k); !ok || gy != y || gm != m {
				t.Fatalf("ParseMonth(%q) = %d %d %v", k, gy, gm, ok)
			}
		}
	}
	for _, bad := range []string{"2026-W47", "2026-11@25", "2026-13", "2026-00", "26-11", "2026-1x"} {
		if _, _, ok := ParseMonth(bad); ok {
			t.Errorf("ParseMonth(%q) accepted", bad)
		}
	}
}
