package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"finstream/api/browsertest"
	"finstream/sinks/pgtest"
)

// The dashboard of `run --simulate` shows the compressed time, sets and
// edits a budget through its form, lists the user's transactions (from the
// Postgres sink) and a budget's history, all without a reload.
func TestDashboardEditsBudgetsAndShowsTransactions(t *testing.T) {
	browser := browsertest.New(t)
	db := pgtest.NewDatabase(t)
	n := newNode(t)
	n.start("--database-url", db, "--simulate", "5") // ×86.4: 1,000 users at 5 transactions a simulated day
	var clock struct {
		Now       time.Time `json:"now"`
		TimeScale float64   `json:"time_scale"`
	}
	resp, err := http.Get("http://" + n.listen + "/v1/clock")
	if err != nil {
		t.Fatal(err)
	}
	err = json.NewDecoder(resp.Body).Decode(&clock)
	resp.Body.Close()
	if err != nil || clock.TimeScale != 86.4 {
		t.Fatalf("GET /v1/clock: %+v %v", clock, err)
	}
	if !strings.Contains(n.log.String(), "simulated time ×86") {
		t.Errorf("the log does not say the time scale")
	}
	const user = "USR-WEB"
	n.produce("core.public.transactions", [2]string{`{"id":"WEB-1"}`, debezium("c", "WEB-1", user, "POSTED", 150_000, 100, clock.Now)})

	page, cancel := chromedp.NewContext(browser)
	defer cancel()
	if err := chromedp.Do(page, chromedp.Navigate("http://"+n.listen+"/?user="+user)); err != nil {
		t.Fatal(err)
	}
	waitText(t, page, `document.querySelector("#clock")?.textContent || ""`, "simulated time ×86")
	waitText(t, page, `document.querySelector("#transactions")?.textContent || ""`, "Tesco Lotus")
	waitText(t, page, `document.querySelector("#transactions")?.textContent || ""`, "groceriesmcc")

	card := `document.getElementById("budget-USR-WEB:groceries")?.textContent || ""`
	submit := func(limit string) {
		t.Helper()
		js := fmt.Sprintf(`($("bf-category").value = "groceries", $("bf-limit").value = %q, $("bf-currency").value = "THB",
			$("budget-form").querySelector("button").click(), "sent")`, limit)
		if _, err := chromedp.Run(page, chromedp.Evaluate[string](js)); err != nil {
			t.Fatalf("submit the budget form: %v", err)
		}
	}
	submit("5000")
	waitText(t, page, card, "฿1,500 of ฿5,000") // the spend before the budget counts
	waitText(t, page, card, "30.0%")

	// Edit fills the form from the card; a new limit moves the bar.
	if _, err := chromedp.Run(page, chromedp.Evaluate[string](`(document.getElementById("budget-USR-WEB:groceries").querySelector("button.edit").click(), $("bf-limit").value)`)); err != nil {
		t.Fatal(err)
	}
	waitText(t, page, `$("bf-limit").value`, "5000.00")
	submit("4000.00")
	waitText(t, page, card, "฿1,500 of ฿4,000")
	waitText(t, page, card, "37.5%")

	// History lists the budget's versions from the sink.
	n.produce("core.public.transactions", [2]string{`{"id":"WEB-2"}`, debezium("c", "WEB-2", user, "POSTED", 250_000, 200, clock.Now.Add(time.Minute))})
	waitText(t, page, card, "100.0%")
	waitText(t, page, `document.querySelector("#transactions")?.textContent || ""`, "฿2,500")
	waitFor(t, 20*time.Second, "the sink to hold the last version", func() (bool, string) {
		code, body := n.call("GET", "/v1/me/budgets/groceries/history?limit=1", user, "")
		return code == 200 && fmt.Sprint(body["history"]) != "[]" && fmt.Sprint(body["history"].([]any)[0].(map[string]any)["spent_minor"]) == "400000", fmt.Sprint(code, body)
	})
	if _, err := chromedp.Run(page, chromedp.Evaluate[string](`(document.getElementById("budget-USR-WEB:groceries").querySelector("button.history").click(), "ok")`)); err != nil {
		t.Fatal(err)
	}
	hist := `document.querySelector("#history-groceries")?.textContent || ""`
	waitText(t, page, hist, "Tesco Lotus ฿2,500")
	waitText(t, page, hist, "฿4,000 of ฿4,000")
	browsertest.Screenshot(t, page, "dashboard-manage")

	// "All from Tesco Lotus" → dining moves both purchases out of groceries.
	move := `(document.querySelector("#txn-WEB-1 select.to").value = "dining", document.querySelector("#txn-WEB-1 button.merchant").click(), "sent")`
	if _, err := chromedp.Run(page, chromedp.Evaluate[string](move)); err != nil {
		t.Fatalf("move all from the merchant: %v", err)
	}
	waitText(t, page, card, "฿0 of ฿4,000")
	waitText(t, page, `document.querySelector("#txn-WEB-2 td.cat")?.textContent || ""`, "dininguser_rule")
	waitText(t, page, `document.querySelector("#txn-WEB-1 td.cat")?.textContent || ""`, "dininguser_rule")

	// The daily digest is opt-in: the checkbox turns it on.
	waitText(t, page, `String(document.querySelector("#digest").disabled)`, "false")
	if _, err := chromedp.Run(page, chromedp.Evaluate[string](`(document.querySelector("#digest").click(), "ok")`)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 20*time.Second, "daily_digest on", func() (bool, string) {
		_, body := n.call("GET", "/v1/me/notification-settings", user, "")
		kinds, _ := body["kinds"].(map[string]any)
		return kinds["daily_digest"] == true, fmt.Sprint(body)
	})
	browsertest.Screenshot(t, page, "dashboard-recategorized")
}
