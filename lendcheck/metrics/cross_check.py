"""Cross-checks against Xero's own figures: recomputed CashValidation, and ledger vs bank.

**Recomputed vs Xero.** CashValidation ``bankStatement.statementLines`` aggregates an account's
statement lines with ``beginDate <= transactionDate <= balanceDate``. lendcheck recomputes every
one of those aggregates from the BankStatementsPlus lines of the same range
(:func:`lendcheck.metrics.reconciliation.line_summary`) and sets each beside Xero's figure. On
consistent data the difference is zero; a difference is a finding in itself (the data changed
between the calls, or lines are hidden from one endpoint).

**Ledger vs bank.** CashValidation's ``statementBalance`` (the bank's closing balance, signed by
its DEBIT/CREDIT type) beside ``cashAccount.accountBalance`` (cash at bank in the books) and the
ledger's cash entries that no bank line backs (``cashAccount.unreconciledAmountPos/Neg``).
``statementBalance`` is corroborated with the last BankStatementsPlus statement: the balance
the bank supplied on it (``endBalance``) and the running balance Xero computes from the
imported lines (``indicativeEndBalance``); a disagreement is a finding in itself.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import polars as pl

from lendcheck.metrics._common import Fine, money
from lendcheck.metrics.reconciliation import XERO_DATA_SOURCE_BUCKETS, line_summary, weighted_age
from lendcheck.money import to_minor_units
from lendcheck.report_types import Money, ReportModel
from lendcheck.xero.models import CashValidationAccount, StatementLinesSummary

#: Largest difference in days at which two value-weighted ages agree (Xero writes 6 decimals).
AGE_TOLERANCE = 1e-6

_AMOUNT_FIELDS = (
    "unreconciled_amount_pos",
    "unreconciled_amount_neg",
    "reconciled_amount_pos",
    "reconciled_amount_neg",
    "total_amount",
    "total_amount_pos",
    "total_amount_neg",
    "deleted_amount",
)
_COUNT_FIELDS = ("unreconciled_lines", "reconciled_lines")
_DATE_FIELDS = (
    "earliest_unreconciled_transaction",
    "latest_unreconciled_transaction",
    "earliest_reconciled_transaction",
    "latest_reconciled_transaction",
)
_AGE_FIELDS = ("avg_days_unreconciled_pos", "avg_days_unreconciled_neg")


class AmountCheck(ReportModel):
    """One money aggregate beside Xero's.

    Attributes:
        field: Xero's field in snake_case (``data_source.`` prefix for ``dataSource`` fields).
        xero: Xero's figure; None when Xero left the field out.
        recomputed: lendcheck's figure from the statement lines.
        difference: ``recomputed - xero`` (None when Xero left the field out).
        agrees: the two are equal (a missing Xero figure agrees only with a recomputed 0).
    """

    field: str
    xero: Money | None
    recomputed: Money
    difference: Money | None
    agrees: bool


class CountCheck(ReportModel):
    """One line count beside Xero's (fields as :class:`AmountCheck`)."""

    field: str
    xero: int | None
    recomputed: int
    difference: int | None
    agrees: bool


class AgeCheck(ReportModel):
    """One value-weighted age in days beside Xero's, written to 6 decimals.

    ``agrees`` when ``|difference| <= 1e-6`` days; an age that is undefined on one side (no
    lines to weigh) agrees with a missing or 0 figure on the other.
    """

    field: str
    xero: Fine
    recomputed: Fine
    difference: Fine
    agrees: bool


class DateCheck(ReportModel):
    """One date beside Xero's; ``difference_days`` is ``recomputed - xero`` in days."""

    field: str
    xero: dt.date | None
    recomputed: dt.date | None
    difference_days: int | None
    agrees: bool


class CrossCheck(ReportModel):
    """Every CashValidation ``statementLines`` aggregate of one account, recomputed.

    Attributes:
        not_available: why nothing was compared (no CashValidation in the snapshot, or the
            account is absent from it), else None.
        begin_date, balance_date: the range of the compared call (Xero ``beginDate``,
            ``balanceDate``); ages are counted to ``balance_date``.
        amounts, counts, ages, dates: the comparisons, in Xero's field order.
        differences: how many comparisons disagree; None when nothing was compared.
        agrees: True when every comparison agrees; None when nothing was compared.
    """

    not_available: str | None = None
    begin_date: dt.date | None
    balance_date: dt.date
    amounts: list[AmountCheck]
    counts: list[CountCheck]
    ages: list[AgeCheck]
    dates: list[DateCheck]
    differences: int | None
    agrees: bool | None


def _minor(value: Decimal | None) -> int | None:
    return None if value is None else to_minor_units(value)


