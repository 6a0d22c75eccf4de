"""End-of-day balances of each bank account, rebuilt from the statement balance chain and the
statement lines: average and minimum daily balance per month, days overdrawn, the lowest
balance and its date.

How: statements are taken in order (start date, end date, statement id). The chain is anchored
on the first statement whose bank-supplied ``startBalance`` is present (0 or null means "not
supplied", as Xero documents); every later bank-supplied balance is then *predicted* from the
anchor plus the lines in between and compared with what the bank said. The balances are only
reported when at least one bank-supplied balance beyond the anchor was checked and every check
held: a chain that breaks (lines added, removed or duplicated between the bank and Xero, or
typed balances) gives no balances, only the reason. End-of-day balance = anchor + the lines
posted up to that day (``postedDate``, else ``transactionDate``), non-deleted lines only.

Source: BankStatementsPlus statements (``startBalance``, ``endBalance``, dates) and statement
lines (``amount``, ``postedDate``/``transactionDate``, ``isDeleted``). Pure.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_EVEN, Decimal

import polars as pl
from pydantic import TypeAdapter

from lendcheck.metrics._common import is_live, money
from lendcheck.money import from_minor_units, quantize
from lendcheck.report_types import Money, ReportModel

__all__ = [
    "AccountBalances",
    "DailyBalance",
    "MonthBalances",
    "daily_balances",
]

#: Days counted in :attr:`AccountBalances.last_12_months_overdrawn_days`.
RECENT_DAYS = 365


class DailyBalance(ReportModel):
    """One day's closing balance of an account.

    Attributes:
        date: the day.
        balance: the end-of-day balance.
    """

    date: dt.date
    balance: Money


class MonthBalances(ReportModel):
    """Daily balances of one calendar month (the days of it the rebuilt balances cover).

    Attributes:
        month: ``YYYY-MM``.
        days: days of the month covered.
        average_daily_balance: mean of the end-of-day balances, rounded half to even to the
            cent.
        minimum_daily_balance: the lowest end-of-day balance.
        overdrawn_days: days whose end-of-day balance is below zero (None for a credit
            account).
    """

    month: str
    days: int
    average_daily_balance: Money
    minimum_daily_balance: Money
    overdrawn_days: int | None


class AccountBalances(ReportModel):
    """Rebuilt daily balances of one account.

    Attributes:
        bank_account_id: the account.
        bank_account_name: its name in BankStatementsPlus (untrusted text; "" when unknown).
        currency: its currency.
        not_available: why the balances are not given (no bank-supplied balance to anchor
            on, nothing to check the rebuild against, or a check failed), else None.
        credit_account: every bank-supplied balance of the account is zero or negative (a
            credit card or loan account: money owed, so "overdrawn" does not apply and the
            overdrawn day counts are null).
        chain_trusted: every bank-supplied balance checked agrees with the rebuild (and at
            least one was checked).
        balances_checked: bank-supplied balances compared with the rebuild.
        balance_check_failures: how many of them differ.
        first_failure_date: the date of the first balance that differs.
        first_failure_difference: rebuilt minus bank-supplied balance at that date.
        first_day, last_day: the span of the daily balances.
        overdrawn_days: days in the span with a negative end-of-day balance.
        last_12_months_overdrawn_days: such days in the 365 days ending at the report date.
        lowest_balance, lowest_balance_date: the lowest end-of-day balance and its first date.
        average_daily_balance: mean end-of-day balance over the span (half-even to the cent).
        months: :class:`MonthBalances` per month of the span.
        daily: every day's end-of-day balance (the chart's series).
    """

    bank_account_id: str
    bank_account_name: str
    currency: str
    not_available: str | None
    credit_account: bool
    chain_trusted: bool
    balances_checked: int
    balance_check_failures: int
    first_failure_date: dt.date | None
    first_failure_difference: Money | None
    first_day: dt.date | None
    last_day: dt.date | None
    overdrawn_days: int | None
    last_12_months_overdrawn_days: int | None
    lowest_balance: Money | None
    lowest_balance_date: dt.date | None
    average_daily_balance: Money | None
    months: list[MonthBalances]
    daily: list[DailyBalance]


def _mean_minor(total: int, days: int) -> int:
    return int((Decimal(total) / Decimal(days)).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


_DAILY = TypeAdapter(list[DailyBalance])


def _amount(minor: int, currency: str) -> Decimal:
    return quantize(from_minor_units(minor), currency)


def _daily(days: list[dt.date], balances: list[int], currency: str) -> list[DailyBalance]:
    """One :class:`DailyBalance` a day, validated as one list in pydantic's core (a
    million-line applicant has tens of thousands of days across its accounts)."""
    return _DAILY.validate_python(
        [
            {
                "date": d,
                "balance": {
                    "amount": quantize(from_minor_units(b), currency),
                    "currency": currency,
                },
            }
            for d, b in zip(days, balances, strict=True)
        ]
    )


def _supplied(value: int | None) -> bool:
    return value is not None and value != 0


def _untrusted(
    account_id: str, currency: str, reason: str, checked: int = 0, failures: int = 0
) -> AccountBalances:
    return AccountBalances(
        bank_account_id=account_id,
        bank_account_name="",
        currency=currency,
        not_available=reason,
        credit_account=False,
        chain_trusted=False,
        balances_checked=checked,
        balance_check_failures=failures,
        first_failure_date=None,
        first_failure_difference=None,
        first_day=None,
        last_day=None,
        overdrawn_days=None,
        last_12_months_overdrawn_days=None,
        lowest_balance=None,
        lowest_balance_date=None,
        average_daily_balance=None,
        months=[],
        daily=[],
    )


def _account(
    account_id: str,
    currency: str,
    statements: pl.DataFrame,
    line_sums: pl.DataFrame,
    daily_sums: pl.DataFrame,
    as_of: dt.date,
) -> AccountBalances:
    # statements: this account's dated statements ending on or before as_of, in chain order,
    # with "lines_sum" (sum of their live lines). A few hundred rows at most.
    rows = statements.join(line_sums, on="statement_id", how="left").sort(
        ["start_date", "end_date", "statement_id"]
    )
    if rows.height == 0:
        return _untrusted(account_id, currency, "no dated statements on or before the report date")
    starts = rows["start_balance"].to_list()
    ends = rows["end_balance"].to_list()
    sums = [int(v or 0) for v in rows["lines_sum"].to_list()]
    ends_on = rows["end_date"].to_list()
    starts_on = rows["start_date"].to_list()
    anchor = next((i for i, v in enumerate(starts) if _supplied(v)), None)
    if anchor is None:
        return _untrusted(
            account_id, currency, "no statement has a bank-supplied opening balance to anchor on"
        )
    before = sum(sums[:anchor])
    offset = int(starts[anchor]) - before  # balance before the first statement's lines
    checked = failures = 0
    first_failure: tuple[dt.date, int] | None = None
    running = offset
    for i in range(len(sums)):
        if i > anchor and _supplied(starts[i]):
            checked += 1
            if running != starts[i]:
                failures += 1
                first_failure = first_failure or (starts_on[i], running - int(starts[i]))
        running += sums[i]
        if i >= anchor and _supplied(ends[i]):
            checked += 1
            if running != ends[i]:
                failures += 1
                first_failure = first_failure or (ends_on[i], running - int(ends[i]))
    if checked == 0:
        return _untrusted(
            account_id,
            currency,
            "only one bank-supplied balance: nothing to check the rebuilt balances against",
        )
    if failures:
        assert first_failure is not None
        result = _untrusted(
            account_id,
            currency,
            f"{failures} of {checked} bank-supplied balances differ from the balances the "
            "statement lines give: the chain cannot be trusted, so no daily balance is shown",
            checked,
            failures,
        )
        return result.model_copy(
            update={
                "first_failure_date": first_failure[0],
                "first_failure_difference": money(first_failure[1], currency),
            }
        )
    first_day = min(starts_on)
    last_day = min(max(ends_on), as_of)
    days = (
        pl.DataFrame({"day": pl.date_range(first_day, last_day, "1d", eager=True)})
        .join(daily_sums, on="day", how="left")
        .with_columns(
            (pl.col("sum").fill_null(0).cum_sum() + pl.lit(offset, pl.Int64)).alias("balance")
            # lines posted before the first statement starts are already in the offset
        )
    )
    early = daily_sums.filter(pl.col("day") < first_day)["sum"].sum()
    days = days.with_columns(pl.col("balance") + pl.lit(int(early or 0), pl.Int64)).with_columns(
        pl.col("day").dt.strftime("%Y-%m").alias("month")
    )
    monthly = (
        days.group_by("month", maintain_order=True)
        .agg(
            pl.len().alias("days"),
            pl.col("balance").sum().alias("total"),
            pl.col("balance").min().alias("minimum"),
            (pl.col("balance") < 0).sum().alias("overdrawn"),
        )
        .sort("month")
    )
    balances = days["balance"].to_list()
    day_list = days["day"].to_list()
    lowest = min(balances)
    recent_from = as_of - dt.timedelta(days=RECENT_DAYS - 1)
    supplied = [int(v) for v in starts + ends if _supplied(v)]
    credit = all(v < 0 for v in supplied)
    return AccountBalances(
        bank_account_id=account_id,
        bank_account_name="",
        currency=currency,
        not_available=None,
        credit_account=credit,
        chain_trusted=True,
        balances_checked=checked,
        balance_check_failures=0,
        first_failure_date=None,
        first_failure_difference=None,
        first_day=first_day,
        last_day=last_day,
        overdrawn_days=None if credit else sum(1 for b in balances if b < 0),
        last_12_months_overdrawn_days=None
        if credit
        else sum(1 for d, b in zip(day_list, balances, strict=True) if b < 0 and d >= recent_from),
        lowest_balance=Money.from_minor(lowest, currency),
        lowest_balance_date=day_list[balances.index(lowest)],
        average_daily_balance=Money.from_minor(_mean_minor(sum(balances), len(balances)), currency),
        months=[
            MonthBalances(
                month=r["month"],
                days=r["days"],
                average_daily_balance=Money.from_minor(
                    _mean_minor(r["total"], r["days"]), currency
                ),
                minimum_daily_balance=Money.from_minor(r["minimum"], currency),
                overdrawn_days=None if credit else r["overdrawn"],
            )
            for r in monthly.iter_rows(named=True)
        ],
        daily=_daily(day_list, balances, currency),
    )


def daily_balances(
    statement_lines: pl.DataFrame,
    statements: pl.DataFrame,
    currencies: dict[str, str],
    as_of: dt.date,
    names: dict[str, str] | None = None,
) -> list[AccountBalances]:
    """Rebuild each account's end-of-day balances; one :class:`AccountBalances` per account
    with statements, sorted by account id.

    Args:
        statement_lines: :data:`lendcheck.frames.STATEMENT_LINES_SCHEMA` rows.
        statements: :data:`lendcheck.frames.STATEMENTS_SCHEMA` rows.
        currencies: currency per bank account id.
        as_of: the report date; statements ending after it and lines dated after it are left
            out.
        names: name per bank account id.
    """
    # One grouping of the live lines by account, statement and day (a few rows a statement),
    # which both sums below add up: the statements' and the days' (exact integer sums).
    parts = (
        statement_lines.lazy()
        .filter(is_live(as_of))
        .group_by(
            "bank_account_id",
            "statement_id",
            pl.coalesce("posted_date", "transaction_date").alias("day"),
        )
        .agg(pl.col("amount").sum())
        .collect()
    )
    line_sums = parts.group_by("statement_id").agg(pl.col("amount").sum().alias("lines_sum"))
    daily_sums = parts.group_by("bank_account_id", "day").agg(pl.col("amount").sum().alias("sum"))
    dated = statements.filter(
        pl.col("start_date").is_not_null()
        & pl.col("end_date").is_not_null()
        & (pl.col("end_date") <= as_of)
    )
    accounts = sorted(set(statements["bank_account_id"].to_list()))
    names = names or {}
    return [
        _account(
            account_id,
            currencies.get(account_id, ""),
            dated.filter(pl.col("bank_account_id") == account_id),
            line_sums,
            daily_sums.filter(pl.col("bank_account_id") == account_id).select("day", "sum"),
            as_of,
        ).model_copy(update={"bank_account_name": names.get(account_id, "")})
        for account_id in accounts
    ]
