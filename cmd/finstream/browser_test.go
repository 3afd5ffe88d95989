package main

import (
	"context"
	"fmt"
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
	seedHousehold(t, n, "W")

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

	n.produce("core.public.transactions", [2]string{`{"id":"WB2"}`, householdPurchase("WB2", B, 180_000, 300, "Tesco Lotus", time.Now())})
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
