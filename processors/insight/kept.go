package insight

import (
	"fmt"
	"maps"
	"strings"
	"time"

	"finstream/processors/event"
	"finstream/processors/money"
)

// Kept is an insight as State keeps it: its facts without its texts, which
// texts renders from Kind, Subject, Data, Currency, Date, Name and Basis
// (texts are most of an insight's bytes, and the table value is rewritten
// on every event). Its id is ID(user, Kind, Subject, PeriodKey).
type Kept struct {
	Kind      string           `json:"kind"`
	Severity  string           `json:"severity"`
	Subject   string           `json:"subject"`
	PeriodKey string           `json:"period_key,omitempty"`
	Currency  string           `json:"currency,omitempty"`
	Date      string           `json:"date,omitempty"`
	Data      map[string]int64 `json:"data,omitempty"`
	Version   int64            `json:"version"`
	ExpiresAt time.Time        `json:"expires_at"`
	EventTime time.Time        `json:"event_time"`
	// Name is the merchant's name as sent (unusual_transaction, recurring).
	Name string `json:"name,omitempty"`
	// Basis is, for unusual_transaction, the category slug when the amount
	// was judged against the category, "" when against the merchant.
	Basis string `json:"basis,omitempty"`
}

// same reports whether k and o say the same (their texts are equal then).
func (k *Kept) same(o Kept) bool {
	return k.Severity == o.Severity && k.Date == o.Date && k.Currency == o.Currency && k.Name == o.Name &&
		k.Basis == o.Basis && k.ExpiresAt.Equal(o.ExpiresAt) && maps.Equal(k.Data, o.Data)
}

// insight is k as the event written to finstream.insights, texts included.
func (k *Kept) insight(user, id string) event.Insight {
	in := event.Insight{
		InsightID: id, UserID: user, Kind: k.Kind, Severity: k.Severity, Subject: k.Subject, PeriodKey: k.PeriodKey,
		Currency: k.Currency, Data: maps.Clone(k.Data), Date: k.Date, Version: k.Version,
		ExpiresAt: k.ExpiresAt, EventTime: k.EventTime,
	}
	in.Text, in.TextTH = k.texts()
	return in
}

// texts renders the English and Thai texts of k.
func (k *Kept) texts() (en, th string) {
	d, cur := k.Data, k.Currency
	switch k.Kind {
	case event.InsightBudgetUsage:
		pct := money.Percent(d["used_bp"])
		return fmt.Sprintf("%s of your %s budget used", pct, CategoryName(k.Subject, LangEN)),
			fmt.Sprintf("ใช้งบหมวด%sไปแล้ว %s", CategoryName(k.Subject, LangTH), pct)
	case event.InsightRemaining:
		rem, days := d["remaining_minor"], d["days_left"]
		if rem >= 0 {
			return fmt.Sprintf("%s left for %s", money.Format(rem, cur), Days(days, LangEN)),
				fmt.Sprintf("เหลือ %s สำหรับ %s", money.Format(rem, cur), Days(days, LangTH))
		}
		return fmt.Sprintf("%s over budget with %s left", money.Format(-rem, cur), Days(days, LangEN)),
			fmt.Sprintf("เกินงบ %s เหลืออีก %s", money.Format(-rem, cur), Days(days, LangTH))
	case event.InsightRunway:
		out, _ := time.Parse(time.DateOnly, k.Date)
		when, whenTH := "today", "วันนี้"
		if n := d["run_out_in_days"]; n > 0 {
			when, whenTH = "in "+Days(n, LangEN), "ใน "+Days(n, LangTH)
		}
		return fmt.Sprintf("At this rate you run out %s (%s)", when, FormatDate(out, LangEN)),
			fmt.Sprintf("ถ้าใช้จ่ายในอัตรานี้ งบจะหมด%s (%s)", whenTH, FormatDate(out, LangTH))
	case event.InsightSpike:
		cat := subjectKey(k.Subject)
		ratio, day := Times(d["ratio_bp"]), d["day"]
		spent, base := money.Format(d["spent_minor"], cur), money.Format(d["baseline_minor"], cur)
		return fmt.Sprintf("%s spending is %s your usual by day %d of the month: %s vs %s", CategoryName(cat, LangEN), ratio, day, spent, base),
			fmt.Sprintf("ค่าใช้จ่ายหมวด%sสูงกว่าปกติ %s ณ วันที่ %d ของเดือน: %s เทียบกับ %s", CategoryName(cat, LangTH), ratio, day, spent, base)
	case event.InsightUnusual:
		basis, basisTH := "there", "ที่ร้านนี้"
		if k.Basis != "" {
			basis, basisTH = "for "+CategoryName(k.Basis, LangEN), "ในหมวด"+CategoryName(k.Basis, LangTH)
		}
		at, atTH := "", ""
		if k.Name != "" {
			at, atTH = " at "+k.Name, " ที่ "+k.Name
		}
		amt, usual, ratio := money.Format(d["amount_minor"], cur), money.Format(d["median_minor"], cur), Times(d["ratio_bp"])
		return fmt.Sprintf("Unusual: %s%s is %s your usual %s %s", amt, at, ratio, usual, basis),
			fmt.Sprintf("รายการผิดปกติ: %s%s สูงกว่าปกติ %s (ปกติ %s %s)", amt, atTH, ratio, usual, basisTH)
	case event.InsightSafeToSpend:
		safe := money.Format(d["safe_to_spend_minor"], cur)
		after, afterTH := "", ""
		if c := d["commitments_minor"]; c > 0 {
			after, afterTH = ", after "+money.Format(c, cur)+" of expected recurring payments", " หลังหักรายการจ่ายประจำที่คาดไว้ "+money.Format(c, cur)
		}
		if strings.HasPrefix(k.Subject, event.SubjectAll+":") {
			return fmt.Sprintf("%s safe to spend across your budgets%s", safe, after),
				fmt.Sprintf("ใช้จ่ายได้อย่างปลอดภัย %s จากทุกงบ%s", safe, afterTH)
		}
		return fmt.Sprintf("%s of your %s budget is safe to spend%s", safe, CategoryName(k.Subject, LangEN), after),
			fmt.Sprintf("งบหมวด%sใช้จ่ายได้อย่างปลอดภัย %s%s", CategoryName(k.Subject, LangTH), safe, afterTH)
	case event.InsightRecurring:
		next, _ := time.Parse(time.DateOnly, k.Date)
		every, everyTH := "weekly", "ทุกสัปดาห์"
		if d["cadence_days"] == 30 {
			every, everyTH = "monthly", "ทุกเดือน"
		}
		name := k.Name
		if name == "" {
			name = subjectKey(k.Subject)
		}
		amt, count := money.Format(d["amount_minor"], cur), d["count"]
		return fmt.Sprintf("Recurring payment: %s %s %s, seen %d times; next expected %s", name, amt, every, count, FormatDate(next, LangEN)),
			fmt.Sprintf("รายการจ่ายประจำ: %s %s %s (%d ครั้ง) ครั้งถัดไป %s", name, amt, everyTH, count, FormatDate(next, LangTH))
	}
	return "", ""
}

// subjectKey is the category or merchant key of a "<key>:<currency>" subject.
func subjectKey(subject string) string {
	if i := strings.LastIndex(subject, ":"); i >= 0 {
		return subject[:i]
	}
	return subject
}
