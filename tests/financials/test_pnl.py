"""Profit and loss figures, margins, EBITDA and growth: hand-computed on small P&Ls."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from lendcheck.metrics.financials import (
    addback_kind,
    period_days,
    period_months,
    pnl_figures,
    profit_and_loss_section,
)
from lendcheck.xero.models import ProfitAndLoss

from .build import AS_OF, START, account, pnl_dict, pnl_previous_dict


def figures(data: dict, reason: str = "unused") -> object:
    return pnl_figures(ProfitAndLoss.model_validate(data), "GBP", reason)


def test_consistent_pnl_figures() -> None:
    f = pnl_figures(ProfitAndLoss.model_validate(pnl_dict()), "GBP", "unused")
    assert f.days_in_period == 365
    assert f.revenue.amount == D("120500.00")
    assert f.trading_income.amount == D("120000.00")
    assert f.other_income.amount == D("500.00")
    assert f.direct_costs.amount == D("48000.00")
    assert f.gross_profit.amount == D("72000.00")  # 120,000 - 48,000
    assert f.gross_margin == pytest.approx(0.6)  # 72,000 / 120,000
    assert f.operating_expenses.amount == D("45500.00")
    assert f.total_expenses.amount == D("93500.00")
    assert f.net_profit.amount == D("27000.00")
    assert f.net_margin == pytest.approx(0.225)  # 27,000 / 120,000
    assert f.depreciation_and_amortisation.amount == D("2000.00")
    assert f.interest_expense.amount == D("1500.00")
    assert f.income_tax_expense.amount == D("0.00")
    assert f.ebitda.amount == D("30500.00")  # 27,000 + 1,500 + 2,000
    assert f.revenue.currency == "GBP"
    assert f.not_available == {}


def test_missing_pnl_makes_every_figure_null_with_the_reason() -> None:
    f = pnl_figures(None, "GBP", "Xero answered 503: try later")
    assert f.revenue is None and f.gross_margin is None and f.ebitda is None
    assert f.not_available["revenue"] == "Xero answered 503: try later"
    assert f.not_available["net_margin"] == "Xero answered 503: try later"


def test_zero_revenue_gives_null_margins_not_zero() -> None:
    data = pnl_dict()
    data["revenue"] = {"total": D("0"), "accountTypes": []}
    data["netProfitLoss"] = D("-93500.00")
    f = figures(data)
    assert f.trading_income.amount == D("0.00")
    assert f.gross_margin is None and f.net_margin is None
    assert f.not_available["gross_margin"] == "trading income is zero"


def test_negative_revenue_gives_null_margins_with_reason() -> None:
    data = pnl_dict()
    data["revenue"] = {
        "total": D("-100.00"),
        "accountTypes": [{"title": "Trading Income", "total": D("-100.00"), "accounts": []}],
    }
    data["netProfitLoss"] = D("-93600.00")
    f = figures(data)
    assert f.revenue.amount == D("-100.00")
    assert f.gross_profit.amount == D("-48100.00")
    assert f.gross_margin is None
    assert "negative revenue" in f.not_available["net_margin"]


def test_gross_loss_gives_a_negative_margin() -> None:
    data = pnl_dict()
    data["expense"]["accountTypes"][0]["total"] = D("150000.00")
    f = figures(data)
    assert f.gross_profit.amount == D("-30000.00")
    assert f.gross_margin == pytest.approx(-0.25)


def test_missing_revenue_section_is_not_a_zero() -> None:
    data = pnl_dict()
    del data["revenue"]
    f = figures(data)
    assert f.revenue is None and f.trading_income is None and f.gross_profit is None
    assert f.not_available["revenue"] == "the P&L has no revenue section"
    assert f.not_available["gross_margin"] == "the P&L has no revenue section"
    assert f.net_profit.amount == D("27000.00")  # Xero's own figure still stands


def test_missing_expense_section_leaves_ebitda_unavailable() -> None:
    data = pnl_dict()
    del data["expense"]
    f = figures(data)
    assert f.direct_costs is None and f.ebitda is None and f.gross_profit is None
    assert f.not_available["ebitda"] == "the P&L has no expense section"
    assert f.gross_margin is None
    assert f.not_available["gross_margin"] == "the P&L has no expense section"
    assert f.net_margin == pytest.approx(0.225)  # Xero's net profit over trading income


def test_service_business_without_direct_cost_type_has_full_gross_margin() -> None:
    data = pnl_dict()
    data["expense"]["accountTypes"] = data["expense"]["accountTypes"][1:]
    data["expense"]["total"] = D("45500.00")
    f = figures(data)
    assert f.direct_costs.amount == D("0.00")
    assert f.gross_margin == pytest.approx(1.0)


def test_net_profit_falls_back_to_revenue_less_expenses() -> None:
    data = pnl_dict()
    del data["netProfitLoss"]
    assert figures(data).net_profit.amount == D("27000.00")


def test_type_totals_fall_back_to_sum_of_accounts() -> None:
    data = pnl_dict()
    for t in data["revenue"]["accountTypes"]:
        del t["total"]
    del data["revenue"]["total"]
    f = figures(data)
    assert f.revenue.amount == D("120500.00")
    assert f.trading_income.amount == D("120000.00")


@pytest.mark.parametrize(
    ("kind", "code", "name", "expected"),
    [
        ("DEPRECIATN", None, "Whatever", "depreciation_and_amortisation"),
        ("EXPENSE", "EXP.DEP", "Plant", "depreciation_and_amortisation"),
        ("EXPENSE", None, "Amortisation of goodwill", "depreciation_and_amortisation"),
        ("EXPENSE", "EXP.INT", "Bank charges", "interest_expense"),
        ("EXPENSE", None, "Loan Interest", "interest_expense"),
        ("EXPENSE", None, "Income Tax Expense", "income_tax_expense"),
        ("EXPENSE", None, "Interesting stationery", ""),
        ("EXPENSE", "EXP", "Rent", ""),
    ],
)
def test_addback_kind(kind: str, code: str | None, name: str, expected: str) -> None:
    assert addback_kind(kind, code, name) == expected


def test_growth_side_by_side() -> None:
    cur = figures(pnl_dict())
    prev = figures(pnl_previous_dict())
    section = profit_and_loss_section(cur, prev)
    assert section.previous.revenue.amount == D("100000.00")
    assert section.growth.revenue_growth == pytest.approx(0.205)  # 120,500 / 100,000 - 1
    assert section.growth.gross_profit_growth == pytest.approx(0.2)  # 72,000 / 60,000 - 1
    assert section.growth.net_profit_growth == pytest.approx(0.08)  # 27,000 / 25,000 - 1
    # Margins on trading income: gross 72,000 / 120,000 = 0.6 against 60,000 / 100,000 = 0.6;
    # net 27,000 / 120,000 = 0.225 against 25,000 / 100,000 = 0.25.
    assert section.growth.gross_margin_change == pytest.approx(0)
    assert section.growth.net_margin_change == pytest.approx(-0.025)


def test_growth_from_a_loss_or_missing_period_is_null() -> None:
    prev_data = pnl_previous_dict()
    prev_data["netProfitLoss"] = D("-5000.00")
    section = profit_and_loss_section(figures(pnl_dict()), figures(prev_data))
    assert section.growth.net_profit_growth is None
    assert "negative" in section.growth.not_available["net_profit_growth"]
    missing = profit_and_loss_section(
        figures(pnl_dict()), pnl_figures(None, "GBP", "Xero answered 400: no")
    )
    assert missing.growth.revenue_growth is None
    assert (
        missing.growth.not_available["revenue_growth"] == "previous period: Xero answered 400: no"
    )
    assert missing.growth.gross_margin_change is None
    assert missing.growth.not_available["gross_margin_change"] == (
        "previous period: Xero answered 400: no"
    )


def test_unknown_titles_are_classified_by_keyword() -> None:
    data = pnl_dict()
    data["revenue"]["accountTypes"][0]["title"] = "Revenue"  # not Xero's wording
    data["expense"]["accountTypes"][0]["title"] = "Cost of Sales"
    f = figures(data)
    assert f.trading_income.amount == D("120000.00")
    assert f.direct_costs.amount == D("48000.00")


def test_period_helpers() -> None:
    assert period_days(START, AS_OF) == 365
    assert period_days(None, AS_OF) is None
    assert period_months(START, AS_OF) == 12
    assert period_months(START, START.replace(day=16)) == D(16) / D("30.4375")
    # A month from the 1st of a month after a 30-day month is one month (was 1 + 1 / 30.4375).
    assert period_months(date(2026, 10, 1), date(2026, 10, 31)) == 1
    assert period_months(date(2026, 10, 20), date(2026, 10, 31)) == D(12) / D("30.4375")
    assert account("x", "1.00")["total"] == D("1.00")
