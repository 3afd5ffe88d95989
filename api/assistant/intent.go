package assistant

import (
	"regexp"
	"strings"
	"unicode"
)

// Intent is what a message asks for.
type Intent string

// Intents of the router. Support intents always escalate.
const (
	IntentBudgetStatus Intent = "budget_status"       // how much is left, safe to spend
	IntentSpend        Intent = "spend"               // spend by category and period
	IntentGoalProgress Intent = "goal_progress"       // savings goals
	IntentAfford       Intent = "afford"              // can I afford ฿X (at merchant M)
	IntentRecent       Intent = "recent_transactions" // the last transactions
	IntentAlert        Intent = "alert_explanation"   // why an alert fired
	IntentShared       Intent = "shared_budgets"      // shared budgets the user takes part in
	IntentFraud        Intent = "support_fraud"
	IntentHacked       Intent = "support_hacked"
	IntentComplaint    Intent = "support_complaint"
	IntentGreeting     Intent = "greeting"
	IntentUnknown      Intent = "unknown"
	IntentRefused      Intent = "refused" // the jailbreak/abuse filter refused it
)

// Support reports whether i is a support intent (always escalated).
func (i Intent) Support() bool {
	return i == IntentFraud || i == IntentHacked || i == IntentComplaint
}

// cue is a phrase that points to an intent with a weight in 0..1. English
// cues match whole words of the lower-cased message; Thai ones (no spaces
// between words) match anywhere.
type cue struct {
	intent Intent
	weight float64
	words  []string
}

// cues in order of precedence: on equal weight the earlier intent wins.
var cues = []cue{
	{IntentFraud, 0.95, []string{"fraud", "scam", "scammed", "scammer", "unauthorized", "unauthorised", "didn't make this", "did not make this", "i didn't make", "stolen card", "card was stolen", "card stolen",
		"โกง", "มิจฉาชีพ", "ไม่ได้ทำรายการ", "บัตรหาย", "ถูกขโมย"}},
	{IntentHacked, 0.95, []string{"hacked", "hack", "compromised", "someone logged in", "someone else logged", "account takeover", "changed my password",
		"ถูกแฮก", "แฮก", "โดนแฮก"}},
	{IntentComplaint, 0.95, []string{"complaint", "complain", "complaining", "file a complaint", "speak to a human", "talk to a human", "human agent", "real person", "speak to an agent", "talk to an agent", "terrible service", "unacceptable",
		"ร้องเรียน", "ไม่พอใจ", "ติดต่อเจ้าหน้าที่", "คุยกับเจ้าหน้าที่", "บริการแย่"}},
	{IntentAfford, 0.9, []string{"can i afford", "afford", "can i buy", "can i spend", "enough for", "enough to buy", "should i buy",
		"ซื้อได้ไหม", "ซื้อได้มั้ย", "ซื้อไหวไหม", "จ่ายไหวไหม", "ไหวไหม", "ไหวมั้ย", "พอไหม", "พอมั้ย", "ใช้ได้ไหม"}},
	{IntentAlert, 0.9, []string{"why did i get", "why did the alert", "why the alert", "why was i alerted", "why am i getting", "alert", "alerted", "warning", "warned",
		"ทำไมถึงแจ้งเตือน", "แจ้งเตือน", "เตือน"}},
	{IntentShared, 0.85, []string{"shared budget", "shared budgets", "shared", "household", "family budget", "joint budget",
		"งบร่วม", "งบครอบครัว", "แชร์"}},
	{IntentBudgetStatus, 0.9, []string{"left", "remaining", "remain", "safe to spend", "how much can i spend", "still have", "budget status",
		"เหลือ", "ใช้ได้อีก", "คงเหลือ"}},
	{IntentSpend, 0.9, []string{"did i spend", "have i spent", "i spent", "spent", "spend on", "spending on", "my spending", "how much did i pay",
		"ใช้ไป", "จ่ายไป", "ใช้จ่าย", "ใช้เงินไป", "หมดไป"}},
	{IntentGoalProgress, 0.9, []string{"goal", "goals", "saving", "savings", "saved", "save for",
		"เป้าหมาย", "เป้าออม", "ออมเงิน", "เก็บเงิน", "เงินออม"}},
	{IntentRecent, 0.9, []string{"recent transactions", "last transactions", "latest transactions", "recent purchases", "last purchases", "transactions", "transaction", "purchases",
		"รายการล่าสุด", "ธุรกรรม", "รายการใช้จ่าย", "รายการ"}},
	{IntentBudgetStatus, 0.75, []string{"budget", "budgets", "งบ"}},
	{IntentGreeting, 0.7, []string{"hi", "hello", "hey", "good morning", "good evening", "thanks", "thank you", "สวัสดี", "ขอบคุณ", "หวัดดี"}},
}

