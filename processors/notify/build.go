package notify

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"finstream/processors/event"
	"finstream/processors/insight"
	"finstream/processors/money"
	"finstream/processors/period"
)

const en, th = insight.LangEN, insight.LangTH

// Roles of shared budgets' and goals' participants.
const (
	roleOwner  = "owner"
	roleViewer = "viewer"
)

// candidate is a notification to recipient before their settings apply.
func candidate(recipient, kind, severity, sourceID string, at time.Time, data map[string]string, enTitle, enBody, thTitle, thBody string) event.Notification {
	return event.Notification{
		NotificationID: sourceID + "|" + recipient, UserID: recipient, Kind: kind, Severity: severity,
		SourceID: sourceID, Data: data, EventTime: at,
		Texts: []event.NotificationText{{Lang: en, Title: enTitle, Body: enBody}, {Lang: th, Title: thTitle, Body: thBody}},
	}
}

func severityOf(thresholdBP int64) string {
	switch {
	case thresholdBP >= 10000:
		return event.SeverityCritical
	case thresholdBP >= 8000:
		return event.SeverityWarning
	}
	return event.SeverityInfo
}

// leftText is "฿1,000.00 left for 12 days" or "฿500.00 over the ฿16,000.00
// limit with 12 days left", and its Thai.
func leftText(remaining, limit int64, cur string, days int64) (string, string) {
	if remaining >= 0 {
		return fmt.Sprintf("%s left for %s.", money.FormatExact(remaining, cur), insight.Days(days, en)),
			fmt.Sprintf("เหลือ %s สำหรับ %s", money.FormatExact(remaining, cur), insight.Days(days, th))
	}
	return fmt.Sprintf("%s over the %s limit with %s left.", money.FormatExact(-remaining, cur), money.FormatExact(limit, cur), insight.Days(days, en)),
		fmt.Sprintf("เกินงบ %s (วงเงิน %s) เหลืออีก %s", money.FormatExact(-remaining, cur), money.FormatExact(limit, cur), insight.Days(days, th))
}

// FromAlert turns a personal budget alert into a notification to its user
// (source "alert|<budget>|<period>|<txn>": one purchase that crosses several
// thresholds notifies once; the users processor emits a purchase's alerts
// highest threshold first, so that one is kept). Severity by threshold:
// critical from 100%, warning from 80%.
func FromAlert(a event.Alert) []event.Notification {
	cat := insight.CategoryName(a.Category, en)
	pct := money.Percent(a.UsedBP)
	left, leftTH := leftText(a.RemainingMinor, a.LimitMinor, a.Currency, a.DaysLeft)
	body, bodyTH := left, leftTH
	if a.Merchant != "" {
		body = fmt.Sprintf("After your purchase at %s: %s", a.Merchant, left)
		bodyTH = fmt.Sprintf("หลังรายการที่ %s: %s", a.Merchant, leftTH)
	}
	data := map[string]string{
		"budget_id": a.BudgetID, "category": a.Category, "threshold_bp": itoa(a.ThresholdBP), "used_bp": itoa(a.UsedBP),
		"remaining_minor": itoa(a.RemainingMinor), "currency": a.Currency, "txn_id": a.TxnID,
	}
	return []event.Notification{candidate(a.UserID, event.NotifyBudgetAlert, severityOf(a.ThresholdBP), "alert|"+a.BudgetID+"|"+a.PeriodKey+"|"+a.TxnID, a.EventTime, data,
		fmt.Sprintf("%s budget: %s used", cat, pct), body,
		fmt.Sprintf("งบหมวด%s: ใช้ไปแล้ว %s", insight.CategoryName(a.Category, th), pct), bodyTH)}
}

