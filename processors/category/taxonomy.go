package category

import "strings"

// The taxonomy has two levels. The primary level is the fifteen slugs above:
// budgets, spend buckets and alerts are per primary category. The detailed
// level (modelled on Plaid's personal finance categories) refines each
// primary into codes written "<primary>.<detail>", such as dining.coffee or
// transport.taxi_rideshare. Every primary has a generic detailed code,
// "<primary>.other" (Generic), used when the evidence names no finer kind of
// merchant, and for a category the user chose.

// Name is a category's display name in English and Thai.
type Name struct {
	EN string `json:"name_en"`
	TH string `json:"name_th"`
}

// DetailedCategory is one code of the detailed level.
type DetailedCategory struct {
	Code    string `json:"code"`
	Primary string `json:"primary"`
	Name
}

// primaryNames are the display names of the primary slugs, in slug order.
var primaryNames = [...]Name{
	{"Groceries", "ของใช้และของสด"},
	{"Dining", "อาหารและเครื่องดื่ม"},
	{"Transport", "การเดินทาง"},
	{"Shopping", "ช้อปปิ้ง"},
	{"Bills", "บิลและค่าบริการ"},
	{"Entertainment", "ความบันเทิง"},
	{"Health", "สุขภาพ"},
	{"Travel", "ท่องเที่ยว"},
	{"Education", "การศึกษา"},
	{"Subscriptions", "บริการสมาชิก"},
	{"Transfers", "โอนเงิน"},
	{"Cash", "เงินสด"},
	{"Fees", "ค่าธรรมเนียม"},
	{"Income", "รายรับ"},
	{"Other", "อื่น ๆ"},
}

