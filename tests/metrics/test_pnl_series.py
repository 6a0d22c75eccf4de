"""The monthly P&L series of the trends (issue 18 item 1, the books half): revenue, gross
margin, operating expenses and net profit per month, trend, volatility and seasonality, on
hand-computed months, and on the samples from either source."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from lendcheck.metrics.monthly_pnl import MONTHLY_PNL_SCHEMA
from lendcheck.metrics.trends import pnl_series
from lendcheck.report import build_report
from lendcheck.snapshot import load_snapshot
from tests.conftest import SAMPLES
from tests.corpus.cases import manifest, save_manifest


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
    """kowhai-accounting: the Accounting API's 24 months by month (two calls of 12); harbour-cafe:
    the Finance API's one month (the plan's Executive Summary call), too few for a trend."""
    accounting = build_report(load_snapshot(SAMPLES / "kowhai-accounting"))
    series = accounting.behaviour.monthly.profit_and_loss
    assert series is not None and len(series.months) == 24
    assert (series.months[0].month, series.months[-1].month) == ("2024-11", "2026-10")
    assert {m.source for m in series.months} == {"accounting"}
    october = series.months[-1]
    month = accounting.financials.executive_summary.month
    assert (october.month, october.revenue, october.net_profit) == (
        "2026-10",
        month.trading_income,
        month.net_profit,
    )
    assert series.revenue.complete_months == 24
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
    # Year on year: the 12 monthly P&Ls of each call add up to the year's P&L (timeframe=YEAR)
    # to the cent, November 2025-October 2026 1,258,581.88 against 1,914,187.57 the year before
    revenue = series.revenue
    assert revenue.not_available is None
    assert revenue.last_12_months is not None and revenue.previous_12_months is not None
    assert (revenue.last_12_months.amount, revenue.previous_12_months.amount) == (
        Decimal("1258581.88"),
        Decimal("1914187.57"),
    )
    pnl = accounting.financials.profit_and_loss
    assert (revenue.last_12_months, revenue.previous_12_months) == (
        pnl.current.revenue,
        pnl.previous.revenue,
    )
    assert revenue.year_on_year == pytest.approx(1258581.88 / 1914187.57 - 1)  # -0.3425
    # October's seasonal index by hand: Octobers 92,638.09 (2025) and 198,402.56 (2026) over
    # the mean month of the 24, (1,258,581.88 + 1,914,187.57) / 24 = 132,198.727...: 1.1008
    by_month = {s.month_of_year: s.index for s in revenue.seasonality}
    assert sorted(by_month) == list(range(1, 13))
    assert by_month[10] == pytest.approx(
        (92638.09 + 198402.56) / 2 / ((1258581.88 + 1914187.57) / 24)
    )
    assert by_month[10] == pytest.approx(1.1008, abs=5e-5)
    assert accounting.behaviour.monthly.profit_and_loss_monthly_not_available is None
    finance = build_report(load_snapshot(SAMPLES / "harbour-cafe"))
    one = finance.behaviour.monthly.profit_and_loss
    assert one is not None and [(m.month, m.source) for m in one.months] == [("2026-10", "finance")]
    assert one.revenue.trend_3_months is None


def test_an_older_snapshot_without_the_months_before_says_which_call_is_missing(
    tmp_path: Path,
) -> None:
    """kowhai-accounting as fetched before the plan asked for the 12 months before: its 12
    monthly P&Ls keep their trend; year on year and seasonality are null with the missing call
    named, in report.json, among the missing inputs and on the trends page."""
    snap = tmp_path / "older"
    shutil.copytree(SAMPLES / "kowhai-accounting", snap)
    data = manifest(snap)
    before = "accounting/reports-profitandloss/2025-10-01_2025-10-31_11-month.json"
    assert before in {c["file"] for c in data["calls"]}
    data["calls"] = [c for c in data["calls"] if c["file"] != before]
    save_manifest(snap, data)
    report = build_report(load_snapshot(snap))
    series = report.behaviour.monthly.profit_and_loss
    assert series is not None and len(series.months) == 12
    assert series.revenue.trend_3_months == pytest.approx(371904.62 / 293850.36 - 1)
    assert series.revenue.year_on_year is None and series.revenue.seasonality == []
    missing_call = (
        "the snapshot holds no /Reports/ProfitAndLoss call (fromDate=2025-10-01, periods=11, "
        "timeframe=MONTH, toDate=2025-10-31)"
    )
    assert series.revenue.not_available == (
        f"12 complete months: year on year and seasonality need 24; {missing_call}"
    )
    assert series.net_profit.not_available == series.revenue.not_available
    assert [(m.endpoint, m.params, m.reason) for m in report.inputs.missing] == [
        (
            "/Reports/ProfitAndLoss",
            {
                "fromDate": "2025-10-01",
                "toDate": "2025-10-31",
                "periods": "11",
                "timeframe": "MONTH",
            },
            "not in the snapshot",
        )
    ]
    from lendcheck.render.html import render_html

    html = render_html(report)
    assert (
        "12 complete months: year on year and seasonality need 24; the snapshot holds no "
        "/Reports/ProfitAndLoss call (fromDate=2025-10-01, periods=11, timeframe=MONTH, "
        "toDate=2025-10-31)." in html
    )
