package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"finstream/api/browsertest"
)

// Two browser sessions, A and B, on BDG-456: a CDC purchase by B moves A's
// progress bar from 84.4% to 95.6% and adds a feed line naming B and the
// merchant, without a reload.
func TestDashboardUpdatesLiveInTheBrowser(t *testing.T) {
	browser := browsertest.New(t)
	n := newNode(t)
	n.start()
	const A, B = "USR-A", "USR-B"
	if code, body := n.call("POST", "/v1/shared-budgets", A, `{"budget_id":"BDG-456","name":"Household Groceries","limit_minor":1600000,"currency":"THB","period":"monthly"}`); code != http.StatusAccepted {
		t.Fatalf("create: %d %v", code, body)
	}
	waitFor(t, 20*time.Second, "BDG-456", func() (bool, string) {
		c, b := n.call("GET", "/v1/shared-budgets/BDG-456", A, "")
		return c == 200, fmt.Sprint(b)
	})
	n.call("POST", "/v1/shared-budgets/BDG-456/members", A, `{"user_id":"USR-B","role":"contributor"}`)
	now := time.Now()
	tagged := func(id, user string, amount, lsn int64, merchant string) string {
		return strings.Replace(strings.Replace(debezium("c", id, user, "POSTED", amount, lsn, now), `"budget_id":null`, `"budget_id":"BDG-456"`, 1),
			`"merchant_name":"Tesco Lotus"`, fmt.Sprintf(`"merchant_name":%q`, merchant), 1)
	}
	waitFor(t, 20*time.Second, "B a participant", func() (bool, string) {
		c, b := n.call("GET", "/v1/shared-budgets/BDG-456", B, "")
		return c == 200, fmt.Sprint(b)
	})
	n.produce("core.public.transactions",
		[2]string{`{"id":"WA1"}`, tagged("WA1", A, 700_000, 100, "Makro")},
		[2]string{`{"id":"WB1"}`, tagged("WB1", B, 650_000, 200, "Big C")})
	waitFor(t, 20*time.Second, "฿13,500 spent", func() (bool, string) {
		_, b := n.call("GET", "/v1/shared-budgets/BDG-456", A, "")
		return b["spent_minor"] == 1_350_000.0, fmt.Sprint(b)
	})

	pageA, cancelA := chromedp.NewContext(browser)
	defer cancelA()
	pageB, cancelB := chromedp.NewContext(browser)
	defer cancelB()
	pct := `document.querySelector("#shared-BDG-456 .pct")?.textContent || ""`
	live := `document.querySelector("#status")?.textContent || ""`
	for user, page := range map[string]context.Context{A: pageA, B: pageB} {
		if err := chromedp.Do(page, chromedp.Navigate("http://"+n.listen+"/?user="+user)); err != nil {
			t.Fatalf("open dashboard as %s: %v", user, err)
		}
		waitText(t, page, pct, "84.4%")
		waitText(t, page, live, "live")
	}

	n.produce("core.public.transactions", [2]string{`{"id":"WB2"}`, tagged("WB2", B, 180_000, 300, "Tesco Lotus")})
	waitText(t, pageA, pct, "95.6%")
	waitText(t, pageA, `document.querySelector("#feed")?.textContent || ""`, "USR-B spent ฿1,800 at Tesco Lotus — 95.6% used")
	waitText(t, pageB, pct, "95.6%")
	browsertest.Screenshot(t, pageA, "dashboard-A")
	browsertest.Screenshot(t, pageB, "dashboard-B")
}

// waitText polls a JavaScript expression in the page until its text
// contains want.
func waitText(t *testing.T, page context.Context, expr, want string) {
	t.Helper()
	waitFor(t, 20*time.Second, fmt.Sprintf("page to show %q", want), func() (bool, string) {
		got, err := chromedp.Run(page, chromedp.Evaluate[string](expr))
		if err != nil {
			return false, err.Error()
		}
		return strings.Contains(got, want), got
	})
}
