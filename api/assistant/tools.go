package assistant

import (
	"fmt"
	"sort"
	"strings"

	"finstream/processors/budget"
	"finstream/processors/category"
	"finstream/processors/insight"
	"finstream/processors/money"
)

// Args are a tool's arguments: the router's entities, or what the model
// asked for.
type Args struct {
	Category    string `json:"category,omitempty"`
	Period      Period `json:"period,omitempty"`
	AmountMinor int64  `json:"amount_minor,omitempty"`
	Currency    string `json:"currency,omitempty"`
	Merchant    string `json:"merchant,omitempty"`
}

// Reply is a tool's answer: the text (English or Thai) and every figure it
// used.
type Reply struct {
	Answer string         `json:"answer"`
	Data   map[string]any `json:"data"`
	// Unsure lowers the confidence: the tool could not answer what was
	// asked (no such budget, no amount).
	Unsure bool `json:"-"`
}

// Tool is one function the router or a model can call.
type Tool struct {
	Name        string
	Description string
	Intent      Intent
	run         func(f *Facts, a Args, th bool) Reply
}

// Tools are the assistant's tools. Each reads only the Facts it is given.
var Tools = []Tool{
	{"budget_status", "Budget status of one category or of every budget this period: limit, spent, remaining, safe to spend, days left.", IntentBudgetStatus, budgetStatus},
	{"spend_by_category", "What the user spent on a category (or on every category) in a period: this_month, last_month, this_week, last_week.", IntentSpend, spendBy},
	{"goal_progress", "Progress of the user's savings goals: saved, target, projected date.", IntentGoalProgress, goalProgress},
	{"can_afford", "Whether the user can afford an amount (amount_minor, currency), optionally at a merchant or in a category, against the remaining budget.", IntentAfford, canAfford},
	{"recent_transactions", "The user's latest transactions.", IntentRecent, recent},
	{"explain_alert", "Why a budget alert fired: the threshold crossed, spent and limit.", IntentAlert, explainAlert},
	{"shared_budgets", "The shared budgets the user takes part in: remaining and the user's share.", IntentShared, sharedBudgets},
}

// ToolFor returns the tool answering intent (false for greeting, unknown,
// support and refused).
func ToolFor(i Intent) (Tool, bool) {
	for _, t := range Tools {
		if t.Intent == i {
			return t, true
		}
	}
	return Tool{}, false
}

// ToolNamed returns the tool called name.
func ToolNamed(name string) (Tool, bool) {
	for _, t := range Tools {
		if t.Name == name {
			return t, true
		}
	}
	return Tool{}, false
}

// Run calls the tool on f.
func (t Tool) Run(f *Facts, a Args, thai bool) Reply {
	if a.Period == "" {
		a.Period = ThisMonth
	}
	r := t.run(f, a, thai)
	if r.Data == nil {
		r.Data = map[string]any{}
	}
	r.Data["tool"] = t.Name
	return r
}

func pick(th bool, en, thai string) string {
	if th {
		return thai
	}
	return en
}

func catName(slug string, th bool) string {
	if th {
		return insight.CategoryName(slug, insight.LangTH)
	}
	return strings.ToLower(insight.CategoryName(slug, insight.LangEN))
}

func periodName(p Period, th bool) string {
	switch p {
	case LastMonth:
		return pick(th, "last month", "เดือนที่แล้ว")
	case ThisWeek:
		return pick(th, "this week", "สัปดาห์นี้")
	case LastWeek:
		return pick(th, "last week", "สัปดาห์ที่แล้ว")
	}
	return pick(th, "this month", "เดือนนี้")
}

func budgetData(b budget.View) map[string]any {
	return map[string]any{
		"category": b.Category, "currency": b.Currency, "period": b.Period,
		"limit_minor": b.LimitMinor, "spent_minor": b.SpentMinor, "remaining_minor": b.RemainingMinor,
		"safe_to_spend_minor": b.SafeToSpendMinor, "commitments_minor": b.CommitmentsMinor, "pace": b.Pace, "used_bp": b.UsedBP, "days_left": b.DaysLeft,
	}
}

