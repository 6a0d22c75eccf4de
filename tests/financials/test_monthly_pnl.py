"""The monthly P&L series from either source, found by the period each P&L covers, with
hand-computed amounts in thousandths."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import polars as pl

from lendcheck.metrics.monthly_pnl import MONTHLY_PNL_SCHEMA, is_month, monthly_pnl_frame
from lendcheck.report.accounting_statements import _column_months
from lendcheck.xero.models import ProfitAndLoss

AS_OF = date(2026, 10, 31)


def _pnl(
    start: str, end: str, trading: str, direct: str, opex: str, other: str = "0"
) -> ProfitAndLoss:
    revenue = [{"title": "Trading Income", "total": D(trading), "accounts": []}]
    if other != "0":
        revenue.append({"title": "Other Income", "total": D(other), "accounts": []})
    return ProfitAndLoss.model_validate(
        {
            "startDate": start,
            "endDate": end,
            "revenue": {"accountTypes": revenue},
            "expense": {
                "accountTypes": [
                    {"title": "Direct Costs", "total": D(direct), "accounts": []},
                    {"title": "Operating Expenses", "total": D(opex), "accounts": []},
                ]
            },
        }
    )


def test_which_periods_are_months() -> None:
    assert is_month(date(2026, 9, 1), date(2026, 9, 30), AS_OF)
    assert is_month(date(2024, 2, 1), date(2024, 2, 29), AS_OF)
    assert is_month(date(2026, 10, 1), date(2026, 10, 15), date(2026, 10, 15))  # to the report date
    assert not is_month(date(2026, 9, 1), date(2026, 9, 15), AS_OF)  # a part month before
    assert not is_month(date(2026, 9, 2), date(2026, 9, 30), AS_OF)
    assert not is_month(date(2026, 8, 1), date(2026, 9, 30), AS_OF)  # two months
    assert not is_month(date(2026, 11, 1), date(2026, 11, 30), AS_OF)  # after the report date


def test_accounting_columns_are_the_months_before_a_whole_month() -> None:
    whole = {"fromDate": "2026-10-01", "toDate": "2026-10-31", "periods": "11"}
    assert _column_months(whole, 3) == [
        (date(2026, 10, 1), date(2026, 10, 31)),
        (date(2026, 9, 1), date(2026, 9, 30)),
        (date(2026, 8, 1), date(2026, 8, 31)),
    ]
    # After a part month Xero's earlier columns are not documented: not read.
    part = {"fromDate": "2026-10-01", "toDate": "2026-10-15"}
    assert _column_months(part, 2) == [(date(2026, 10, 1), date(2026, 10, 15)), None]
    assert _column_months({"fromDate": "x"}, 2) == [None, None]


def test_frame_from_both_sources_in_thousandths() -> None:
    """September from the Accounting API; October from both (the Finance API's wins).
    October: revenue 1,000.00 (other income 50.00 is not revenue), cost of sales 400.00, gross
    profit 600.00, operating expenses 300.00, net profit 1,050.00 - 700.00 = 350.00."""
    october = _pnl("2026-10-01", "2026-10-31", "1000.00", "400.00", "300.00", other="50.00")
    september = _pnl("2026-09-01", "2026-09-30", "1200.50", "500.25", "300.00")
    stale_october = _pnl("2026-10-01", "2026-10-31", "9.00", "0", "0")
    frame = monthly_pnl_frame(
        {date(2026, 10, 1): october},
        {date(2026, 9, 1): september, date(2026, 10, 1): stale_october},
        AS_OF,
        "GBP",
    )
    assert frame.schema == pl.Schema(MONTHLY_PNL_SCHEMA)
    assert frame.to_dicts() == [
        {
            "month": date(2026, 9, 1),
            "start_date": date(2026, 9, 1),
            "end_date": date(2026, 9, 30),
            "complete": True,
            "source": "accounting",
            "revenue": 1_200_500,
            "cost_of_sales": 500_250,
            "gross_profit": 700_250,  # 1,200.50 - 500.25
            "operating_expenses": 300_000,
            "net_profit": 400_250,  # 1,200.50 - 800.25
        },
        {
            "month": date(2026, 10, 1),
            "start_date": date(2026, 10, 1),
            "end_date": date(2026, 10, 31),
            "complete": True,
            "source": "finance",
            "revenue": 1_000_000,
            "cost_of_sales": 400_000,
            "gross_profit": 600_000,
            "operating_expenses": 300_000,
            "net_profit": 350_000,
        },
    ]


def test_the_month_to_a_report_date_inside_it_is_not_complete() -> None:
    part = _pnl("2026-10-01", "2026-10-15", "10.00", "1.00", "2.00")
    frame = monthly_pnl_frame({date(2026, 10, 1): part}, {}, date(2026, 10, 15), "GBP")
    assert frame["complete"].to_list() == [False]
    assert frame["net_profit"].to_list() == [7_000]


def test_a_pnl_without_an_expense_section_has_null_costs_never_zero() -> None:
    pnl = ProfitAndLoss.model_validate(
        {
            "startDate": "2026-10-01",
            "endDate": "2026-10-31",
            "revenue": {"accountTypes": [{"title": "Sales", "total": D("5.00"), "accounts": []}]},
        }
    )
    row = monthly_pnl_frame({date(2026, 10, 1): pnl}, {}, AS_OF, "GBP").row(0, named=True)
    assert (row["revenue"], row["cost_of_sales"], row["operating_expenses"]) == (5_000, None, None)