// buyWords with an amount make a question about affording it.
var buyWords = []string{"buy", "purchase", "pay for", "ซื้อ", "จ่าย"}

// Parsed is what the router understood of a message.
type Parsed struct {
	Intent     Intent
	Confidence float64
	Thai       bool // answer in Thai
	Entities
}

// Entities are the slots a message fills.
type Entities struct {
	Category string // a category slug, "" when none is named
	Period   Period // ThisMonth unless named
	// PeriodNamed says the message named the period.
	PeriodNamed bool
	// AmountMinor and Currency are the amount named (AmountMinor 0: none).
	AmountMinor int64
	Currency    string
	Merchant    string // as written ("Tesco Lotus"), "" when none
}

// FollowUp reads p as a follow-up of the conversation's last turn: a
// message the router is unsure of that names only a category or a period
// ("and dining?", "last month?") asks what the last turn asked, about
// that. It returns p unchanged otherwise.
func FollowUp(p Parsed, history []Turn) Parsed {
	if len(history) == 0 || p.Confidence >= MinConfidence || p.Intent.Support() || p.AmountMinor > 0 || (p.Category == "" && !p.PeriodNamed) {
		return p
	}
	last := history[len(history)-1]
	if _, ok := ToolFor(last.Intent); !ok {
		return p
	}
	p.Intent, p.Confidence = last.Intent, 0.75
	if p.Category == "" {
		p.Category = last.Category
	}
	return p
}

// Parse classifies a message and extracts its entities. It is
// deterministic and safe for concurrent use.
func Parse(msg string) Parsed {
	low := strings.ToLower(strings.TrimSpace(msg))
	p := Parsed{Thai: hasThai(msg)}
	p.Entities = extract(msg, low)
	p.Intent, p.Confidence = pickIntent(low, "")
	if p.Intent == IntentAfford && p.AmountMinor == 0 {
		// "How much can I spend on dining?" asks for a budget, not about
		// an amount: another cue, when there is one, says what.
		if i, c := pickIntent(low, IntentAfford); c >= 0.75 {
			p.Intent, p.Confidence = i, c
		}
	}
	if p.AmountMinor > 0 && (p.Intent == IntentUnknown || p.Confidence < 0.8) && anyWord(low, buyWords) {
		p.Intent, p.Confidence = IntentAfford, 0.85 // "ซื้อ ฿2,000 ที่ Lotus ได้ไหม"
	}
	switch p.Intent {
	case IntentAfford:
		if p.AmountMinor == 0 { // "can I afford it?" without an amount
			p.Confidence = 0.5
		}
	case IntentUnknown:
		if p.AmountMinor > 0 && p.Merchant != "" {
			p.Intent, p.Confidence = IntentAfford, 0.6
		} else if p.Category != "" {
			p.Intent, p.Confidence = IntentBudgetStatus, 0.6
		}
	case IntentBudgetStatus, IntentSpend:
		if p.Category != "" {
			p.Confidence = min(0.95, p.Confidence+0.05)
		}
	case IntentGreeting:
		// A short greeting is sure; a longer message with only a greeting
		// cue says something the router does not know.
		p.Confidence = 0.9
		if len([]rune(low)) > 40 {
			p.Intent, p.Confidence = IntentUnknown, 0.4
		}
	}
	return p
}

