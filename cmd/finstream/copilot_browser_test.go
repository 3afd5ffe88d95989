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

// The dashboard shows insights and goals as they change, without reload.
func TestDashboardShowsInsightsAndGoalsLive(t *testing.T) {
	browser := browsertest.New(t)
	n := newNode(t)
	n.start()
	const U = "USR-G"
	now := time.Now()
	n.produce("core.public.accounts", [2]string{`{"id":"ACC-GOAL-1"}`,
		`{"before":null,"after":{"id":"ACC-GOAL-1","user_id":"USR-G","type":"GOAL","currency":"THB","status":"ACTIVE","goal_id":"G1"},"source":{"lsn":10,"ts_ms":1},"op":"r","ts_ms":1}`})
	if code, body := n.call("PUT", "/v1/me/budgets/groceries", U, `{"limit_minor":100000,"currency":"THB"}`); code != http.StatusAccepted {
		t.Fatalf("budget: %d %v", code, body)
	}
	waitFor(t, 20*time.Second, "account known", func() (bool, string) {
		code, body := n.call("PUT", "/v1/me/goals/G1", U, `{"name":"Trip to Chiang Mai","target_minor":5000000,"currency":"THB","account_id":"ACC-GOAL-1"}`)
		return code == http.StatusAccepted, fmt.Sprint(code, body)
	})
	waitFor(t, 20*time.Second, "goal and budget", func() (bool, string) {
		_, g := n.call("GET", "/v1/me/goals", U, "")
		b := budgetOf(t, n, U, "groceries")
		goals, _ := g["goals"].([]any)
		return len(goals) == 1 && b != nil, fmt.Sprint(g, b)
	})

	page, cancel := chromedp.NewContext(browser)
	defer cancel()
	if err := chromedp.Do(page, chromedp.Navigate("http://"+n.listen+"/?user="+U)); err != nil {
		t.Fatal(err)
	}
	waitText(t, page, `document.querySelector("#status")?.textContent || ""`, "live")
	waitText(t, page, `document.querySelector("#goal-G1 .pct")?.textContent || ""`, "0.0%")

	n.produce("core.public.transactions", [2]string{`{"id":"G-T1"}`, debezium("c", "G-T1", U, "POSTED", 95_000, 100, now)})
	waitText(t, page, `document.querySelector("#insights")?.textContent || ""`, "95% of your")

	deposit := strings.NewReplacer(`"direction":"DEBIT"`, `"direction":"CREDIT"`, `"type":"PURCHASE"`, `"type":"DEPOSIT"`,
		`"account_id":"ACC-USR-G"`, `"account_id":"ACC-GOAL-1"`, `"mcc":5411`, `"mcc":null`).Replace(
		debezium("c", "G-D1", U, "POSTED", 1_500_000, 200, now))
	n.produce("core.public.transactions", [2]string{`{"id":"G-D1"}`, deposit})
	waitText(t, page, `document.querySelector("#goal-G1 .pct")?.textContent || ""`, "30.0%")
	browsertest.Screenshot(t, page, "dashboard-insights-goals")
}

// The dashboard's Ask box answers from the user's own budget, in English
// and in Thai, and shows an escalation.
func TestDashboardAskBox(t *testing.T) {
	browser := browsertest.New(t)
	crm := &recorder{}
	n := newNode(t)
	n.start("--crm-url", crm.start(t))
	const U = "USR-ASKUI"
	seedGroceries(t, n, U, "ASKUI-T1")

	page, cancel := chromedp.NewContext(browser)
	defer cancel()
	if err := chromedp.Do(page, chromedp.Navigate("http://"+n.listen+"/?user="+U)); err != nil {
		t.Fatal(err)
	}
	waitText(t, page, `document.querySelector("#status")?.textContent || ""`, "live")
	askIn := func(q string) {
		t.Helper()
		js := fmt.Sprintf(`(document.querySelector("#ask-input").value = %q, document.querySelector("#ask button").click(), "asked")`, q)
		if _, err := chromedp.Run(page, chromedp.Evaluate[string](js)); err != nil {
			t.Fatalf("ask %q: %v", q, err)
		}
	}
	latest := `document.querySelector("#answers li:first-child")?.textContent || ""`
	askIn("How much is left for groceries?")
	waitText(t, page, latest, "You have ฿1,000 left in your groceries budget")
	askIn("งบของชำเหลือเท่าไหร่")
	waitText(t, page, latest, "เหลือ ฿1,000")
	askIn("I want to file a complaint")
	waitText(t, page, `document.querySelector("#answers li:first-child")?.className || ""`, "escalated")
	waitText(t, page, latest, "sent to support")
	waitFor(t, 20*time.Second, "the ticket at the CRM", func() (bool, string) { return len(crm.all()) == 1, fmt.Sprint(crm.all()) })
	browsertest.Screenshot(t, page, "dashboard-ask")
}