def _amount_check(field: str, xero: Decimal | None, recomputed: int, currency: str) -> AmountCheck:
    x = _minor(xero)
    return AmountCheck(
        field=field,
        xero=money(x, currency),
        recomputed=money(recomputed, currency),
        difference=None if x is None else money(recomputed - x, currency),
        agrees=recomputed == (x or 0),
    )


def _compare(
    summary: StatementLinesSummary,
    row: dict[str, Any],
    currency: str,
    begin: dt.date | None,
    balance_date: dt.date,
) -> CrossCheck:
    amounts = [
        _amount_check(f, getattr(summary, f), row.get(f) or 0, currency) for f in _AMOUNT_FIELDS
    ]
    ds = summary.data_source
    for bucket in XERO_DATA_SOURCE_BUCKETS:
        for suffix in ("", "_pos", "_neg"):
            name = f"{bucket}{suffix}"
            amounts.append(
                _amount_check(
                    f"data_source.{name}",
                    getattr(ds, name) if ds else None,
                    row.get(f"ds_{name}") or 0,
                    currency,
                )
            )
    counts = []
    for f in _COUNT_FIELDS:
        x, r = getattr(summary, f), row.get(f) or 0
        counts.append(
            CountCheck(
                field=f,
                xero=x,
                recomputed=r,
                difference=None if x is None else r - x,
                agrees=r == (x or 0),
            )
        )
    ages = []
    for f, age_col, amount_col in (
        ("avg_days_unreconciled_pos", "unreconciled_age_amount_pos", "unreconciled_amount_pos"),
        ("avg_days_unreconciled_neg", "unreconciled_age_amount_neg", "unreconciled_amount_neg"),
    ):
        xd = getattr(summary, f)
        x = None if xd is None else float(xd)
        r = weighted_age(row.get(age_col), row.get(amount_col))
        if x is None or r is None:
            difference, agrees = None, (x or 0.0) == 0.0 and (r or 0.0) == 0.0
        else:
            difference = r - x
            agrees = abs(difference) <= AGE_TOLERANCE
        ages.append(AgeCheck(field=f, xero=x, recomputed=r, difference=difference, agrees=agrees))
    dates = []
    for f in _DATE_FIELDS:
        x, r = getattr(summary, f), row.get(f)
        dates.append(
            DateCheck(
                field=f,
                xero=x,
                recomputed=r,
                difference_days=(r - x).days if x is not None and r is not None else None,
                agrees=x == r,
            )
        )
    differences = sum(not c.agrees for group in (amounts, counts, ages, dates) for c in group)
    return CrossCheck(
        begin_date=begin,
        balance_date=balance_date,
        amounts=amounts,
        counts=counts,
        ages=ages,
        dates=dates,
        differences=differences,
        agrees=differences == 0,
    )


def _window_longer(
    summary: StatementLinesSummary, begin: dt.date | None, statements_from: dt.date | None
) -> str | None:
    """Why Xero's aggregates cover lines the statements read do not, else None."""
    if statements_from is None or (begin is not None and begin >= statements_from):
        return None
    earliest = [
        d
        for d in (
            summary.earliest_reconciled_transaction,
            summary.earliest_unreconciled_transaction,
        )
        if d is not None
    ]
    has_lines = bool(summary.reconciled_lines or summary.unreconciled_lines)
    if earliest and min(earliest) >= statements_from:
        return None
    if not earliest and not has_lines:
        return None
    window = "the account's whole history" if begin is None else f"lines from {begin}"
    seen = f" (Xero's earliest line is dated {min(earliest)})" if earliest else ""
    return (
        f"not comparable: Xero's window is longer than the statements read (CashValidation "
        f"counts {window}; the statements read start {statements_from}{seen})"
    )


