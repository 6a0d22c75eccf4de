"""The monthly P&L series of the trends (issue 18 item 1, the books half): revenue, gross
margin, operating expenses and net profit per month, trend, volatility and seasonality, on
hand-computed months, and on the samples from either source."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import polars as pl
import pytest

from lendcheck.metrics.monthly_pnl import MONTHLY_PNL_SCHEMA
from lendcheck.metrics.trends import pnl_series
from lendcheck.report import build_report
from lendcheck.snapshot import load_snapshot
from tests.conftest import SAMPLES


def _frame(months: list[tuple[date, int, int]], complete: bool = True) -> pl.DataFrame:
    """Months of (first day, revenue, gross profit), in whole currency units; cost of sales
    is revenue - gross profit, operating expenses 50, net profit gross profit - 50."""
    rows = []
    for month, revenue, gross in months:
        rows.append(
            {
                "month": month,
                "start_date": month,
                "end_date": month,  # not read by the series
                "complete": complete,
                "source": "accounting",
                "revenue": revenue * 1000,
                "cost_of_sales": (revenue - gross) * 1000,
                "gross_profit": gross * 1000,
                "operating_expenses": 50_000,
                "net_profit": (gross - 50) * 1000,
            }
        )
    return pl.DataFrame(rows, schema=MONTHLY_PNL_SCHEMA)


#: January 2026 stands apart (no February), then March to September: revenue 100, 110, ...
#: 160; gross margin 40 % for March to June, 30 % for July to September.
MONTHS = [(date(2026, 1, 1), 999, 999)] + [
    (date(2026, m, 1), 100 + 10 * i, (100 + 10 * i) * (4 if m <= 6 else 3) // 10)
    for i, m in enumerate(range(3, 10))
]


def test_trend_volatility_and_margin_on_consecutive_complete_months() -> None:
    series = pnl_series(_frame(MONTHS), "GBP")
    assert series is not None
    assert [m.month for m in series.months][:2] == ["2026-01", "2026-03"]
    revenue = series.revenue
    # January is not in the run: February is missing, so March to September count (7 months)
    assert revenue.complete_months == 7
    assert revenue.last_3_months.amount == 450  # 140 + 150 + 160
    assert revenue.previous_3_months.amount == 360  # 110 + 120 + 130
    assert revenue.trend_3_months == pytest.approx(0.25)  # 450 / 360 - 1
    # mean 130, sample standard deviation sqrt(2,800 / 6) = 21.6025
    assert revenue.coefficient_of_variation == pytest.approx(21.602469 / 130, rel=1e-6)
    assert revenue.year_on_year is None and revenue.seasonality == []  # 24 months needed
    # gross margin: 40 % over April-June (144 / 360), 30 % over July-September (135 / 450)
    assert series.gross_margin_previous_3_months == pytest.approx(0.40)
    assert series.gross_margin_last_3_months == pytest.approx(0.30)
    assert series.gross_margin_change_3_months == pytest.approx(-0.10)
    assert series.months[-1].gross_margin == pytest.approx(0.30)  # 48 / 160
    assert series.operating_expenses.coefficient_of_variation == 0.0
    assert series.net_profit.last_3_months.amount == 135 - 150  # gross profit less 3 x 50


def test_too_few_months_say_why_and_no_months_give_none() -> None:
    series = pnl_series(_frame(MONTHS[-2:]), "GBP")
    assert series is not None and series.revenue.trend_3_months is None
    assert series.revenue.not_available == "2 complete months: the trend needs 6"
    assert series.not_available == {
        "gross_margin_change_3_months": "2 consecutive complete months: the trend needs 6"
    }
    assert pnl_series(_frame([]), "GBP") is None
    # months not complete (a report date inside the month) give no statistics
    part = pnl_series(_frame(MONTHS, complete=False), "GBP")
    assert part is not None and part.revenue.complete_months == 0


def test_samples_from_either_source() -> None:
    """kowhai-accounting: the Accounting API's 12 months by month; harbour-cafe: the Finance
    API's one month (the plan's Executive Summary call), too few for a trend."""
    accounting = build_report(load_snapshot(SAMPLES / "kowhai-accounting"))
    series = accounting.behaviour.monthly.profit_and_loss
    assert series is not None and len(series.months) == 12
    assert {m.source for m in series.months} == {"accounting"}
    october = series.months[-1]
    month = accounting.financials.executive_summary.month
    assert (october.month, october.revenue, october.net_profit) == (
        "2026-10",
        month.trading_income,
        month.net_profit,
    )
    assert series.revenue.complete_months == 12
    # August-October 2026 against May-July (docs/metrics.md)
    assert series.revenue.last_3_months is not None
    assert series.revenue.previous_3_months is not None
    assert (series.revenue.last_3_months.amount, series.revenue.previous_3_months.amount) == (
        Decimal("371904.62"),
        Decimal("293850.36"),
    )
    assert series.revenue.trend_3_months == pytest.approx(371904.62 / 293850.36 - 1)  # 0.27
    assert series.gross_margin_last_3_months == pytest.approx(0.5622, abs=5e-5)
    assert series.gross_margin_previous_3_months == pytest.approx(0.5028, abs=5e-5)
    # 24 monthly P&Ls are needed for year on year and seasonality: the report says why not
    assert series.revenue.year_on_year is None and series.revenue.seasonality == []
    assert series.revenue.not_available == (
        "12 complete months: year on year and seasonality need 24"
    )
    assert accounting.behaviour.monthly.profit_and_loss_monthly_not_available is None
    from lendcheck.render.html import render_html

    html = render_html(accounting)
    assert (
        "12 complete months: year on year and seasonality need 24 (the Accounting API's "
        "P&amp;L by month gives the 12 months to the report date)" in html
    )
    finance = build_report(load_snapshot(SAMPLES / "harbour-cafe"))
    one = finance.behaviour.monthly.profit_and_loss
    assert one is not None and [(m.month, m.source) for m in one.months] == [("2026-10", "finance")]
    assert one.revenue.trend_3_months is None
