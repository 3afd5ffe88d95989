package cdc

import (
	"context"
	"strings"
	"testing"
)

// Every limit of limits.go rejects with its reason and field, at the limit
// a value is accepted, and no message repeats the offending value.
func TestDecodeTxnLimits(t *testing.T) {
	long := func(n int) string { return strings.Repeat("x", n) }
	tests := []struct {
		name   string
		value  []byte
		reason string
		field  string
	}{
		{"merchant_name of a million characters", mutate(t, samplePayload, setAfter(map[string]any{"merchant_name": long(1_000_000)})), ReasonTooLarge, ""},
		{"merchant_name over the limit", mutate(t, samplePayload, setAfter(map[string]any{"merchant_name": long(MaxNameBytes + 1)})), ReasonTooLong, "merchant_name"},
		{"id over the limit", mutate(t, samplePayload, setAfter(map[string]any{"id": long(MaxIDBytes + 1)})), ReasonTooLong, "id"},
		{"account_id over the limit", mutate(t, samplePayload, setAfter(map[string]any{"account_id": long(MaxIDBytes + 1)})), ReasonTooLong, "account_id"},
		{"user_id over the limit", mutate(t, samplePayload, setAfter(map[string]any{"user_id": long(MaxIDBytes + 1)})), ReasonTooLong, "user_id"},
		{"merchant_id over the limit", mutate(t, samplePayload, setAfter(map[string]any{"merchant_id": long(MaxIDBytes + 1)})), ReasonTooLong, "merchant_id"},
		{"budget_id over the limit", mutate(t, samplePayload, setAfter(map[string]any{"budget_id": long(MaxIDBytes + 1)})), ReasonTooLong, "budget_id"},
		{"channel over the limit", mutate(t, samplePayload, setAfter(map[string]any{"channel": long(MaxCodeBytes + 1)})), ReasonTooLong, "channel"},
		{"direction of a kilobyte", mutate(t, samplePayload, setAfter(map[string]any{"direction": long(1024)})), ReasonTooLong, "direction"},
		{"NUL in merchant_name", mutate(t, samplePayload, setAfter(map[string]any{"merchant_name": "Tops\x00"})), ReasonBadText, "merchant_name"},
		{"amount over the limit", mutate(t, samplePayload, setAfter(map[string]any{"amount_minor": MaxAmountMinor + 1})), ReasonBadAmount, "amount_minor"},
		{"posted_at before 1970", mutate(t, samplePayload, setAfter(map[string]any{"posted_at": "1969-12-31T23:59:59Z"})), ReasonBadTime, "posted_at"},
		{"posted_at in 2100", mutate(t, samplePayload, setAfter(map[string]any{"posted_at": "2100-01-01T00:00:00Z"})), ReasonBadTime, "posted_at"},
		{"posted_at epoch ms in year 292278994", mutate(t, samplePayload, setAfter(map[string]any{"posted_at": int64(1) << 62})), ReasonBadTime, "posted_at"},
		{"updated_at negative epoch", mutate(t, samplePayload, setAfter(map[string]any{"updated_at": -1})), ReasonBadTime, "updated_at"},
	}
	d := NewDecoder(nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := d.DecodeTxn(context.Background(), tt.value)
			assertReason(t, err, tt.reason, tt.field)
			if err != nil && len(err.Error()) > 300 {
				t.Errorf("message of %d bytes repeats the value: %.80s...", len(err.Error()), err)
			}
		})
	}
	atLimit := mutate(t, samplePayload, setAfter(map[string]any{"merchant_name": long(MaxNameBytes), "id": long(MaxIDBytes),
		"amount_minor": MaxAmountMinor, "posted_at": "2099-12-31T23:59:59Z", "channel": long(MaxCodeBytes)}))
	if _, err := d.DecodeTxn(context.Background(), atLimit); err != nil {
		t.Errorf("values at their limits rejected: %v", err)
	}
}

func TestDecodeAccountLimits(t *testing.T) {
	const base = `{"before":null,"after":{"id":"acc-1","user_id":"usr-1","type":"SAVINGS","currency":"THB","status":"ACTIVE","goal_id":null},` +
		`"source":{"ts_ms":1795342500000,"lsn":100},"op":"c","ts_ms":1795342500100}`
	d := NewDecoder(nil)
	for field, n := range map[string]int{"id": MaxIDBytes + 1, "user_id": MaxIDBytes + 1, "goal_id": MaxIDBytes + 1, "status": MaxCodeBytes + 1} {
		_, err := d.DecodeAccount(context.Background(), mutate(t, base, setAfter(map[string]any{field: strings.Repeat("a", n)})))
		assertReason(t, err, ReasonTooLong, field)
	}
}
