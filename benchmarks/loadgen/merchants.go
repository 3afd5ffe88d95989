package loadgen

// Channels of the transactions table.
const (
	ChannelPromptPay = "PROMPTPAY"
	ChannelCard      = "CARD"
	ChannelQR        = "QR"
	ChannelATM       = "ATM"
	ChannelTransfer  = "TRANSFER"
)

// Merchant is one counterparty of the catalog: a Thai merchant with its
// ISO 18245 merchant category code, or a non-merchant counterparty (PromptPay
// transfer, employer, bank fee) with MCC 0.
type Merchant struct {
	Name       string // merchant_name as the acquirer sends it
	ID         string // merchant_id prefix; branches append "-00042"
	MCC        int    // ISO 18245; 0 when the counterparty is not a merchant
	Type       string // transaction type: PURCHASE, BILL_PAYMENT, TRANSFER, ...
	Direction  string // DEBIT or CREDIT
	MinMinor   int64  // smallest amount, satang
	MaxMinor   int64  // largest amount, satang
	Prices     []int64
	Channels   []string
	Recurring  bool // paid on a calendar (bills, subscriptions, salary), not day to day
	weight     float64
	profile    profile
	step       int64 // amounts are multiples of step satang
	branches   int
	mix        []channelShare
	otherBank  bool // an ATM of another bank: may charge a fee
	perBranchN bool // the name differs per branch (PromptPay recipients)
}

type channelShare struct {
	channel string
	pct     int
}

// Merchants returns the catalog, a fresh copy on every call.
func Merchants() []Merchant {
	ms := catalog()
	out := make([]Merchant, len(ms))
	for i, m := range ms {
		m.Channels = make([]string, len(m.mix))
		for j, s := range m.mix {
			m.Channels[j] = s.channel
		}
		m.Prices = append([]int64(nil), m.Prices...)
		out[i] = m
	}
	return out
}

// profile weighs a merchant's use by local hour of day.
type profile uint8

const (
	profDay profile = iota
	profAllDay
	profMorning
	profMeals
	profCommute
	profEvening
)

// weights returns the profile's relative activity per local hour.
func (p profile) weights() [24]float64 {
	var w [24]float64
	for h := range w {
		night := h < 6
		switch p {
		case profAllDay:
			w[h] = pick(night, 0.4, 1)
		case profMorning:
			w[h] = pick(night, 0.05, pick(h <= 10, 3, pick(h <= 17, 1, 0.4)))
		case profMeals:
			w[h] = pick(night, 0.1, pick(h >= 11 && h <= 13, 3, pick(h >= 17 && h <= 21, 2.5, 0.6)))
		case profCommute:
			w[h] = pick(night, 0.02, pick(h >= 6 && h <= 9 || h >= 16 && h <= 19, 3, 0.7))
		case profEvening:
			w[h] = pick(night || h < 10 || h >= 22, 0.1, pick(h >= 17, 2, 1)) // malls close at 22:00
		default:
			w[h] = pick(night || h >= 22, 0.2, 1)
		}
	}
	return w
}

func pick(cond bool, a, b float64) float64 {
	if cond {
		return a
	}
	return b
}

// baht converts whole baht to satang.
func baht(b int64) int64 { return b * 100 }

// spend builds a day-to-day debit purchase.
func spend(name, id string, mcc int, minB, maxB int64, weight float64, p profile, mix ...channelShare) Merchant {
	return Merchant{Name: name, ID: id, MCC: mcc, Type: "PURCHASE", Direction: "DEBIT",
		MinMinor: baht(minB), MaxMinor: baht(maxB), weight: weight, profile: p, step: 100, branches: 40, mix: mix}
}

func card(pct int) channelShare { return channelShare{ChannelCard, pct} }
func qr(pct int) channelShare   { return channelShare{ChannelQR, pct} }

func cardOnly() []channelShare { return []channelShare{card(100)} }
func cardQR() []channelShare   { return []channelShare{card(50), qr(50)} }

