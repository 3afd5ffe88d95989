package category

// mccTo5999 maps 0001–5999 by the ISO 18245 ranges: reserved, agricultural and
// contracted services, the private-use range 3000–3999 that the card networks
// split into airlines, car rental and lodging, transportation, utilities, retail,
// clothing and miscellaneous outlets. Descriptions follow the Visa Merchant Data
// Standards Manual; codes only Mastercard or only ISO assigns are marked so.
// Rows described "(unassigned)" hold codes no network assigns, at the group's
// default category with low confidence.
//
// Decisions: car rental (3351–3500, 7512) is Travel, since customers rent cars
// mostly on trips; vehicle dealers, parts and fuel are Transport; freight and
// couriers are Other (they are not the customer's own travel); drug wholesale
// and medical supplies are Health; the wholesale (business-to-business) codes
// are Shopping at 0.6.
var mccTo5999 = []mccRange{
	{1, 699, Other, 0.2, "Reserved for ISO use"},
	// 0742 Veterinary Services; 0743 Wine producers (ISO); 0744 Champagne producers (ISO);
	// 0763 Agricultural Co-operatives; 0780 Landscaping and Horticultural Services.
	{700, 999, Other, 0.6, "Agricultural services"},
	{1000, 1499, Other, 0.2, "Reserved for ISO use"},
	// 1520 General Contractors – Residential and Commercial; 1711 Heating, Plumbing, and Air
	// Conditioning Contractors; 1731 Electrical Contractors; 1740 Masonry, Stonework, Tile
	// Setting, Plastering and Insulation Contractors; 1750 Carpentry Contractors; 1761 Roofing,
	// Siding, and Sheet Metal Work Contractors; 1771 Concrete Work Contractors; 1799 Special
	// Trade Contractors (Not Elsewhere Classified); 2741 Miscellaneous Publishing and Printing;
	// 2791 Typesetting, Plate Making and Related Services; 2842 Specialty Cleaning, Polishing
	// and Sanitation Preparations.
	{1500, 2999, Other, 0.6, "Contracted services"},

	// 3000–3999: reserved by ISO for private use; Visa and Mastercard assign one code per
	// airline, car rental agency and hotel chain.
	{3000, 3350, Travel, 0.95, "Airlines (carrier codes, e.g. 3000 United Airlines, 3077 Thai Airways)"},
	{3351, 3500, Travel, 0.9, "Car rental agencies (e.g. 3357 Hertz, 3389 Avis Rent-A-Car)"},
	{3501, 3999, Travel, 0.95, "Lodging (hotel chain codes, e.g. 3501 Holiday Inns, 3545 Shangri-La International)"},

	// 4000–4799 Transportation.
	{4000, 4010, Transport, 0.4, "Transportation (unassigned)"},
	{4011, 4011, Transport, 0.6, "Railroads"},
	{4012, 4110, Transport, 0.4, "Transportation (unassigned)"},
	{4111, 4111, Transport, 0.95, "Local and Suburban Commuter Passenger Transportation, Including Ferries"},
	{4112, 4112, Transport, 0.85, "Passenger Railways"},
	{4113, 4118, Transport, 0.4, "Transportation (unassigned)"},
	{4119, 4119, Health, 0.85, "Ambulance Services"},
	{4120, 4120, Transport, 0.4, "Transportation (unassigned)"},
	{4121, 4121, Transport, 0.95, "Taxicabs and Limousines"},
	{4122, 4130, Transport, 0.4, "Transportation (unassigned)"},
	{4131, 4131, Transport, 0.9, "Bus Lines"},
	{4132, 4213, Transport, 0.4, "Transportation (unassigned)"},
	// 4214 Motor Freight Carriers and Trucking – Local and Long Distance, Moving and Storage
	// Companies, and Local Delivery; 4215 Courier Services – Air and Ground, and Freight
	// Forwarders; 4225 Public Warehousing and Storage – Farm Products, Refrigerated Goods,
	// Household Goods, and Storage.
	{4214, 4225, Other, 0.6, "Freight, courier and warehousing"},
	{4226, 4410, Transport, 0.4, "Transportation (unassigned)"},
	{4411, 4411, Travel, 0.95, "Steamship and Cruise Lines"},
	{4412, 4456, Transport, 0.4, "Transportation (unassigned)"},
	{4457, 4457, Travel, 0.7, "Boat Rentals and Leasing"},
	{4458, 4467, Transport, 0.4, "Transportation (unassigned)"},
	{4468, 4468, Transport, 0.6, "Marinas, Marine Service, and Supplies"},
	{4469, 4510, Transport, 0.4, "Transportation (unassigned)"},
	{4511, 4511, Travel, 0.95, "Airlines and Air Carriers (Not Elsewhere Classified)"},
	{4512, 4581, Transport, 0.4, "Transportation (unassigned)"},
	{4582, 4582, Travel, 0.8, "Airports, Flying Fields, and Airport Terminals"},
	{4583, 4721, Transport, 0.4, "Transportation (unassigned)"},
	// 4722 Travel Agencies and Tour Operators; 4723 Package Tour Operators – Germany Only.
	{4722, 4723, Travel, 0.95, "Travel agencies and tour operators"},
	{4724, 4760, Transport, 0.4, "Transportation (unassigned)"},
	{4761, 4761, Travel, 0.6, "Telemarketing of Travel Related Services and Vitamins (Mastercard)"},
	{4762, 4783, Transport, 0.4, "Transportation (unassigned)"},
	{4784, 4784, Transport, 0.95, "Tolls and Bridge Fees"},
	{4785, 4788, Transport, 0.4, "Transportation (unassigned)"},
	{4789, 4789, Transport, 0.7, "Transportation Services (Not Elsewhere Classified)"},
	{4790, 4799, Transport, 0.4, "Transportation (unassigned)"},

	// 4800–4999 Utilities and telecommunications.
	{4800, 4811, Bills, 0.4, "Utilities (unassigned)"},
	{4812, 4812, Shopping, 0.8, "Telecommunication Equipment and Telephone Sales"},
	{4813, 4813, Bills, 0.8, "Special Telecom Merchant (Mastercard)"},
	// 4814 Telecommunication Services, including Local and Long Distance Calls, Credit Card
	// Calls, Calls Through Use of Magnetic-Stripe-Reading Telephones, and Fax Services;
	// 4815 Monthly Summary Telephone Charges (Mastercard).
	{4814, 4815, Bills, 0.95, "Telecommunication services"},
	{4816, 4816, Bills, 0.85, "Computer Network/Information Services"},
	{4817, 4820, Bills, 0.4, "Utilities (unassigned)"},
	{4821, 4821, Bills, 0.6, "Telegraph Services"},
	{4822, 4828, Bills, 0.4, "Utilities (unassigned)"},
	{4829, 4829, Transfers, 0.9, "Money Transfer (ISO: Wire Transfers and Money Orders)"},
	{4830, 4898, Bills, 0.4, "Utilities (unassigned)"},
	{4899, 4899, Subscriptions, 0.9, "Cable, Satellite and Other Pay Television/Radio/Streaming Services"},
	{4900, 4900, Bills, 0.95, "Utilities – Electric, Gas, Water, and Sanitary"},
	{4901, 4999, Bills, 0.4, "Utilities (unassigned)"},

	// 5000–5599 Retail outlets. 5013–5199 are wholesale (business-to-business) codes.
	{5000, 5012, Shopping, 0.4, "Retail outlets (unassigned)"},
	// 5013 Motor Vehicle Supplies and New Parts; 5021 Office and Commercial Furniture; 5039
	// Construction Materials (Not Elsewhere Classified); 5044 Photographic, Photocopy,
	// Microfilm Equipment and Supplies; 5045 Computers and Computer Peripheral Equipment and
	// Software; 5046 Commercial Equipment (Not Elsewhere Classified).
	{5013, 5046, Shopping, 0.6, "Wholesale durable goods and equipment"},
	{5047, 5047, Health, 0.8, "Medical, Dental, Ophthalmic and Hospital Equipment and Supplies"},
	// 5051 Metal Service Centers and Offices; 5065 Electrical Parts and Equipment; 5072
	// Hardware, Equipment and Supplies; 5074 Plumbing and Heating Equipment and Supplies;
	// 5085 Industrial Supplies (Not Elsewhere Classified); 5094 Precious Stones and Metals,
	// Watches and Jewelry; 5099 Durable Goods (Not Elsewhere Classified); 5111 Stationery,
	// Office Supplies, Printing and Writing Paper.
	{5048, 5121, Shopping, 0.6, "Wholesale durable goods and supplies"},
	{5122, 5122, Health, 0.85, "Drugs, Drug Proprietaries, and Druggist Sundries"},
	// 5131 Piece Goods, Notions, and Other Dry Goods; 5137 Men's, Women's, and Children's
	// Uniforms and Commercial Clothing; 5139 Commercial Footwear; 5169 Chemicals and Allied
	// Products (Not Elsewhere Classified).
	{5123, 5171, Shopping, 0.6, "Wholesale nondurable goods"},
	{5172, 5172, Transport, 0.7, "Petroleum and Petroleum Products"},
	// 5192 Books, Periodicals and Newspapers; 5193 Florists Supplies, Nursery Stock and
	// Flowers; 5198 Paints, Varnishes and Supplies; 5199 Nondurable Goods (Not Elsewhere
	// Classified).
	{5173, 5199, Shopping, 0.6, "Wholesale nondurable goods"},
	// 5200 Home Supply Warehouse Stores; 5211 Lumber and Building Materials Stores; 5231
	// Glass, Paint, and Wallpaper Stores; 5251 Hardware Stores; 5261 Nurseries and Lawn and
	// Garden Supply Stores; 5262 Marketplaces; 5271 Mobile Home Dealers.
	{5200, 5299, Shopping, 0.85, "Home supply, building materials, hardware and garden stores"},
	// Wholesale clubs (Makro, Costco) sell mostly food and household consumables.
	{5300, 5300, Groceries, 0.7, "Wholesale Clubs"},
	{5301, 5308, Shopping, 0.5, "General merchandise (unassigned)"},
	{5309, 5309, Shopping, 0.85, "Duty Free Stores"},
	{5310, 5310, Shopping, 0.8, "Discount Stores"},
	{5311, 5311, Shopping, 0.9, "Department Stores"},
	{5312, 5330, Shopping, 0.5, "General merchandise (unassigned)"},
	{5331, 5331, Shopping, 0.8, "Variety Stores"},
	{5332, 5398, Shopping, 0.5, "General merchandise (unassigned)"},
	{5399, 5399, Shopping, 0.6, "Miscellaneous General Merchandise"},
	{5400, 5410, Groceries, 0.5, "Food stores (unassigned)"},
	{5411, 5411, Groceries, 0.95, "Grocery Stores and Supermarkets"},
	{5412, 5421, Groceries, 0.5, "Food stores (unassigned)"},
	{5422, 5422, Groceries, 0.9, "Freezer and Locker Meat Provisioners"},
	{5423, 5440, Groceries, 0.5, "Food stores (unassigned)"},
	{5441, 5441, Groceries, 0.85, "Candy, Nut, and Confectionery Stores"},
	{5442, 5450, Groceries, 0.5, "Food stores (unassigned)"},
	{5451, 5451, Groceries, 0.9, "Dairy Products Stores"},
	{5452, 5461, Groceries, 0.5, "Food stores (unassigned)"},
	{5462, 5462, Groceries, 0.85, "Bakeries"},
	{5463, 5498, Groceries, 0.5, "Food stores (unassigned)"},
	{5499, 5499, Groceries, 0.85, "Miscellaneous Food Stores – Convenience Stores and Specialty Markets"},
	{5500, 5510, Transport, 0.4, "Automotive dealers and service stations (unassigned)"},
	// 5511 Car and Truck Dealers (New and Used) Sales, Service, Repairs, Parts, and Leasing;
	// 5521 Car and Truck Dealers (Used Only) Sales, Service, Repairs, Parts, and Leasing.
	{5511, 5521, Transport, 0.7, "Car and truck dealers"},
	{5522, 5530, Transport, 0.4, "Automotive dealers and service stations (unassigned)"},
	{5531, 5531, Shopping, 0.7, "Auto and Home Supply Stores"},
	// 5532 Automotive Tire Stores; 5533 Automotive Parts and Accessories Stores.
	{5532, 5533, Transport, 0.8, "Automotive tire, parts and accessories stores"},
	{5534, 5540, Transport, 0.4, "Automotive dealers and service stations (unassigned)"},
	// 5541 Service Stations (With or without Ancillary Services); 5542 Automated Fuel
	// Dispensers.
	{5541, 5542, Transport, 0.95, "Service stations and automated fuel dispensers"},
	// 5551 Boat Dealers.
	{5543, 5551, Transport, 0.6, "Vehicle dealers"},
	{5552, 5552, Transport, 0.9, "Electric Vehicle Charging"},
	// 5561 Camper, Recreational and Utility Trailer Dealers; 5571 Motorcycle Shops and
	// Dealers; 5592 Motor Homes Dealers; 5598 Snowmobile Dealers; 5599 Miscellaneous
	// Automotive, Aircraft, and Farm Equipment Dealers (Not Elsewhere Classified).
	{5553, 5599, Transport, 0.6, "Vehicle dealers"},

	// 5600–5699 Clothing outlets: 5611 Men's and Boys' Clothing and Accessories Stores; 5621
	// Women's Ready-To-Wear Stores; 5631 Women's Accessory and Specialty Shops; 5641
	// Children's and Infants' Wear Stores; 5651 Family Clothing Stores; 5655 Sports and Riding
	// Apparel Stores; 5661 Shoe Stores; 5681 Furriers and Fur Shops; 5691 Men's and Women's
	// Clothing Stores; 5697 Tailors, Seamstresses, Mending, and Alterations; 5698 Wig and
	// Toupee Stores; 5699 Miscellaneous Apparel and Accessory Shops.
	{5600, 5699, Shopping, 0.9, "Clothing stores"},

	// 5700–5999 Miscellaneous outlets.
	{5700, 5711, Shopping, 0.5, "Miscellaneous stores (unassigned)"},
	// 5712 Furniture, Home Furnishings, and Equipment Stores, Except Appliances; 5713 Floor
	// Covering Stores; 5714 Drapery, Window Covering, and Upholstery Stores; 5715 Alcoholic
	// beverage wholesalers (ISO); 5718 Fireplace, Fireplace Screens and Accessories Stores;
	// 5719 Miscellaneous Home Furnishing Specialty Stores; 5722 Household Appliance Stores;
	// 5732 Electronics Stores; 5733 Music Stores – Musical Instruments, Pianos, and Sheet
	// Music; 5734 Computer Software Stores; 5735 Record Stores.
	{5712, 5735, Shopping, 0.85, "Home furnishing, appliance, electronics and music stores"},
	{5736, 5810, Shopping, 0.5, "Miscellaneous stores (unassigned)"},
	{5811, 5811, Dining, 0.85, "Caterers"},
	{5812, 5812, Dining, 0.95, "Eating Places and Restaurants"},
	{5813, 5813, Dining, 0.85, "Drinking Places (Alcoholic Beverages) – Bars, Taverns, Nightclubs, Cocktail Lounges, and Discotheques"},
	{5814, 5814, Dining, 0.95, "Fast Food Restaurants"},
	{5815, 5815, Entertainment, 0.75, "Digital Goods Media – Books, Movies, Music"},
	{5816, 5816, Entertainment, 0.85, "Digital Goods – Games"},
	{5817, 5817, Subscriptions, 0.7, "Digital Goods – Applications (Excludes Games)"},
	// App stores and large digital merchants (Apple, Google) bill mostly recurring services.
	{5818, 5818, Subscriptions, 0.6, "Digital Goods – Large Digital Goods Merchant"},
	{5819, 5911, Shopping, 0.5, "Miscellaneous stores (unassigned)"},
	{5912, 5912, Health, 0.9, "Drug Stores and Pharmacies"},
	{5913, 5920, Shopping, 0.5, "Miscellaneous stores (unassigned)"},
	{5921, 5921, Groceries, 0.7, "Package Stores – Beer, Wine, and Liquor"},
	{5922, 5930, Shopping, 0.5, "Miscellaneous stores (unassigned)"},
	// 5931 Used Merchandise and Secondhand Stores; 5932 Antique Shops – Sales, Repairs, and
	// Restoration Services; 5933 Pawn Shops; 5935 Wrecking and Salvage Yards; 5937 Antique
	// Reproductions; 5940 Bicycle Shops – Sales and Service; 5941 Sporting Goods Stores; 5942
	// Book Stores; 5943 Stationery Stores, Office and School Supply Stores; 5944 Jewelry
	// Stores, Watches, Clocks, and Silverware Stores; 5945 Hobby, Toy, and Game Shops; 5946
	// Camera and Photographic Supply Stores; 5947 Gift, Card, Novelty and Souvenir Shops; 5948
	// Luggage and Leather Goods Stores; 5949 Sewing, Needlework, Fabric and Piece Goods
	// Stores; 5950 Glassware/Crystal Stores.
	{5931, 5950, Shopping, 0.85, "Specialty retail stores"},
	{5951, 5959, Shopping, 0.5, "Miscellaneous stores (unassigned)"},
	{5960, 5960, Bills, 0.8, "Direct Marketing – Insurance Services"},
	{5961, 5961, Shopping, 0.7, "Mail Order (Mastercard)"},
	{5962, 5962, Travel, 0.8, "Direct Marketing – Travel-Related Arrangement Services"},
	// 5963 Door-To-Door Sales; 5964 Direct Marketing – Catalog Merchant; 5965 Direct
	// Marketing – Combination Catalog and Retail Merchant; 5966 Direct Marketing – Outbound
	// Telemarketing Merchant; 5967 Direct Marketing – Inbound Teleservices Merchant.
	{5963, 5967, Shopping, 0.7, "Direct marketing"},
	{5968, 5968, Subscriptions, 0.85, "Direct Marketing – Continuity/Subscription Merchant"},
	{5969, 5969, Shopping, 0.6, "Direct Marketing – Other Direct Marketers (Not Elsewhere Classified)"},
	// 5970 Artist's Supply and Craft Shops; 5971 Art Dealers and Galleries; 5972 Stamp and
	// Coin Stores; 5973 Religious Goods Stores.
	{5970, 5974, Shopping, 0.85, "Art, craft, stamp and religious goods stores"},
	// 5975 Hearing Aids – Sales, Service, and Supply; 5976 Orthopedic Goods – Prosthetic
	// Devices.
	{5975, 5976, Health, 0.85, "Hearing aids and orthopedic goods"},
	{5977, 5977, Shopping, 0.8, "Cosmetic Stores"},
	{5978, 5978, Shopping, 0.7, "Typewriter Stores – Sales, Rentals, and Service"},
	{5979, 5982, Shopping, 0.5, "Miscellaneous stores (unassigned)"},
	{5983, 5983, Bills, 0.7, "Fuel Dealers – Fuel Oil, Wood, Coal, and Liquefied Petroleum"},
	{5984, 5991, Shopping, 0.5, "Miscellaneous stores (unassigned)"},
	// 5992 Florists; 5993 Cigar Stores and Stands; 5994 News Dealers and Newsstands; 5995 Pet
	// Shops, Pet Foods and Supplies Stores; 5996 Swimming Pools – Sales and Service; 5997
	// Electric Razor Stores – Sales and Service; 5998 Tent and Awning Shops.
	{5992, 5998, Shopping, 0.8, "Florists, tobacco, news, pet and other specialty shops"},
	{5999, 5999, Shopping, 0.5, "Miscellaneous and Specialty Retail Shops"},
}
