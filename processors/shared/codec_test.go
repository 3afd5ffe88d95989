package shared

import (
	"testing"
)

// A value written by the unbounded format (JSON, with every transaction
// and the members' terms) keeps its settings, members and totals; its
// transactions are dropped.
func TestCodecReadsTheJSONFormat(t *testing.T) {
	old := `{"budget_id":"BDG-456","name":"Household Groceries","category":"groceries","currency":"THB","period":"monthly",
	"limit_minor":1600000,"thresholds_bp":[5000,8000,9000,10000],"created_at":"2026-11-01T08:00:00+07:00","created_by":"A",
	"members":{"A":{"role":"owner","since":"2026-11-01T08:00:00+07:00","terms":[{"role":"owner","from":"2026-11-01T08:00:00+07:00"}]},
	           "C":{"since":"2026-11-02T08:00:00+07:00","terms":[{"role":"viewer","from":"2026-11-02T08:00:00+07:00"},{"from":"2026-11-03T08:00:00+07:00"}]}},
	"spend":{"2026-11":700000},"contrib":{"2026-11|A":700000},
	"txns":{"T1":{"user_id":"A","seq":1,"amount":700000,"counted":700000,"period_key":"2026-11","posted_at":"2026-11-10T10:00:00+07:00","source_time":"0001-01-01T00:00:00Z"}},
	"commands":["c-create","c-c"],"version":3}`
	v, err := Codec{}.Decode([]byte(old))
	if err != nil {
		t.Fatal(err)
	}
	b := v.(Budget)
	if b.Name != "Household Groceries" || b.LimitMinor != 1_600_000 || b.Version != 3 || b.Spend["2026-11"] != 700_000 || b.Contrib["2026-11|A"] != 700_000 {
		t.Fatalf("settings or totals lost: %+v", b)
	}
	if b.RoleOf("A") != Owner || b.RoleOf("C") != "" || !b.Members["C"].Until.Equal(at(3, 8)) {
		t.Fatalf("members %+v %+v", b.Members["A"], b.Members["C"])
	}
	if !b.seen("c-create") || !b.seen("c-c") || b.seen("c-other") {
		t.Fatalf("commands %+v", b.Commands)
	}
	if v := b.View(at(20, 12)); v.SpentMinor != 700_000 || len(v.Participants) != 1 {
		t.Fatalf("view %+v", v)
	}
	if _, err := (Codec{}).Decode([]byte{0x7f}); err == nil {
		t.Fatal("unknown format decoded")
	}
	raw, _ := Codec{}.Encode(b)
	if _, err := (Codec{}).Decode(raw[:len(raw)-1]); err == nil {
		t.Fatal("truncated value decoded")
	}
}
