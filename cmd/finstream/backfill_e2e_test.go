package main

import (
	"fmt"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
)

// villaPurchase is a Debezium create of a POSTED purchase at Villa Market
// (MCC 5411: groceries).
func villaPurchase(id, user string, amount, lsn int64, posted time.Time) string {
	return strings.Replace(debezium("c", id, user, "POSTED", amount, lsn, posted),
		`"merchant_name":"Tesco Lotus","merchant_id":"M-TESCO-0042"`, `"merchant_name":"Villa Market","merchant_id":"M-VILLA-01"`, 1)
}

// "All from this merchant" through the binary: recategorizing one Villa
// Market purchase with scope merchant moves both (฿1,000 + ฿500) from
// groceries to dining, Tesco's ฿800 stays. Then an operator's re-run of the
// rules (finstream recategorize against --ops-listen) visits every
// retained transaction and moves none (the rules did not change, the
// user's choice stays).
func TestRecategorizeAllFromAMerchant(t *testing.T) {
	n := newNode(t)
	n.start()
	const user = "USR-BF"
	for cat, limit := range map[string]string{"groceries": "400000", "dining": "300000"} {
		if code, body := n.call("PUT", "/v1/me/budgets/"+cat, user, `{"limit_minor":`+limit+`,"currency":"THB"}`); code != 202 {
			t.Fatalf("PUT %s: %d %v", cat, code, body)
		}
	}
	now := time.Now()
	n.produce("core.public.transactions",
		[2]string{`{"id":"BF-V1"}`, villaPurchase("BF-V1", user, 100_000, 10, now)},
		[2]string{`{"id":"BF-V2"}`, villaPurchase("BF-V2", user, 50_000, 20, now)},
		[2]string{`{"id":"BF-T1"}`, debezium("c", "BF-T1", user, "POSTED", 80_000, 30, now)})
	waitBudget(t, n, user, "groceries", func(b map[string]any) bool { return b["spent_minor"] == float64(230_000) })
	// The transaction view must know BF-V1 before the API accepts the command.
	waitFor(t, 20*time.Second, "BF-V1 known to the API", func() (bool, string) {
		code, body := n.call("POST", "/v1/me/transactions/BF-V1/category", user, `{"category":"dining","scope":"merchant"}`)
		return code == 202 && body["scope"] == "merchant", fmt.Sprint(code, body)
	})
	d := waitBudget(t, n, user, "dining", func(b map[string]any) bool { return b["spent_minor"] == float64(150_000) })
	if d["used_bp"] != float64(5000) {
		t.Fatalf("dining %v", d)
	}
	g := waitBudget(t, n, user, "groceries", func(b map[string]any) bool { return b["spent_minor"] == float64(80_000) })
	if g["used_bp"] != float64(2000) {
		t.Fatalf("groceries %v", g)
	}

	out, err := exec.Command(binary, "recategorize", "--ops", "http://"+n.ops).CombinedOutput()
	if err != nil {
		t.Fatalf("finstream recategorize: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`total: visited (\d+), moved (\d+)`).FindStringSubmatch(string(out))
	if m == nil || m[1] == "0" || m[2] != "0" {
		t.Fatalf("finstream recategorize printed:\n%s", out)
	}
	if !strings.Contains(n.log.String(), "backfill done") {
		t.Errorf("no progress line in the log")
	}
	if b := budgetOf(t, n, user, "dining"); b["spent_minor"] != float64(150_000) {
		t.Fatalf("the re-run moved the user's choice back: %v", b)
	}
}
