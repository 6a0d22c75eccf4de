"""The large benchmark sample: 10 bank accounts, 36 months, about a million statement lines."""

from __future__ import annotations

from datetime import date

from lendcheck.simulator.business import BankSpec, CustomerSpec, Profile, SupplierSpec

_START = date(2023, 11, 1)
_SITES = (
    "Leeds",
    "York",
    "Hull",
    "Sheffield",
    "Bradford",
    "Wakefield",
    "Harrogate",
    "Doncaster",
    "Halifax",
    "Huddersfield",
)

LARGE = Profile(
    name="large",
    tenant_name="Northstar Leisure Group Ltd",
    sector="Gym chain",
    country="GB",
    currency="GBP",
    seed=1_000_000,
    as_of=date(2026, 10, 31),
    months=36,
    start=_START,
    fy_end_month=3,
    tax_name="VAT",
    tax_rate_bp=2000,
    tax_payee="HMRC VAT",
    banks=tuple(
        BankSpec(
            f"{90 + i:03d}",
            f"Lloyds {site} Club Account",
            "current",
            2_500_000 + i * 10_000,
            ((_START, "STMTIMPORTSRC/LLOYDSFEED"),),
        )
        for i, site in enumerate(_SITES)
    ),
    customers=(CustomerSpec("Corporate Wellness Ltd", 6, 250_000, terms=30, late_mean=5),),
    suppliers=(
        SupplierSpec("Technogym UK", "300", 4, 300_000, terms=30),
        SupplierSpec("British Gas Business", "445", 1, 900_000, mode="dd", day=12),
        SupplierSpec("Club Premises Rent", "469", 1, 4_500_000, mode="dd", day=1),
    ),
    staff=tuple(f"Instructor {i:02d}" for i in range(40)),
    wage=190_000,
    bulk_receipts_daily=82,
    bulk_receipt_mean=3_300,
    bulk_spend_daily=8,
    bulk_spend_mean=2_500,
    recon_lag=2.0,
    headline="benchmark: 10 accounts, 36 months, ~1M statement lines",
    story="Ten gym clubs, each banking members' direct debits individually.",
    risks=("None planted: a volume benchmark.",),
)