// catalog returns every counterparty. Amount ranges are THB prices seen in
// Bangkok; MCCs are the codes these merchants' acquirers use. Notes:
// Makro is a cash-and-carry wholesale club (5300), not a supermarket;
// Shopee and Lazada use 5399 (the newer marketplace code 5262 is not in
// ISO 18245); AirAsia has no airline-specific code of its own in the
// 3000-3299 range here, so it is 4511 (airlines n.e.c.); Thai Airways is 3077.
func catalog() []Merchant {
	ms := []Merchant{
		// Groceries and convenience stores.
		with(spend("7-Eleven", "7ELEVEN", 5499, 20, 400, 14, profAllDay, cardQR()...), 400),
		with(spend("FamilyMart", "FAMILYMART", 5499, 20, 300, 3, profAllDay, cardQR()...), 120),
		withStep(spend("Lotus's", "LOTUSS", 5411, 150, 3500, 4, profEvening, card(60), qr(40)), 25),
		withStep(spend("Big C", "BIGC", 5411, 150, 3500, 3, profEvening, card(60), qr(40)), 25),
		withStep(spend("Tops", "TOPS", 5411, 150, 3500, 2.5, profEvening, card(70), qr(30)), 25),
		withStep(spend("Gourmet Market", "GOURMET", 5411, 200, 4000, 0.8, profEvening, cardOnly()...), 25),
		withStep(spend("Makro", "MAKRO", 5300, 500, 8000, 0.6, profDay, card(70), qr(30)), 25),
		// Coffee, restaurants, fast food.
		spend("Starbucks", "STARBUCKS", 5814, 90, 350, 2.5, profMorning, card(70), qr(30)),
		spend("Cafe Amazon", "CAFEAMAZON", 5814, 45, 180, 4, profMorning, card(40), qr(60)),
		spend("MK Restaurants", "MK", 5812, 300, 2000, 1.5, profMeals, cardQR()...),
		spend("KFC", "KFC", 5814, 99, 600, 1.5, profMeals, cardQR()...),
		spend("McDonald's", "MCDONALDS", 5814, 59, 500, 1.5, profMeals, cardQR()...),
		spend("After You", "AFTERYOU", 5812, 150, 800, 0.8, profEvening, cardQR()...),
		spend("S&P", "SANDP", 5812, 100, 900, 0.7, profMeals, cardQR()...),
		spend("Bar B Q Plaza", "BARBQPLAZA", 5812, 300, 1800, 0.6, profMeals, cardQR()...),
		with(spend("Khao Man Gai Stall", "QRSTALL-KMG", 5812, 40, 150, 2, profMeals, qr(100)), 200),
		with(spend("Som Tam Stall", "QRSTALL-STM", 5812, 40, 150, 2, profMeals, qr(100)), 200),
		with(spend("Kuay Teow Stall", "QRSTALL-KTW", 5812, 40, 150, 2, profMeals, qr(100)), 200),
		// Food delivery, paid in the app by card.
		spend("GrabFood", "GRABFOOD", 5814, 100, 800, 3, profMeals, cardOnly()...),
		spend("foodpanda", "FOODPANDA", 5814, 100, 700, 1.5, profMeals, cardOnly()...),
		spend("LINE MAN", "LINEMAN", 5814, 100, 700, 2.5, profMeals, cardOnly()...),
		// Transport.
		spend("Grab", "GRAB", 4121, 60, 450, 3, profCommute, cardOnly()...),
		spend("Bolt", "BOLT", 4121, 50, 350, 1.5, profCommute, cardOnly()...),
		spend("BTS Skytrain", "BTS", 4111, 17, 62, 4, profCommute, cardOnly()...),
		spend("MRT", "MRT", 4111, 17, 45, 3, profCommute, cardOnly()...),
		withStep(spend("PTT Station", "PTT", 5541, 300, 2000, 1.5, profDay, card(60), qr(40)), 1),
		withStep(spend("Shell", "SHELL", 5541, 300, 2000, 1, profDay, cardOnly()...), 1),
		withStep(spend("Bangchak", "BANGCHAK", 5541, 300, 2000, 0.8, profDay, cardQR()...), 1),
		withStep(spend("EXAT Easy Pass", "EASYPASS", 4784, 300, 1000, 0.3, profDay, cardOnly()...), 10000),
		// Shopping.
		spend("Central Department Store", "CENTRAL", 5311, 500, 15000, 0.8, profEvening, cardOnly()...),
		spend("Robinson", "ROBINSON", 5311, 300, 8000, 0.6, profEvening, cardOnly()...),
		spend("Uniqlo", "UNIQLO", 5651, 390, 3990, 0.6, profEvening, cardQR()...),
		spend("Shopee", "SHOPEE", 5399, 50, 3000, 3, profAllDay, card(50), qr(50)),
		spend("Lazada", "LAZADA", 5399, 50, 5000, 2, profAllDay, card(50), qr(50)),
		spend("Power Buy", "POWERBUY", 5732, 990, 45000, 0.15, profEvening, cardOnly()...),
		spend("HomePro", "HOMEPRO", 5200, 200, 20000, 0.3, profDay, cardOnly()...),
		spend("IKEA Bangna", "IKEA", 5712, 500, 25000, 0.1, profDay, cardOnly()...),
		spend("B2S", "B2S", 5942, 100, 1500, 0.3, profEvening, cardQR()...),
		// Health.
		spend("Boots", "BOOTS", 5912, 80, 1500, 0.8, profEvening, cardQR()...),
		spend("Watsons", "WATSONS", 5912, 80, 1500, 1, profEvening, cardQR()...),
		spend("Bumrungrad International Hospital", "BUMRUNGRAD", 8062, 1500, 60000, 0.05, profDay, cardOnly()...),
		spend("Bangkok Hospital", "BANGKOKHOSP", 8062, 1000, 40000, 0.06, profDay, cardOnly()...),
		// Entertainment.
		spend("Major Cineplex", "MAJOR", 7832, 220, 900, 0.5, profEvening, cardQR()...),
		spend("SF Cinema", "SFCINEMA", 7832, 200, 800, 0.4, profEvening, cardQR()...),
		spend("Steam", "STEAM", 5816, 100, 2000, 0.2, profEvening, cardOnly()...),
		// Travel.
		spend("Agoda", "AGODA", 4722, 900, 15000, 0.15, profEvening, cardOnly()...),
		spend("Booking.com", "BOOKINGCOM", 4722, 900, 15000, 0.08, profEvening, cardOnly()...),
		spend("AirAsia", "AIRASIA", 4511, 900, 6000, 0.12, profEvening, cardOnly()...),
		spend("Thai Airways", "THAIAIRWAYS", 3077, 2500, 45000, 0.04, profEvening, cardOnly()...),
		// Cash: other banks' ATMs may charge a cross-bank fee.
		atm("KBank ATM", "ATM-KBANK", false, 0.6),
		atm("SCB ATM", "ATM-SCB", true, 0.4),
		atm("Bangkok Bank ATM", "ATM-BBL", true, 0.3),
		atm("Krungthai ATM", "ATM-KTB", true, 0.3),
		// PromptPay transfers between people, out and in, and refunds.
		{Name: "PromptPay", ID: "PP", Type: "TRANSFER", Direction: "DEBIT", MinMinor: baht(20), MaxMinor: baht(5000),
			weight: 6, profile: profDay, step: 100, branches: 500, mix: []channelShare{{ChannelPromptPay, 100}}, perBranchN: true},
		{Name: "PromptPay", ID: "PP", Type: "TRANSFER", Direction: "CREDIT", MinMinor: baht(20), MaxMinor: baht(5000),
			weight: 2, profile: profDay, step: 100, branches: 500, mix: []channelShare{{ChannelPromptPay, 100}}, perBranchN: true},
		{Name: "Shopee", ID: "SHOPEE", MCC: 5399, Type: "REFUND", Direction: "CREDIT", MinMinor: baht(50), MaxMinor: baht(3000),
			weight: 0.2, profile: profDay, step: 100, branches: 1, mix: cardOnly()},
	}
	return append(ms, recurringMerchants()...)
}

