"""Monthly series of the bank statement lines and what lenders read from them: trend,
volatility and seasonality.

One :class:`FlowSeries` per bank account and one per currency (the accounts of a currency taken
together; money is never summed across currencies). Months are calendar months; a month is
*complete* when the account's statements cover it from its first to its last day and it ends
on or before the report date. Statistics use complete months only, so that a part month at
either end of the history does not pass for a fall in takings.

Source: BankStatementsPlus statement lines (non-deleted, dated on or before ``as_of``) and the
statements' start dates (coverage). Pure: frames in, results out.
"""

from __future__ import annotations

import datetime as dt
import statistics
from typing import Any

import polars as pl

from lendcheck.metrics._common import line_classes, money
from lendcheck.report_types import Money, Ratio, ReportModel

__all__ = [
    "FlowSeries",
    "MonthFlows",
    "MonthPnl",
    "MonthlyTrends",
    "PnlSeries",
    "SeasonalIndex",
    "SeriesStats",
    "monthly_trends",
    "pnl_series",
    "series_stats",
]

#: Complete months needed for a coefficient of variation.
MIN_MONTHS_FOR_VOLATILITY = 6
#: Complete months needed for year on year and seasonality: two of every calendar month.
MIN_MONTHS_FOR_YEAR_ON_YEAR = 24
#: Months in each half of the short trend (last 3 against the 3 before).
TREND_MONTHS = 3
#: Receipts (or payments) the complete months must hold before a series of bank flows has
#: statistics: five a month over a year. Below it a month's total is a handful of payments and
#: its swings are the timing of single invoices, not the business (a hand-made 8-line year
#: would read as falling and volatile).
MIN_LINES_FOR_STATS = 60


class MonthFlows(ReportModel):
    """Receipts and payments of one calendar month.

    Attributes:
        month: ``YYYY-MM``.
        complete: the statements cover the whole month and it ends on or before ``as_of``
            (the month the statement windows start in counts as covered when the account's
            first statement starts in it).
        lines: non-deleted statement lines dated in the month.
        inflow_lines, outflow_lines: of them, receipts (amount > 0) and payments (< 0).
        inflows: sum of positive amounts (receipts).
        outflows: sum of the magnitudes of negative amounts (payments), a positive amount.
        net: inflows - outflows.
    """

    month: str
    complete: bool
    lines: int
    inflow_lines: int
    outflow_lines: int
    inflows: Money
    outflows: Money
    net: Money


class SeasonalIndex(ReportModel):
    """Month-of-year index: the mean of that calendar month over the years seen, divided by the
    mean of all complete months (1.0 = an average month).

    Attributes:
        month_of_year: 1 (January) to 12.
        index: the month's mean over the mean of all complete months.
    """

    month_of_year: int
    index: Ratio


class SeriesStats(ReportModel):
    """What a monthly series says over its complete months.

    Attributes:
        not_available: why statistics are null, else None: every one of them (below 6 complete
            months, or too few lines behind a series of bank flows), or year on year and
            seasonality alone (6 to 23 complete months: "12 complete months: year on year and
            seasonality need 24").
        complete_months: complete months in the series.
        last_3_months: sum of the last 3 complete months.
        previous_3_months: sum of the 3 complete months before them.
        trend_3_months: ``last_3_months / previous_3_months - 1`` (-0.25 = down a quarter);
            None when fewer than 6 complete months or the earlier sum is zero.
        last_12_months, previous_12_months: sums of the last 12 complete months and the 12
            before (None when fewer than 24 complete months).
        year_on_year: ``last_12_months / previous_12_months - 1``.
        coefficient_of_variation: sample standard deviation of the complete months divided by
            their mean (None below :data:`MIN_MONTHS_FOR_VOLATILITY` months or a zero mean).
        seasonality: month-of-year indices when 24 or more complete months exist, else empty.
    """

    not_available: str | None
    complete_months: int
    last_3_months: Money | None
    previous_3_months: Money | None
    trend_3_months: Ratio
    last_12_months: Money | None
    previous_12_months: Money | None
    year_on_year: Ratio
    coefficient_of_variation: Ratio
    seasonality: list[SeasonalIndex]