// FromSharedUpdate turns a shared-budget update with Alert set into one
// notification per participant (source
// "shared|<budget>|<period>|<highest threshold crossed>|<txn>"), by role:
// the owner and the other contributors get the full alert (who spent how
// much where, what is left); the contributor who spent gets a confirmation
// that their spend counted, with the budget's state; a viewer gets the
// budget's state without who spent. Days left count in Asia/Bangkok.
func FromSharedUpdate(u event.BudgetUpdate) []event.Notification {
	if u.Kind != event.BudgetShared || !u.Alert || u.Refused || len(u.ThresholdCrossedBP) == 0 {
		return nil
	}
	threshold := slices.Max(u.ThresholdCrossedBP)
	loc, _ := period.Zone("")
	p := period.Period{Start: u.PeriodStart.In(loc), End: u.PeriodEnd.In(loc)}
	days := int64(p.DaysLeft(u.EventTime))
	source := fmt.Sprintf("shared|%s|%s|%d|%s", u.BudgetID, u.PeriodKey, threshold, u.TxnID)
	pct := money.Percent(u.UsedBP)
	left, leftTH := leftText(u.RemainingMinor, u.LimitMinor, u.Currency, days)
	amt := money.FormatExact(u.AmountMinor, u.Currency)
	at, atTH := "", ""
	if u.Merchant != "" {
		at, atTH = " at "+u.Merchant, " ที่ "+u.Merchant
	}
	title := fmt.Sprintf("%s: %s used", u.Name, pct)
	titleTH := fmt.Sprintf("%s: ใช้ไปแล้ว %s", u.Name, pct)
	data := map[string]string{
		"budget_id": u.BudgetID, "threshold_bp": itoa(threshold), "used_bp": itoa(u.UsedBP), "remaining_minor": itoa(u.RemainingMinor),
		"currency": u.Currency, "txn_id": u.TxnID, "spender_id": u.UserID, "amount_minor": itoa(u.AmountMinor),
	}
	sev := severityOf(threshold)
	var out []event.Notification
	for _, pt := range u.Participants {
		var n event.Notification
		switch {
		case pt.UserID == u.UserID && pt.Role != roleOwner:
			n = candidate(pt.UserID, event.NotifySpendConfirmation, sev, source, u.EventTime, data,
				"Counted toward "+u.Name,
				fmt.Sprintf("Your %s%s counted toward %s: %s used, %s", amt, at, u.Name, pct, left),
				"บันทึกใน "+u.Name,
				fmt.Sprintf("รายการ %s%s ของคุณถูกนับใน %s: ใช้ไปแล้ว %s %s", amt, atTH, u.Name, pct, leftTH))
		case pt.Role == roleViewer:
			n = candidate(pt.UserID, event.NotifySharedBudgetAlert, sev, source, u.EventTime, data, title, left, titleTH, leftTH)
		default:
			who, whoTH := u.UserID, u.UserID
			if pt.UserID == u.UserID {
				who, whoTH = "You", "คุณ"
			}
			n = candidate(pt.UserID, event.NotifySharedBudgetAlert, sev, source, u.EventTime, data, title,
				fmt.Sprintf("%s spent %s%s. %s", who, amt, at, left),
				titleTH, fmt.Sprintf("%s ใช้จ่าย %s%s %s", whoTH, amt, atTH, leftTH))
		}
		out = append(out, n)
	}
	return out
}

