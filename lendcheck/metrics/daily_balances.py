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
from dataclasses import dataclass
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


@dataclass(frozen=True)
class _Chain:
    """An account whose balance chain held (:func:`_chain`): what its daily balances are
    rebuilt from.

    Attributes:
        account_id, currency: the account.
        checked: bank-supplied balances compared with the rebuild (all agreed).
        credit: every bank-supplied balance is zero or negative.
        first_day, last_day: the span of the daily balances (the first statement's start,
            the last statement's end).
        offset: the balance before the first statement's lines (minor units).
    """

    account_id: str
    currency: str
    checked: int
    credit: bool
    first_day: dt.date
    last_day: dt.date
    offset: int


def _chain(account_id: str, currency: str, rows: pl.DataFrame) -> AccountBalances | _Chain:
    """Check an account's balance chain: :class:`AccountBalances` without balances and with
    the reason when it cannot be trusted, else the :class:`_Chain` to rebuild them from.

    Args:
        rows: the account's dated statements ending on or before the report date, in chain
            order (start date, end date, statement id), with ``lines_sum`` (Int64 minor
            units, the sum of their live lines; null for none). A few hundred rows at most.
    """
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
    supplied = [int(v) for v in starts + ends if _supplied(v)]
    return _Chain(
        account_id=account_id,
        currency=currency,
        checked=checked,
        credit=all(v < 0 for v in supplied),
        first_day=min(starts_on),
        last_day=max(ends_on),
        offset=offset,
    )


def _days(chains: list[_Chain], daily_sums: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Every day's end-of-day balance of the trusted accounts, and their months, made for
    all of them at once.

    Args:
        chains: the accounts whose chain held.
        daily_sums: ``bank_account_id``, ``day`` (Date) and ``sum`` (Int64 minor units): the
            live lines' sum per account and day (posted date, else transaction date).

    Returns:
        (days: ``bank_account_id``, ``day`` and ``balance`` (Int64 minor units), every day of
        each account's span in order, by account;
        months: ``bank_account_id``, ``month`` (``YYYY-MM``), ``days``, ``total``,
        ``minimum`` and ``overdrawn`` (days below zero), by account then month).

    Balance of a day = the offset + the lines posted before the first statement starts
    (already in the offset, so added back) + the lines posted from the span's first day up to
    that day.
    """
    spans = pl.DataFrame(
        {
            "bank_account_id": [c.account_id for c in chains],
            "first_day": [c.first_day for c in chains],
            "last_day": [c.last_day for c in chains],
            "offset": [c.offset for c in chains],
        },
        schema={
            "bank_account_id": pl.String,
            "first_day": pl.Date,
            "last_day": pl.Date,
            "offset": pl.Int64,
        },
    ).lazy()
    sums = daily_sums.lazy()
    early = (
        sums.join(spans, on="bank_account_id")
        .filter(pl.col("day") < pl.col("first_day"))
        .group_by("bank_account_id")
        .agg(pl.col("sum").sum().alias("early"))
    )
    days = (
        spans.join(early, on="bank_account_id", how="left", maintain_order="left")
        .select(
            "bank_account_id",
            pl.date_ranges("first_day", "last_day").alias("day"),
            (pl.col("offset") + pl.col("early").fill_null(0)).alias("opening"),
        )
        .explode("day")
        .filter(pl.col("day").is_not_null())  # an empty span has no day
        .join(sums, on=["bank_account_id", "day"], how="left", maintain_order="left")
        .select(
            "bank_account_id",
            "day",
            (
                pl.col("sum").fill_null(0).cum_sum().over("bank_account_id") + pl.col("opening")
            ).alias("balance"),
        )
    )
    months = (
        days.group_by("bank_account_id", pl.col("day").dt.month_start().alias("month"))
        .agg(
            pl.len().alias("days"),
            pl.col("balance").sum().alias("total"),
            pl.col("balance").min().alias("minimum"),
            (pl.col("balance") < 0).sum().alias("overdrawn"),
        )
        .sort("bank_account_id", "month")
        .with_columns(pl.col("month").dt.strftime("%Y-%m"))
    )
    each_day, each_month = pl.collect_all([days, months])
    return each_day, each_month


def _trusted(
    chain: _Chain, days: pl.DataFrame, months: pl.DataFrame, as_of: dt.date
) -> AccountBalances:
    """The daily balances of an account whose chain held, from its rows of :func:`_days`."""
    currency, credit = chain.currency, chain.credit
    balances = days["balance"].to_list()
    day_list = days["day"].to_list()
    lowest = min(balances)
    recent_from = as_of - dt.timedelta(days=RECENT_DAYS - 1)
    return AccountBalances(
        bank_account_id=chain.account_id,
        bank_account_name="",
        currency=currency,
        not_available=None,
        credit_account=credit,
        chain_trusted=True,
        balances_checked=chain.checked,
        balance_check_failures=0,
        first_failure_date=None,
        first_failure_difference=None,
        first_day=chain.first_day,
        last_day=chain.last_day,
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
            for r in months.iter_rows(named=True)
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
    # every account's dated statements in chain order, with their lines' sums: one join and
    # one sort for all the accounts, then split by account
    chains = (
        statements.filter(
            pl.col("start_date").is_not_null()
            & pl.col("end_date").is_not_null()
            & (pl.col("end_date") <= as_of)
        )
        .join(line_sums, on="statement_id", how="left")
        .sort(["bank_account_id", "start_date", "end_date", "statement_id"])
    )
    by_account = {
        key: rows
        for (key,), rows in chains.partition_by(
            "bank_account_id", as_dict=True, maintain_order=True
        ).items()
    }
    accounts = sorted(set(statements["bank_account_id"].to_list()))
    checked = {
        account_id: _chain(
            account_id,
            currencies.get(account_id, ""),
            by_account.get(account_id, chains.clear()),
        )
        for account_id in accounts
    }
    trusted = [c for c in checked.values() if isinstance(c, _Chain)]
    days, months = _days(trusted, daily_sums)
    days_of = days.partition_by("bank_account_id", as_dict=True, maintain_order=True)
    months_of = months.partition_by("bank_account_id", as_dict=True, maintain_order=True)
    names = names or {}
    return [
        (
            _trusted(
                result,
                days_of.get((account_id,), days.clear()),
                months_of.get((account_id,), months.clear()),
                as_of,
            )
            if isinstance(result, _Chain)
            else result
        ).model_copy(update={"bank_account_name": names.get(account_id, "")})
        for account_id, result in checked.items()
    ]