class FlowSeries(ReportModel):
    """Monthly inflows and outflows of one account, or of the accounts of one currency.

    Attributes:
        key: the bank account id, or the currency for a pooled series.
        currency: the amounts' currency.
        bank_account_ids: the accounts in the series.
        months: every month from the first covered month to the report date, in order.
        inflows, outflows: :class:`SeriesStats` of the monthly inflows and outflows.
    """

    key: str
    currency: str
    bank_account_ids: list[str]
    months: list[MonthFlows]
    inflows: SeriesStats
    outflows: SeriesStats


class MonthPnl(ReportModel):
    """One month of the monthly P&L series (:mod:`lendcheck.metrics.monthly_pnl`).

    Attributes:
        month: ``YYYY-MM``.
        start_date, end_date: the period the month's P&L covers (inclusive).
        complete: the whole calendar month, ended by the report date.
        source: ``finance`` (a Finance API P&L of the month) or ``accounting`` (a column of
            the Accounting API's P&L by month).
        revenue: trading income (Xero's "Income"; other income is not revenue).
        cost_of_sales: direct costs.
        gross_profit: revenue - cost of sales.
        gross_margin: gross profit / revenue (ratio); None when revenue is not positive.
        operating_expenses: operating expenses (depreciation included).
        net_profit: Xero's net profit (other income included).
    """

    month: str
    start_date: dt.date
    end_date: dt.date
    complete: bool
    source: str
    revenue: Money | None
    cost_of_sales: Money | None
    gross_profit: Money | None
    gross_margin: Ratio
    operating_expenses: Money | None
    net_profit: Money | None


class PnlSeries(ReportModel):
    """Monthly revenue, gross margin, operating expenses and net profit, with what they say.

    Each figure's statistics (:func:`series_stats`) use its run of consecutive complete
    months ending with the latest complete month: a month the snapshot lacks (or whose P&L
    lacks the figure) ends the run, so the last 3 months are only ever set against the 3
    before them.

    Attributes:
        currency: the base currency.
        months: every month the snapshot's P&Ls give, oldest first.
        revenue, gross_profit, operating_expenses, net_profit: :class:`SeriesStats` of the
            monthly amounts (3- and 12-month sums, trend, year on year, coefficient of
            variation, month-of-year seasonality).
        gross_margin_last_3_months, gross_margin_previous_3_months: gross profit / revenue
            over the last 3 complete months of the gross profit run and the 3 before (ratio).
        gross_margin_change_3_months: last minus previous (-0.05: five points lower).
        not_available: figure -> why it is None.
    """

    currency: str
    months: list[MonthPnl]
    revenue: SeriesStats
    gross_profit: SeriesStats
    operating_expenses: SeriesStats
    net_profit: SeriesStats
    gross_margin_last_3_months: Ratio
    gross_margin_previous_3_months: Ratio
    gross_margin_change_3_months: Ratio
    not_available: dict[str, str]


class MonthlyTrends(ReportModel):
    """Monthly series of the bank data and of the P&L.

    Attributes:
        accounts: one :class:`FlowSeries` per bank account with lines, by account id.
        by_currency: one pooled :class:`FlowSeries` per currency, by currency. Transfers
            between the applicant's own accounts count in both accounts.
        profit_and_loss: monthly revenue, gross margin, operating expenses and net profit
            from the P&Ls the snapshot holds by month (:class:`PnlSeries`); None when it
            holds none.
        profit_and_loss_monthly_not_available: why ``profit_and_loss`` is None (the snapshot
            holds no P&L of one month), else None.
    """

    accounts: list[FlowSeries]
    by_currency: list[FlowSeries]
    profit_and_loss: PnlSeries | None = None
    profit_and_loss_monthly_not_available: str | None


def _margin(profit: int, revenue: int) -> float | None:
    return profit / revenue if revenue > 0 else None


