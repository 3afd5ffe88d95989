package period

import (
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
