package assistant

import "testing"

func TestParse(t *testing.T) {
	for _, c := range []struct {
		msg      string
		intent   Intent
		cat      string
		amount   int64
		merchant string
		period   Period
		minConf  float64
	}{
		{"How much grocery budget do I have left?", IntentBudgetStatus, "groceries", 0, "", ThisMonth, 0.9},
		{"How much is left for groceries?", IntentBudgetStatus, "groceries", 0, "", ThisMonth, 0.9},
		{"งบของชำเหลือเท่าไหร่", IntentBudgetStatus, "groceries", 0, "", ThisMonth, 0.9},
		{"ค่าของชำเดือนนี้เหลือเท่าไหร่คะ", IntentBudgetStatus, "groceries", 0, "", ThisMonth, 0.9},
		{"Can I afford ฿2,000 at Tesco Lotus?", IntentAfford, "", 200000, "Tesco Lotus", ThisMonth, 0.9},
		{"ซื้อของ 2,000 บาทที่ Tesco Lotus ได้ไหม", IntentAfford, "", 200000, "Tesco Lotus", ThisMonth, 0.85},
		{"can i afford 1500.50 baht dinner", IntentAfford, "", 150050, "", ThisMonth, 0.9},
		{"How much did I spend on dining last month?", IntentSpend, "dining", 0, "", LastMonth, 0.9},
		{"เดือนที่แล้วใช้ไปกับค่าเดินทางเท่าไหร่", IntentSpend, "transport", 0, "", LastMonth, 0.9},
		{"spending on transport this week", IntentSpend, "transport", 0, "", ThisWeek, 0.9},
		{"How are my savings goals doing?", IntentGoalProgress, "", 0, "", ThisMonth, 0.9},
		{"เป้าหมายออมเงินไปถึงไหนแล้ว", IntentGoalProgress, "", 0, "", ThisMonth, 0.9},
		{"show my recent transactions", IntentRecent, "", 0, "", ThisMonth, 0.9},
		{"Why did I get an alert about groceries?", IntentAlert, "groceries", 0, "", ThisMonth, 0.9},
		{"ทำไมถึงแจ้งเตือนงบ", IntentAlert, "", 0, "", ThisMonth, 0.9},
		{"How is our household budget?", IntentShared, "", 0, "", ThisMonth, 0.85},
		{"There is a charge I didn't make, I think it's fraud", IntentFraud, "", 0, "", ThisMonth, 0.9},
		{"my account was hacked", IntentHacked, "", 0, "", ThisMonth, 0.9},
		{"I want to file a complaint about your service", IntentComplaint, "", 0, "", ThisMonth, 0.9},
		{"ต้องการร้องเรียนเรื่องบริการ", IntentComplaint, "", 0, "", ThisMonth, 0.9},
		{"hello", IntentGreeting, "", 0, "", ThisMonth, 0.9},
		{"สวัสดีค่ะ", IntentGreeting, "", 0, "", ThisMonth, 0.9},
		{"what is the meaning of life", IntentUnknown, "", 0, "", ThisMonth, 0},
		{"How much can I spend on dining?", IntentBudgetStatus, "dining", 0, "", ThisMonth, 0.9},
		{"Can I spend ฿500 on dining this week?", IntentAfford, "dining", 50000, "", ThisWeek, 0.9},
		{"can I afford it?", IntentAfford, "", 0, "", ThisMonth, 0},
	} {
		p := Parse(c.msg)
		if p.Intent != c.intent || p.Category != c.cat || p.AmountMinor != c.amount || p.Merchant != c.merchant || p.Period != c.period || p.Confidence < c.minConf {
			t.Errorf("Parse(%q) = %+v", c.msg, p)
		}
	}
	if p := Parse("what is the meaning of life"); p.Confidence >= MinConfidence {
		t.Errorf("unknown at confidence %v", p.Confidence)
	}
	if !Parse("งบเหลือเท่าไหร่").Thai || Parse("how much is left").Thai {
		t.Error("language detection")
	}
}
