"""The monthly P&L series: one row per month of the P&Ls a snapshot holds by month.

Sources, found by the period each covers (:func:`is_month`), not by the parameters they were
asked with: Finance API P&Ls of one month (:func:`lendcheck.report.evidence.monthly_pnl_responses`;
the plan asks for the month ending at the report date) and the columns of the Accounting API's
``/Reports/ProfitAndLoss`` by month
(:func:`lendcheck.report.accounting_statements.monthly_statements`;
the plan asks for 12). A month both give is taken from the Finance API. Every figure comes from
:func:`lendcheck.metrics.financials.pnl_figures`, so a month reads as a year does. Pure.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

import polars as pl

from lendcheck.metrics.financials import amount_of, pnl_figures
from lendcheck.money import to_minor_units
from lendcheck.xero import fetch_plan as fp
from lendcheck.xero.models import ProfitAndLoss

__all__ = ["MONTHLY_PNL_SCHEMA", "MONTHLY_PNL_SOURCES", "is_month", "monthly_pnl_frame"]

#: Where a month's P&L came from (``source`` column).
MONTHLY_PNL_SOURCES = ("finance", "accounting")

#: The frame's columns. Amounts are Int64 thousandths of the base currency
#: (:func:`lendcheck.money.to_minor_units`), null when the P&L lacks the section.
MONTHLY_PNL_SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    "month": pl.Date,
    "start_date": pl.Date,
    "end_date": pl.Date,
    "complete": pl.Boolean,
    "source": pl.String,
    "revenue": pl.Int64,
    "cost_of_sales": pl.Int64,
    "gross_profit": pl.Int64,
    "operating_expenses": pl.Int64,
    "net_profit": pl.Int64,
}

#: Frame column -> the :class:`~lendcheck.metrics.financials.PnlFigures` figure it holds.
_FIGURES = {
    "revenue": "trading_income",
    "cost_of_sales": "direct_costs",
    "gross_profit": "gross_profit",
    "operating_expenses": "operating_expenses",
    "net_profit": "net_profit",
}


def is_month(start: date, end: date, as_of: date) -> bool:
    """Whether ``start``..``end`` is one month of a monthly P&L series at report date
    ``as_of``: the first of a month to its last day, or to ``as_of`` in ``as_of``'s month (the
    month ending at the report date), and not after ``as_of``."""
    if start.day != 1 or end > as_of or (end.year, end.month) != (start.year, start.month):
        return False
    return end == fp.add_months(start, 1) - timedelta(days=1) or end == as_of


def monthly_pnl_frame(
    finance: Mapping[date, ProfitAndLoss],
    accounting: Mapping[date, ProfitAndLoss],
    as_of: date,
    currency: str,
) -> pl.DataFrame:
    """The monthly P&L frame, one row per month, oldest first.

    Args:
        finance: Finance API P&Ls of one month each, by the month's first day.
        accounting: the Accounting API's monthly columns, by the month's first day (a month
            ``finance`` holds is taken from ``finance``).
        as_of: the report date.
        currency: the base currency (amounts' scale).

    Returns:
        A frame of :data:`MONTHLY_PNL_SCHEMA`: ``month`` (the month's first day),
        ``start_date`` and ``end_date`` (the period the P&L covers), ``complete`` (the whole
        calendar month, ended by ``as_of``), ``source`` (``finance`` or ``accounting``),
        ``revenue`` (trading income: Xero's "Income", other income left out, so that
        ``revenue - cost_of_sales = gross_profit``), ``cost_of_sales`` (direct costs),
        ``gross_profit``, ``operating_expenses`` and ``net_profit`` (Xero's, other income
        included).
    """
    rows: dict[str, list[object]] = {name: [] for name in MONTHLY_PNL_SCHEMA}
    months = {month: ("accounting", pnl) for month, pnl in accounting.items()}
    months |= {month: ("finance", pnl) for month, pnl in finance.items()}
    for month in sorted(months):
        source, pnl = months[month]
        figures = pnl_figures(pnl, currency, "")
        start = pnl.start_date or month
        end = pnl.end_date or fp.add_months(month, 1) - timedelta(days=1)
        rows["month"].append(month)
        rows["start_date"].append(start)
        rows["end_date"].append(end)
        rows["complete"].append(end == fp.add_months(month, 1) - timedelta(days=1) and end <= as_of)
        rows["source"].append(source)
        for column, figure in _FIGURES.items():
            amount = amount_of(getattr(figures, figure))
            rows[column].append(None if amount is None else to_minor_units(amount, currency))
    return pl.DataFrame(rows, schema=MONTHLY_PNL_SCHEMA)