// FromGoalEvent turns a goal milestone into a notification to the event's
// recipient (source: the event's id, the same for every participant). The
// participant whose contribution reached it, if not the owner, is told so.
func FromGoalEvent(g event.GoalEvent) []event.Notification {
	if g.Kind == event.GoalOffTrack {
		return fromOffTrack(g)
	}
	if g.Kind != event.GoalMilestone {
		return nil
	}
	pct := money.Percent(g.MilestoneBP)
	title, titleTH := fmt.Sprintf("%s: %s reached", g.Name, pct), fmt.Sprintf("%s: ถึง %s แล้ว", g.Name, pct)
	if g.MilestoneBP >= 10000 {
		title, titleTH = g.Name+": goal reached", g.Name+": ออมครบเป้าหมายแล้ว"
	}
	saved, target := money.FormatExact(g.SavedMinor, g.Currency), money.FormatExact(g.TargetMinor, g.Currency)
	body := fmt.Sprintf("%s of %s saved.", saved, target)
	bodyTH := fmt.Sprintf("ออมแล้ว %s จาก %s", saved, target)
	if g.ContributorID == g.UserID && g.Role != roleOwner && g.AmountMinor > 0 {
		body = fmt.Sprintf("Your %s brought it to %s. %s", money.FormatExact(g.AmountMinor, g.Currency), pct, body)
		bodyTH = fmt.Sprintf("รายการ %s ของคุณทำให้ถึง %s %s", money.FormatExact(g.AmountMinor, g.Currency), pct, bodyTH)
	}
	if g.ProjectedDate != "" && g.MilestoneBP < 10000 {
		if d, err := time.Parse(time.DateOnly, g.ProjectedDate); err == nil {
			body += " Projected to complete on " + insight.FormatDate(d, en) + "."
			bodyTH += " คาดว่าจะครบวันที่ " + insight.FormatDate(d, th)
		}
	}
	data := map[string]string{"goal_id": g.GoalID, "owner_id": g.OwnerID, "milestone_bp": itoa(g.MilestoneBP),
		"saved_minor": itoa(g.SavedMinor), "target_minor": itoa(g.TargetMinor), "currency": g.Currency}
	return []event.Notification{candidate(g.UserID, event.NotifyGoalMilestone, event.SeverityInfo, g.EventID, g.EventTime, data, title, body, titleTH, bodyTH)}
}

// fromOffTrack tells the recipient that a goal is off track and what it
// now takes per month.
func fromOffTrack(g event.GoalEvent) []event.Notification {
	need := money.Format(g.MonthlyNeededMinor, g.Currency)
	due, dueTH := g.TargetDate, g.TargetDate
	if d, err := time.Parse(time.DateOnly, g.TargetDate); err == nil {
		due, dueTH = insight.FormatDate(d, en), insight.FormatDate(d, th)
	}
	title, titleTH := g.Name+": off track", g.Name+": ไม่ทันเป้าหมาย"
	body := fmt.Sprintf("At this rate it misses %s: save %s a month to make it.", due, need)
	bodyTH := fmt.Sprintf("ถ้าออมในอัตรานี้จะไม่ทัน %s: ต้องออมเดือนละ %s", dueTH, need)
	data := map[string]string{"goal_id": g.GoalID, "owner_id": g.OwnerID, "monthly_needed_minor": itoa(g.MonthlyNeededMinor),
		"saved_minor": itoa(g.SavedMinor), "target_minor": itoa(g.TargetMinor), "currency": g.Currency, "target_date": g.TargetDate}
	return []event.Notification{candidate(g.UserID, event.NotifyGoalOffTrack, event.SeverityWarning, g.EventID, g.EventTime, data, title, body, titleTH, bodyTH)}
}

var insightTitles = map[string][2]string{
	event.InsightRunway:    {"Budget running out", "งบใกล้หมด"},
	event.InsightSpike:     {"Spending spike", "ใช้จ่ายสูงกว่าปกติ"},
	event.InsightUnusual:   {"Unusual transaction", "รายการผิดปกติ"},
	event.InsightRecurring: {"Recurring payment", "รายการจ่ายประจำ"},
}

// FromInsight turns a high-severity insight (warning or critical, not
// cleared) into a notification to its user. budget_usage and remaining
// are left out: budget alerts already say it. The source is
// "insight|<insight_id>|<severity>": an insight notifies once per
// severity it reaches, not on every change of its numbers.
func FromInsight(in event.Insight) []event.Notification {
	titles, ok := insightTitles[in.Kind]
	if !ok || in.Cleared || (in.Severity != event.SeverityWarning && in.Severity != event.SeverityCritical) {
		return nil
	}
	data := map[string]string{"insight_id": in.InsightID, "kind": in.Kind}
	return []event.Notification{candidate(in.UserID, event.NotifyInsight, in.Severity, "insight|"+in.InsightID+"|"+in.Severity,
		in.EventTime, data, titles[0], in.Text, titles[1], in.TextTH)}
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }
