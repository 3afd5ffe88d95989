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
	Keywords   []string
}{
	{Groceries, brandConfidence, []string{
		"tesco lotus", "tesco", "lotus", "lotuss", "big c", "bigc", "makro", "tops",
		"villa market", "7 eleven", "7eleven", "seven eleven", "family mart", "familymart",
		"lawson", "foodland", "gourmet market", "maxvalu", "max valu", "cj express", "cj more",
		"jiffy", "central food hall", "rimping", "golden place", "grab mart", "grabmart",
		"happyfresh", "aldi", "lidl", "costco", "walmart", "carrefour",
		"โลตัส", "บิ๊กซี", "แม็คโคร", "เซเว่น อีเลฟเว่น", "เซเว่นอีเลฟเว่น",
	}},
	{Groceries, genericConfidence, []string{
		"supermarket", "minimart", "mini mart", "grocery", "groceries",
	}},
	{Dining, brandConfidence, []string{
		"grabfood", "grab food", "foodpanda", "lineman", "line man", "robinhood",
		"shopeefood", "shopee food", "starbucks", "mk restaurant", "mk restaurants", "mk suki",
		"s p", "after you", "kfc", "mcdonald", "mcdonalds", "burger king", "pizza hut",
		"the pizza company", "swensen", "swensens", "sizzler", "yayoi", "bonchon",
		"shabushi", "bar b q plaza", "black canyon", "cafe amazon", "dunkin", "krispy kreme",
		"auntie anne", "chester", "chesters", "sukishi", "oishi", "texas chicken", "subway",
		"domino", "dominos", "fuji restaurant", "coco ichibanya", "din tai fung", "true coffee",
		"tim hortons", "pepper lunch", "ootoya", "kouen", "hachiban", "wendy",
	}},
	{Dining, genericConfidence, []string{
		"restaurant", "restaurants", "cafe", "coffee", "bistro", "noodle", "noodles", "ramen",
		"sushi", "pizza", "food court", "foodcourt", "canteen", "steakhouse", "buffet",
	}},
	{Transport, brandConfidence, []string{
		"grab", "bolt", "bts", "mrt", "airport rail link", "rabbit", "ptt", "shell",
		"bangchak", "esso", "caltex", "susco", "uber", "lyft", "indrive", "lalamove",
		"easy pass", "easypass", "m pass", "mpass", "exat", "srt", "muvmi",
	}},
	{Transport, genericConfidence, []string{
		"taxi", "parking", "petrol", "gas station", "expressway", "tollway", "fuel",
	}},
	{Subscriptions, brandConfidence, []string{
		"netflix", "spotify", "youtube premium", "youtube", "disney", "disney plus",
		"disney hotstar", "hbo", "hbo go", "viu", "wetv", "iqiyi", "apple com bill", "itunes",
		"icloud", "apple music", "google one", "google play", "google storage", "amazon prime",
		"prime video", "chatgpt", "openai", "canva", "adobe", "dropbox", "truevisions",
		"trueid", "joox", "patreon", "github",
	}},
	{Bills, brandConfidence, []string{
		"ais", "advanced info", "true move", "truemove", "true move h", "true online",
		"trueonline", "dtac", "3bb", "mea", "pea", "mwa", "pwa", "metropolitan electricity",
		"provincial electricity", "metropolitan waterworks", "provincial waterworks",
		"การไฟฟ้านครหลวง", "การไฟฟ้าส่วนภูมิภาค", "การประปานครหลวง", "การประปาส่วนภูมิภาค",
		"aia", "allianz", "muang thai life", "thai life insurance",
	}},
	{Bills, genericConfidence, []string{
		"insurance", "utilities", "electricity",
	}},
	{Shopping, brandConfidence, []string{
		"central", "robinson", "robinsons", "the mall", "emporium", "emquartier",
		"siam paragon", "paragon", "iconsiam", "uniqlo", "h m", "zara", "shopee", "lazada",
		"amazon", "ikea", "homepro", "home pro", "index living mall", "powerbuy", "power buy",
		"banana it", "jd central", "muji", "daiso", "miniso", "decathlon", "nike", "adidas",
		"apple", "b2s", "supersports", "aliexpress", "taobao", "temu", "shein", "ebay",
		"thai watsadu", "global house", "officemate",
	}},
	{Health, brandConfidence, []string{
		"boots", "watsons", "bumrungrad", "bangkok hospital", "samitivej", "bnh", "phyathai",
		"vejthani", "siriraj", "ramathibodi", "praram 9 hospital", "bangpakok", "fascino",
		"tsuruha", "matsumoto kiyoshi", "fitness first", "virgin active", "jetts",
	}},
	{Health, genericConfidence, []string{
		"pharmacy", "drugstore", "hospital", "clinic", "dental", "medical", "gym", "fitness",
	}},
	{Entertainment, brandConfidence, []string{
		"major cineplex", "sf cinema", "sfx", "steam", "steampowered", "playstation",
		"nintendo", "xbox", "garena", "thaiticketmajor", "thai ticket major", "ticketmelon",
		"ticketmaster", "eventpop", "dream world", "dreamworld", "siam park city", "sea life",
		"madame tussauds", "safari world", "roblox",
	}},
	{Entertainment, genericConfidence, []string{
		"cinema", "cineplex", "karaoke", "bowling", "concert",
	}},
	{Travel, brandConfidence, []string{
		"agoda", "airasia", "air asia", "thai airasia", "thai airways", "thai smile",
		"thai lion air", "lion air", "nok air", "nokair", "bangkok airways", "vietjet",
		"thai vietjet", "booking com", "expedia", "trip com", "traveloka", "airbnb", "klook",
		"hotels com", "centara", "marriott", "hilton", "hyatt", "accor", "ibis", "novotel",
		"anantara", "dusit thani", "singapore airlines", "cathay pacific", "emirates",
	}},
	{Travel, genericConfidence, []string{
		"hotel", "hotels", "resort", "hostel", "guesthouse", "airlines", "airways",
	}},
	{Education, brandConfidence, []string{
		"chulalongkorn university", "mahidol university", "thammasat", "kasetsart",
		"coursera", "udemy", "skooldio", "british council", "kumon", "duolingo",
	}},
	{Education, genericConfidence, []string{
		"university", "school", "college", "academy", "tutor", "tuition", "kindergarten",
	}},
	{Transfers, brandConfidence, []string{
		"promptpay", "truemoney", "true money", "rabbit line pay", "line pay", "linepay",
		"transferwise", "wise com", "western union", "moneygram", "bitkub", "binance",
	}},
	{Cash, genericConfidence, []string{"atm"}},
	{Fees, brandConfidence, []string{"annual fee", "late fee", "late payment fee"}},
	{Income, genericConfidence, []string{"salary", "payroll", "dividend"}},
}
