package insight

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Languages of texts.
const (
	LangEN = "en"
	LangTH = "th"
)

var thaiCategories = map[string]string{
	"groceries": "ของใช้ประจำวัน", "dining": "อาหารนอกบ้าน", "transport": "การเดินทาง",
	"shopping": "ช้อปปิ้ง", "bills": "ค่าบิล", "entertainment": "ความบันเทิง",
	"health": "สุขภาพ", "travel": "ท่องเที่ยว", "education": "การศึกษา",
	"subscriptions": "ค่าสมาชิก", "transfers": "การโอนเงิน", "cash": "เงินสด",
	"fees": "ค่าธรรมเนียม", "income": "รายได้", "other": "อื่นๆ",
}

var thaiMonths = [...]string{"ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."}

// CategoryName is a category slug as people read it: "Groceries" in
// English, "ของใช้ประจำวัน" in Thai. An unknown slug is shown as is.
func CategoryName(slug, lang string) string {
	if lang == LangTH {
		if n, ok := thaiCategories[slug]; ok {
			return n
		}
		return slug
	}
	if slug == "" {
		return slug
	}
	return strings.ToUpper(slug[:1]) + slug[1:]
}

// FormatDate renders a date as people read it: "21 Nov 2026" in English,
// "21 พ.ย. 2569" (Buddhist era) in Thai. t is rendered in its own location.
func FormatDate(t time.Time, lang string) string {
	if lang == LangTH {
		return fmt.Sprintf("%d %s %d", t.Day(), thaiMonths[t.Month()-1], t.Year()+543)
	}
	return t.Format("2 Jan 2006")
}

// Days renders a number of days: "1 day", "12 days" (en) or "12 วัน" (th).
func Days(n int64, lang string) string {
	if lang == LangTH {
		return fmt.Sprintf("%d วัน", n)
	}
	if n == 1 {
		return "1 day"
	}
	return fmt.Sprintf("%d days", n)
}

// Times renders a ratio in basis points as a multiple with up to two
// decimals: 15000 → "1.5×", 40000 → "4×", 21111 → "2.11×".
func Times(bp int64) string {
	s := strconv.FormatInt(bp/10000, 10)
	if f := bp % 10000 / 100; f != 0 {
		fs := strconv.FormatInt(f, 10)
		if len(fs) == 1 {
			fs = "0" + fs
		}
		s += "." + strings.TrimRight(fs, "0")
	}
	return s + "×"
}

// dateKey is the date of t in loc as "2006-01-02".
func dateKey(t time.Time, loc *time.Location) string {
	return t.In(loc).Format(time.DateOnly)
}