func atm(name, id string, otherBank bool, weight float64) Merchant {
	return Merchant{Name: name, ID: id, MCC: 6011, Type: "WITHDRAWAL", Direction: "DEBIT",
		MinMinor: baht(500), MaxMinor: baht(20000), weight: weight, profile: profDay, step: baht(100),
		branches: 300, mix: []channelShare{{ChannelATM, 100}}, otherBank: otherBank}
}

func with(m Merchant, branches int) Merchant   { m.branches = branches; return m }
func withStep(m Merchant, step int64) Merchant { m.step = step; return m }

// recurringMerchants are paid on a calendar (see recurring.go), never day to day.
func recurringMerchants() []Merchant {
	bill := func(name, id string, mcc int, minB, maxB int64, mix ...channelShare) Merchant {
		return Merchant{Name: name, ID: id, MCC: mcc, Type: "BILL_PAYMENT", Direction: "DEBIT",
			MinMinor: baht(minB), MaxMinor: baht(maxB), step: 1, branches: 1, mix: mix, Recurring: true}
	}
	plan := func(name, id string, mcc int, typ string, mix []channelShare, prices ...int64) Merchant {
		for i := range prices {
			prices[i] = baht(prices[i])
		}
		return Merchant{Name: name, ID: id, MCC: mcc, Type: typ, Direction: "DEBIT", MinMinor: prices[0],
			MaxMinor: prices[len(prices)-1], Prices: prices, step: 100, branches: 1, mix: mix, Recurring: true}
	}
	debit := []channelShare{{ChannelTransfer, 60}, {ChannelPromptPay, 40}}
	transfer := []channelShare{{ChannelTransfer, 100}}
	own := func(name, direction, typ string) Merchant {
		return Merchant{Name: name, ID: "OWN", Type: typ, Direction: direction, MinMinor: baht(1000),
			MaxMinor: baht(20000), step: baht(100), branches: 1, mix: transfer, Recurring: true}
	}
	return []Merchant{
		bill("Metropolitan Electricity Authority (MEA)", "MEA", 4900, 500, 4000, debit...),
		bill("Provincial Electricity Authority (PEA)", "PEA", 4900, 400, 3500, debit...),
		bill("Metropolitan Waterworks Authority (MWA)", "MWA", 4900, 100, 600, debit...),
		bill("Provincial Waterworks Authority (PWA)", "PWA", 4900, 100, 500, debit...),
		plan("AIS", "AIS", 4814, "BILL_PAYMENT", cardQR(), 299, 399, 499, 599, 699, 899, 1199),
		plan("True Move H", "TRUEMOVEH", 4814, "BILL_PAYMENT", cardQR(), 299, 399, 499, 599, 699, 899, 1199),
		plan("dtac", "DTAC", 4814, "BILL_PAYMENT", cardQR(), 299, 399, 499, 599, 799),
		plan("3BB", "3BB", 4816, "BILL_PAYMENT", debit, 590, 690, 799, 899),
		plan("AIS Fibre", "AISFIBRE", 4814, "BILL_PAYMENT", debit, 599, 699, 899),
		plan("Netflix", "NETFLIX", 4899, "PURCHASE", cardOnly(), 99, 169, 349, 419),
		plan("Spotify", "SPOTIFY", 5815, "PURCHASE", cardOnly(), 139),
		plan("YouTube Premium", "YOUTUBE", 5815, "PURCHASE", cardOnly(), 179),
		plan("Jetts Fitness", "JETTS", 7997, "PURCHASE", cardOnly(), 1199, 1599, 1999),
		plan("AIA Thailand", "AIA", 6300, "BILL_PAYMENT", transfer, 1500, 2500, 3500, 5000, 8000),
		plan("Chulalongkorn University", "CHULA", 8220, "BILL_PAYMENT", transfer, 21000, 25000, 28000, 35000),
		plan("SMS alert service fee", "FEE-SMS", 0, "FEE", transfer, 20),
		plan("Debit card annual fee", "FEE-CARD", 0, "FEE", transfer, 200, 300, 500),
		{Name: "Cross-bank ATM fee", ID: "FEE-ATM", Type: "FEE", Direction: "DEBIT", MinMinor: baht(15), MaxMinor: baht(20),
			Prices: []int64{baht(15), baht(20)}, step: 100, branches: 1, mix: []channelShare{{ChannelATM, 100}}, Recurring: true},
		{Name: "Savings interest", ID: "INTEREST", Type: "INTEREST", Direction: "CREDIT", MinMinor: 500, MaxMinor: baht(800),
			step: 1, branches: 1, mix: transfer, Recurring: true},
		own("Transfer to own savings", "DEBIT", "TRANSFER"),
		own("Transfer from own checking", "CREDIT", "DEPOSIT"),
		own("Transfer to savings goal", "DEBIT", "TRANSFER"),
		salary("Siam Cement Group"), salary("CP ALL"), salary("PTT"), salary("Central Retail"),
		salary("Kasikornbank"), salary("Advanced Info Service"), salary("Thai Beverage"),
		salary("Bangkok Dusit Medical Services"), salary("Minor International"),
		salary("Comptroller General's Department"),
	}
}

func salary(employer string) Merchant {
	return Merchant{Name: "Payroll " + employer, ID: "PAYROLL", Type: "DEPOSIT", Direction: "CREDIT",
		MinMinor: baht(12000), MaxMinor: baht(150000), step: baht(10), branches: 1,
		mix: []channelShare{{ChannelTransfer, 100}}, Recurring: true}
}
