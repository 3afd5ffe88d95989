package category

// mccFrom6000 maps 6000–9999 by the ISO 18245 ranges: service providers
// (financial, insurance, lodging, personal services), business services, repair
// services, amusement and entertainment, professional services and membership
// organizations, government services, and the network-internal codes above.
// Conventions as in mccTo5999.
//
// Decisions: cash disbursement is Cash; the financial, money-transfer and stored
// value codes are Transfers (moving the customer's own money); insurance,
// rent, taxes, fines and government services are Bills; personal care (beauty,
// massage, spas, counseling) and sports membership clubs, mostly gyms, are
// Health; child care is Education; lotteries and betting are Entertainment.
var mccFrom6000 = []mccRange{
	// 6000–7299 Service providers.
	{6000, 6009, Transfers, 0.4, "Financial services (unassigned)"},
	// 6010 Financial Institutions – Manual Cash Disbursements; 6011 Financial Institutions –
	// Automated Cash Disbursements.
	{6010, 6011, Cash, 0.95, "Financial institutions – cash disbursements"},
	{6012, 6012, Transfers, 0.7, "Financial Institutions – Merchandise, Services, and Debt Repayment"},
	{6013, 6049, Transfers, 0.4, "Financial services (unassigned)"},
	// 6050 Quasi Cash – Member Financial Institution (Mastercard); 6051 Non-Financial
	// Institutions – Foreign Currency, Non-Fiat Currency (for example: Cryptocurrency), Money
	// Orders (Not Money Transfer), Account Funding (not Stored Value Load), Travelers Cheques,
	// and Debt Repayment.
	{6050, 6051, Transfers, 0.7, "Quasi cash and non-financial institutions"},
	{6052, 6210, Transfers, 0.4, "Financial services (unassigned)"},
	{6211, 6211, Transfers, 0.8, "Security Brokers/Dealers"},
	{6212, 6299, Transfers, 0.4, "Financial services (unassigned)"},
	// 6300 Insurance Sales, Underwriting, and Premiums; 6381 Insurance – Premiums
	// (Mastercard); 6399 Insurance – Not Elsewhere Classified (Mastercard).
	{6300, 6399, Bills, 0.9, "Insurance"},
	{6400, 6512, Other, 0.3, "Service providers (unassigned)"},
	{6513, 6513, Bills, 0.85, "Real Estate Agents and Managers – Rentals"},
	{6514, 6528, Other, 0.3, "Service providers (unassigned)"},
	// 6529 Remote Stored Value Load – Member Financial Institution; 6530 Remote Stored Value
	// Load – Merchant; 6531 Payment Service Provider; 6532 Payment Transaction – Member
	// Financial Institution; 6533 Payment Transaction – Merchant; 6534 Money Transfer – Member
	// Financial Institution; 6535 Value Purchase – Member Financial Institution; 6536
	// MoneySend Intracountry; 6537 MoneySend Intercountry; 6538 MoneySend Funding (all
	// Mastercard); 6540 Non-Financial Institutions – Stored Value Card Purchase/Load.
	{6529, 6540, Transfers, 0.8, "Stored value, payment and money transfer transactions"},
	{6541, 7010, Other, 0.3, "Service providers (unassigned)"},
	{7011, 7011, Travel, 0.95, "Lodging – Hotels, Motels, Resorts, Central Reservation Services (Not Elsewhere Classified)"},
	{7012, 7012, Travel, 0.85, "Timeshares"},
	{7013, 7031, Other, 0.3, "Service providers (unassigned)"},
	// 7032 Sporting and Recreational Camps; 7033 Trailer Parks and Campgrounds.
	{7032, 7033, Travel, 0.85, "Camps, trailer parks and campgrounds"},
	{7034, 7209, Other, 0.3, "Service providers (unassigned)"},
	// 7210 Laundry, Cleaning, and Garment Services; 7211 Laundries – Family and Commercial;
	// 7216 Dry Cleaners; 7217 Carpet and Upholstery Cleaning; 7221 Photographic Studios.
	{7210, 7229, Other, 0.6, "Laundry, cleaning and photographic studios"},
	{7230, 7230, Health, 0.6, "Beauty and Barber Shops"},
	// 7251 Shoe Repair Shops, Shoe Shine Parlors, and Hat Cleaning Shops; 7261 Funeral
	// Services and Crematories; 7273 Dating Services.
	{7231, 7275, Other, 0.6, "Personal services"},
	{7276, 7276, Bills, 0.7, "Tax Preparation Services"},
	{7277, 7277, Health, 0.6, "Counseling Services – Debt, Marriage, and Personal"},
	{7278, 7278, Shopping, 0.7, "Buying and Shopping Services and Clubs"},
	{7279, 7295, Other, 0.4, "Personal services (unassigned)"},
	{7296, 7296, Shopping, 0.7, "Clothing Rental – Costumes, Uniforms, Formal Wear"},
	// 7297 Massage Parlors; 7298 Health and Beauty Spas.
	{7297, 7298, Health, 0.7, "Massage parlors and health and beauty spas"},
	{7299, 7299, Other, 0.4, "Miscellaneous Personal Services (Not Elsewhere Classified)"},

	// 7300–7529 Business services: 7311 Advertising Services; 7321 Consumer Credit Reporting
	// Agencies; 7332 Blueprinting and Photocopying Services (Mastercard); 7333 Commercial
	// Photography, Art, and Graphics; 7338 Quick Copy, Reproduction, and Blueprinting
	// Services; 7339 Stenographic and Secretarial Support; 7342 Exterminating and
	// Disinfecting Services; 7349 Cleaning, Maintenance, and Janitorial Services; 7361
	// Employment Agencies and Temporary Help Services.
	{7300, 7371, Other, 0.5, "Business services"},
	// Software-as-a-service merchants commonly use 7372.
	{7372, 7372, Subscriptions, 0.6, "Computer Programming, Data Processing, and Integrated Systems Design Services"},
	{7373, 7374, Other, 0.4, "Business services (unassigned)"},
	{7375, 7375, Subscriptions, 0.6, "Information Retrieval Services"},
	// 7379 Computer Maintenance, Repair and Services (Not Elsewhere Classified); 7392
	// Management, Consulting, and Public Relations Services; 7393 Detective Agencies,
	// Protective Services, and Security Services, including Armored Cars, and Guard Dogs.
	{7376, 7393, Other, 0.5, "Business services"},
	// 7394 Equipment, Tool, Furniture, and Appliance Rental and Leasing; 7395 Photofinishing
	// Laboratories and Photo Developing.
	{7394, 7395, Shopping, 0.6, "Rental and leasing, photofinishing"},
	// 7399 Business Services (Not Elsewhere Classified).
	{7396, 7510, Other, 0.4, "Business services"},
	{7511, 7511, Transport, 0.85, "Truck Stops (Mastercard)"},
	{7512, 7512, Travel, 0.9, "Automobile Rental Agency"},
	{7513, 7513, Transport, 0.8, "Truck and Utility Trailer Rentals"},
	{7514, 7518, Transport, 0.4, "Automotive services (unassigned)"},
	{7519, 7519, Travel, 0.85, "Motor Home and Recreational Vehicle Rentals"},
	{7520, 7522, Transport, 0.4, "Automotive services (unassigned)"},
	// 7523 Parking Lots, Parking Meters and Garages; 7524 Express Payment Service Merchants –
	// Parking Lots and Garages (Mastercard).
	{7523, 7524, Transport, 0.95, "Parking lots, meters and garages"},
	{7525, 7529, Transport, 0.4, "Automotive services (unassigned)"},

	// 7530–7799 Repair services.
	// 7531 Automotive Body Repair Shops; 7534 Tire Retreading and Repair Shops; 7535
	// Automotive Paint Shops; 7538 Automotive Service Shops (Non-Dealer); 7542 Car Washes;
	// 7549 Towing Services.
	{7530, 7549, Transport, 0.85, "Automotive repair, car washes and towing"},
	// 7622 Electronics Repair Shops; 7623 Air Conditioning and Refrigeration Repair Shops;
	// 7629 Electrical and Small Appliance Repair Shops; 7631 Watch, Clock and Jewelry Repair;
	// 7641 Furniture – Reupholstery, Repair, and Refinishing; 7692 Welding Services; 7699
	// Miscellaneous Repair Shops and Related Services.
	{7550, 7777, Other, 0.5, "Repair services"},
	{7778, 7778, Cash, 0.8, "Citishare Cash Advance (Mastercard)"},
	{7779, 7799, Other, 0.4, "Repair services (unassigned)"},

	// 7800–7999 Amusement and entertainment.
	// 7800 Government-Owned Lotteries (US Region only); 7801 Government Licensed On-Line
	// Casinos (On-Line Gambling) (US Region only); 7802 Government-Licensed Horse/Dog Racing
	// (US Region only).
	{7800, 7802, Entertainment, 0.85, "Government-licensed lotteries, casinos and racing"},
	{7803, 7828, Entertainment, 0.5, "Amusement and entertainment (unassigned)"},
	{7829, 7829, Entertainment, 0.6, "Motion Picture and Video Tape Production and Distribution"},
	{7830, 7831, Entertainment, 0.5, "Amusement and entertainment (unassigned)"},
	{7832, 7832, Entertainment, 0.95, "Motion Picture Theaters"},
	{7833, 7840, Entertainment, 0.5, "Amusement and entertainment (unassigned)"},
	{7841, 7841, Entertainment, 0.85, "DVD/Video Tape Rental Stores"},
	{7842, 7910, Entertainment, 0.5, "Amusement and entertainment (unassigned)"},
	{7911, 7911, Entertainment, 0.75, "Dance Halls, Studios and Schools"},
	{7912, 7921, Entertainment, 0.5, "Amusement and entertainment (unassigned)"},
	// 7922 Ticket Agencies and Theatrical Producers (Except Motion Pictures); 7929 Bands,
	// Orchestras, and Miscellaneous Entertainers (Not Elsewhere Classified); 7932 Billiard
	// and Pool Establishments; 7933 Bowling Alleys.
	{7922, 7933, Entertainment, 0.9, "Tickets, shows, billiards and bowling"},
	{7934, 7940, Entertainment, 0.5, "Amusement and entertainment (unassigned)"},
	{7941, 7941, Entertainment, 0.85, "Commercial Sports, Professional Sports Clubs, Athletic Fields, and Sports Promoters"},
	{7942, 7990, Entertainment, 0.5, "Amusement and entertainment (unassigned)"},
	// 7991 Tourist Attractions and Exhibits; 7992 Public Golf Courses; 7993 Video Amusement
	// Game Supplies; 7994 Video Game Arcades/Establishments; 7995 Betting, including Lottery
	// Tickets, Casino Gaming Chips, Off-Track Betting, and Wagers at Race Tracks; 7996
	// Amusement Parks, Circuses, Carnivals, and Fortune Tellers.
	{7991, 7996, Entertainment, 0.9, "Attractions, golf, arcades, betting and amusement parks"},
	{7997, 7997, Health, 0.7, "Membership Clubs (Sports, Recreation, Athletic), Country Clubs, and Private Golf Courses"},
	{7998, 7998, Entertainment, 0.9, "Aquariums, Seaquariums, Dolphinariums, and Zoos"},
	{7999, 7999, Entertainment, 0.7, "Recreation Services (Not Elsewhere Classified)"},

	// 8000–8999 Professional services and membership organizations.
	{8000, 8010, Health, 0.5, "Medical services (unassigned)"},
	// 8011 Doctors and Physicians (Not Elsewhere Classified); 8021 Dentists and Orthodontists;
	// 8031 Osteopaths; 8041 Chiropractors; 8042 Optometrists and Ophthalmologists; 8043
	// Opticians, Optical Goods, and Eyeglasses; 8049 Podiatrists and Chiropodists; 8050
	// Nursing and Personal Care Facilities; 8062 Hospitals; 8071 Medical and Dental
	// Laboratories.
	{8011, 8098, Health, 0.95, "Doctors, dentists, hospitals and medical services"},
	{8099, 8099, Health, 0.9, "Medical Services and Health Practitioners (Not Elsewhere Classified)"},
	// 8111 Legal Services and Attorneys.
	{8100, 8210, Other, 0.6, "Legal services"},
	// 8211 Elementary and Secondary Schools; 8220 Colleges, Universities, Professional
	// Schools, and Junior Colleges; 8241 Correspondence Schools; 8244 Business and
	// Secretarial Schools; 8249 Vocational and Trade Schools.
	{8211, 8298, Education, 0.95, "Schools, colleges and universities"},
	{8299, 8299, Education, 0.9, "Schools and Educational Services (Not Elsewhere Classified)"},
	{8300, 8350, Other, 0.4, "Professional services (unassigned)"},
	{8351, 8351, Education, 0.8, "Child Care Services"},
	// 8398 Charitable Social Service Organizations; 8641 Civic, Social, and Fraternal
	// Associations; 8651 Political Organizations; 8661 Religious Organizations.
	{8352, 8674, Other, 0.6, "Charitable, civic, political and religious organizations"},
	{8675, 8675, Transport, 0.7, "Automobile Associations"},
	// 8699 Membership Organizations (Not Elsewhere Classified); 8734 Testing Laboratories
	// (Non-Medical Testing); 8911 Architectural, Engineering, and Surveying Services; 8931
	// Accounting, Auditing, and Bookkeeping Services; 8999 Professional Services (Not
	// Elsewhere Classified).
	{8676, 8999, Other, 0.6, "Membership organizations and professional services"},

	// 9000–9999 Reserved for ISO use (9000–9199), government services (9200–9402), other.
	{9000, 9199, Other, 0.2, "Reserved for ISO use"},
	{9200, 9210, Bills, 0.5, "Government services (unassigned)"},
	// 9211 Court Costs, Including Alimony and Child Support; 9222 Fines; 9223 Bail and Bond
	// Payments.
	{9211, 9223, Bills, 0.85, "Court costs, fines, bail and bond payments"},
	{9224, 9310, Bills, 0.5, "Government services (unassigned)"},
	{9311, 9311, Bills, 0.95, "Tax Payments"},
	{9312, 9398, Bills, 0.5, "Government services (unassigned)"},
	{9399, 9399, Bills, 0.85, "Government Services (Not Elsewhere Classified)"},
	{9400, 9401, Bills, 0.5, "Government services (unassigned)"},
	{9402, 9402, Bills, 0.7, "Postal Services – Government Only"},
	{9403, 9404, Other, 0.3, "Other (unassigned)"},
	{9405, 9405, Bills, 0.85, "U.S. Federal Government Agencies or Departments"},
	{9406, 9406, Entertainment, 0.85, "Government-Owned Lotteries (Non-U.S. region)"},
	// 9700 Automated Referral Service; 9701 Visa Credential Server; 9702 Emergency Services
	// (GCAS) (Visa use only): network-internal codes.
	{9407, 9750, Other, 0.3, "Network-internal and unassigned codes"},
	{9751, 9751, Groceries, 0.9, "U.K. Supermarkets, Electronic Hot File (Mastercard)"},
	{9752, 9752, Transport, 0.9, "U.K. Petrol Stations, Electronic Hot File (Mastercard)"},
	{9753, 9753, Shopping, 0.8, "Consumer Electronics/Furniture Store (Mastercard)"},
	{9754, 9754, Entertainment, 0.8, "Quasi Cash – Gambling-Horse Racing, Dog Racing, State Lotteries (Mastercard)"},
	{9755, 9949, Other, 0.3, "Other (unassigned)"},
	{9950, 9950, Other, 0.5, "Intra-Company Purchases"},
	{9951, 9999, Other, 0.3, "Other (unassigned)"},
}