// detailedTable is the detailed level, grouped by primary in slug order,
// each group ending with the primary's generic code. The only place the
// codes are defined; taxonomy_test.go checks the invariants (codes unique,
// prefixed by a valid primary, every primary has its generic code, names
// in both languages).
var detailedTable = [...]DetailedCategory{
	{"groceries.supermarkets", Groceries, Name{"Supermarkets", "ซูเปอร์มาร์เก็ต"}},
	{"groceries.convenience", Groceries, Name{"Convenience stores", "ร้านสะดวกซื้อ"}},
	{"groceries.specialty_food", Groceries, Name{"Specialty food and markets", "ร้านอาหารสดและของเฉพาะทาง"}},
	{"groceries.alcohol", Groceries, Name{"Beer, wine and liquor", "เครื่องดื่มแอลกอฮอล์"}},
	{"groceries.other", Groceries, Name{"Other groceries", "ของใช้และของสดอื่น ๆ"}},

	{"dining.restaurants", Dining, Name{"Restaurants", "ร้านอาหาร"}},
	{"dining.fast_food", Dining, Name{"Fast food", "อาหารจานด่วน"}},
	{"dining.coffee", Dining, Name{"Coffee shops", "ร้านกาแฟ"}},
	{"dining.bakeries_desserts", Dining, Name{"Bakeries and desserts", "เบเกอรี่และของหวาน"}},
	{"dining.bars", Dining, Name{"Bars and nightlife", "บาร์และสถานบันเทิง"}},
	{"dining.delivery", Dining, Name{"Food delivery", "บริการส่งอาหาร"}},
	{"dining.catering", Dining, Name{"Catering", "จัดเลี้ยง"}},
	{"dining.other", Dining, Name{"Other dining", "อาหารและเครื่องดื่มอื่น ๆ"}},

	{"transport.taxi_rideshare", Transport, Name{"Taxis and ride sharing", "แท็กซี่และเรียกรถ"}},
	{"transport.public_transit", Transport, Name{"Public transit", "ขนส่งสาธารณะ"}},
	{"transport.fuel", Transport, Name{"Fuel", "น้ำมันเชื้อเพลิง"}},
	{"transport.ev_charging", Transport, Name{"EV charging", "ชาร์จรถยนต์ไฟฟ้า"}},
	{"transport.parking", Transport, Name{"Parking", "ที่จอดรถ"}},
	{"transport.tolls", Transport, Name{"Tolls", "ค่าทางด่วน"}},
	{"transport.vehicle_service", Transport, Name{"Vehicle repair, parts and car wash", "ซ่อมบำรุงและอะไหล่รถ"}},
	{"transport.vehicle_purchase", Transport, Name{"Vehicle purchase", "ซื้อยานพาหนะ"}},
	{"transport.delivery", Transport, Name{"Courier and delivery", "ขนส่งพัสดุ"}},
	{"transport.other", Transport, Name{"Other transport", "การเดินทางอื่น ๆ"}},

	{"shopping.department_stores", Shopping, Name{"Department stores", "ห้างสรรพสินค้า"}},
	{"shopping.general_merchandise", Shopping, Name{"Discount and variety stores", "ร้านค้าทั่วไป"}},
	{"shopping.clothing", Shopping, Name{"Clothing and accessories", "เสื้อผ้าและเครื่องประดับ"}},
	{"shopping.electronics", Shopping, Name{"Electronics and appliances", "เครื่องใช้ไฟฟ้าและอิเล็กทรอนิกส์"}},
	{"shopping.home", Shopping, Name{"Home, furniture and hardware", "ของแต่งบ้านและวัสดุก่อสร้าง"}},
	{"shopping.online_marketplaces", Shopping, Name{"Online marketplaces", "ตลาดออนไลน์"}},
	{"shopping.sporting_goods", Shopping, Name{"Sporting goods", "อุปกรณ์กีฬา"}},
	{"shopping.books_stationery", Shopping, Name{"Books and stationery", "หนังสือและเครื่องเขียน"}},
	{"shopping.beauty", Shopping, Name{"Cosmetics", "เครื่องสำอาง"}},
	{"shopping.gifts_specialty", Shopping, Name{"Gifts, florists and specialty shops", "ของขวัญและร้านเฉพาะทาง"}},
	{"shopping.wholesale", Shopping, Name{"Wholesale", "ขายส่ง"}},
	{"shopping.other", Shopping, Name{"Other shopping", "ช้อปปิ้งอื่น ๆ"}},

	{"bills.phone_internet", Bills, Name{"Phone and internet", "โทรศัพท์และอินเทอร์เน็ต"}},
	{"bills.utilities", Bills, Name{"Electricity, gas and water", "ค่าไฟฟ้า ก๊าซ และน้ำประปา"}},
	{"bills.insurance", Bills, Name{"Insurance", "ประกันภัย"}},
	{"bills.rent", Bills, Name{"Rent and housing", "ค่าเช่าและที่อยู่อาศัย"}},
	{"bills.government", Bills, Name{"Taxes, fines and government services", "ภาษีและบริการภาครัฐ"}},
	{"bills.other", Bills, Name{"Other bills", "บิลอื่น ๆ"}},

	{"entertainment.movies", Entertainment, Name{"Movies", "ภาพยนตร์"}},
	{"entertainment.games", Entertainment, Name{"Video games", "เกม"}},
	{"entertainment.digital_media", Entertainment, Name{"Books, music and video downloads", "สื่อดิจิทัล"}},
	{"entertainment.events", Entertainment, Name{"Concerts, shows and tickets", "คอนเสิร์ตและการแสดง"}},
	{"entertainment.attractions", Entertainment, Name{"Attractions and amusement parks", "สวนสนุกและสถานที่ท่องเที่ยว"}},
	{"entertainment.sports", Entertainment, Name{"Sports and recreation", "กีฬาและนันทนาการ"}},
	{"entertainment.gambling", Entertainment, Name{"Lotteries and gambling", "ลอตเตอรี่และการพนัน"}},
	{"entertainment.other", Entertainment, Name{"Other entertainment", "ความบันเทิงอื่น ๆ"}},

	{"health.pharmacy", Health, Name{"Pharmacies", "ร้านขายยา"}},
	{"health.medical", Health, Name{"Doctors, hospitals and clinics", "โรงพยาบาลและคลินิก"}},
	{"health.dental", Health, Name{"Dental care", "ทันตกรรม"}},
	{"health.eyecare", Health, Name{"Eye care", "ดูแลสายตา"}},
	{"health.fitness", Health, Name{"Gyms and fitness", "ฟิตเนส"}},
	{"health.personal_care", Health, Name{"Hair, beauty and spa", "ร้านเสริมสวยและสปา"}},
	{"health.other", Health, Name{"Other health", "สุขภาพอื่น ๆ"}},

	{"travel.flights", Travel, Name{"Flights", "ตั๋วเครื่องบิน"}},
	{"travel.lodging", Travel, Name{"Hotels and lodging", "โรงแรมและที่พัก"}},
	{"travel.car_rental", Travel, Name{"Car rental", "เช่ารถ"}},
	{"travel.agencies", Travel, Name{"Travel agencies and tours", "บริษัทนำเที่ยว"}},
	{"travel.cruises", Travel, Name{"Cruises and boats", "ล่องเรือ"}},
	{"travel.other", Travel, Name{"Other travel", "ท่องเที่ยวอื่น ๆ"}},

	{"education.schools", Education, Name{"Schools and universities", "โรงเรียนและมหาวิทยาลัย"}},
	{"education.courses", Education, Name{"Courses and tutoring", "คอร์สเรียนและกวดวิชา"}},
	{"education.childcare", Education, Name{"Child care", "สถานรับเลี้ยงเด็ก"}},
	{"education.other", Education, Name{"Other education", "การศึกษาอื่น ๆ"}},

	{"subscriptions.streaming_video", Subscriptions, Name{"Video streaming and pay TV", "สตรีมมิงวิดีโอ"}},
	{"subscriptions.streaming_music", Subscriptions, Name{"Music and audio streaming", "สตรีมมิงเพลง"}},
	{"subscriptions.software", Subscriptions, Name{"Apps, software and cloud storage", "แอปและซอฟต์แวร์"}},
	{"subscriptions.memberships", Subscriptions, Name{"Memberships", "สมาชิกรายเดือน"}},
	{"subscriptions.other", Subscriptions, Name{"Other subscriptions", "บริการสมาชิกอื่น ๆ"}},

	{"transfers.incoming", Transfers, Name{"Money in", "เงินโอนเข้า"}},
	{"transfers.outgoing", Transfers, Name{"Money out", "เงินโอนออก"}},
	{"transfers.wallets", Transfers, Name{"Wallets and stored value", "กระเป๋าเงินอิเล็กทรอนิกส์"}},
	{"transfers.remittance", Transfers, Name{"Money transfer services", "บริการโอนเงิน"}},
	{"transfers.investments", Transfers, Name{"Investments and crypto", "การลงทุนและคริปโต"}},
	{"transfers.loan_payments", Transfers, Name{"Loan and debt payments", "ชำระหนี้"}},
	{"transfers.other", Transfers, Name{"Other transfers", "โอนเงินอื่น ๆ"}},

	{"cash.atm", Cash, Name{"ATM withdrawals", "ถอนเงินสดจากตู้"}},
	{"cash.cash_advance", Cash, Name{"Cash advances", "เบิกเงินสดล่วงหน้า"}},
	{"cash.other", Cash, Name{"Other cash", "เงินสดอื่น ๆ"}},

	{"fees.bank", Fees, Name{"Bank fees", "ค่าธรรมเนียมธนาคาร"}},
	{"fees.interest", Fees, Name{"Interest charged", "ดอกเบี้ยจ่าย"}},
	{"fees.late", Fees, Name{"Late fees", "ค่าปรับชำระล่าช้า"}},
	{"fees.annual", Fees, Name{"Annual fees", "ค่าธรรมเนียมรายปี"}},
	{"fees.other", Fees, Name{"Other fees", "ค่าธรรมเนียมอื่น ๆ"}},

	{"income.salary", Income, Name{"Salary", "เงินเดือน"}},
	{"income.interest", Income, Name{"Interest earned", "ดอกเบี้ยรับ"}},
	{"income.dividends", Income, Name{"Dividends", "เงินปันผล"}},
	{"income.deposits", Income, Name{"Deposits", "เงินฝาก"}},
	{"income.other", Income, Name{"Other income", "รายรับอื่น ๆ"}},

	{"other.other", Other, Name{"Uncategorized", "ไม่ระบุหมวดหมู่"}},
}