def cross_check(
    lines: pl.DataFrame,
    cash_validation: list[CashValidationAccount] | None,
    begin_date: dt.date | None,
    balance_date: dt.date,
    currencies: dict[str, str],
    summary: pl.DataFrame | None = None,
    statements_from: dt.date | None = None,
) -> dict[str, CrossCheck]:
    """Recompute CashValidation's ``statementLines`` aggregates and compare them with Xero's.

    Args:
        lines: statement lines (:data:`lendcheck.frames.STATEMENT_LINES_SCHEMA`).
        cash_validation: the main CashValidation response (no ``asAtSystemDate``); None when
            the snapshot lacks it.
        begin_date: that call's ``beginDate`` (None if it had none).
        balance_date: that call's ``balanceDate`` (the report date in the fetch plan).
        currencies: currency code per bank account id; every key gets a result. Accounts in
            CashValidation but not in the frames should be keys too (their lines are missing
            from BankStatementsPlus: every non-zero Xero figure becomes a difference).

        summary: :func:`~lendcheck.metrics.reconciliation.line_summary` of ``lines`` for this
            range, keyed by ``bank_account_id``, when the caller already has it.
        statements_from: the first day the statements read cover. When ``begin_date`` is None
            (Xero then aggregates the account's whole history) or earlier than this, an
            account is compared only when Xero's earliest reconciled and unreconciled lines
            fall on or after it (the statements read reach back to the account's first
            line); otherwise its check is "not comparable". None: no such limit.

    Returns:
        :class:`CrossCheck` per bank account id.

    Raises:
        ValueError: a Xero amount has more decimal places than three.
    """
    if summary is None:
        summary = line_summary(lines, end=balance_date, begin=begin_date)
    rows = {r["bank_account_id"]: r for r in summary.iter_rows(named=True)}
    by_id = {a.account_id: a for a in cash_validation or []}
    result = {}
    for account_id, currency in currencies.items():
        account = by_id.get(account_id)
        xero_lines = (
            account.bank_statement.statement_lines if (account and account.bank_statement) else None
        )
        reason = None
        if xero_lines is not None:
            reason = _window_longer(xero_lines, begin_date, statements_from)
        if xero_lines is None or reason is not None:
            reason = reason or (
                "no CashValidation in the snapshot"
                if cash_validation is None
                else "account absent from CashValidation"
                if account is None
                else "CashValidation gives no statementLines for this account"
            )
            result[account_id] = CrossCheck(
                not_available=reason,
                begin_date=begin_date,
                balance_date=balance_date,
                amounts=[],
                counts=[],
                ages=[],
                dates=[],
                differences=None,
                agrees=None,
            )
            continue
        result[account_id] = _compare(
            xero_lines, rows.get(account_id, {}), currency, begin_date, balance_date
        )
    return result


class LedgerVsBank(ReportModel):
    """The bank's balance beside the books' cash balance for one account (CashValidation).

    Attributes:
        not_available: why the comparison is missing, else None.
        statement_balance: Xero ``statementBalance`` signed by its type (DEBIT +, CREDIT -):
            the bank's closing balance of all imported lines.
        statement_balance_date: Xero ``statementBalanceDate``.
        account_balance: Xero ``cashAccount.accountBalance``: cash at bank in the books.
        balance_currency: Xero ``cashAccount.balanceCurrency``.
        ledger_minus_bank: ``account_balance - statement_balance``, exact to the cent;
            positive means the books hold more cash than the bank shows. None when either is
            missing or the currencies differ.
        unreconciled_amount_pos/neg: Xero ``cashAccount.unreconciledAmountPos``/``Neg``: cash
            entries in the books that no bank line backs (debits / credits).
        starting_balance: Xero ``cashAccount.startingBalance`` (keyed by the user, unverified).
        last_statement_id: the account's last BankStatementsPlus statement ending on or before
            the report date (latest ``endDate``, then ``startDate``, import time, id); None
            when it has none.
        last_statement_end_date: its ``endDate``.
        last_statement_import_source_kind: its import-source kind
            (:data:`lendcheck.frames.IMPORT_SOURCE_KINDS`): a balance on a typed or uploaded
            statement is the applicant's, not the bank's.
        last_statement_end_balance: its imported ``endBalance``; None when not supplied (Xero
            writes 0 for "not supplied by the bank").
        last_statement_indicative_end_balance: its ``indicativeEndBalance`` (Xero's running
            balance of the imported lines); None when absent.
        statement_balance_minus_end_balance: ``statement_balance - last_statement_end_balance``;
            None when either is missing.
        statement_balance_minus_indicative_end_balance: ``statement_balance -
            last_statement_indicative_end_balance``; None when either is missing.
        bank_balances_compared: how many of those two differences could be computed (0-2).
        bank_balance_disagreements: how many are not zero; None when none was computed.
        bank_balances_agree: ``bank_balance_disagreements == 0``; None when none was computed
            (an uncorroborated balance is not a pass).
    """

    not_available: str | None = None
    statement_balance: Money | None
    statement_balance_date: dt.date | None
    account_balance: Money | None
    balance_currency: str | None
    ledger_minus_bank: Money | None
    unreconciled_amount_pos: Money | None
    unreconciled_amount_neg: Money | None
    starting_balance: Money | None
    last_statement_id: str | None = None
    last_statement_end_date: dt.date | None = None
    last_statement_import_source_kind: str | None = None
    last_statement_end_balance: Money | None = None
    last_statement_indicative_end_balance: Money | None = None
    statement_balance_minus_end_balance: Money | None = None
    statement_balance_minus_indicative_end_balance: Money | None = None
    bank_balances_compared: int = 0
    bank_balance_disagreements: int | None = None
    bank_balances_agree: bool | None = None


