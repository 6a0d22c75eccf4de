"""The named sample applicants: each a :class:`~lendcheck.simulator.business.Profile` with a
story and planted risks. Amounts are cents."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from lendcheck.simulator.business import (
    BankSpec,
    CustomerSpec,
    LoanSpec,
    Profile,
    SupplierSpec,
)

AS_OF = date(2026, 10, 31)
START = date(2024, 11, 1)  # first day of the 24 months of statements

HARBOUR_CAFE = Profile(
    name="harbour-cafe",
    headline="healthy UK cafe: direct feed, reconciled within days, diversified customers",
    tenant_name="Harbour Cafe Ltd",
    sector="Cafe and catering",
    country="GB",
    currency="GBP",
    seed=20261031,
    as_of=AS_OF,
    months=24,
    start=START,
    fy_end_month=3,
    tax_name="VAT",
    tax_rate_bp=2000,
    tax_payee="HMRC VAT",
    banks=(
        BankSpec(
            "090",
            "Business Current Account",
            "current",
            1_842_317,
            (
                (START, "STMTIMPORTSRC/CSV"),
                (date(2025, 1, 1), "STMTIMPORTSRC/HSBCFEED"),
                (date(2025, 8, 11), "STMTIMPORTSRC/MANUAL"),
                (date(2025, 8, 18), "STMTIMPORTSRC/HSBCFEED"),
            ),
        ),
        BankSpec(
            "091",
            "Business Savings Account",
            "savings",
            2_500_000,
            ((START, "STMTIMPORTSRC/HSBCFEED"),),
        ),
    ),
    card_processor="SQUARE PAYOUT",
    card_daily=95_000,
    cash_weekly=60_000,
    customers=(
        CustomerSpec("Quayside Offices Ltd", 2.0, 38_000, terms=14, late_mean=2),
        CustomerSpec("Marina Yacht Club", 1.5, 52_000, terms=30, late_mean=5),
        CustomerSpec("St Anne's Primary School", 1.0, 29_000, terms=30, late_mean=8),
        CustomerSpec("Harbourside Dental", 1.0, 21_000, terms=14, late_mean=1),
        CustomerSpec("Coastline Events", 1.2, 84_000, terms=14, late_mean=9),
        CustomerSpec("The Lighthouse Gallery", 0.8, 18_500, terms=14, late_mean=3),
        CustomerSpec("Saltmarsh Estate Agents", 0.7, 24_000, terms=14, late_mean=4),
        CustomerSpec("Bayview Coworking", 1.5, 31_000, terms=14, late_mean=2),
    ),
    suppliers=(
        SupplierSpec("Brakes Foodservice", "300", 10, 48_000, terms=14),
        SupplierSpec("Union Roasters", "300", 4, 36_000, terms=30),
        SupplierSpec("Harbour Bakery", "300", 8, 14_500, terms=7),
        SupplierSpec("Freshways Dairy", "300", 8, 9_800, terms=14, taxed=False),
        SupplierSpec("Booker Wholesale", "300", 16, 6_500, mode="card"),
        SupplierSpec("Tesco Stores", "300", 10, 2_400, mode="card"),
        SupplierSpec("Amazon Marketplace", "485", 4, 3_900, mode="card"),
        SupplierSpec("Harbour Estates", "469", 1, 425_000, mode="dd", day=1),
        SupplierSpec("Octopus Energy", "445", 1, 61_000, mode="dd", day=12),
        SupplierSpec("South West Water", "445", 1, 14_000, mode="dd", day=16, taxed=False),
        SupplierSpec("BT Business", "489", 1, 7_200, mode="dd", day=20),
        SupplierSpec("Hiscox Insurance", "433", 1, 18_000, mode="dd", day=5, taxed=False),
        SupplierSpec("Xero UK", "485", 1, 4_700, mode="dd", day=9),
        SupplierSpec("Meta Platforms Ireland", "400", 2, 4_000, mode="card"),
        SupplierSpec("Screwfix", "449", 3, 2_800, mode="card"),
        SupplierSpec("Clarke & Co Accountants", "412", 0.34, 65_000, terms=30),
        SupplierSpec("Coastal Cleaning Services", "412", 1, 28_000, terms=14),
    ),
    staff=(
        "Amelia Turner",
        "Josh Patel",
        "Ella Hughes",
        "Liam O'Connor",
        "Sofia Rossi",
        "Noah Williams",
        "Grace Evans",
        "Mason Clark",
    ),
    wage=168_000,
    loan=LoanSpec("Funding Circle", 4_000_000, date(2023, 6, 3), 60, 890),
    savings_sweep=300_000,
    equipment=((date(2025, 3, 14), "La Marzocco UK", 1_150_000, 60),),
    opening_fixed=2_400_000,
    recon_lag=1.5,
    story=(
        "A busy harbour-front cafe in the UK with a wholesale and catering side. Card takings "
        "are paid out daily by Square, cash is banked weekly, office and event customers are "
        "invoiced on 14-30 day terms and mostly pay on time. Staff are paid monthly; VAT is "
        "filed quarterly; a Funding Circle loan from 2023 is repaid monthly; surplus cash is "
        "swept into a savings account. The bookkeeper reconciles within a few days."
    ),
    risks=(
        "None planted: the healthy baseline.",
        "The first two months of the current account came from CSV uploads before the HSBC "
        "feed was connected, and one week in August 2025 was keyed in by hand during a feed "
        "outage (statement balances not supplied there, as banks do).",
        "About one feed statement in ten has no bank-supplied balances (0 = not supplied).",
        "A few duplicate feed lines, all deleted by the bookkeeper.",
        "The last few days' lines are not yet reconciled.",
    ),
)


KOWHAI_BUILDERS = Profile(
    name="kowhai-builders",
    headline="stale bookkeeping: no reconciliation since March 2026, lines aged > 90 days",
    tenant_name="Kowhai Builders Limited",
    sector="Residential construction",
    country="NZ",
    currency="NZD",
    seed=4242,
    as_of=AS_OF,
    months=24,
    start=START,
    fy_end_month=3,
    tax_name="GST",
    tax_rate_bp=1500,
    tax_payee="IRD GST",
    tax_every_months=2,
    banks=(
        BankSpec(
            "090", "ASB Business Cheque", "current", 6_420_000, ((START, "STMTIMPORTSRC/ASBFEED"),)
        ),
        BankSpec("092", "ASB Visa Business", "card", -312_000, ((START, "STMTIMPORTSRC/YODLEE"),)),
    ),
    customers=(
        CustomerSpec("Harcourt Developments", 1.5, 2_900_000, terms=20, late_mean=12),
        CustomerSpec("Te Awa Homes", 1.2, 2_000_000, terms=20, late_mean=8),
        CustomerSpec("M & J Fraser", 0.5, 3_800_000, terms=14, late_mean=4),
        CustomerSpec("Ridgeline Property Trust", 0.8, 1_500_000, terms=20, late_mean=15),
        CustomerSpec("Waikanae Renovations", 1.0, 680_000, terms=14, late_mean=6),
        CustomerSpec("Sarah & Tom Whitcombe", 0.4, 2_500_000, terms=14, late_mean=2),
    ),
    suppliers=(
        SupplierSpec("Carters Building Supplies", "300", 4, 600_000, terms=20),
        SupplierSpec("PlaceMakers", "300", 3, 350_000, terms=20),
        SupplierSpec("Sparky Electrical Ltd", "310", 1.5, 500_000, terms=14),
        SupplierSpec("Pipeline Plumbing", "310", 1.5, 450_000, terms=14),
        SupplierSpec("Mitre 10 Mega", "300", 10, 18_000, mode="card", bank="092"),
        SupplierSpec("Z Energy", "449", 12, 11_000, mode="card", bank="092"),
        SupplierSpec("Bunnings Warehouse", "300", 6, 14_000, mode="card", bank="092"),
        SupplierSpec("Spark NZ", "489", 1, 21_000, mode="dd", day=20),
        SupplierSpec("Vero Insurance", "433", 1, 96_000, mode="dd", day=5, taxed=False),
        SupplierSpec("Yard Lease - Kapiti Industrial", "469", 1, 280_000, mode="dd", day=1),
        SupplierSpec("Xero NZ", "485", 1, 8_500, mode="dd", day=9),
    ),
    staff=("Hemi Walker", "Jack Thompson", "Aroha Ngata", "Ben Mitchell", "Lachie Brown"),
    wage=520_000,
    payroll_tax_payee="IRD PAYE",
    pension_payee="IRD KIWISAVER",
    loan=LoanSpec("ASB Equipment Finance", 9_500_000, date(2024, 2, 3), 48, 1090),
    card_topup=True,
    opening_fixed=14_500_000,
    recon_lag=3.0,
    recon_stop=date(2026, 3, 31),
    duplicate_rate=0.006,
    delete_duplicates=False,
    story=(
        "A Kapiti Coast builder doing new homes and renovations on progress claims, buying "
        "materials on account and on a Visa business card (fed through Yodlee), with five "
        "staff and an equipment loan. The office manager who kept Xero reconciled left at the "
        "end of March 2026; since then nobody has reconciled the bank, although invoices and "
        "bills are still entered."
    ),
    risks=(
        "Stale bookkeeping: no reconciliation since 31 March 2026, so hundreds of statement "
        "lines are unreconciled and most are aged more than 90 days.",
        "Receivables look inflated: customer payments since April 2026 are in the bank but not "
        "matched to their invoices, so the invoices still show as owed.",
        "Spend since April 2026 that is booked only at reconciliation is missing from the P&L; "
        "ledger cash (CashValidation cashAccount) drifts away from the bank balance.",
        "Duplicate feed lines left undeleted: Xero's indicative balances drift from the "
        "bank-supplied statement balances.",
        "GST is filed two-monthly; the GST and PAYE payments since April are unreconciled.",
    ),
)

SUNDOWN_WHOLESALE = Profile(
    name="sundown-wholesale",
    headline="doctored bank data: keyed/uploaded receipts the bank never sent",
    tenant_name="Sundown Wholesale Pty Ltd",
    sector="Food wholesale",
    country="AU",
    currency="AUD",
    seed=777,
    as_of=AS_OF,
    months=24,
    start=START,
    fy_end_month=6,
    tax_name="GST",
    tax_rate_bp=1000,
    tax_payee="ATO BAS",
    banks=(
        BankSpec(
            "090",
            "CBA Business Transaction",
            "current",
            3_870_500,
            ((START, "STMTIMPORTSRC/CBAFEED"),),
        ),
        BankSpec(
            "091",
            "CBA Business Online Saver",
            "savings",
            1_000_000,
            ((START, "STMTIMPORTSRC/CBAFEED"),),
        ),
    ),
    customers=(
        CustomerSpec("Gold Coast Grocers", 3.0, 1_400_000, terms=30, late_mean=10),
        CustomerSpec("Byron Bay Provisions", 2.0, 900_000, terms=30, late_mean=6),
        CustomerSpec("Noosa Fine Foods", 2.5, 840_000, terms=30, late_mean=14),
        CustomerSpec("Brisbane Restaurant Group", 2.0, 1_580_000, terms=30, late_mean=20),
        CustomerSpec("Sunshine Coast Cafes", 3.0, 420_000, terms=14, late_mean=5),
        CustomerSpec("Tweed Heads IGA", 1.5, 1_150_000, terms=30, late_mean=9),
    ),
    suppliers=(
        SupplierSpec("Bidfood Australia", "300", 5, 1_100_000, terms=30),
        SupplierSpec("Murray Valley Produce", "300", 4, 700_000, terms=21, taxed=False),
        SupplierSpec("Coastal Cold Chain Logistics", "310", 4, 210_000, terms=14),
        SupplierSpec("Ampol", "449", 8, 24_000, mode="card"),
        SupplierSpec("Officeworks", "485", 2, 9_000, mode="card"),
        SupplierSpec("Origin Energy", "445", 1, 180_000, mode="dd", day=14),
        SupplierSpec("Telstra", "489", 1, 26_000, mode="dd", day=22),
        SupplierSpec("Warehouse Rent - Burleigh Industrial", "469", 1, 650_000, mode="dd", day=1),
        SupplierSpec("Allianz Business Insurance", "433", 1, 88_000, mode="dd", day=6, taxed=False),
    ),
    staff=("Mia Nguyen", "Jake Sullivan", "Chloe Anderson", "Ryan Kelly"),
    wage=540_000,
    payroll_tax_payee="ATO PAYG",
    pension_payee="AUSTRALIANSUPER",
    savings_sweep=200_000,
    opening_fixed=6_800_000,
    recon_lag=2.0,
    fake_receipts=(("STMTIMPORTSRC/MANUAL", 14), ("STMTIMPORTSRC/CSV", 9)),
    ghost_receipts=9,
    typed_balance_offset=4_275_000,
    story=(
        "A Gold Coast food wholesaler supplying grocers and restaurants on 30-day terms. The "
        "CBA feed is connected and reconciled promptly, but in the six months before applying "
        "the director keyed statement lines in by hand and uploaded CSV 'statements' holding "
        "customer receipts that never reached the bank, raised invoices to match and "
        "reconciled them, and booked further receive-money entries with no bank line at all."
    ),
    risks=(
        "Doctored bank data: manual (STMTIMPORTSRC/MANUAL) and uploaded (STMTIMPORTSRC/CSV) "
        "statement lines adding customer receipts the bank never sent, reconciled to invoices "
        "raised for them (round amounts, invoice numbers out of date order).",
        "Typed statement balances on those statements do not chain with the bank feed's "
        "balances (they claim a higher balance than the bank's).",
        "Xero's indicative balances run above the bank-supplied feed balances from the first "
        "fake line on.",
        "Ledger cash above the bank: receive-money entries in the ledger with no statement "
        "line (CashValidation cashAccount unreconciledAmountPos, accountBalance above the "
        "statement balance).",
        "Revenue inflated by the fake receipts and ghost entries.",
    ),
)

NORTHGATE_HAULAGE = Profile(
    name="northgate-haulage",
    headline="one dominant customer, receivables aged > 90 days",
    tenant_name="Northgate Haulage Ltd",
    sector="Road haulage",
    country="GB",
    currency="GBP",
    seed=31337,
    as_of=AS_OF,
    months=24,
    start=START,
    fy_end_month=12,
    tax_name="VAT",
    tax_rate_bp=2000,
    tax_payee="HMRC VAT",
    banks=(
        BankSpec(
            "090",
            "Barclays Business Current",
            "current",
            15_000_000,
            ((START, "STMTIMPORTSRC/BARCLAYSFEED"),),
        ),
        BankSpec(
            "092",
            "Barclaycard Business",
            "card",
            -185_000,
            ((START, "STMTIMPORTSRC/BARCLAYSFEED"),),
        ),
    ),
    customers=(
        CustomerSpec(
            "Fenwick Retail Group plc", 4.0, 2_000_000, terms=60, late_mean=70, never_pays=0.08
        ),
        CustomerSpec("Pennine Paper Mills", 1.0, 420_000, terms=30, late_mean=6),
        CustomerSpec("Tyneside Builders Merchants", 0.8, 260_000, terms=30, late_mean=10),
        CustomerSpec("Dales Dairy Co-operative", 0.6, 310_000, terms=30, late_mean=4),
    ),
    suppliers=(
        SupplierSpec("Certas Energy Fuel Cards", "300", 3, 700_000, terms=14),
        SupplierSpec("Northern Truck Repairs", "310", 2, 240_000, terms=30),
        SupplierSpec("Michelin Tyre Services", "310", 1, 180_000, terms=30),
        SupplierSpec("Shell Service Station", "449", 10, 9_000, mode="card", bank="092"),
        SupplierSpec("Moto Hospitality", "449", 8, 1_900, mode="card", bank="092"),
        SupplierSpec("Dart Charge", "449", 6, 800, mode="card", bank="092", taxed=False),
        SupplierSpec("Yard Rent - Team Valley Estate", "469", 1, 520_000, mode="dd", day=1),
        SupplierSpec("Aviva Fleet Insurance", "433", 1, 410_000, mode="dd", day=3, taxed=False),
        SupplierSpec("Vodafone Business", "489", 1, 16_000, mode="dd", day=18),
        SupplierSpec("Sage Payroll", "485", 1, 6_000, mode="dd", day=10),
    ),
    staff=(
        "Gary Dodds",
        "Kevin Charlton",
        "Paul Robson",
        "Steve Milburn",
        "Dave Armstrong",
        "Lee Tait",
        "Janet Forster",
    ),
    wage=245_000,
    loan=LoanSpec("Close Brothers Asset Finance", 18_000_000, date(2024, 5, 3), 60, 1150),
    card_topup=True,
    opening_fixed=32_000_000,
    recon_lag=2.0,
    story=(
        "A Gateshead haulier with a fleet on asset finance. Most of its work is for one "
        "retail group on 60-day terms, which has been stretching payments to four or five "
        "months and disputing some loads; the smaller customers pay on time. Fuel, tyres and "
        "repairs are bought on account; drivers use a Barclaycard for diesel and tolls."
    ),
    risks=(
        "One dominant customer: Fenwick Retail Group plc is about 90% of revenue.",
        "Receivables pile-up: Fenwick pays 60-day invoices about 70 days late and about one "
        "invoice in twelve is never paid, so a large part of what it owes is aged over 90 days.",
        "Cash is tight against heavy asset-finance repayments; the bank books are otherwise "
        "reconciled within days.",
    ),
)

FERNLEAF_STUDIO = Profile(
    name="fernleaf-studio",
    headline="young business: seven months of history",
    tenant_name="Fernleaf Studio Pty Ltd",
    sector="Design studio",
    country="AU",
    currency="AUD",
    seed=2026,
    as_of=AS_OF,
    months=7,
    start=date(2026, 4, 1),
    fy_end_month=6,
    tax_name="GST",
    tax_rate_bp=1000,
    tax_payee="ATO BAS",
    banks=(
        BankSpec(
            "090",
            "NAB Business Everyday",
            "current",
            0,
            ((date(2026, 4, 1), "STMTIMPORTSRC/NABFEED"),),
        ),
    ),
    card_processor="STRIPE PAYMENTS AU",
    card_daily=21_000,
    card_fee_bp=175,
    customers=(
        CustomerSpec("Collingwood Coffee Co", 1.0, 480_000, terms=14, late_mean=3),
        CustomerSpec("Yarra Valley Wines", 0.6, 950_000, terms=14, late_mean=7),
        CustomerSpec("Brunswick Bikes", 0.8, 260_000, terms=14, late_mean=2),
        CustomerSpec("Fitzroy Dental Group", 0.5, 340_000, terms=14, late_mean=5),
    ),
    suppliers=(
        SupplierSpec("Adobe Systems", "485", 1, 12_900, mode="dd", day=4),
        SupplierSpec("Figma", "485", 1, 6_000, mode="dd", day=11),
        SupplierSpec("Hub Australia Coworking", "469", 1, 180_000, mode="dd", day=1),
        SupplierSpec("Freelance Illustrators Collective", "310", 1.5, 220_000, terms=14),
        SupplierSpec("JB Hi-Fi", "485", 0.5, 60_000, mode="card"),
        SupplierSpec("Uber", "449", 4, 2_800, mode="card"),
    ),
    staff=("Priya Shah",),
    wage=610_000,
    payroll_tax_payee="ATO PAYG",
    pension_payee="HOSTPLUS SUPER",
    equipment=((date(2026, 4, 9), "Apple Store Chadstone", 890_000, 36),),
    capital=5_000_000,
    owner="Olivia Bennett",
    growth_bp=600,
    recon_lag=1.0,
    story=(
        "A Melbourne brand-design studio that opened on 1 April 2026: the founder put in "
        "A$50,000, bought equipment, took on one designer and sells both client projects on "
        "14-day invoices and templates online through Stripe. Seven months of history, growing "
        "fast from a small base."
    ),
    risks=(
        "Young business: seven months of books and bank statements only; the previous-year "
        "reports are empty and every year-on-year comparison is missing.",
        "Small customer base: four invoiced clients.",
    ),
)

MESA_ROASTERS = Profile(
    name="mesa-roasters",
    headline="US organisation: Cashflow refused (400)",
    tenant_name="Mesa Coffee Roasters LLC",
    sector="Coffee roasting and wholesale",
    country="US",
    currency="USD",
    seed=1848,
    as_of=AS_OF,
    months=24,
    start=START,
    fy_end_month=12,
    tax_name="Sales Tax",
    tax_rate_bp=825,
    tax_payee="TEXAS COMPTROLLER",
    banks=(
        BankSpec(
            "090",
            "Chase Total Business Checking",
            "current",
            4_150_000,
            ((START, "STMTIMPORTSRC/QBO"), (date(2024, 12, 1), "STMTIMPORTSRC/YODLEE")),
        ),
        BankSpec(
            "092", "Chase Ink Business Card", "card", -240_000, ((START, "STMTIMPORTSRC/YODLEE"),)
        ),
    ),
    card_processor="SHOPIFY PAYMENTS",
    card_daily=90_000,
    card_fee_bp=290,
    customers=(
        CustomerSpec("Austin Bean Bar", 2.0, 380_000, terms=30, late_mean=6),
        CustomerSpec("Hill Country Grocers", 1.5, 840_000, terms=30, late_mean=9),
        CustomerSpec("Lone Star Hotels", 1.0, 720_000, terms=45, late_mean=12),
        CustomerSpec("South Congress Cafe", 2.0, 190_000, terms=15, late_mean=3),
        CustomerSpec("Round Rock Office Supply", 0.8, 300_000, terms=30, late_mean=5),
    ),
    suppliers=(
        SupplierSpec("Royal Coffee Importers", "300", 2, 1_100_000, terms=30, taxed=False),
        SupplierSpec("Packaging Direct Inc", "300", 2, 260_000, terms=30),
        SupplierSpec("UPS", "310", 8, 18_000, mode="card", bank="092"),
        SupplierSpec("Home Depot", "300", 3, 9_000, mode="card", bank="092"),
        SupplierSpec("Austin Energy", "445", 1, 88_000, mode="dd", day=15, taxed=False),
        SupplierSpec(
            "Roastery Lease - Eastside Industrial", "469", 1, 540_000, mode="dd", day=1, taxed=False
        ),
        SupplierSpec("Shopify", "485", 1, 29_900, mode="dd", day=8, taxed=False),
        SupplierSpec("The Hartford", "433", 1, 61_000, mode="dd", day=6, taxed=False),
    ),
    staff=("Carlos Mendez", "Hannah Brooks", "Tyler Reed", "Maya Johnson"),
    wage=330_000,
    payroll_tax_payee="IRS USATAXPYMT",
    pension_payee="GUIDELINE 401K",
    tax_every_months=1,
    card_topup=True,
    equipment=((date(2025, 5, 20), "Loring Smart Roast", 3_800_000, 84),),
    opening_fixed=2_200_000,
    recon_lag=2.0,
    story=(
        "An Austin, Texas coffee roaster selling beans online through Shopify and wholesale to "
        "cafes, grocers and hotels on 15-45 day terms. Its books moved to Xero from QuickBooks "
        "in November 2024 (the first month of statement lines came across in the migration); "
        "the Chase accounts are fed through Yodlee. Texas sales tax is filed monthly."
    ),
    risks=(
        "US organisation: Xero refuses the Cashflow statement (400 invalid-request, "
        "recorded as a failed call in the manifest); the report must say it is missing.",
        "The first month of statement lines came from a QuickBooks migration "
        "(STMTIMPORTSRC/QBO): counted as 'other' in CashValidation dataSource.",
        "Otherwise healthy: reconciled within days, diversified wholesale customers.",
    ),
)

#: Kowhai Builders as a lender without Finance API access sees it: the Accounting API alone.
KOWHAI_BUILDERS_ACCOUNTING = replace(
    KOWHAI_BUILDERS,
    name="kowhai-accounting",
    source="accounting",
    headline="kowhai-builders from the Accounting API only: no statement lines",
    story=KOWHAI_BUILDERS.story
    + " This sample holds the same books as kowhai-builders, fetched with the Accounting API "
    "only (`lendcheck fetch --source accounting`), as a lender or broker without Finance API "
    "access would: there are no bank statement lines, so reconciliation is read from the "
    "ledger's bank transactions (IsReconciled) and every statement-line figure is absent.",
)

COPPERLEAF_CATERING = replace(
    HARBOUR_CAFE,
    name="copperleaf-catering",
    headline="behaviour signals: hidden loan, unpaid VAT, dishonoured receipts, overdrawn days",
    tenant_name="Copperleaf Catering Ltd",
    sector="Cafe and event catering",
    seed=20261118,
    loan=None,
    equipment=((date(2026, 6, 15), "Rational UK", 9_000_000, 60),),
    hidden_loan=("iwoca", 61_750, date(2025, 5, 3)),
    dishonoured_receipts=3,
    blank_lines=90,
    late_lines=(80, 75),
    tax_unpaid_from=date(2026, 2, 1),
    round_sum_receipts=("C Reid", 100, date(2026, 8, 4)),
    story=(
        "A UK cafe with an event catering side, run like harbour-cafe (daily Square payouts, "
        "weekly cash, invoiced office and event customers, monthly payroll, quarterly VAT) "
        "but under strain: a short-term loan from iwoca since May 2025 is repaid by direct "
        "debit and booked as interest, the VAT returns due since February 2026 were not "
        "paid, a combi oven bought in June 2026 overdrew the current account for a month, "
        "some customers' payments bounced, the owner types small cash purchases by hand, "
        "some without any description and some months late, and since August 2026, with the "
        "loan application in view, the owner has paid his own money in from his personal "
        "account in round sums, referenced as event bookings and booked as sales."
    ),
    risks=(
        "Undisclosed debt: monthly iwoca repayments of 617.50 since May 2025 (LOAN REPAYMENT), "
        "booked to Interest Expense; the balance sheet holds no loan.",
        "Tax arrears: the VAT returns due from February 2026 are unpaid, so VAT owed grows "
        "and the last HMRC VAT payment is in November 2025 (PAYE is still paid).",
        "Three customer receipts dishonoured two days later (DISHONOUR lines).",
        "The current account is overdrawn for 31 days after a 108,000.00 oven purchase in June "
        "2026.",
        "90 typed payments with neither payee nor reference; 80 typed 75 days and more after "
        "their date.",
        "Round-sum receipts: 100 payments in of whole hundreds (100.00 to 600.00) from the "
        "owner (C REID, EVENT BOOKING) from 4 August 2026, booked as sales with VAT: the "
        "owner's money dressed as takings.",
    ),
)

TIDEWATER_KAYAKS = Profile(
    name="tidewater-kayaks",
    headline="seasonal sole trader: summer takings only, below the VAT threshold, no tax paid",
    tenant_name="Tidewater Kayak Hire",
    sector="Kayak and paddleboard hire",
    country="GB",
    currency="GBP",
    seed=20260706,
    as_of=AS_OF,
    months=24,
    start=START,
    fy_end_month=3,
    tax_name="VAT",
    tax_rate_bp=0,
    tax_payee="HMRC VAT",
    banks=(
        BankSpec(
            "090",
            "Business Account",
            "current",
            2_150_000,
            ((START, "STMTIMPORTSRC/BARCLAYSFEED"),),
        ),
    ),
    card_processor="SUMUP PAYOUT",
    card_daily=17_000,
    card_fee_bp=169,
    season_amplitude=1.6,
    suppliers=(
        SupplierSpec("Harbour Commissioners", "469", 1, 38_000, mode="dd", day=1, taxed=False),
        SupplierSpec("Towergate Insurance", "433", 1, 9_500, mode="dd", day=6, taxed=False),
        SupplierSpec("Vodafone", "489", 1, 2_400, mode="dd", day=18, taxed=False),
        SupplierSpec("Go Outdoors", "300", 0.6, 12_000, mode="card", taxed=False),
        SupplierSpec("Shell", "449", 3, 4_500, mode="card", taxed=False),
    ),
    growth_bp=0,
    recon_lag=3.0,
    story=(
        "A sole trader hiring kayaks and paddleboards from a Cornish harbour from Easter to "
        "October, paid by card through SumUp. The owner works alone (no payroll) and the "
        "takings, about 45,000 a year, are below the VAT registration threshold, so no VAT "
        "is charged; income tax is the owner's own, paid from his personal account. From "
        "November to February the business takes nothing and lives on the summer's cash."
    ),
    risks=(
        "Volatile receipts: nothing from November to February, most of the year's takings "
        "in June to August (monthly receipts' coefficient of variation above 0.75).",
        "No payment to any tax authority from the business account in two years: below the "
        "VAT threshold, no staff, income tax paid personally (the no_tax_payments rule is "
        "amber only for this reason).",
    ),
)

SAMPLES: dict[str, Profile] = {
    p.name: p
    for p in (
        HARBOUR_CAFE,
        KOWHAI_BUILDERS,
        SUNDOWN_WHOLESALE,
        NORTHGATE_HAULAGE,
        FERNLEAF_STUDIO,
        MESA_ROASTERS,
        KOWHAI_BUILDERS_ACCOUNTING,
        COPPERLEAF_CATERING,
        TIDEWATER_KAYAKS,
    )
}
