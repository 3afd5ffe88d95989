package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"finstream/api/browsertest"
)

// The dashboard shows safe-to-spend and pace on each budget and overall,
// lists the alerts, and a click on an alert's "Why?" shows what built the
// spend: ฿600 and ฿350 at Tesco Lotus in a ฿1,000 groceries budget leave
// ฿50 safe to spend (nothing recurring), and the 90% alert explains
// itself with both purchases, their category source (mcc) and its rule.
func TestDashboardExplainsAlerts(t *testing.T) {
	browser := browsertest.New(t)
	n := newNode(t)
	n.start()
	const U = "USR-P"
	if code, body := n.call("PUT", "/v1/me/budgets/groceries", U, `{"limit_minor":100000,"currency":"THB"}`); code != http.StatusAccepted {
		t.Fatalf("budget: %d %v", code, body)
	}
	waitFor(t, 20*time.Second, "budget", func() (bool, string) {
		b := budgetOf(t, n, U, "groceries")
		return b != nil, fmt.Sprint(b)
	})
	now := time.Now()
	alerts := func(threshold string) func() (bool, string) {
		return func() (bool, string) {
			_, body := n.call("GET", "/v1/me/alerts", U, "")
			return strings.Contains(fmt.Sprint(body), "|"+threshold+"|1 "), fmt.Sprint(body) // the first crossing (budget.AlertID)
		}
	}
	// One after the other (they may land on different partitions): ฿600
	// crosses 50%, then ฿350 crosses 80% and 90%.
	n.produce("core.public.transactions", [2]string{`{"id":"P-T1"}`, debezium("c", "P-T1", U, "POSTED", 60_000, 100, now.Add(-time.Minute))})
	waitFor(t, 20*time.Second, "the 50% alert", alerts("5000"))
	n.produce("core.public.transactions", [2]string{`{"id":"P-T2"}`, debezium("c", "P-T2", U, "POSTED", 35_000, 200, now)})
	waitFor(t, 20*time.Second, "the 90% alert", alerts("9000"))

	page, cancel := chromedp.NewContext(browser)
	defer cancel()
	if err := chromedp.Do(page, chromedp.Navigate("http://"+n.listen+"/?user="+U)); err != nil {
		t.Fatal(err)
	}
	waitText(t, page, `document.querySelector("#status")?.textContent || ""`, "live")
	waitText(t, page, `document.querySelector("#safe-total-amount")?.textContent || ""`, "฿50")
	waitText(t, page, `document.querySelector("#budget-USR-P\\:groceries .plan")?.textContent || ""`, "฿50 safe to spend · pace:")
	waitText(t, page, `document.querySelector("#alerts")?.textContent || ""`, "95% of your groceries budget used")
	link := `#alerts a.explain[data-alert-id*='|9000|']`
	waitText(t, page, `document.querySelector("`+link+`") ? "listed" : ""`, "listed")
	click := `(document.querySelector("` + link + `").click(), "clicked")`
	if _, err := chromedp.Run(page, chromedp.Evaluate[string](click)); err != nil {
		t.Fatalf("click Why?: %v", err)
	}
	box := `document.querySelector("#explanation:not([hidden])")?.textContent || ""`
	waitText(t, page, box, "2 transactions · threshold 90.0% · pace")
	for _, want := range []string{"Tesco Lotus", "groceries", "mcc", "฿600", "฿350", "threshold: spend reached 9000 bp of the limit (used 9500 bp ≥ 9000 bp)"} {
		waitText(t, page, box, want)
	}
	browsertest.Screenshot(t, page, "dashboard-explanation")
}
