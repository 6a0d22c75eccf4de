"""The named sample applicants: each a :class:`~lendcheck.simulator.business.Profile` with a
story and planted risks. Amounts are cents."""

from __future__ import annotations

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
        BankSpec("090", "Business Current Account", "current", 1_842_317,
                 ((START, "STMTIMPORTSRC/CSV"), (date(2025, 1, 1), "STMTIMPORTSRC/HSBCFEED"),
                  (date(2025, 8, 11), "STMTIMPORTSRC/MANUAL"),
                  (date(2025, 8, 18), "STMTIMPORTSRC/HSBCFEED"))),
        BankSpec("091", "Business Savings Account", "savings", 2_500_000,
                 ((START, "STMTIMPORTSRC/HSBCFEED"),)),
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
    staff=("Amelia Turner", "Josh Patel", "Ella Hughes", "Liam O'Connor", "Sofia Rossi",
           "Noah Williams", "Grace Evans", "Mason Clark"),
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

SAMPLES: dict[str, Profile] = {p.name: p for p in (HARBOUR_CAFE,)}
