package category

const (
	brandConfidence   = 0.7 // a keyword naming one chain or service
	genericConfidence = 0.5 // a word naming a kind of merchant ("hospital")
)

// merchantKeywords are the merchant-name rules used when the MCC says nothing.
// Keywords are written normalized (as MerchantKey would produce them: lower
// case, punctuation as single spaces, no trailing numbers) and match whole
// words of the normalized name: "bolt" matches "bolt ride" but not "bolton".
// Each keyword appears once; merchant_test.go checks both.
var merchantKeywords = []struct {
	Slug       string
	Confidence float64
	// Detailed is the detailed code of the group ("" for the primary's
	// generic one).
	Detailed string
	Keywords []string
}{
	{Groceries, brandConfidence, "groceries.supermarkets", []string{
		"tesco lotus", "tesco", "lotus", "lotuss", "big c", "bigc", "makro", "tops",
		"villa market", "foodland", "gourmet market", "maxvalu", "max valu",
		"central food hall", "rimping", "golden place", "grab mart", "grabmart",
		"happyfresh", "aldi", "lidl", "costco", "walmart", "carrefour",
		"โลตัส", "บิ๊กซี", "แม็คโคร",
	}},
	{Groceries, brandConfidence, "groceries.convenience", []string{
		"7 eleven", "7eleven", "seven eleven", "family mart", "familymart",
		"lawson", "cj express", "cj more", "jiffy",
		"เซเว่น อีเลฟเว่น", "เซเว่นอีเลฟเว่น",
	}},
	{Groceries, genericConfidence, "groceries.supermarkets", []string{
		"supermarket", "grocery", "groceries",
	}},
	{Groceries, genericConfidence, "groceries.convenience", []string{
		"minimart", "mini mart",
	}},
	{Dining, brandConfidence, "dining.delivery", []string{
		"grabfood", "grab food", "foodpanda", "lineman", "line man", "robinhood",
		"shopeefood", "shopee food",
	}},
	{Dining, brandConfidence, "dining.coffee", []string{
		"starbucks", "black canyon", "cafe amazon", "true coffee", "tim hortons",
	}},
	{Dining, brandConfidence, "dining.fast_food", []string{
		"kfc", "mcdonald", "mcdonalds", "burger king", "pizza hut", "the pizza company",
		"chester", "chesters", "texas chicken", "subway", "domino", "dominos", "wendy",
	}},
	{Dining, brandConfidence, "dining.bakeries_desserts", []string{
		"s p", "after you", "swensen", "swensens", "dunkin", "krispy kreme", "auntie anne",
	}},
	{Dining, brandConfidence, "dining.restaurants", []string{
		"mk restaurant", "mk restaurants", "mk suki", "sizzler", "yayoi", "bonchon",
		"shabushi", "bar b q plaza", "sukishi", "oishi", "fuji restaurant", "coco ichibanya",
		"din tai fung", "pepper lunch", "ootoya", "kouen", "hachiban",
	}},
	{Dining, genericConfidence, "dining.restaurants", []string{
		"restaurant", "restaurants", "bistro", "noodle", "noodles", "ramen",
		"sushi", "food court", "foodcourt", "canteen", "steakhouse", "buffet",
	}},
	{Dining, genericConfidence, "dining.coffee", []string{"cafe", "coffee"}},
	{Dining, genericConfidence, "dining.fast_food", []string{"pizza"}},
	{Transport, brandConfidence, "transport.taxi_rideshare", []string{
		"grab", "bolt", "uber", "lyft", "indrive", "muvmi",
	}},
	{Transport, brandConfidence, "transport.public_transit", []string{
		"bts", "mrt", "airport rail link", "rabbit", "srt",
	}},
	{Transport, brandConfidence, "transport.fuel", []string{
		"ptt", "shell", "bangchak", "esso", "caltex", "susco",
	}},
	{Transport, brandConfidence, "transport.tolls", []string{
		"easy pass", "easypass", "m pass", "mpass", "exat",
	}},
	{Transport, brandConfidence, "transport.delivery", []string{"lalamove"}},
	{Transport, genericConfidence, "transport.taxi_rideshare", []string{"taxi"}},
	{Transport, genericConfidence, "transport.parking", []string{"parking"}},
	{Transport, genericConfidence, "transport.fuel", []string{"petrol", "gas station", "fuel"}},
	{Transport, genericConfidence, "transport.tolls", []string{"expressway", "tollway"}},
	{Subscriptions, brandConfidence, "subscriptions.streaming_video", []string{
		"netflix", "youtube premium", "youtube", "disney", "disney plus",
		"disney hotstar", "hbo", "hbo go", "viu", "wetv", "iqiyi", "amazon prime",
		"prime video", "truevisions", "trueid",
	}},
	{Subscriptions, brandConfidence, "subscriptions.streaming_music", []string{
		"spotify", "apple music", "joox",
	}},
	{Subscriptions, brandConfidence, "subscriptions.software", []string{
		"icloud", "google one", "google storage", "chatgpt", "openai", "canva", "adobe",
		"dropbox", "github",
	}},
	{Subscriptions, brandConfidence, "subscriptions.memberships", []string{"patreon"}},
	{Subscriptions, brandConfidence, "", []string{"apple com bill", "itunes", "google play"}},
	{Bills, brandConfidence, "bills.phone_internet", []string{
		"ais", "advanced info", "true move", "truemove", "true move h", "true online",
		"trueonline", "dtac", "3bb",
	}},
	{Bills, brandConfidence, "bills.utilities", []string{
		"mea", "pea", "mwa", "pwa", "metropolitan electricity",
		"provincial electricity", "metropolitan waterworks", "provincial waterworks",
		"การไฟฟ้านครหลวง", "การไฟฟ้าส่วนภูมิภาค", "การประปานครหลวง", "การประปาส่วนภูมิภาค",
	}},
	{Bills, brandConfidence, "bills.insurance", []string{
		"aia", "allianz", "muang thai life", "thai life insurance",
	}},
	{Bills, genericConfidence, "bills.insurance", []string{"insurance"}},
	{Bills, genericConfidence, "bills.utilities", []string{"utilities", "electricity"}},
	{Shopping, brandConfidence, "shopping.department_stores", []string{
		"central", "robinson", "robinsons", "the mall", "emporium", "emquartier",
		"siam paragon", "paragon", "iconsiam",
	}},
	{Shopping, brandConfidence, "shopping.clothing", []string{
		"uniqlo", "h m", "zara", "nike", "adidas",
	}},
	{Shopping, brandConfidence, "shopping.online_marketplaces", []string{
		"shopee", "lazada", "amazon", "jd central", "aliexpress", "taobao", "temu", "shein", "ebay",
	}},
	{Shopping, brandConfidence, "shopping.home", []string{
		"ikea", "homepro", "home pro", "index living mall", "thai watsadu", "global house",
	}},
	{Shopping, brandConfidence, "shopping.electronics", []string{
		"powerbuy", "power buy", "banana it", "apple",
	}},
	{Shopping, brandConfidence, "shopping.general_merchandise", []string{"muji", "daiso", "miniso"}},
	{Shopping, brandConfidence, "shopping.sporting_goods", []string{"decathlon", "supersports"}},
	{Shopping, brandConfidence, "shopping.books_stationery", []string{"b2s", "officemate"}},
	{Health, brandConfidence, "health.pharmacy", []string{
		"boots", "watsons", "fascino", "tsuruha", "matsumoto kiyoshi",
	}},
	{Health, brandConfidence, "health.medical", []string{
		"bumrungrad", "bangkok hospital", "samitivej", "bnh", "phyathai",
		"vejthani", "siriraj", "ramathibodi", "praram 9 hospital", "bangpakok",
	}},
	{Health, brandConfidence, "health.fitness", []string{"fitness first", "virgin active", "jetts"}},
	{Health, genericConfidence, "health.pharmacy", []string{"pharmacy", "drugstore"}},
	{Health, genericConfidence, "health.medical", []string{"hospital", "clinic", "medical"}},
	{Health, genericConfidence, "health.dental", []string{"dental"}},
	{Health, genericConfidence, "health.fitness", []string{"gym", "fitness"}},
	{Entertainment, brandConfidence, "entertainment.movies", []string{"major cineplex", "sf cinema", "sfx"}},
	{Entertainment, brandConfidence, "entertainment.games", []string{
		"steam", "steampowered", "playstation", "nintendo", "xbox", "garena", "roblox",
	}},
	{Entertainment, brandConfidence, "entertainment.events", []string{
		"thaiticketmajor", "thai ticket major", "ticketmelon", "ticketmaster", "eventpop",
	}},
	{Entertainment, brandConfidence, "entertainment.attractions", []string{
		"dream world", "dreamworld", "siam park city", "sea life", "madame tussauds", "safari world",
	}},
	{Entertainment, genericConfidence, "entertainment.movies", []string{"cinema", "cineplex"}},
	{Entertainment, genericConfidence, "entertainment.sports", []string{"bowling"}},
	{Entertainment, genericConfidence, "entertainment.events", []string{"concert"}},
	{Entertainment, genericConfidence, "", []string{"karaoke"}},
	{Travel, brandConfidence, "travel.flights", []string{
		"airasia", "air asia", "thai airasia", "thai airways", "thai smile",
		"thai lion air", "lion air", "nok air", "nokair", "bangkok airways", "vietjet",
		"thai vietjet", "singapore airlines", "cathay pacific", "emirates",
	}},
	{Travel, brandConfidence, "travel.agencies", []string{
		"agoda", "booking com", "expedia", "trip com", "traveloka", "klook", "hotels com",
	}},
	{Travel, brandConfidence, "travel.lodging", []string{
		"airbnb", "centara", "marriott", "hilton", "hyatt", "accor", "ibis", "novotel",
		"anantara", "dusit thani",
	}},
	{Travel, genericConfidence, "travel.lodging", []string{
		"hotel", "hotels", "resort", "hostel", "guesthouse",
	}},
	{Travel, genericConfidence, "travel.flights", []string{"airlines", "airways"}},
	{Education, brandConfidence, "education.schools", []string{
		"chulalongkorn university", "mahidol university", "thammasat", "kasetsart",
	}},
	{Education, brandConfidence, "education.courses", []string{
		"coursera", "udemy", "skooldio", "british council", "kumon", "duolingo",
	}},
	{Education, genericConfidence, "education.schools", []string{
		"university", "school", "college", "academy",
	}},
	{Education, genericConfidence, "education.courses", []string{"tutor", "tuition"}},
	{Education, genericConfidence, "education.childcare", []string{"kindergarten"}},
	{Transfers, brandConfidence, "transfers.wallets", []string{
		"promptpay", "truemoney", "true money", "rabbit line pay", "line pay", "linepay",
	}},
	{Transfers, brandConfidence, "transfers.remittance", []string{
		"transferwise", "wise com", "western union", "moneygram",
	}},
	{Transfers, brandConfidence, "transfers.investments", []string{"bitkub", "binance"}},
	{Cash, genericConfidence, "cash.atm", []string{"atm"}},
	{Fees, brandConfidence, "fees.annual", []string{"annual fee"}},
	{Fees, brandConfidence, "fees.late", []string{"late fee", "late payment fee"}},
	{Income, genericConfidence, "income.salary", []string{"salary", "payroll"}},
	{Income, genericConfidence, "income.dividends", []string{"dividend"}},
}
