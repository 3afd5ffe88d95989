package notify

import (
	"fmt"
	"strings"

	"finstream/processors/budget"
	"finstream/processors/event"
	"finstream/processors/insight"
	"finstream/processors/money"
)

// FromDigest turns the facts of a daily digest into the user's
// notification (source "digest|<user>|<day>": one a day, whatever the
// ticks). Opt-in: Admit drops it unless the user turned daily_digest on.
func FromDigest(d budget.Digest) event.Notification {
	var spent []string
	var spentTH []string
	for _, c := range d.MonthToDate {
		if c.Category == "income" || c.Category == "transfers" {
			continue
		}
		spent = append(spent, fmt.Sprintf("%s %s", insight.CategoryName(c.Category, en), money.Format(c.SpentMinor, c.Currency)))
		spentTH = append(spentTH, fmt.Sprintf("%s %s", insight.CategoryName(c.Category, th), money.Format(c.SpentMinor, c.Currency)))
	}
	body, bodyTH := "Nothing spent this month yet.", "เดือนนี้ยังไม่มีรายจ่าย"
	if len(spent) > 0 {
		body, bodyTH = "This month: "+strings.Join(spent, ", ")+".", "เดือนนี้: "+strings.Join(spentTH, ", ")
	}
	data := map[string]string{"day": d.Day}
	for _, b := range d.Budgets {
		left, leftTH := leftText(b.RemainingMinor, b.LimitMinor, b.Currency, int64(b.DaysLeft))
		body += " " + insight.CategoryName(b.Category, en) + ": " + left
		bodyTH += " " + insight.CategoryName(b.Category, th) + ": " + leftTH
		data["left_"+b.Category] = itoa(b.RemainingMinor)
	}
	return candidate(d.UserID, event.NotifyDailyDigest, event.SeverityInfo, "digest|"+d.UserID+"|"+d.Day, d.At, data,
		"Your daily money digest", body, "สรุปการเงินประจำวัน", bodyTH)
}