// pickIntent is the intent of the heaviest cue in low (the earliest on
// equal weight), skipping intent skip; IntentUnknown at 0.3 when none.
func pickIntent(low string, skip Intent) (Intent, float64) {
	best, intent := 0.0, IntentUnknown
	for _, c := range cues {
		if c.intent == skip || c.weight <= best {
			continue
		}
		if anyWord(low, c.words) {
			best, intent = c.weight, c.intent
		}
	}
	if best == 0 {
		return IntentUnknown, 0.3
	}
	return intent, best
}

func hasThai(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Thai, r) {
			return true
		}
	}
	return false
}

// contains reports whether low holds w: anywhere for a Thai cue, as whole
// words for an English one.
func contains(low, w string) bool {
	if hasThai(w) {
		return strings.Contains(low, w)
	}
	for i := 0; ; {
		j := strings.Index(low[i:], w)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(w)
		if (start == 0 || !isWordByte(low[start-1])) && (end == len(low) || !isWordByte(low[end])) {
			return true
		}
		i = start + 1
	}
}

func isWordByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '_'
}

// Period is a period a message names, relative to now.
type Period string

// Periods.
const (
	ThisMonth Period = "this_month"
	LastMonth Period = "last_month"
	ThisWeek  Period = "this_week"
	LastWeek  Period = "last_week"
)

// Periods lists every Period (the Facts hold spend for each).
var Periods = []Period{ThisMonth, LastMonth, ThisWeek, LastWeek}

var periodWords = []struct {
	p     Period
	words []string
}{
	{LastMonth, []string{"last month", "previous month", "past month", "เดือนที่แล้ว", "เดือนก่อน", "เดือนที่ผ่านมา"}},
	{LastWeek, []string{"last week", "previous week", "past week", "สัปดาห์ที่แล้ว", "สัปดาห์ก่อน", "อาทิตย์ที่แล้ว", "อาทิตย์ก่อน"}},
	{ThisWeek, []string{"this week", "สัปดาห์นี้", "อาทิตย์นี้"}},
	{ThisMonth, []string{"this month", "เดือนนี้"}},
}

// categoryWords map words to slugs, longest Thai phrases first.
var categoryWords = []struct {
	slug  string
	words []string
}{
	{"groceries", []string{"groceries", "grocery", "supermarket", "ของชำ", "ของใช้ประจำวัน", "ซื้อของเข้าบ้าน", "ซูเปอร์มาร์เก็ต", "ซุปเปอร์"}},
	{"dining", []string{"dining", "restaurants", "restaurant", "eating out", "food", "coffee", "ร้านอาหาร", "กินข้าว", "อาหาร", "กาแฟ"}},
	{"transport", []string{"transport", "transportation", "taxi", "commute", "fuel", "petrol", "การเดินทาง", "เดินทาง", "ค่ารถ", "แท็กซี่", "น้ำมัน"}},
	{"shopping", []string{"shopping", "clothes", "ช้อปปิ้ง", "เสื้อผ้า"}},
	{"bills", []string{"bills", "bill", "utilities", "electricity", "ค่าบิล", "ค่าน้ำ", "ค่าไฟ", "บิล"}},
	{"entertainment", []string{"entertainment", "movies", "movie", "games", "บันเทิง", "หนัง", "เกม"}},
	{"health", []string{"health", "medical", "pharmacy", "doctor", "สุขภาพ", "โรงพยาบาล", "ค่ายา", "หมอ"}},
	{"travel", []string{"travel", "trip", "trips", "flights", "hotel", "hotels", "ท่องเที่ยว", "เที่ยว", "โรงแรม"}},
	{"education", []string{"education", "school", "tuition", "course", "การศึกษา", "ค่าเรียน", "ค่าเทอม"}},
	{"subscriptions", []string{"subscriptions", "subscription", "streaming", "ค่าสมาชิก", "สมาชิก"}},
	{"transfers", []string{"transfers", "transfer", "โอนเงิน", "โอน"}},
	{"cash", []string{"cash", "atm", "เงินสด"}},
	{"fees", []string{"fees", "fee", "charges", "ค่าธรรมเนียม"}},
	{"income", []string{"income", "salary", "รายได้", "เงินเดือน"}},
}

