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

// B sees A's invitation on the dashboard, accepts it with a click, and the
// shared budget appears without a reload.
func TestDashboardShowsAndAcceptsInvitations(t *testing.T) {
	browser := browsertest.New(t)
	n := newNode(t)
	n.start()
	const A, B = "USR-A", "USR-B"
	if code, body := n.call("POST", "/v1/shared-budgets", A, `{"budget_id":"BDG-INV","name":"Trip fund","limit_minor":500000,"currency":"THB"}`); code != 202 {
		t.Fatalf("create: %d %v", code, body)
	}
	waitFor(t, 20*time.Second, "BDG-INV created", func() (bool, string) {
		code, body := n.call("GET", "/v1/shared-budgets/BDG-INV", A, "")
		return code == 200, fmt.Sprint(code, body)
	})
	code, inv := n.call("POST", "/v1/shared-budgets/BDG-INV/members", A, `{"user_id":"USR-B","role":"contributor"}`)
	if code != 202 {
		t.Fatalf("invite: %d %v", code, inv)
	}
	waitFor(t, 20*time.Second, "B's invitation", func() (bool, string) {
		_, body := n.call("GET", "/v1/me/invitations", B, "")
		list, _ := body["invitations"].([]any)
		return len(list) == 1, fmt.Sprint(body)
	})
	page, cancel := chromedp.NewContext(browser)
	defer cancel()
	if err := chromedp.Do(page, chromedp.Navigate("http://"+n.listen+"/?user="+B)); err != nil {
		t.Fatal(err)
	}
	box := `document.querySelector("#invitations")?.textContent || ""`
	waitText(t, page, box, "USR-A invites you to Trip fund as contributor")
	browsertest.Screenshot(t, page, "dashboard-invitation")
	click := fmt.Sprintf(`(document.querySelector("#invitation-%v button.accept").click(), "clicked")`, inv["invitation_id"])
	if _, err := chromedp.Run(page, chromedp.Evaluate[string](click)); err != nil {
		t.Fatalf("click accept: %v", err)
	}
	waitText(t, page, `document.querySelector("#shared-BDG-INV")?.textContent || ""`, "Trip fund")
	waitText(t, page, `String(document.querySelector("#invitations-box")?.hidden)`, "true")
	if code, _ := n.call("GET", "/v1/shared-budgets/BDG-INV", B, ""); code != 200 {
		t.Fatalf("B reads the budget after accepting: %d", code)
	}
}
