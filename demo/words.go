package demo

// sector groups job titles with the skills candidates for them have.
type sector struct {
	name   string
	titles []string
	skills []string
}

var sectors = []sector{
	{"Healthcare", []string{"Staff Nurse", "Senior Staff Nurse", "Healthcare Assistant", "Care Home Manager", "Physiotherapist", "Occupational Therapist", "Theatre Practitioner", "Ward Manager"},
		[]string{"Patient care", "Medication administration", "NMC registered", "Wound care", "Phlebotomy", "Dementia care", "Manual handling", "Safeguarding", "Care planning", "Rehabilitation"}},
	{"Technology", []string{"Software Engineer", "Senior Go Developer", "Frontend Developer", "DevOps Engineer", "Data Analyst", "IT Support Technician", "Product Manager", "QA Engineer"},
		[]string{"Go", "Python", "JavaScript", "TypeScript", "PostgreSQL", "Kubernetes", "AWS", "React", "SQL", "Linux", "Terraform", "CI/CD", "Agile"}},
	{"Finance", []string{"Management Accountant", "Payroll Administrator", "Credit Controller", "Financial Analyst", "Finance Manager", "Accounts Payable Clerk"},
		[]string{"ACCA", "CIMA", "Xero", "Sage", "Excel", "Month-end close", "Payroll", "Budgeting", "Forecasting", "VAT returns"}},
	{"Logistics", []string{"Warehouse Operative", "Forklift Driver", "HGV Class 1 Driver", "Transport Planner", "Shift Supervisor", "Stock Controller"},
		[]string{"Counterbalance licence", "Reach truck", "Class 1 licence", "CPC", "Pick and pack", "Inventory management", "Health and safety", "WMS", "Team leadership"}},
	{"Hospitality", []string{"Head Chef", "Sous Chef", "Front of House Manager", "Event Staff", "Bartender", "Hotel Receptionist"},
		[]string{"Food hygiene level 2", "Menu planning", "Customer service", "Cash handling", "Opera PMS", "Barista", "Allergen awareness", "Events"}},
	{"Engineering", []string{"Maintenance Engineer", "Electrical Engineer", "CNC Machinist", "Project Engineer", "Quality Inspector", "Mechanical Fitter"},
		[]string{"PLC", "AutoCAD", "18th Edition", "Lean", "Six Sigma", "CNC programming", "Preventive maintenance", "ISO 9001", "Hydraulics"}},
}

var cities = []string{"London", "Manchester", "Birmingham", "Leeds", "Glasgow", "Bristol", "Liverpool", "Edinburgh", "Cardiff", "Sheffield",
	"Nottingham", "Newcastle", "Leicester", "Southampton", "Brighton", "Reading", "Cambridge", "Oxford", "Belfast", "York"}

var companyStems = []string{"Harbour", "Summit", "Meridian", "Oakwood", "Riverside", "Beacon", "Northgate", "Silverline", "Crescent", "Pennine",
	"Kestrel", "Bluebell", "Granite", "Lighthouse", "Evergreen", "Atlas", "Thistle", "Cobalt", "Marlow", "Westbrook", "Foxglove", "Ironbridge"}

var companySuffixes = []string{"Health", "Care Group", "Logistics", "Systems", "Foods", "Engineering", "Hotels", "Finance", "Digital", "Manufacturing",
	"Partners", "Medical", "Distribution", "Technologies", "Hospitality"}

var streets = []string{"High Street", "Station Road", "Church Lane", "Mill Road", "Victoria Street", "Park Avenue", "King Street", "Queens Road", "Market Square", "Canal Side"}

var sources = []string{"LinkedIn", "Referral", "Job board", "Website", "Agency database", "Event", "Indeed", "Returning candidate"}

var notices = []string{"Immediate", "1 week", "2 weeks", "1 month", "2 months", "3 months"}

var availabilities = []string{"Full time", "Part time", "Weekends only", "Nights", "Flexible", "From next month"}

var contactTitles = []string{"Hiring Manager", "HR Business Partner", "Head of Talent", "Operations Director", "Ward Manager", "Engineering Manager",
	"Finance Director", "Warehouse Manager", "General Manager", "Recruitment Lead"}
