package loadgen

import (
	"flag"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		modify func(*Config)
		errHas string
	}{
		{"zero value", func(*Config) {}, ""},
		{"defaults", func(c *Config) { *c = DefaultConfig() }, ""},
		{"negative users", func(c *Config) { c.Users = -1 }, "users"},
		{"too many users", func(c *Config) { c.Users = maxUsers + 1 }, "users"},
		{"negative rate", func(c *Config) { c.Rate = -1 }, "rate"},
		{"NaN rate", func(c *Config) { c.Rate = math.NaN() }, "rate"},
		{"negative count", func(c *Config) { c.Count = -1 }, "count"},
		{"negative duration", func(c *Config) { c.Duration = -time.Second }, "duration"},
		{"unknown zone", func(c *Config) { c.Zone = "Mars/Olympus_Mons" }, "zone"},
		{"fraction above 1", func(c *Config) { c.Duplicates = 1.5 }, "duplicates"},
		{"NaN fraction", func(c *Config) { c.OutOfOrder = math.NaN() }, "out-of-order"},
		{"negative fraction", func(c *Config) { c.BudgetTags = -0.1 }, "budget"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var c Config
			tc.modify(&c)
			err := c.Validate()
			switch {
			case tc.errHas == "" && err != nil:
				t.Fatalf("unexpected error %v", err)
			case tc.errHas != "" && (err == nil || !strings.Contains(err.Error(), tc.errHas)):
				t.Fatalf("error %v, want one about %q", err, tc.errHas)
			}
		})
	}
}

func TestRegisterFlags(t *testing.T) {
	c := DefaultConfig()
	fs := flag.NewFlagSet("simulate", flag.ContinueOnError)
	c.RegisterFlags(fs)
	err := fs.Parse([]string{"-users", "5000", "-rate", "2500", "-count", "100000", "-duration", "90s", "-seed", "7",
		"-start", "2026-11-01T00:00:00+07:00", "-truth-out", "/tmp/t.json", "-dup-frac", "0", "-realtime"})
	if err != nil {
		t.Fatal(err)
	}
	want := DefaultConfig()
	want.Users, want.Rate, want.Count, want.Duration, want.Seed = 5000, 2500, 100000, 90*time.Second, 7
	want.TruthOut, want.Duplicates, want.Realtime = "/tmp/t.json", 0, true
	if !c.Start.Equal(time.Date(2026, 10, 31, 17, 0, 0, 0, time.UTC)) {
		t.Fatalf("start %v", c.Start)
	}
	c.Start = time.Time{}
	if c.Now != nil {
		t.Fatal("a flag set the clock")
	}
	if !reflect.DeepEqual(c, want) {
		t.Fatalf("parsed %+v\nwant %+v", c, want)
	}
	if fs.Lookup("out-of-order-frac").DefValue != "0.02" {
		t.Fatalf("out-of-order default %s, want DefaultConfig's", fs.Lookup("out-of-order-frac").DefValue)
	}
	if err := fs.Parse([]string{"-start", "yesterday"}); err == nil {
		t.Fatal("bad -start accepted")
	}
}