func budgetStatus(f *Facts, a Args, th bool) Reply {
	if a.Category != "" {
		b, ok := f.budget(a.Category)
		if !ok {
			spent, cur := f.spent(a.Category, ThisMonth)
			if cur == "" {
				cur = "THB"
			}
			return Reply{Unsure: true, Data: map[string]any{"category": a.Category, "spent_minor": spent, "currency": cur},
				Answer: pick(th,
					fmt.Sprintf("You have no %s budget. You spent %s on %s this month.", catName(a.Category, th), money.Format(spent, cur), catName(a.Category, th)),
					fmt.Sprintf("คุณยังไม่มีงบ%s เดือนนี้ใช้ไป %s", catName(a.Category, th), money.Format(spent, cur)))}
		}
		return Reply{Data: budgetData(b), Answer: budgetLine(b, th)}
	}
	if len(f.Budgets) == 0 {
		return Reply{Unsure: true, Data: map[string]any{"budgets": []any{}},
			Answer: pick(th, "You have no budgets yet. Set one on the dashboard.", "คุณยังไม่มีงบประมาณ ตั้งงบได้ที่หน้าแดชบอร์ด")}
	}
	var lines []string
	var list []map[string]any
	for _, b := range f.Budgets {
		lines = append(lines, budgetLine(b, th))
		list = append(list, budgetData(b))
	}
	return Reply{Data: map[string]any{"budgets": list}, Answer: strings.Join(lines, " ")}
}

func budgetLine(b budget.View, th bool) string {
	c := catName(b.Category, th)
	if b.RemainingMinor < 0 {
		over := money.Format(-b.RemainingMinor, b.Currency)
		return pick(th,
			fmt.Sprintf("Your %s budget is %s over: %s spent of %s, %s left in the period.", c, over, money.Format(b.SpentMinor, b.Currency), money.Format(b.LimitMinor, b.Currency), insight.Days(int64(b.DaysLeft), insight.LangEN)),
			fmt.Sprintf("งบ%sเกินไป %s ใช้ไป %s จากงบ %s เหลืออีก %s ในรอบนี้", c, over, money.Format(b.SpentMinor, b.Currency), money.Format(b.LimitMinor, b.Currency), insight.Days(int64(b.DaysLeft), insight.LangTH)))
	}
	return pick(th,
		fmt.Sprintf("You have %s left in your %s budget (%s spent of %s, %s used) for %s.", money.Format(b.RemainingMinor, b.Currency), c, money.Format(b.SpentMinor, b.Currency), money.Format(b.LimitMinor, b.Currency), money.Percent(b.UsedBP), insight.Days(int64(b.DaysLeft), insight.LangEN)),
		fmt.Sprintf("งบ%sของคุณเหลือ %s (ใช้ไป %s จาก %s คิดเป็น %s) อีก %s", c, money.Format(b.RemainingMinor, b.Currency), money.Format(b.SpentMinor, b.Currency), money.Format(b.LimitMinor, b.Currency), money.Percent(b.UsedBP), insight.Days(int64(b.DaysLeft), insight.LangTH)))
}

func spendBy(f *Facts, a Args, th bool) Reply {
	pn := periodName(a.Period, th)
	key := f.PeriodKeys[a.Period]
	if a.Category != "" {
		spent, cur := f.spent(a.Category, a.Period)
		if cur == "" {
			cur = "THB"
		}
		return Reply{Data: map[string]any{"category": a.Category, "period": key, "spent_minor": spent, "currency": cur},
			Answer: pick(th, fmt.Sprintf("You spent %s on %s %s.", money.Format(spent, cur), catName(a.Category, th), pn),
				fmt.Sprintf("%sคุณใช้จ่ายด้าน%sไป %s", pn, catName(a.Category, th), money.Format(spent, cur)))}
	}
	list := append([]budget.CategorySpend(nil), f.Spending[a.Period]...)
	totals := map[string]int64{}
	for _, s := range list {
		if s.Category != category.Income && s.Category != category.Transfers {
			totals[s.Currency] += s.SpentMinor
		}
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].SpentMinor > list[j].SpentMinor })
	var parts []string
	for i, s := range list {
		if i == 3 {
			break
		}
		parts = append(parts, fmt.Sprintf("%s %s", catName(s.Category, th), money.Format(s.SpentMinor, s.Currency)))
	}
	total, cur := totals["THB"], "THB"
	for c, v := range totals {
		if c != "THB" && total == 0 {
			total, cur = v, c
		}
	}
	data := map[string]any{"period": key, "total_minor": total, "currency": cur, "categories": list}
	if len(parts) == 0 {
		return Reply{Data: data, Answer: pick(th, fmt.Sprintf("You have no spending %s.", pn), fmt.Sprintf("%sคุณยังไม่มีรายการใช้จ่าย", pn))}
	}
	return Reply{Data: data, Answer: pick(th,
		fmt.Sprintf("You spent %s %s. Top: %s.", money.Format(total, cur), pn, strings.Join(parts, ", ")),
		fmt.Sprintf("%sคุณใช้จ่ายไป %s มากที่สุด: %s", pn, money.Format(total, cur), strings.Join(parts, ", ")))}
}