def _run(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> list[dict[str, Any]]:
    """The consecutive complete months, ending with the latest complete month, in which every
    one of ``columns`` is known; oldest first."""
    run: list[dict[str, Any]] = []
    for row in reversed([r for r in rows if r["complete"]]):
        if run and row["month"] != (run[-1]["month"] - dt.timedelta(days=1)).replace(day=1):
            break
        if any(row[c] is None for c in columns):
            break
        run.append(row)
    return run[::-1]


def pnl_series(frame: pl.DataFrame, currency: str, gap: str | None = None) -> PnlSeries | None:
    """The monthly P&L series of a :func:`lendcheck.metrics.monthly_pnl.monthly_pnl_frame`
    frame (amounts in thousandths); None when it holds no month.

    ``gap`` names the evidence missing for year on year and seasonality (a planned call the
    snapshot does not hold, e.g. an older snapshot's Accounting API plan without the 12 months
    before); a series without them says so after its reason ("12 complete months: year on
    year and seasonality need 24; the snapshot holds no /Reports/ProfitAndLoss call (...)").
    """
    if frame.is_empty():
        return None
    rows = frame.to_dicts()

    def stats(column: str) -> SeriesStats:
        run = _run(rows, (column,))
        labels = [r["month"].strftime("%Y-%m") for r in run]
        found = series_stats([r[column] for r in run], labels, currency)
        if gap and found.not_available and len(run) < MIN_MONTHS_FOR_YEAR_ON_YEAR:
            return found.model_copy(update={"not_available": f"{found.not_available}; {gap}"})
        return found

    run = _run(rows, ("revenue", "gross_profit"))
    last = previous = None
    gaps: dict[str, str] = {}
    if len(run) >= 2 * TREND_MONTHS:
        recent, before = run[-TREND_MONTHS:], run[-2 * TREND_MONTHS : -TREND_MONTHS]
        last = _margin(sum(r["gross_profit"] for r in recent), sum(r["revenue"] for r in recent))
        previous = _margin(
            sum(r["gross_profit"] for r in before), sum(r["revenue"] for r in before)
        )
        if last is None or previous is None:
            gaps["gross_margin_change_3_months"] = "revenue over 3 months is not positive"
    else:
        gaps["gross_margin_change_3_months"] = (
            f"{len(run)} consecutive complete months: the trend needs {2 * TREND_MONTHS}"
        )
    return PnlSeries(
        currency=currency,
        months=[
            MonthPnl(
                month=r["month"].strftime("%Y-%m"),
                start_date=r["start_date"],
                end_date=r["end_date"],
                complete=r["complete"],
                source=r["source"],
                revenue=money(r["revenue"], currency),
                cost_of_sales=money(r["cost_of_sales"], currency),
                gross_profit=money(r["gross_profit"], currency),
                gross_margin=(
                    None
                    if r["gross_profit"] is None or r["revenue"] is None
                    else _margin(r["gross_profit"], r["revenue"])
                ),
                operating_expenses=money(r["operating_expenses"], currency),
                net_profit=money(r["net_profit"], currency),
            )
            for r in rows
        ],
        revenue=stats("revenue"),
        gross_profit=stats("gross_profit"),
        operating_expenses=stats("operating_expenses"),
        net_profit=stats("net_profit"),
        gross_margin_last_3_months=last,
        gross_margin_previous_3_months=previous,
        gross_margin_change_3_months=None if last is None or previous is None else last - previous,
        not_available=gaps,
    )


def _ratio_change(now: int, before: int) -> float | None:
    return None if before == 0 else now / before - 1


def series_stats(
    values: list[int], months: list[str], currency: str, lines: int | None = None
) -> SeriesStats:
    """Trend, volatility and seasonality of complete monthly amounts. Any monthly series
    (bank flows here; a P&L line per month, given as minor units, the same way).

    Args:
        values: complete months' amounts in minor units, oldest first.
        months: their ``YYYY-MM`` labels, same order.
        currency: the amounts' currency.
        lines: the statement lines behind the values, for a series of bank flows: below
            :data:`MIN_LINES_FOR_STATS` every statistic is None with the reason. None: not a
            count of lines (a P&L series), no minimum.
    """
    n = len(values)
    if lines is not None and lines < MIN_LINES_FOR_STATS:
        return SeriesStats(
            not_available=f"{lines} lines in the {n} complete months: the statistics need "
            f"{MIN_LINES_FOR_STATS}",
            complete_months=n,
            last_3_months=None,
            previous_3_months=None,
            trend_3_months=None,
            last_12_months=None,
            previous_12_months=None,
            year_on_year=None,
            coefficient_of_variation=None,
            seasonality=[],
        )
    last3 = sum(values[-TREND_MONTHS:]) if n >= 2 * TREND_MONTHS else None
    prev3 = sum(values[-2 * TREND_MONTHS : -TREND_MONTHS]) if n >= 2 * TREND_MONTHS else None
    yearly = n >= MIN_MONTHS_FOR_YEAR_ON_YEAR
    last12 = sum(values[-12:]) if yearly else None
    prev12 = sum(values[-24:-12]) if yearly else None
    cv = None
    if n >= MIN_MONTHS_FOR_VOLATILITY:
        mean = statistics.fmean(values)
        if mean != 0:
            cv = statistics.stdev(values) / mean
    seasonality: list[SeasonalIndex] = []
    if yearly:
        overall = statistics.fmean(values)
        by_month: dict[int, list[int]] = {}
        for label, value in zip(months, values, strict=True):
            by_month.setdefault(int(label[5:7]), []).append(value)
        if overall != 0:
            seasonality = [
                SeasonalIndex(month_of_year=m, index=statistics.fmean(v) / overall)
                for m, v in sorted(by_month.items())
            ]
    return SeriesStats(
        not_available=(
            None
            if yearly
            else f"{n} complete months: year on year and seasonality need "
            f"{MIN_MONTHS_FOR_YEAR_ON_YEAR}"
            if n >= 2 * TREND_MONTHS
            else f"{n} complete months: the trend needs {2 * TREND_MONTHS}"
        ),
        complete_months=n,
        last_3_months=money(last3, currency),
        previous_3_months=money(prev3, currency),
        trend_3_months=_ratio_change(last3, prev3)
        if last3 is not None and prev3 is not None
        else None,
        last_12_months=money(last12, currency),
        previous_12_months=money(prev12, currency),
        year_on_year=(
            _ratio_change(last12, prev12) if last12 is not None and prev12 is not None else None
        ),
        coefficient_of_variation=cv,
        seasonality=seasonality,
    )


def _month_starts(first: dt.date, last: dt.date) -> list[dt.date]:
    months = []
    day = first.replace(day=1)
    while day <= last:
        months.append(day)
        day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return months


def _series(
    key: str,
    currency: str,
    account_ids: list[str],
    table: pl.DataFrame,
    covered_from: dt.date | None,
    as_of: dt.date,
    listed_from: dt.date | None = None,
) -> FlowSeries | None:
    if covered_from is None:
        return None
    sums = {
        row["m"]: row for row in table.iter_rows(named=True)
    }  # at most one row per month: a few dozen rows
    months: list[MonthFlows] = []
    complete_in: list[int] = []
    complete_out: list[int] = []
    labels: list[str] = []
    in_lines = out_lines = 0
    for start in _month_starts(min(listed_from or covered_from, covered_from), as_of):
        label = start.strftime("%Y-%m")
        end = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        row = sums.get(
            label, {"lines": 0, "inflow_lines": 0, "outflow_lines": 0, "inflows": 0, "outflows": 0}
        )
        complete = start >= covered_from and end <= as_of
        inflows, outflows = int(row["inflows"] or 0), int(row["outflows"] or 0)
        months.append(
            MonthFlows(
                month=label,
                complete=complete,
                lines=int(row["lines"]),
                inflow_lines=int(row["inflow_lines"]),
                outflow_lines=int(row["outflow_lines"]),
                inflows=Money.from_minor(inflows, currency),
                outflows=Money.from_minor(outflows, currency),
                net=Money.from_minor(inflows - outflows, currency),
            )
        )
        if complete:
            complete_in.append(inflows)
            complete_out.append(outflows)
            labels.append(label)
            in_lines += int(row["inflow_lines"])
            out_lines += int(row["outflow_lines"])
    return FlowSeries(
        key=key,
        currency=currency,
        bank_account_ids=sorted(account_ids),
        months=months,
        inflows=series_stats(complete_in, labels, currency, in_lines),
        outflows=series_stats(complete_out, labels, currency, out_lines),
    )


def _covered_from(first: dt.date | None, statements_from: dt.date | None) -> dt.date | None:
    if first is None or statements_from is None:
        return first
    if (first.year, first.month) == (statements_from.year, statements_from.month):
        return min(first, statements_from)
    return first


def monthly_trends(
    statement_lines: pl.DataFrame,
    statements: pl.DataFrame,
    currencies: dict[str, str],
    as_of: dt.date,
    statements_from: dt.date | None = None,
    profit_and_loss: pl.DataFrame | None = None,
    currency: str = "",
    profit_and_loss_gap: str | None = None,
    classes: pl.DataFrame | None = None,
) -> MonthlyTrends:
    """Monthly inflows and outflows per account and per currency, with their statistics, and
    the monthly P&L series.

    Args:
        statement_lines: :data:`lendcheck.frames.STATEMENT_LINES_SCHEMA` rows.
        statements: :data:`lendcheck.frames.STATEMENTS_SCHEMA` rows (their earliest
            ``start_date`` per account is where the account's coverage starts).
        currencies: currency per bank account id ("" when unknown).
        as_of: the report date.
        statements_from: first day of the statement windows asked for; an account whose
            first statement starts in that month covers it from its first day (banks start
            statements on the first business day).
        profit_and_loss: the monthly P&L frame
            (:func:`lendcheck.metrics.monthly_pnl.monthly_pnl_frame`); None or empty when the
            snapshot holds no P&L of one month.
        currency: the base currency (the P&L's amounts).
        profit_and_loss_gap: the evidence the P&L series lacks for year on year and
            seasonality (see :func:`pnl_series`), or None.
        classes: ``line_classes(statement_lines, as_of)`` collected
            (:func:`lendcheck.metrics._common.line_classes`), when the caller has them; else
            they are made here. The monthly sums are summed from them (a few rows an account
            and day), not from the lines.
    """
    if classes is None:
        classes = line_classes(statement_lines, as_of).collect()
    day = pl.col("transaction_date")
    # Months as integers (year * 12 + month - 1): formatting dates as text costs more than
    # all the sums; the few dozen months are labelled afterwards.
    live = (
        classes.lazy()
        .filter(~pl.col("is_deleted"))
        .with_columns((day.dt.year().cast(pl.Int32) * 12 + day.dt.month() - 1).alias("_m"))
    )
    counts = pl.col("lines", "inflow_lines", "outflow_lines")
    aggs = [
        counts.sum().cast(pl.UInt32),
        pl.col("pos").sum().alias("inflows"),
        (-pl.col("neg").sum()).alias("outflows"),
    ]
    per_account, starts = pl.collect_all(
        [
            live.group_by("bank_account_id", "_m").agg(aggs),
            statements.lazy()
            .group_by("bank_account_id")
            .agg(pl.col("start_date").min().alias("first")),
        ]
    )
    per_account = per_account.with_columns(
        pl.format(
            "{}-{}",
            pl.col("_m") // 12,
            (pl.col("_m") % 12 + 1).cast(pl.String).str.zfill(2),
        ).alias("m"),
        pl.col("bank_account_id")
        .replace_strict(currencies, default="", return_dtype=pl.String)
        .alias("currency"),
    )
    per_currency = per_account.group_by("currency", "m").agg(
        pl.col("lines", "inflow_lines", "outflow_lines", "inflows", "outflows").sum()
    )
    first = {
        r["bank_account_id"]: _covered_from(r["first"], statements_from)
        for r in starts.iter_rows(named=True)
    }
    with_lines = set(per_account["bank_account_id"].to_list())
    accounts = []
    for account_id in sorted(with_lines):
        series = _series(
            account_id,
            currencies.get(account_id, ""),
            [account_id],
            per_account.filter(pl.col("bank_account_id") == account_id),
            first.get(account_id),
            as_of,
        )
        if series is not None:
            accounts.append(series)
    pooled = []
    for currency in sorted({currencies.get(a, "") for a in with_lines}):
        ids = [a for a in with_lines if currencies.get(a, "") == currency]
        # A pooled month is complete only when every account of the currency covers it.
        starts_of = [start for a in ids if (start := first.get(a)) is not None]
        series = _series(
            currency,
            currency,
            ids,
            per_currency.filter(pl.col("currency") == currency),
            max(starts_of) if starts_of else None,
            as_of,
            min(starts_of) if starts_of else None,
        )
        if series is not None:
            pooled.append(series)
    pnl = (
        None
        if profit_and_loss is None
        else pnl_series(profit_and_loss, currency, profit_and_loss_gap)
    )
    return MonthlyTrends(
        accounts=accounts,
        by_currency=pooled,
        profit_and_loss=pnl,
        profit_and_loss_monthly_not_available=(
            None
            if pnl is not None
            else "the snapshot holds no profit and loss report of one month (Finance API) "
            "nor by month (Accounting API)"
        ),
    )