// detailedIndex maps a detailed code to its row of detailedTable.
var detailedIndex = func() map[string]int {
	m := make(map[string]int, len(detailedTable))
	for i, d := range detailedTable {
		m[d.Code] = i
	}
	return m
}()

// Generic returns the generic detailed code of a primary slug,
// "<primary>.other" ("other.other" for Other), or "" when primary is not a
// valid slug.
func Generic(primary string) string {
	return genericCodes[primary]
}

// genericCodes maps each primary slug to its generic code, so that
// Categorize does not allocate.
var genericCodes = func() map[string]string {
	m := make(map[string]string, len(slugs))
	for _, s := range slugs {
		m[s] = s + ".other"
	}
	return m
}()

// ValidDetailed reports whether code is one of the detailed codes.
func ValidDetailed(code string) bool {
	_, ok := detailedIndex[code]
	return ok
}

// DetailedFor returns code when it is a detailed code under primary, else
// Generic(primary): the detailed category a record of primary carries.
func DetailedFor(primary, code string) string {
	if i, ok := detailedIndex[code]; ok && detailedTable[i].Primary == primary {
		return code
	}
	return Generic(primary)
}

// PrimaryOf returns the primary slug of a detailed code ("" when unknown):
// the text before the first dot.
func PrimaryOf(code string) string {
	if !ValidDetailed(code) {
		return ""
	}
	p, _, _ := strings.Cut(code, ".")
	return p
}