func goalProgress(f *Facts, a Args, th bool) Reply {
	if len(f.Goals) == 0 {
		return Reply{Data: map[string]any{"goals": []any{}}, Answer: pick(th, "You have no savings goals yet.", "คุณยังไม่มีเป้าหมายการออม")}
	}
	var lines []string
	var list []map[string]any
	for _, g := range f.Goals {
		d := map[string]any{"goal_id": g.GoalID, "name": g.Name, "currency": g.Currency, "target_minor": g.TargetMinor,
			"saved_minor": g.SavedMinor, "progress_bp": g.ProgressBP, "on_track": g.OnTrack}
		line := pick(th,
			fmt.Sprintf("%s: %s saved of %s (%s).", g.Name, money.Format(g.SavedMinor, g.Currency), money.Format(g.TargetMinor, g.Currency), money.Percent(g.ProgressBP)),
			fmt.Sprintf("%s: ออมแล้ว %s จาก %s (%s)", g.Name, money.Format(g.SavedMinor, g.Currency), money.Format(g.TargetMinor, g.Currency), money.Percent(g.ProgressBP)))
		if g.ProjectedDate != nil {
			d["projected_date"] = *g.ProjectedDate
			line += pick(th, " Projected: "+*g.ProjectedDate+".", " คาดว่าจะถึงเป้า "+*g.ProjectedDate)
		}
		lines, list = append(lines, line), append(list, d)
	}
	return Reply{Data: map[string]any{"goals": list}, Answer: strings.Join(lines, " ")}
}

func canAfford(f *Facts, a Args, th bool) Reply {
	cur := a.Currency
	if cur == "" {
		cur = "THB"
	}
	if a.AmountMinor <= 0 {
		return Reply{Unsure: true, Data: map[string]any{}, Answer: pick(th, "How much would it cost? Ask me e.g. \"Can I afford ฿2,000 at Tesco Lotus?\"", "ราคาเท่าไหร่คะ ลองถามว่า \"ซื้อ 2,000 บาทที่ Tesco Lotus ได้ไหม\"")}
	}
	cat := a.Category
	if a.Merchant != "" { // the merchant says more than a word of the message
		if r := category.Categorize(category.Input{MerchantName: a.Merchant, Type: "PURCHASE", Direction: "DEBIT"}, f.Rules); r.Category != category.Other {
			cat = r.Category
		}
	}
	amount := money.Format(a.AmountMinor, cur)
	data := map[string]any{"amount_minor": a.AmountMinor, "currency": cur}
	if a.Merchant != "" {
		data["merchant"] = a.Merchant
	}
	b, ok := f.budget(cat)
	if !ok || b.Currency != cur {
		if cat != "" {
			data["category"] = cat
		}
		return Reply{Unsure: true, Data: data, Answer: pick(th,
			fmt.Sprintf("You have no %s budget to check %s against.", orWord(catName(cat, th), "matching"), amount),
			fmt.Sprintf("คุณไม่มีงบ%sที่จะใช้เทียบกับ %s", orWord(catName(cat, th), "ที่ตรงกัน"), amount))}
	}
	for k, v := range budgetData(b) {
		data[k] = v
	}
	after := b.RemainingMinor - a.AmountMinor
	data["remaining_after_minor"] = after
	data["affordable"] = after >= 0
	c, left, limit := catName(cat, th), money.Format(max(b.RemainingMinor, 0), cur), money.Format(b.LimitMinor, cur)
	where := ""
	if a.Merchant != "" {
		where = pick(th, " at "+a.Merchant, "ที่ "+a.Merchant+" ")
	}
	if after >= 0 {
		return Reply{Data: data, Answer: pick(th,
			fmt.Sprintf("Yes: %s%s fits your %s budget. You have %s left of %s, so %s would remain.", amount, where, c, left, limit, money.Format(after, cur)),
			fmt.Sprintf("ได้ค่ะ %s %sอยู่ในงบ%s งบเหลือ %s จาก %s หลังจ่ายจะเหลือ %s", amount, where, c, left, limit, money.Format(after, cur)))}
	}
	return Reply{Data: data, Answer: pick(th,
		fmt.Sprintf("No: %s%s is more than the %s left in your %s budget (%s spent of %s); it would put you %s over.", amount, where, left, c, money.Format(b.SpentMinor, cur), limit, money.Format(-after, cur)),
		fmt.Sprintf("ไม่ไหวค่ะ %s %sมากกว่างบ%sที่เหลือ %s (ใช้ไป %s จาก %s) จะเกินงบ %s", amount, where, c, left, money.Format(b.SpentMinor, cur), limit, money.Format(-after, cur)))}
}