var (
	// amountRE: a symbol or code before, or a unit after, a number with
	// optional thousands separators and decimals.
	amountRE = regexp.MustCompile(`(?i)(฿|thb|\$|usd|€|eur)\s?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?|(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?\s?(฿|thb|baht|บาท|usd|dollars?|eur|euros?)`)
	// merchantRE: "at X" / "from X" / "ที่ร้าน X" / "ที่ X" (X in Latin
	// letters: Thai "ที่" is also "that"), up to punctuation or a following
	// clause.
	merchantRE = regexp.MustCompile(`(?i)(?:\bat\s+|\bfrom\s+|ที่ร้าน\s*|ที่\s*([A-Za-z0-9]))([\p{L}\p{M}0-9&'’\-. ]{1,40}?)\s*(?:[?!,;]|$|\bthis\b|\blast\b|\bnow\b|\btoday\b|\bfor\b|\bwith\b|ได้ไหม|ได้มั้ย|ไหม|มั้ย|ไหว|ได้|เดือน|สัปดาห์|อาทิตย์)`)
)

func extract(msg, low string) Entities {
	e := Entities{Period: ThisMonth}
	for _, pw := range periodWords {
		if anyWord(low, pw.words) {
			e.Period, e.PeriodNamed = pw.p, true
			break
		}
	}
	for _, cw := range categoryWords {
		if anyWord(low, cw.words) {
			e.Category = cw.slug
			break
		}
	}
	if m := amountRE.FindStringSubmatch(msg); m != nil {
		sym, whole, frac := m[1], m[2], m[3]
		if whole == "" {
			sym, whole, frac = m[6], m[4], m[5]
		}
		e.Currency = currencyOf(sym)
		e.AmountMinor = minorOf(whole, frac)
	}
	if m := merchantRE.FindStringSubmatch(msg); m != nil {
		name := strings.TrimSpace(strings.TrimRight(m[1]+m[2], ". "))
		if name != "" && !amountRE.MatchString(name) && !periodLike(strings.ToLower(name)) {
			e.Merchant = name
		}
	}
	return e
}

func anyWord(low string, words []string) bool {
	for _, w := range words {
		if contains(low, w) {
			return true
		}
	}
	return false
}

func periodLike(s string) bool {
	for _, pw := range periodWords {
		if anyWord(s, pw.words) {
			return true
		}
	}
	return false
}

func currencyOf(sym string) string {
	switch strings.ToLower(sym) {
	case "$", "usd", "dollar", "dollars":
		return "USD"
	case "€", "eur", "euro", "euros":
		return "EUR"
	}
	return "THB"
}

// minorOf turns "2,000" and "50" into minor units of a two-decimal
// currency (THB, USD, EUR: the currencies the router names).
func minorOf(whole, frac string) int64 {
	var n int64
	for _, r := range whole {
		if r >= '0' && r <= '9' {
			if n > (1<<62)/10 {
				return 0 // absurd: no amount
			}
			n = n*10 + int64(r-'0')
		}
	}
	n *= 100
	switch len(frac) {
	case 1:
		n += int64(frac[0]-'0') * 10
	case 2:
		n += int64(frac[0]-'0')*10 + int64(frac[1]-'0')
	}
	return n
}