// PrimaryCategory is one primary slug with its names and its detailed codes.
type PrimaryCategory struct {
	Slug string `json:"slug"`
	Name
	Detailed []DetailedCategory `json:"detailed"`
}

// Taxonomy returns both levels: every primary slug in the documented order,
// each with its detailed codes (the generic one last). The caller owns the
// result.
func Taxonomy() []PrimaryCategory {
	out := make([]PrimaryCategory, len(slugs))
	for i, s := range slugs {
		out[i] = PrimaryCategory{Slug: s, Name: primaryNames[i], Detailed: []DetailedCategory{}}
	}
	for _, d := range detailedTable {
		for i := range out {
			if out[i].Slug == d.Primary {
				out[i].Detailed = append(out[i].Detailed, d)
			}
		}
	}
	return out
}

// Level is a coarse reading of a numeric confidence, for display and for
// deciding whether to ask the user to confirm a category.
type Level string

// Confidence levels. Three, not Plaid's four: finstream's confidences are
// per evidence kind (1 user rule; 0.85–0.95 specific MCCs and type rules;
// 0.7 brand keywords and broad MCCs; 0.5 generic words and catch-all MCCs;
// 0.2 nothing known), so three bands separate them without an empty band.
const (
	// LevelHigh: confidence ≥ 0.9 — a user rule, a specific MCC (5812,
	// 4121, 5541), a fee or interest booked by core banking.
	LevelHigh Level = "high"
	// LevelMedium: 0.7 ≤ confidence < 0.9 — a brand keyword ("starbucks",
	// "grab"), a fairly specific MCC (5499, 5813), a transfer.
	LevelMedium Level = "medium"
	// LevelLow: confidence < 0.7 — a generic word ("restaurant"), a
	// catch-all MCC (5999), the final fallback.
	LevelLow Level = "low"
)

// LevelOf returns the level of a numeric confidence.
func LevelOf(confidence float64) Level {
	switch {
	case confidence >= 0.9:
		return LevelHigh
	case confidence >= 0.7:
		return LevelMedium
	}
	return LevelLow
}
