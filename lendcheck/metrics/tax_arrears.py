"""Tax arrears: sales tax and payroll tax owed growing across the balance sheets, and payments
to the tax authority missing or irregular in the bank.

*Tax liabilities* are the balance-sheet liability accounts whose reporting code starts
``LIA.CUR.TAX`` or whose name says GST, VAT, PAYE, PAYG, sales tax, payroll tax or withholding;
they are compared at the report date and a year before (same point of the filing cycle).
*Tax payments* are outflows whose payee names a tax authority (:data:`TAX_AUTHORITY_PATTERN`:
HMRC, IRD / Inland Revenue, ATO, IRS / EFTPS, CRA, ...).

Source: Finance API balance sheets at ``as_of`` and a year before; BankStatementsPlus statement
lines (payee, amount, date). Pure.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from decimal import Decimal

import polars as pl

from lendcheck.metrics._common import PAYEE_INDEX, LineRef, Payees, is_live, line_refs
from lendcheck.report_types import Money, Ratio, ReportModel
from lendcheck.xero.models import BalanceSheet

__all__ = ["TAX_AUTHORITY_PATTERN", "TaxArrears", "TaxLiability", "TaxPayee", "tax_arrears"]

#: Tax authorities (whole words, any case) in a payee.
TAX_AUTHORITY_PATTERN = (
    r"(?i)\b(hmrc|ird|inland\s+revenue|ato|australian\s+taxation|irs|eftps|usataxpymt|cra"
    r"|canada\s+revenue|receiver\s+general|department\s+of\s+revenue|dept\s+of\s+revenue)\b"
)
#: Fragments every tax authority name contains (a quick first pass; the pattern decides).
_AUTHORITY_FRAGMENTS = [
    "hmrc",
    "ird",
    "inland",
    "ato",
    "australian",
    "irs",
    "eftps",
    "usatax",
    "cra",
    "canada",
    "receiver",
    "revenue",
]
_TAX_NAME = re.compile(r"(?i)\b(gst|vat|paye|payg|sales\s+tax|payroll\s+tax|withholding|hst|pst)\b")
#: Days counted in :attr:`TaxArrears.last_12_months_tax_payments`.
RECENT_DAYS = 365


class TaxLiability(ReportModel):
    """One tax liability account on the two balance sheets.

    Attributes:
        name: the account's name (untrusted text).
        reporting_code: its reporting code.
        current, previous: its balance at the report date and a year before (None when the
            account is not on that balance sheet or the sheet is missing).
    """

    name: str
    reporting_code: str | None
    current: Money | None
    previous: Money | None


class TaxPayee(ReportModel):
    """The payments to one tax payee (``HMRC VAT``, ``HMRC PAYE``...: one tax each, as banks
    name them).

    Attributes:
        payee: the payee (untrusted text), compared case-insensitively.
        payments: how many.
        last_payment: the latest's date.
        days_since_last_payment: ``as_of - last_payment``.
    """

    payee: str
    payments: int
    last_payment: dt.date
    days_since_last_payment: int


class TaxArrears(ReportModel):
    """Sales and payroll tax owed, and the tax paid from the bank.

    Attributes:
        liabilities: each tax liability account, by name.
        tax_liabilities: their sum at the report date (None without that balance sheet).
        previous_tax_liabilities: their sum a year before (None without that balance sheet).
        tax_liability_growth: ``tax_liabilities / previous_tax_liabilities - 1``; None when
            either is missing or the earlier sum is not above zero.
        not_available: why the growth is null, else None.
        tax_payments: outflows to a tax authority over the statement history (None when
            there are no statement lines at all: nothing was seen, not nothing paid).
        last_12_months_tax_payments: of them, in the 365 days ending at the report date
            (None likewise).
        last_tax_payment: the date of the latest.
        days_since_last_tax_payment: ``as_of - last_tax_payment`` (None when there is none).
        tax_payees: each tax payee paid at least twice (a tax paid regularly), stalest first.
        stalest_tax_payee_days: ``days_since_last_payment`` of the first of them: how long
            the tax paid least recently has gone unpaid (None when no payee was paid twice).
        longest_gap_between_tax_payments_days: the longest gap between consecutive tax
            payments, or from the last one to the report date, over the history.
        lines: the tax payments (drill-back), newest first.
    """

    liabilities: list[TaxLiability]
    tax_liabilities: Money | None
    previous_tax_liabilities: Money | None
    tax_liability_growth: Ratio
    not_available: str | None
    tax_payments: int | None
    last_12_months_tax_payments: int | None
    last_tax_payment: dt.date | None
    days_since_last_tax_payment: int | None
    tax_payees: list[TaxPayee]
    stalest_tax_payee_days: int | None
    longest_gap_between_tax_payments_days: int | None
    lines: list[LineRef]


def _tax_accounts(sheet: BalanceSheet | None) -> dict[str, tuple[str | None, Decimal]]:
    found: dict[str, tuple[str | None, Decimal]] = {}
    for account_type in sheet.liability.account_types if sheet and sheet.liability else []:
        for account in account_type.accounts:
            code = (account.reporting_code or "").upper()
            name = account.name or account.code or ""
            if code.startswith("LIA.CUR.TAX") or _TAX_NAME.search(name):
                previous = found.get(name, (None, Decimal(0)))[1]
                found[name] = (account.reporting_code, previous + (account.total or Decimal(0)))
    return found


def tax_arrears(
    statement_lines: pl.DataFrame,
    currencies: dict[str, str],
    balance_sheet: BalanceSheet | None,
    previous_balance_sheet: BalanceSheet | None,
    currency: str,
    as_of: dt.date,
    payees: Payees | None = None,
) -> TaxArrears:
    """Compare tax liabilities across the balance sheets and list tax payments in the bank.

    Args:
        statement_lines: :data:`lendcheck.frames.STATEMENT_LINES_SCHEMA` rows.
        currencies: currency per bank account id.
        balance_sheet, previous_balance_sheet: at ``as_of`` and a year before, or None.
        currency: the organisation's base currency (the balance sheets').
        as_of: the report date.
        payees: the payees of ``statement_lines`` (:class:`~lendcheck.metrics._common.Payees`),
            when the caller has them; else made here.
    """
    now = _tax_accounts(balance_sheet)
    before = _tax_accounts(previous_balance_sheet)
    names = sorted(set(now) | set(before))
    liabilities = [
        TaxLiability(
            name=name,
            reporting_code=(now.get(name) or before.get(name) or (None, 0))[0],
            current=Money.of(now[name][1], currency) if name in now else None,
            previous=Money.of(before[name][1], currency) if name in before else None,
        )
        for name in names
    ]
    total = sum((v for _, v in now.values()), Decimal(0)) if balance_sheet else None
    prior = sum((v for _, v in before.values()), Decimal(0)) if previous_balance_sheet else None
    growth = None
    reason = None
    if total is None or prior is None:
        reason = "a balance sheet (at the report date or a year before) is not available"
    elif prior <= 0:
        reason = "no tax owed a year before: growth is not defined"
    else:
        growth = float(total / prior) - 1
    payees = payees or Payees.of(statement_lines)
    paid = (
        payees.on(statement_lines)
        .lazy()
        .filter(
            is_live(as_of)
            & (pl.col("amount") < 0)
            & payees.test(
                pl.col("payee")
                .fill_null("")
                .str.contains_any(_AUTHORITY_FRAGMENTS, ascii_case_insensitive=True)
            )
        )
        .drop(PAYEE_INDEX)
        .collect()  # the regex over the few lines the literal pass keeps, not over every line
        .filter(pl.col("payee").str.contains(TAX_AUTHORITY_PATTERN))
        .sort(["transaction_date", "statement_line_id"], descending=True)
    )
    days = sorted(set(paid["transaction_date"].to_list()))
    gaps = [(b - a).days for a, b in itertools.pairwise(days)]
    if days:
        gaps.append((as_of - days[-1]).days)
    recent_from = as_of - dt.timedelta(days=RECENT_DAYS - 1)
    seen = statement_lines.height > 0
    repeated = (
        paid.group_by(pl.col("payee").str.strip_chars().str.to_uppercase().alias("key"))
        .agg(
            pl.col("payee").first(),  # newest first: the latest spelling
            pl.len().alias("payments"),
            pl.col("transaction_date").max().alias("last"),
        )
        .filter(pl.col("payments") >= 2)
        .sort(["last", "key"])
    )
    tax_payees = [
        TaxPayee(
            payee=r["payee"],
            payments=r["payments"],
            last_payment=r["last"],
            days_since_last_payment=(as_of - r["last"]).days,
        )
        for r in repeated.iter_rows(named=True)
    ]
    return TaxArrears(
        liabilities=liabilities,
        tax_liabilities=Money.of(total, currency) if total is not None else None,
        previous_tax_liabilities=Money.of(prior, currency) if prior is not None else None,
        tax_liability_growth=growth,
        not_available=reason,
        tax_payments=paid.height if seen else None,
        last_12_months_tax_payments=(
            paid.filter(pl.col("transaction_date") >= recent_from).height if seen else None
        ),
        last_tax_payment=days[-1] if days else None,
        days_since_last_tax_payment=(as_of - days[-1]).days if days else None,
        tax_payees=tax_payees,
        stalest_tax_payee_days=tax_payees[0].days_since_last_payment if tax_payees else None,
        longest_gap_between_tax_payments_days=max(gaps) if gaps else None,
        lines=line_refs(paid, as_of, currencies),
    )
