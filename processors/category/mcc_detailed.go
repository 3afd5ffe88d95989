package category

import "slices"

// mccDetail maps a run of merchant category codes to a detailed code. The
// runs are sorted, do not overlap, and each lies inside MCC-table rows of the
// detailed code's primary (mcc_detailed_test.go checks it); a code in no run
// gets its primary's generic code.
type mccDetail struct {
	From, To int
	Code     string
}

var mccDetails = [...]mccDetail{
	{3000, 3350, "travel.flights"},
	{3351, 3500, "travel.car_rental"},
	{3501, 3999, "travel.lodging"},
	{4011, 4011, "transport.public_transit"}, // railroads
	{4111, 4112, "transport.public_transit"}, // commuter transport, ferries, passenger railways
	{4121, 4121, "transport.taxi_rideshare"}, // taxicabs and limousines
	{4131, 4131, "transport.public_transit"}, // bus lines
	{4411, 4411, "travel.cruises"},
	{4457, 4457, "travel.cruises"}, // boat rentals
	{4511, 4511, "travel.flights"},
	{4582, 4582, "travel.flights"}, // airports
	{4722, 4723, "travel.agencies"},
	{4784, 4784, "transport.tolls"},
	{4812, 4812, "shopping.electronics"},          // telephone equipment
	{4813, 4816, "bills.phone_internet"},          // telecom and network services
	{4829, 4829, "transfers.remittance"},          // money transfer
	{4899, 4899, "subscriptions.streaming_video"}, // cable, satellite, streaming
	{4900, 4900, "bills.utilities"},
	{5013, 5046, "shopping.wholesale"},
	{5047, 5047, "health.medical"},
	{5048, 5121, "shopping.wholesale"},
	{5122, 5122, "health.pharmacy"},
	{5123, 5171, "shopping.wholesale"},
	{5172, 5172, "transport.fuel"},
	{5173, 5199, "shopping.wholesale"},
	{5200, 5299, "shopping.home"},
	{5300, 5300, "groceries.supermarkets"}, // wholesale clubs
	{5310, 5310, "shopping.general_merchandise"},
	{5311, 5311, "shopping.department_stores"},
	{5331, 5331, "shopping.general_merchandise"},
	{5399, 5399, "shopping.general_merchandise"},
	{5411, 5411, "groceries.supermarkets"},
	{5422, 5462, "groceries.specialty_food"}, // meat, candy, dairy, bakeries
	{5499, 5499, "groceries.convenience"},
	{5511, 5521, "transport.vehicle_purchase"},
	{5532, 5533, "transport.vehicle_service"},
	{5541, 5542, "transport.fuel"},
	{5552, 5552, "transport.ev_charging"},
	{5600, 5699, "shopping.clothing"},
	{5712, 5714, "shopping.home"},        // furniture, drapery
	{5718, 5719, "shopping.home"},        // fireplace, home furnishing specialty
	{5722, 5735, "shopping.electronics"}, // appliances, electronics, computers, music
	{5811, 5811, "dining.catering"},
	{5812, 5812, "dining.restaurants"},
	{5813, 5813, "dining.bars"},
	{5814, 5814, "dining.fast_food"},
	{5815, 5815, "entertainment.digital_media"},
	{5816, 5816, "entertainment.games"},
	{5817, 5817, "subscriptions.software"},
	{5912, 5912, "health.pharmacy"},
	{5921, 5921, "groceries.alcohol"},
	{5940, 5941, "shopping.sporting_goods"}, // bicycle shops, sporting goods
	{5942, 5943, "shopping.books_stationery"},
	{5960, 5960, "bills.insurance"},
	{5962, 5962, "travel.agencies"},
	{5968, 5968, "subscriptions.memberships"},
	{5975, 5976, "health.medical"}, // hearing aids, orthopedic goods
	{5977, 5977, "shopping.beauty"},
	{5992, 5998, "shopping.gifts_specialty"},
	{6010, 6011, "cash.atm"},
	{6012, 6012, "transfers.loan_payments"},
	{6050, 6051, "transfers.wallets"},
	{6211, 6211, "transfers.investments"},
	{6300, 6399, "bills.insurance"},
	{6513, 6513, "bills.rent"},
	{6529, 6540, "transfers.wallets"},
	{7011, 7012, "travel.lodging"},
	{7032, 7033, "travel.lodging"},
	{7230, 7230, "health.personal_care"},
	{7276, 7276, "bills.government"},
	{7297, 7298, "health.personal_care"},
	{7372, 7372, "subscriptions.software"},
	{7375, 7375, "subscriptions.software"},
	{7511, 7511, "transport.fuel"}, // truck stops
	{7512, 7512, "travel.car_rental"},
	{7519, 7519, "travel.car_rental"},
	{7523, 7524, "transport.parking"},
	{7530, 7549, "transport.vehicle_service"},
	{7778, 7778, "cash.cash_advance"},
	{7800, 7802, "entertainment.gambling"},
	{7832, 7832, "entertainment.movies"},
	{7841, 7841, "entertainment.digital_media"},
	{7922, 7929, "entertainment.events"}, // theatrical producers, ticket agencies, bands
	{7932, 7933, "entertainment.sports"}, // billiards, bowling
	{7941, 7941, "entertainment.sports"},
	{7991, 7991, "entertainment.attractions"},
	{7992, 7992, "entertainment.sports"}, // public golf courses
	{7993, 7994, "entertainment.games"},  // video amusement supplies, arcades
	{7995, 7995, "entertainment.gambling"},
	{7996, 7996, "entertainment.attractions"}, // amusement parks
	{7997, 7997, "health.fitness"},
	{7998, 7998, "entertainment.attractions"},
	{8011, 8011, "health.medical"},
	{8021, 8021, "health.dental"},
	{8031, 8042, "health.medical"}, // osteopaths, chiropractors, optometrists
	{8043, 8043, "health.eyecare"}, // opticians
	{8049, 8099, "health.medical"},
	{8211, 8220, "education.schools"},
	{8241, 8299, "education.courses"}, // correspondence, business, trade schools
	{8351, 8351, "education.childcare"},
	{9211, 9223, "bills.government"},
	{9311, 9311, "bills.government"},
	{9399, 9399, "bills.government"},
	{9402, 9402, "bills.government"},
	{9405, 9405, "bills.government"},
	{9406, 9406, "entertainment.gambling"},
	{9751, 9751, "groceries.supermarkets"},
	{9752, 9752, "transport.fuel"},
	{9753, 9753, "shopping.electronics"},
	{9754, 9754, "entertainment.gambling"},
}

// mccDetailOf returns the detailed code of an MCC, or "" when the code has
// none finer than its primary's generic one.
func mccDetailOf(mcc int) string {
	i, ok := slices.BinarySearchFunc(mccDetails[:], mcc, func(d mccDetail, mcc int) int {
		switch {
		case d.To < mcc:
			return -1
		case d.From > mcc:
			return 1
		}
		return 0
	})
	if !ok {
		return ""
	}
	return mccDetails[i].Code
}
