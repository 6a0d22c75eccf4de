"""Xero's Executive Summary of the month ending at the report date beside the 12 months
(issue 16 finding 1), on Demo Company (NZ) May 2014 and hand-computed values."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from lendcheck.metrics.analysis import FinancialInputs, analyse_financials
from lendcheck.metrics.financials import period_label
from lendcheck.xero.models import BalanceSheet, ProfitAndLoss

from .test_balance_sheet import _demo_company_may_2014

AS_OF = date(2014, 5, 31)


def _year() -> ProfitAndLoss:
    """The 12 months to May 2014 (hand-made): trading income 50,000.00, direct costs 8,000.00,
    operating expenses 13,000.00 over 365 days."""
    return ProfitAndLoss.model_validate(
        {
            "startDate": "2013-06-01",
            "endDate": "2014-05-31",
            "revenue": {
                "accountTypes": [
                    {"title": "Trading Income", "total": D("50000.00"), "accounts": []}
                ]
            },
            "expense": {
                "accountTypes": [
                    {"title": "Direct Costs", "total": D("8000.00"), "accounts": []},
                    {"title": "Operating Expenses", "total": D("13000.00"), "accounts": []},
                ]
            },
        }
    )


def _inputs(with_month: bool = True) -> FinancialInputs:
    bs, month = _demo_company_may_2014()
    missing = (
        {}
        if with_month
        else {
            "pnl_month": "the snapshot holds no /FinancialStatements/ProfitAndLoss call "
            "(endDate=2014-05-31, startDate=2014-05-01)"
        }
    )
    return FinancialInputs(
        pnl_current=_year(),
        pnl_month=ProfitAndLoss.model_validate(month) if with_month else None,
        balance_sheet_current=BalanceSheet.model_validate(bs),
        missing=missing,
        currency="NZD",
    )


def test_the_month_gives_xeros_may_2014_figures_beside_the_12_months() -> None:
    es = analyse_financials(_inputs(), None, AS_OF).executive_summary
    month, year = es.month, es.twelve_months
    assert es.balance_date == AS_OF
    assert (month.label, month.start_date, month.end_date, month.days_in_period) == (
        "May 2014",
        date(2014, 5, 1),
        date(2014, 5, 31),
        31,
    )
    # Xero's Demo Company (NZ), May 2014: creditor days 130.35 = 7,445.30 / 1,770.64 x 31
    assert round(month.creditor_days, 2) == 130.35
    assert round(month.debtor_days, 2) == 63.30  # 9,188.72 / 4,500.00 x 31
    assert month.trading_income.amount == D("4500.00")
    assert month.gross_profit.amount == D("3765.78")  # 4,500.00 - 734.22
    assert month.operating_expenses.amount == D("1036.42")
    assert month.net_profit.amount == D("2729.36")  # 4,500.00 - 1,770.64
    assert month.gross_margin == pytest.approx(0.83684)  # 3,765.78 / 4,500.00
    assert month.net_margin == pytest.approx(2729.36 / 4500)  # 0.6065
    assert month.not_available == {}
    # The same figures over the 12 months, on the same balance sheet.
    assert (year.label, year.days_in_period) == ("12 months to 2014-05-31", 365)
    assert round(year.debtor_days, 2) == 67.08  # 9,188.72 / 50,000.00 x 365 = 67.0777
    assert round(year.creditor_days, 2) == 129.41  # 7,445.30 / 21,000.00 x 365 = 129.4064
    assert year.gross_margin == pytest.approx(0.84)  # 42,000 / 50,000
    assert year.net_margin == pytest.approx(0.58)  # 29,000 / 50,000
    # The balance figures both use: Xero's short-term cash forecast 1,743.42.
    bs = analyse_financials(_inputs(), None, AS_OF).balance_sheet.current
    assert bs.short_term_cash_forecast.amount == D("1743.42")  # 9,188.72 - 7,445.30


def test_without_the_months_pnl_the_month_is_missing_never_zero() -> None:
    """An older snapshot has no one-month P&L: every month figure is None with the reason,
    the month is still labelled with the period asked for, the 12 months are unchanged."""
    es = analyse_financials(_inputs(with_month=False), None, AS_OF).executive_summary
    reason = (
        "the snapshot holds no /FinancialStatements/ProfitAndLoss call "
        "(endDate=2014-05-31, startDate=2014-05-01)"
    )
    month = es.month
    assert (month.label, month.start_date, month.end_date) == (
        "May 2014",
        date(2014, 5, 1),
        date(2014, 5, 31),
    )
    figures = ("trading_income", "gross_profit", "net_profit", "debtor_days", "creditor_days")
    assert [getattr(month, f) for f in figures] == [None] * 5
    assert {month.not_available[f] for f in figures} == {reason}
    assert round(es.twelve_months.creditor_days, 2) == 129.41


def test_period_labels() -> None:
    assert period_label(date(2026, 10, 1), date(2026, 10, 31)) == "October 2026"
    assert period_label(date(2024, 2, 1), date(2024, 2, 29)) == "February 2024"
    assert period_label(date(2025, 11, 1), date(2026, 10, 31)) == "12 months to 2026-10-31"
    assert period_label(date(2026, 10, 1), date(2026, 10, 15)) == "2026-10-01 to 2026-10-15"
    assert period_label(None, date(2026, 10, 15)) is None