def last_statements(statements: pl.DataFrame, as_of: dt.date) -> dict[str, dict[str, Any]]:
    """The last statement of each account ending on or before ``as_of``.

    Args:
        statements: statements frame (:data:`lendcheck.frames.STATEMENTS_SCHEMA`).
        as_of: the report date (the CashValidation call's ``balanceDate``).

    Returns:
        Per bank account id, the statement's row (latest ``end_date``, then ``start_date``,
        ``imported_at``, ``statement_id``).
    """
    latest = (
        statements.filter(pl.col("end_date") <= as_of)
        .sort(["end_date", "start_date", "imported_at", "statement_id"], nulls_last=False)
        .group_by("bank_account_id", maintain_order=True)
        .last()
    )
    return {r["bank_account_id"]: r for r in latest.iter_rows(named=True)}


def _corroboration(
    bank: Decimal | None, last: dict[str, Any] | None, currency: str
) -> dict[str, Any]:
    """The last statement's balances beside ``statementBalance`` (LedgerVsBank fields)."""
    if last is None:
        return {}
    supplied = last["end_balance"] or None  # 0 = not supplied by the bank
    indicative = last["indicative_end_balance"]
    bank_minor = None if bank is None else to_minor_units(bank)
    differences = [
        None if bank_minor is None or other is None else bank_minor - other
        for other in (supplied, indicative)
    ]
    compared = [d for d in differences if d is not None]
    return {
        "last_statement_id": last["statement_id"],
        "last_statement_end_date": last["end_date"],
        "last_statement_import_source_kind": last["import_source_kind"],
        "last_statement_end_balance": money(supplied, currency),
        "last_statement_indicative_end_balance": money(indicative, currency),
        "statement_balance_minus_end_balance": money(differences[0], currency),
        "statement_balance_minus_indicative_end_balance": money(differences[1], currency),
        "bank_balances_compared": len(compared),
        "bank_balance_disagreements": sum(d != 0 for d in compared) if compared else None,
        "bank_balances_agree": all(d == 0 for d in compared) if compared else None,
    }


def ledger_vs_bank(
    cash_validation: list[CashValidationAccount] | None,
    currencies: dict[str, str],
    statements: pl.DataFrame | None = None,
    as_of: dt.date | None = None,
) -> dict[str, LedgerVsBank]:
    """CashValidation's bank balance beside the ledger's, and beside the last statement's.

    Args:
        cash_validation: the main CashValidation response, None when the snapshot lacks it.
        currencies: currency code of each bank account (from BankStatementsPlus; "" when
            unknown, then ``cashAccount.balanceCurrency`` is used); every key gets a result.
        statements: the BankStatementsPlus statements frame
            (:data:`lendcheck.frames.STATEMENTS_SCHEMA`) whose last statement corroborates
            ``statementBalance``; None to skip the corroboration.
        as_of: the report date (needed with ``statements``).

    Returns:
        :class:`LedgerVsBank` per bank account id.

    Raises:
        ValueError: ``statementBalance`` has more than two decimal places.
    """
    last = (
        last_statements(statements, as_of) if statements is not None and as_of is not None else {}
    )
    by_id = {a.account_id: a for a in cash_validation or []}
    result = {}
    for account_id, currency in currencies.items():
        account = by_id.get(account_id)
        if account is None:
            result[account_id] = LedgerVsBank(
                not_available="no CashValidation in the snapshot"
                if cash_validation is None
                else "account absent from CashValidation",
                statement_balance=None,
                statement_balance_date=None,
                account_balance=None,
                balance_currency=None,
                ledger_minus_bank=None,
                unreconciled_amount_pos=None,
                unreconciled_amount_neg=None,
                starting_balance=None,
                **_corroboration(None, last.get(account_id), currency),
            )
            continue
        cash = account.cash_account
        ledger_currency = (cash.balance_currency if cash else None) or currency
        bank = account.statement_balance.signed_value if account.statement_balance else None
        book = cash.account_balance if cash else None

        def of(value: Decimal | None, ccy: str) -> Money | None:
            return None if value is None else Money.of(value, ccy)

        reason = None
        if bank is None or book is None:
            reason = "statementBalance or cashAccount.accountBalance missing"
        elif currency and ledger_currency and currency != ledger_currency:
            reason = f"bank account in {currency}, ledger in {ledger_currency}: not compared"
        result[account_id] = LedgerVsBank(
            not_available=reason,
            statement_balance=of(bank, currency or ledger_currency),
            statement_balance_date=account.statement_balance_date,
            account_balance=of(book, ledger_currency),
            balance_currency=cash.balance_currency if cash else None,
            ledger_minus_bank=None
            if reason or bank is None or book is None
            else Money.of(book - bank, ledger_currency),
            unreconciled_amount_pos=of(
                cash.unreconciled_amount_pos if cash else None, ledger_currency
            ),
            unreconciled_amount_neg=of(
                cash.unreconciled_amount_neg if cash else None, ledger_currency
            ),
            starting_balance=of(cash.starting_balance if cash else None, ledger_currency),
            **_corroboration(bank, last.get(account_id), currency or ledger_currency),
        )
    return result
