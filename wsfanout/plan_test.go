package wsfanout

import (
	"encoding/json"
	"strings"
	"testing"

	"finstream/processors/event"
)

// budget_update carries the planning fields of event.BudgetUpdate.
func TestBudgetUpdateCarriesSafeToSpendAndPace(t *testing.T) {
	b, err := json.Marshal(budgetUpdateMsg{Type: TypeBudgetUpdate, Channel: "user:U", BudgetUpdate: event.BudgetUpdate{
		SafeToSpendMinor: 145_000, CommitmentsMinor: 102_000, Pace: event.PaceTooFast, RolloverMinor: 30_000}})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"safe_to_spend_minor":145000`, `"commitments_minor":102000`, `"pace":"too_fast"`, `"rollover_minor":30000`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("%s lacks %s", b, want)
		}
	}
}