func orWord(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

func recent(f *Facts, a Args, th bool) Reply {
	n := min(len(f.Recent), 5)
	if n == 0 {
		return Reply{Data: map[string]any{"transactions": []any{}}, Answer: pick(th, "I see no recent transactions.", "ยังไม่มีรายการล่าสุด")}
	}
	var parts []string
	for _, t := range f.Recent[:n] {
		parts = append(parts, fmt.Sprintf("%s %s (%s, %s)", t.Merchant, money.Format(t.AmountMinor, t.Currency), catName(t.Category, th), t.PostedAt.In(f.Now.Location()).Format("2 Jan")))
	}
	return Reply{Data: map[string]any{"transactions": f.Recent[:n]}, Answer: pick(th, "Your latest transactions: ", "รายการล่าสุดของคุณ: ") + strings.Join(parts, "; ") + "."}
}

func explainAlert(f *Facts, a Args, th bool) Reply {
	var hit *budget.View
	for i, b := range f.Budgets {
		if len(b.CrossedBP) == 0 || a.Category != "" && b.Category != a.Category {
			continue
		}
		if hit == nil || b.UsedBP > hit.UsedBP {
			hit = &f.Budgets[i]
		}
	}
	if hit == nil {
		return Reply{Unsure: a.Category == "", Data: map[string]any{"category": a.Category},
			Answer: pick(th, "No budget alert has fired this period.", "รอบนี้ยังไม่มีการแจ้งเตือนงบประมาณ")}
	}
	t := hit.CrossedBP[len(hit.CrossedBP)-1]
	d := budgetData(*hit)
	d["threshold_bp"] = t
	c := catName(hit.Category, th)
	return Reply{Data: d, Answer: pick(th,
		fmt.Sprintf("Your %s alert fired because you have spent %s of your %s budget (%s), past the %s threshold; %s is left.", c, money.Format(hit.SpentMinor, hit.Currency), money.Format(hit.LimitMinor, hit.Currency), money.Percent(hit.UsedBP), money.Percent(t), money.Format(max(hit.RemainingMinor, 0), hit.Currency)),
		fmt.Sprintf("มีการแจ้งเตือนงบ%sเพราะคุณใช้ไป %s จากงบ %s (%s) เกินเกณฑ์ %s แล้ว เหลือ %s", c, money.Format(hit.SpentMinor, hit.Currency), money.Format(hit.LimitMinor, hit.Currency), money.Percent(hit.UsedBP), money.Percent(t), money.Format(max(hit.RemainingMinor, 0), hit.Currency)))}
}

func sharedBudgets(f *Facts, a Args, th bool) Reply {
	if len(f.Shared) == 0 {
		return Reply{Data: map[string]any{"shared_budgets": []any{}}, Answer: pick(th, "You take part in no shared budgets.", "คุณยังไม่ได้อยู่ในงบร่วมใด")}
	}
	var lines []string
	var list []map[string]any
	for _, s := range f.Shared {
		var mine int64
		for _, p := range s.Participants {
			if p.UserID == f.UserID {
				mine = p.SpentMinor
			}
		}
		list = append(list, map[string]any{"budget_id": s.BudgetID, "name": s.Name, "currency": s.Currency, "limit_minor": s.LimitMinor,
			"spent_minor": s.SpentMinor, "remaining_minor": s.RemainingMinor, "your_spent_minor": mine})
		lines = append(lines, pick(th,
			fmt.Sprintf("%s: %s left of %s (you spent %s).", s.Name, money.Format(s.RemainingMinor, s.Currency), money.Format(s.LimitMinor, s.Currency), money.Format(mine, s.Currency)),
			fmt.Sprintf("%s: เหลือ %s จาก %s (คุณใช้ไป %s)", s.Name, money.Format(s.RemainingMinor, s.Currency), money.Format(s.LimitMinor, s.Currency), money.Format(mine, s.Currency))))
	}
	return Reply{Data: map[string]any{"shared_budgets": list}, Answer: strings.Join(lines, " ")}
}
