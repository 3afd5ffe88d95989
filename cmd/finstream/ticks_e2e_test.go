package main

import (
	"strings"
	"testing"
)

// nextUpdate returns the next budget_update of budgetID on the user's
// channel.
func (d *device) nextUpdate(user, budgetID string) map[string]any {
	d.t.Helper()
	for {
		if m := d.next("budget_update", "user:"+user); m["budget_id"] == budgetID {
			return m
		}
	}
}

// With no transaction at all, the start of each period reaches the user's
// device as a budget update of the new period (spent 0, a higher
// version), pushed by the clock ticks; after a restart the ticks go on
// from the saved state and do not push a period twice. The clock is the
// injected simulated one, compressed a million times (a month in about
// 2.6 s, a tick a second).
func TestPeriodStartIsPushedWithoutTraffic(t *testing.T) {
	n := newNode(t)
	clockFlags := []string{"--simulate", "1", "--simulate-users", "1", "--time-scale", "1000000"}
	n.start(clockFlags...)
	const user, id = "USR-TICK", "USR-TICK:groceries"
	dev := n.connect(t, user)
	if code, body := n.call("PUT", "/v1/me/budgets/groceries", user, `{"limit_minor":400000,"currency":"THB","period":"monthly"}`); code != 202 {
		t.Fatalf("PUT budget: %d %v", code, body)
	}
	first := dev.nextUpdate(user, id) // the budget as set
	prevKey, prevVersion := first["period_key"].(string), first["version"].(float64)
	for range 2 {
		u := dev.nextUpdate(user, id)
		key, version := u["period_key"].(string), u["version"].(float64)
		if key <= prevKey || version <= prevVersion || u["spent_minor"] != float64(0) || u["remaining_minor"] != float64(400_000) ||
			!strings.HasSuffix(u["period_start"].(string), "T17:00:00Z") { // midnight in Bangkok
			t.Fatalf("after %s v%v: update %v", prevKey, prevVersion, u)
		}
		prevKey, prevVersion = key, version
	}
	t.Logf("pushed up to period %s at version %v", prevKey, prevVersion)

	n.stop()
	n.start(clockFlags...)
	dev = n.connect(t, user)
	u := dev.nextUpdate(user, id)
	if key := u["period_key"].(string); key <= prevKey || u["version"].(float64) <= prevVersion {
		t.Fatalf("after the restart the first push is %s v%v, after %s v%v: a period pushed twice or lost state", key, u["version"], prevKey, prevVersion)
	}
}
