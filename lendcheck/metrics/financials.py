"""Financial statement figures: profit and loss, balance sheet, Xero Executive Summary ratios,
cash flow and runway.

Pure functions: parsed Xero models in, :class:`~lendcheck.report_types.ReportModel` results out.
Every figure sits beside the inputs it was computed from, and every figure that cannot be
computed is ``None`` with a reason in the result's ``not_available`` mapping (figure name ->
reason): a missing input is never shown as a zero. Amounts stay exact ``Decimal`` until they
become :class:`~lendcheck.report_types.Money`; only dimensionless results (ratios, shares, days)
become floats, at the very end.

Conventions (``docs/metrics.md`` has every formula and its source):

* A whole section missing from a response (no ``revenue`` class in a P&L, no ``liability``
  group in a balance sheet, no ``Operating Activities`` in a cash flow) makes the figures that
  need it not available. An account type or account missing *inside* a present section is a
  zero balance: Xero lists only accounts with a balance.
* Division by zero gives ``None`` with the reason "... is zero"; margins and Executive Summary
  days over negative revenue give ``None`` with "negative revenue"; debt to equity over negative
  equity gives ``None`` with "negative equity".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal

import polars as pl
from pydantic import Field

from lendcheck.frames import BankFrames
from lendcheck.money import from_minor_units
from lendcheck.report_types import Days, Money, Ratio, ReportModel
from lendcheck.xero.fetch_plan import add_months
from lendcheck.xero.models import (
    BalanceSheet,
    BalanceSheetAccountGroup,
    Cashflow,
    CashflowAccount,
    CashflowActivity,
    CashflowType,
    PnlAccountClass,
    PnlAccountType,
    ProfitAndLoss,
)

ZERO = Decimal(0)
#: Why bank amounts are not set against the financial statements' when the organisation's base
#: currency is unknown (``currency`` is ""): which of the accounts' currencies the statements
#: are in is not known, and amounts in two currencies are never added.
UNKNOWN_CURRENCY_REASON = (
    "the organisation's base currency could not be established, so bank amounts cannot be "
    "set against the financial statements'"
)
#: Average days per calendar month (365.25 / 12), for fractions of a month.
DAYS_PER_MONTH = Decimal("30.4375")

# --------------------------------------------------------------------------------------------
# Small shared helpers (also used by the other metrics modules)


def money(amount: Decimal | None, currency: str) -> Money | None:
    """``Money`` of an exact amount (rounded to the currency's scale), or None when the amount
    is None."""
    return None if amount is None else Money.of(amount, currency)


def amount_of(value: Money | None) -> Decimal | None:
    """The exact amount of a ``Money`` (None stays None)."""
    return None if value is None else value.amount


def to_float(value: Decimal | None) -> float | None:
    """A dimensionless Decimal as a float for the report (None stays None)."""
    return None if value is None else float(value)


def divide(
    numerator: Decimal | None,
    denominator: Decimal | None,
    name: str,
    gaps: dict[str, str],
    *,
    zero_reason: str,
    negative_reason: str | None = None,
) -> Decimal | None:
    """``numerator / denominator`` with every undefined case named.

    Args:
        numerator, denominator: exact amounts; None when not available.
        name: the figure's name, the key of its reason in ``gaps``.
        gaps: the result's ``not_available`` mapping, updated in place.
        zero_reason: reason recorded when the denominator is zero.
        negative_reason: when given, a negative denominator is undefined too (e.g. "negative
            equity"); otherwise a negative denominator divides normally.

    Returns:
        The quotient, or None (with ``gaps[name]`` set) when an input is missing, the
        denominator is zero, or it is negative and ``negative_reason`` is given.
    """
    if numerator is None or denominator is None:
        gaps.setdefault(name, "an input is not available")
        return None
    if denominator == 0:
        gaps[name] = zero_reason
        return None
    if denominator < 0 and negative_reason is not None:
        gaps[name] = negative_reason
        return None
    return numerator / denominator


def mark_missing(gaps: dict[str, str], names: Iterable[str], reason: str) -> None:
    """Record ``reason`` for every figure in ``names`` that has no reason yet."""
    for name in names:
        gaps.setdefault(name, reason)


def period_days(start: date | None, end: date | None) -> int | None:
    """Days in an inclusive period (365 or 366 for a year), None when a date is missing."""
    if start is None or end is None or end < start:
        return None
    return (end - start).days + 1


def period_months(start: date, end: date) -> Decimal:
    """Calendar months in the inclusive period ``start``..``end``.

    Whole months are counted with :func:`~lendcheck.xero.fetch_plan.add_months` from ``start`` (a
    month from 1 October ends on 31 October); remaining days count as days / 30.4375.
    2025-11-01..2026-10-31 is exactly 12, 2026-10-01..2026-10-31 exactly 1.
    """
    last_day = timedelta(days=1)
    whole = 0
    while add_months(start, whole + 1) - last_day <= end:
        whole += 1
    rest = (end - (add_months(start, whole) - last_day)).days
    return Decimal(whole) + Decimal(rest) / DAYS_PER_MONTH


#: Why the bank figures are absent when the snapshot holds no statement line (a report on the
#: Accounting API alone gives its own reason: that API does not expose statement lines).
NO_LINES = "the snapshot holds no bank statement lines"


def bank_lines_in_period(
    bank: BankFrames, currency: str, start: date, end: date
) -> tuple[pl.DataFrame, list[str]]:
    """Statement lines that count as bank movements of the organisation in a period.

    Kept: lines not deleted and not marked duplicate, whose date (``posted_date``, else
    ``transaction_date``) is within ``start``..``end`` inclusive, on accounts whose currency
    is ``currency`` (or not stated). Lines of accounts in another currency are left out: their
    amounts cannot be added to base-currency figures without a rate. Callers pass a known
    ``currency``: with "" no account could be told foreign (see
    :data:`UNKNOWN_CURRENCY_REASON`).

    Returns:
        (the lines with an added ``date`` column, sorted ids of the accounts left out for
        their currency).
    """
    lines, foreign = bank_lines_plan(bank, currency, start, end)
    return lines.collect(), foreign


def bank_lines_plan(
    bank: BankFrames, currency: str, start: date, end: date
) -> tuple[pl.LazyFrame, list[str]]:
    """:func:`bank_lines_in_period` as a lazy plan (the same lines, the same ``date`` column,
    and the ids of the accounts left out), for a caller that needs only some of the lines or
    a sum or a date of them: no copy of every column of the kept lines."""
    accounts = bank.bank_accounts
    foreign = (
        sorted(
            accounts.filter(
                pl.col("currency").is_not_null()
                & (pl.col("currency") != "")
                & (pl.col("currency").str.to_uppercase() != currency.upper())
            )["bank_account_id"].to_list()
        )
        if currency
        else []
    )
    kept = (
        ~pl.col("is_deleted")
        & ~pl.col("is_duplicate")
        & pl.col("date").is_between(start, end, closed="both")
    )
    if foreign:  # a look-up of every line's account ID only when there is an account to leave out
        kept &= ~pl.col("bank_account_id").is_in(foreign)
    lines = (
        bank.statement_lines.lazy()
        .with_columns(pl.coalesce("posted_date", "transaction_date").alias("date"))
        .filter(kept)
    )
    return lines, foreign


def minor_sum(frame: pl.DataFrame, column: str = "amount") -> Decimal:
    """Exact sum of an Int64 minor-units column, as a Decimal amount (0 for no rows)."""
    total = frame[column].sum() if frame.height else 0
    return from_minor_units(int(total or 0))


# --------------------------------------------------------------------------------------------
# Profit and loss


class PnlFigures(ReportModel):
    """One period's profit and loss (Xero ProfitAndLoss), amounts in the base currency.

    Attributes:
        start_date, end_date: the period (inclusive), as Xero reported it.
        days_in_period: days in the period (for Executive Summary days).
        revenue: total revenue, Xero ``revenue.total`` (Trading Income + Other Income).
        trading_income: the "Trading Income" account type (Xero Executive Summary "Income").
        other_income: the "Other Income" account type.
        direct_costs: the "Direct Cost" account type.
        gross_profit: trading income - direct costs (Xero's P&L and Executive Summary).
        gross_margin: gross profit / trading income (ratio; negative for a gross loss).
        operating_expenses: the "Operating Expenses" account type.
        total_expenses: Xero ``expense.total`` (direct costs + operating expenses).
        net_profit: Xero ``netProfitLoss`` (revenue - total expenses when Xero omits it).
        net_margin: net profit / trading income (Xero Executive Summary "net profit margin").
        depreciation_and_amortisation, interest_expense, income_tax_expense: expense accounts
            identified by account type, reporting code or name (see the docs).
        ebitda: net profit + interest + income tax + depreciation and amortisation.
        not_available: figure name -> why it is None.
    """

    start_date: date | None = None
    end_date: date | None = None
    days_in_period: int | None = None
    revenue: Money | None = None
    trading_income: Money | None = None
    other_income: Money | None = None
    direct_costs: Money | None = None
    gross_profit: Money | None = None
    gross_margin: Ratio = None
    operating_expenses: Money | None = None
    total_expenses: Money | None = None
    net_profit: Money | None = None
    net_margin: Ratio = None
    depreciation_and_amortisation: Money | None = None
    interest_expense: Money | None = None
    income_tax_expense: Money | None = None
    ebitda: Money | None = None
    not_available: dict[str, str] = Field(default_factory=dict)


PNL_FIGURES = tuple(n for n in PnlFigures.model_fields if n != "not_available")


class PnlGrowth(ReportModel):
    """Current period against the previous one: ``(current - previous) / previous``.

    Attributes:
        revenue_growth, gross_profit_growth, net_profit_growth: ratios (0.1 = +10 %); None
            when either period is missing or the previous value is zero or negative (growth
            from nothing or from a loss is not meaningful).
        gross_margin_change, net_margin_change: current margin - previous margin (ratio of
            shares: -0.05 is five percentage points lower); None when either margin is.
        not_available: figure name -> why it is None.
    """

    revenue_growth: Ratio = None
    gross_profit_growth: Ratio = None
    net_profit_growth: Ratio = None
    gross_margin_change: Ratio = None
    net_margin_change: Ratio = None
    not_available: dict[str, str] = Field(default_factory=dict)


class ProfitAndLossSection(ReportModel):
    """The P&L of the current 12 months beside the previous 12 months, and growth."""

    current: PnlFigures
    previous: PnlFigures
    growth: PnlGrowth


def _type_total(account_type: PnlAccountType) -> Decimal:
    if account_type.total is not None:
        return account_type.total
    return sum((a.total or ZERO for a in account_type.accounts), ZERO)


def _class_total(account_class: PnlAccountClass) -> Decimal:
    if account_class.total is not None:
        return account_class.total
    return sum((_type_total(t) for t in account_class.account_types), ZERO)


def _title(account_type: PnlAccountType) -> str:
    return (account_type.title or "").strip().lower()


_DA_NAME = re.compile(r"depreciation|amorti[sz]ation", re.IGNORECASE)
_INTEREST_NAME = re.compile(r"\binterest\b", re.IGNORECASE)
_TAX_NAME = re.compile(r"\bincome tax\b", re.IGNORECASE)


#: Xero account types of income (revenue, sales, other income).
INCOME_ACCOUNT_TYPES = ("REVENUE", "SALES", "OTHERINCOME")
#: Reporting code prefixes of Xero's sales tax liability: GST (AU, NZ; Xero's US charts use it
#: for sales tax too) and VAT (UK): the account Xero's "Net GST/VAT received (paid)" cash flow
#: type and the tax in every taxed receipt post to.
SALES_TAX_REPORTING_CODES = ("LIA.CUR.TAX.GST", "LIA.CUR.TAX.VAT")
#: Reporting code prefixes of income tax liabilities: income tax (AU PAYG instalments, NZ) and
#: corporation tax (UK), current and non-current.
INCOME_TAX_REPORTING_CODES = ("LIA.CUR.TAX.INC", "LIA.CUR.TAX.COR", "LIA.NCL.TAX.COR")
#: Reporting codes too general to say which tax: the account's name decides.
_GENERAL_TAX_CODES = ("", "LIA", "LIA.CUR", "LIA.CUR.TAX")
_SALES_TAX_NAME = re.compile(r"\b(gst|vat|sales tax)\b", re.IGNORECASE)


def is_sales_tax_account(reporting_code: str | None, name: str | None) -> bool:
    """A sales tax (GST / VAT / sales tax) liability account: reporting code starting
    ``LIA.CUR.TAX.GST`` or ``LIA.CUR.TAX.VAT``; with no reporting code or only a general one
    (``LIA.CUR.TAX``), "GST", "VAT" or "sales tax" in its name."""
    code = (reporting_code or "").upper()
    if code.startswith(SALES_TAX_REPORTING_CODES):
        return True
    return code in _GENERAL_TAX_CODES and bool(_SALES_TAX_NAME.search(name or ""))


def addback_kind(account_type: str | None, reporting_code: str | None, name: str | None) -> str:
    """Which EBITDA add-back an expense account is: ``depreciation_and_amortisation``,
    ``interest_expense``, ``income_tax_expense`` or ``""`` (none).

    Rules, first match wins: account type ``DEPRECIATN``, a reporting code starting
    ``EXP.DEP`` or ``EXP.AMO``, or a name containing "depreciation"/"amortisation" is D&A;
    a reporting code starting ``EXP.INT`` or the word "interest" in the name is interest;
    "income tax" in the name is income tax.
    """
    code = (reporting_code or "").upper()
    label = name or ""
    if (
        (account_type or "").upper() == "DEPRECIATN"
        or code.startswith(("EXP.DEP", "EXP.AMO"))
        or _DA_NAME.search(label)
    ):
        return "depreciation_and_amortisation"
    if code.startswith("EXP.INT") or _INTEREST_NAME.search(label):
        return "interest_expense"
    if _TAX_NAME.search(label):
        return "income_tax_expense"
    return ""


def pnl_figures(pnl: ProfitAndLoss | None, currency: str, missing_reason: str) -> PnlFigures:
    """Profit and loss figures of one period.

    Args:
        pnl: Xero ``GET /FinancialStatements/ProfitAndLoss``; None when not available.
        currency: the organisation's base currency (ISO 4217).
        missing_reason: why ``pnl`` is None (used for every figure).

    Returns:
        :class:`PnlFigures`. Account types are recognised by title: under revenue, a title
        containing "other" is Other Income and anything else Trading Income; under expense, a
        title containing "direct" (or "cost of sales") is Direct Cost and anything else
        Operating Expenses.
    """
    gaps: dict[str, str] = {}
    if pnl is None:
        mark_missing(gaps, PNL_FIGURES, missing_reason)
        return PnlFigures(not_available=gaps)
    values: dict[str, Decimal | None] = dict.fromkeys(PNL_FIGURES)
    days = period_days(pnl.start_date, pnl.end_date)
    if days is None:
        gaps["days_in_period"] = "the P&L does not state its period"
    if pnl.revenue is None:
        mark_missing(
            gaps, ("revenue", "trading_income", "other_income"), "the P&L has no revenue section"
        )
    else:
        values["revenue"] = _class_total(pnl.revenue)
        values["other_income"] = sum(
            (_type_total(t) for t in pnl.revenue.account_types if "other" in _title(t)), ZERO
        )
        values["trading_income"] = sum(
            (_type_total(t) for t in pnl.revenue.account_types if "other" not in _title(t)), ZERO
        )
    addbacks: dict[str, Decimal] = {}
    if pnl.expense is None:
        mark_missing(
            gaps,
            (
                "direct_costs",
                "operating_expenses",
                "total_expenses",
                "depreciation_and_amortisation",
                "interest_expense",
                "income_tax_expense",
            ),
            "the P&L has no expense section",
        )
    else:
        is_direct = [
            ("direct" in _title(t) or "cost of sales" in _title(t))
            for t in pnl.expense.account_types
        ]
        values["total_expenses"] = _class_total(pnl.expense)
        values["direct_costs"] = sum(
            (
                _type_total(t)
                for t, d in zip(pnl.expense.account_types, is_direct, strict=True)
                if d
            ),
            ZERO,
        )
        values["operating_expenses"] = sum(
            (
                _type_total(t)
                for t, d in zip(pnl.expense.account_types, is_direct, strict=True)
                if not d
            ),
            ZERO,
        )
        addbacks = dict.fromkeys(
            ("depreciation_and_amortisation", "interest_expense", "income_tax_expense"), ZERO
        )
        for account_type in pnl.expense.account_types:
            for account in account_type.accounts:
                kind = addback_kind(account.account_type, account.reporting_code, account.name)
                if kind:
                    addbacks[kind] += account.total or ZERO
        values.update(addbacks)
    trading, direct = values["trading_income"], values["direct_costs"]
    if trading is not None and direct is not None:
        values["gross_profit"] = trading - direct
    else:
        gaps.setdefault("gross_profit", gaps.get("trading_income") or gaps["direct_costs"])
    if pnl.net_profit_loss is not None:
        values["net_profit"] = pnl.net_profit_loss
    elif (revenue := values["revenue"]) is not None and (
        expenses := values["total_expenses"]
    ) is not None:
        values["net_profit"] = revenue - expenses
    else:
        gaps["net_profit"] = "Xero gave no netProfitLoss and revenue or expenses are missing"
    net = values["net_profit"]
    if net is not None and addbacks:
        values["ebitda"] = net + sum(addbacks.values(), ZERO)
    else:
        gaps.setdefault("ebitda", gaps.get("net_profit") or "the P&L has no expense section")
    margins: dict[str, Decimal | None] = {}
    for name, numerator in (("gross_margin", values["gross_profit"]), ("net_margin", net)):
        if trading is None or numerator is None:
            source = (
                "trading_income"
                if trading is None
                else ("gross_profit" if name == "gross_margin" else "net_profit")
            )
            gaps[name] = gaps.get(source, "not available")
            continue
        margins[name] = divide(
            numerator,
            trading,
            name,
            gaps,
            zero_reason="trading income is zero",
            negative_reason="negative revenue: a margin is not meaningful",
        )
    return PnlFigures(
        start_date=pnl.start_date,
        end_date=pnl.end_date,
        days_in_period=days,
        gross_margin=to_float(margins.get("gross_margin")),
        net_margin=to_float(margins.get("net_margin")),
        not_available=gaps,
        **{
            k: money(v, currency)
            for k, v in values.items()
            if k not in ("start_date", "end_date", "days_in_period", "gross_margin", "net_margin")
        },
    )


def _growth(current: Decimal | None, previous: Decimal | None) -> tuple[Decimal | None, str]:
    if current is None or previous is None:
        return None, ""
    if previous == 0:
        return None, "the previous period's figure is zero"
    if previous < 0:
        return None, "the previous period's figure is negative: growth is not meaningful"
    return (current - previous) / previous, ""


def profit_and_loss_section(current: PnlFigures, previous: PnlFigures) -> ProfitAndLossSection:
    """Put two periods side by side and compute growth of revenue, gross and net profit:
    ``(current - previous) / previous`` (ratio), None when a period is missing or the previous
    figure is zero or negative; and the change of the gross and net margins (current -
    previous, in shares)."""
    gaps: dict[str, str] = {}
    growth: dict[str, float | None] = {}
    for key in ("revenue", "gross_profit", "net_profit"):
        value, reason = _growth(amount_of(getattr(current, key)), amount_of(getattr(previous, key)))
        if value is None:
            gaps[f"{key}_growth"] = reason or (
                f"current period: {current.not_available.get(key, 'not available')}"
                if getattr(current, key) is None
                else f"previous period: {previous.not_available.get(key, 'not available')}"
            )
        growth[f"{key}_growth"] = to_float(value)
    for key in ("gross_margin", "net_margin"):
        now, before = getattr(current, key), getattr(previous, key)
        if now is None or before is None:
            gaps[f"{key}_change"] = (
                f"current period: {current.not_available.get(key, 'not available')}"
                if now is None
                else f"previous period: {previous.not_available.get(key, 'not available')}"
            )
            growth[f"{key}_change"] = None
        else:
            growth[f"{key}_change"] = now - before
    return ProfitAndLossSection(
        current=current, previous=previous, growth=PnlGrowth(**growth, not_available=gaps)
    )


# --------------------------------------------------------------------------------------------
# Balance sheet

#: Asset account types counted as current assets; FIXED and NONCURRENT are non-current.
CURRENT_ASSET_TYPES = frozenset({"BANK", "CURRENT", "INVENTORY", "PREPAYMENT"})
NON_CURRENT_ASSET_TYPES = frozenset({"FIXED", "NONCURRENT"})
#: Liability account types counted as current (``LIABILITY`` unless coded ``LIA.NCL``).
CURRENT_LIABILITY_TYPES = frozenset(
    {"CURRLIAB", "PAYGLIABILITY", "SUPERANNUATIONLIABILITY", "WAGESPAYABLELIABILITY", "LIABILITY"}
)
NON_CURRENT_LIABILITY_TYPES = frozenset({"TERMLIAB"})

DebtKind = Literal[
    "overdraft_or_credit_card",
    "loan",
    "hire_purchase_or_lease",
    "related_party_loan",
    "other_term_liability",
]

#: Reporting code categories of borrowings (the third segment, ``LIA.CUR.LOA``,
#: ``LIA.NCL.HPA``...): loans, hire purchase (``HPA``, ``HPM``), chattel mortgage (``CHM``),
#: leases (``LEA``), asset finance (``FIN``) and loans from related parties (``REL``).
DEBT_CODE_CATEGORIES: dict[str, DebtKind] = {
    "LOA": "loan",
    "HPA": "hire_purchase_or_lease",
    "HPM": "hire_purchase_or_lease",
    "CHM": "hire_purchase_or_lease",
    "LEA": "hire_purchase_or_lease",
    "FIN": "hire_purchase_or_lease",
    "REL": "related_party_loan",
}
#: Reporting code categories that are never debt: payables, tax, provisions, employee
#: entitlements, income received in advance, deferred income, dividends payable.
NOT_DEBT_CODE_CATEGORIES = frozenset({"PAY", "TAX", "PRO", "EMP", "INA", "DEF", "UNE", "DIV"})
_NOT_DEBT_NAME = re.compile(
    r"provision|deferred (income|revenue)|(income|revenue)( received)? in advance|unearned"
    r"|customer deposits?|deposits? received",
    re.IGNORECASE,
)
#: Liability names that say borrowing, first match wins.
_DEBT_NAMES: tuple[tuple[re.Pattern[str], DebtKind], ...] = (
    (
        re.compile(
            r"overdraft|credit card|\bvisa\b|mastercard|\bamex\b|american express",
            re.IGNORECASE,
        ),
        "overdraft_or_credit_card",
    ),
    (
        re.compile(
            r"hire purchase|\bh\.?p\.?\b|\bleases?\b|lease liabilit|chattel mortgage"
            r"|(asset|equipment|vehicle|premium) finance",
            re.IGNORECASE,
        ),
        "hire_purchase_or_lease",
    ),
    (re.compile(r"\bloans?\b|\bborrowings?\b|\bmortgage\b|\bdebentures?\b", re.IGNORECASE), "loan"),
)


@dataclass(frozen=True)
class _Account:
    account_type: str
    account_id: str | None
    reporting_code: str
    name: str
    total: Decimal


def _accounts(group: BalanceSheetAccountGroup) -> list[_Account]:
    """Every account of a group; an account type listed without accounts counts as one."""
    out = []
    for t in group.account_types:
        kind = (t.account_type or "").upper()
        if not t.accounts and t.total is not None:
            out.append(_Account(kind, None, "", "", t.total))
        for a in t.accounts:
            out.append(
                _Account(
                    kind,
                    a.account_id,
                    (a.reporting_code or "").upper(),
                    (a.name or "").strip(),
                    a.total or ZERO,
                )
            )
    return out


def _group_total(group: BalanceSheetAccountGroup) -> Decimal:
    if group.total is not None:
        return group.total
    return sum((a.total for a in _accounts(group)), ZERO)


def is_current_asset(account_type: str, reporting_code: str) -> bool:
    """Current asset: type BANK, CURRENT, INVENTORY or PREPAYMENT; an unknown type is current
    only when its reporting code starts ``ASS.CUR``."""
    if account_type in CURRENT_ASSET_TYPES:
        return True
    if account_type in NON_CURRENT_ASSET_TYPES:
        return False
    return reporting_code.startswith("ASS.CUR")


def is_current_liability(account_type: str, reporting_code: str) -> bool:
    """Current liability: every liability type except TERMLIAB, unless its reporting code
    starts ``LIA.NCL`` (non-current). Unknown types count as current (the prudent side)."""
    if account_type in NON_CURRENT_LIABILITY_TYPES:
        return False
    return not reporting_code.startswith("LIA.NCL")


#: Reporting codes of Xero's trade debtors and trade creditors: the codes of its Accounts
#: Receivable and Accounts Payable system accounts (DEBTORS, CREDITORS), the control accounts
#: its Executive Summary reads.
TRADE_DEBTORS_CODE = "ASS.CUR.REC.TRA"
TRADE_CREDITORS_CODE = "LIA.CUR.PAY.TRA"


def control_accounts(accounts: list[_Account], code: str, name: str) -> list[_Account]:
    """The trade control accounts among ``accounts``: those whose reporting code starts with
    ``code`` (:data:`TRADE_DEBTORS_CODE`, :data:`TRADE_CREDITORS_CODE`); when no account carries
    it, the account named ``name`` ("Accounts Receivable", "Accounts Payable", Xero's names of
    the system accounts), compared case-insensitively."""
    coded = [a for a in accounts if a.reporting_code.startswith(code)]
    if coded:
        return coded
    return [a for a in accounts if a.name.lower() == name.lower()]


def trade_and_other(accounts: list[_Account], code: str, name: str) -> tuple[Decimal, Decimal]:
    """(the trade control accounts' balance, the other accounts' balance under the same
    reporting code group): receivables ``ASS.CUR.REC*`` or payables ``LIA.CUR.PAY*`` that are
    not the control account (:func:`control_accounts`)."""
    control = control_accounts(accounts, code, name)
    group = code.rsplit(".", 1)[0]
    other = (
        a.total
        for a in accounts
        if a.reporting_code.startswith(group) and all(a is not c for c in control)
    )
    return sum((a.total for a in control), ZERO), sum(other, ZERO)


def debt_kind(account: _Account) -> DebtKind | None:
    """Whether a liability account is debt, and which kind; None when it is not debt.

    Rules, first match wins (``docs/metrics.md``, "Debt"):

    1. A reporting code ``LIA.<CUR|NCL>.<category>`` whose category is a borrowing
       (:data:`DEBT_CODE_CATEGORIES`), or any code containing ``.LOA``: that kind.
    2. A category that is never debt (:data:`NOT_DEBT_CODE_CATEGORIES`: payables, tax,
       provisions, employee entitlements, income in advance): not debt.
    3. A name that says provision, deferred income, income in advance or customer deposits:
       not debt.
    4. A name that says overdraft or credit card, hire purchase, lease, chattel mortgage or
       asset finance, loan, borrowing, mortgage or debenture: that kind.
    5. Any other non-current liability (type ``TERMLIAB`` or coded ``LIA.NCL``):
       ``other_term_liability`` (prudent: a term liability is most often a borrowing).
    6. Anything else (an uncoded current liability with no such name) is not debt.
    """
    parts = account.reporting_code.split(".")
    category = parts[2] if len(parts) > 2 and parts[0] == "LIA" else ""
    if category in DEBT_CODE_CATEGORIES:
        return DEBT_CODE_CATEGORIES[category]
    if ".LOA" in account.reporting_code:
        return "loan"
    if category in NOT_DEBT_CODE_CATEGORIES or _NOT_DEBT_NAME.search(account.name):
        return None
    for pattern, kind in _DEBT_NAMES:
        if pattern.search(account.name):
            return kind
    if not is_current_liability(account.account_type, account.reporting_code):
        return "other_term_liability"
    return None


def borrowings(bs: BalanceSheet) -> list[tuple[str, DebtKind, Decimal]]:
    """The liability accounts of ``bs`` that a lender is repaid on: debt by :func:`debt_kind`
    except overdrafts and credit cards, as ``(name, kind, amount owed)``; name is the
    account's name, else its code. Empty when ``bs`` has no liability section."""
    if bs.liability is None:
        return []
    out: list[tuple[str, DebtKind, Decimal]] = []
    for account in _accounts(bs.liability):
        kind = debt_kind(account)
        if kind is not None and kind != "overdraft_or_credit_card" and account.total:
            name = account.name or account.reporting_code or account.account_type
            out.append((name, kind, account.total))
    return out


class DebtAccount(ReportModel):
    """One account counted in total debt.

    Attributes:
        account_id: Xero account GUID (lower case), None when Xero gave none.
        name: the account's name as Xero sent it (untrusted text).
        reporting_code: its Xero reporting code ("" when none).
        kind: ``overdraft_or_credit_card`` (an overdrawn BANK account, or a liability named
            so), ``loan``, ``hire_purchase_or_lease``, ``related_party_loan`` or
            ``other_term_liability`` (see :func:`debt_kind`).
        current: True when due within a year (a current liability or a bank account).
        amount: what is owed (currency amount; an overdrawn account's balance as a positive
            amount).
    """

    account_id: str | None
    name: str
    reporting_code: str
    kind: DebtKind
    current: bool
    amount: Money


class BalanceSheetFigures(ReportModel):
    """Positions at one balance date (Xero BalanceSheet) and the ratios built on them.

    Attributes:
        balance_date: the balance date.
        cash: the BANK accounts with a positive balance (an overdrawn account or a credit
            card owing money is debt, in ``bank_overdrafts``, not negative cash).
        bank_overdrafts: what overdrawn BANK accounts (overdrafts, credit cards) owe, as a
            positive amount.
        accounts_receivable: trade debtors, the accounts receivable control account (Xero's
            DEBTORS system account): reporting code ``ASS.CUR.REC.TRA``, else the account
            named "Accounts Receivable" (:func:`control_accounts`).
        other_receivables: the other receivables (reporting code ``ASS.CUR.REC*``, not
            trade debtors), reported apart.
        inventory: the INVENTORY accounts.
        current_assets: BANK + CURRENT + INVENTORY + PREPAYMENT.
        non_current_assets: FIXED + NONCURRENT (and unknown types not coded ``ASS.CUR``).
        total_assets: Xero ``asset.total``.
        accounts_payable: trade creditors, the accounts payable control account (Xero's
            CREDITORS system account): reporting code ``LIA.CUR.PAY.TRA``, else the account
            named "Accounts Payable".
        other_payables: the other payables (reporting code ``LIA.CUR.PAY*``, not trade
            creditors: unpaid expense claims, wages payable...), reported apart.
        current_liabilities: every liability type but TERMLIAB (unless coded ``LIA.NCL``).
        current_loans: current liabilities that are debt (:func:`debt_kind`).
        non_current_liabilities: TERMLIAB (and liabilities coded ``LIA.NCL``).
        non_current_debt: non-current liabilities that are debt (:func:`debt_kind`;
            provisions and deferred income are not).
        total_liabilities: Xero ``liability.total``.
        total_debt: bank overdrafts + current loans + non-current debt.
        debt_accounts: every account counted in total debt, largest first.
        equity: Xero ``equity.total``.
        working_capital: current assets - current liabilities (currency amount).
        current_ratio: current assets / current liabilities (ratio).
        quick_ratio: (current assets - inventory) / current liabilities (ratio).
        debt_to_equity: total debt / equity (ratio); None for zero or negative equity.
        trading_income, direct_costs_and_expenses, days_in_period: the P&L inputs of the
            Executive Summary days (the P&L period ending at this balance date).
        debtor_days: accounts receivable / trading income x days in period (Xero Executive
            Summary "average debtors days").
        creditor_days: accounts payable / (direct costs + operating expenses) x days in period
            (Xero Executive Summary "average creditors days").
        short_term_cash_forecast: accounts receivable - accounts payable (Xero Executive
            Summary "short term cash forecast").
        not_available: figure name -> why it is None.
    """

    balance_date: date | None = None
    cash: Money | None = None
    bank_overdrafts: Money | None = None
    accounts_receivable: Money | None = None
    other_receivables: Money | None = None
    inventory: Money | None = None
    current_assets: Money | None = None
    non_current_assets: Money | None = None
    total_assets: Money | None = None
    accounts_payable: Money | None = None
    other_payables: Money | None = None
    current_liabilities: Money | None = None
    current_loans: Money | None = None
    non_current_liabilities: Money | None = None
    non_current_debt: Money | None = None
    total_liabilities: Money | None = None
    total_debt: Money | None = None
    debt_accounts: list[DebtAccount] = Field(default_factory=list)
    equity: Money | None = None
    working_capital: Money | None = None
    current_ratio: Ratio = None
    quick_ratio: Ratio = None
    debt_to_equity: Ratio = None
    trading_income: Money | None = None
    direct_costs_and_expenses: Money | None = None
    days_in_period: int | None = None
    debtor_days: Days = None
    creditor_days: Days = None
    short_term_cash_forecast: Money | None = None
    not_available: dict[str, str] = Field(default_factory=dict)


BALANCE_SHEET_FIGURES = tuple(
    n for n in BalanceSheetFigures.model_fields if n not in ("not_available", "debt_accounts")
)


class BalanceSheetSection(ReportModel):
    """The balance sheet at ``as_of`` beside the one a year earlier."""

    current: BalanceSheetFigures
    previous: BalanceSheetFigures


_ASSET_FIGURES = (
    "cash",
    "bank_overdrafts",
    "accounts_receivable",
    "other_receivables",
    "inventory",
    "current_assets",
    "non_current_assets",
    "total_assets",
)
_LIABILITY_FIGURES = (
    "accounts_payable",
    "other_payables",
    "current_liabilities",
    "current_loans",
    "non_current_liabilities",
    "non_current_debt",
    "total_liabilities",
    "total_debt",
)


def balance_sheet_figures(
    bs: BalanceSheet | None, pnl: PnlFigures, currency: str, missing_reason: str
) -> BalanceSheetFigures:
    """Balance sheet figures and ratios at one date.

    Args:
        bs: Xero ``GET /FinancialStatements/BalanceSheet``; None when not available.
        pnl: the P&L of the 12 months ending at the balance date (for debtor and creditor
            days); its own ``not_available`` reasons carry through.
        currency: the organisation's base currency.
        missing_reason: why ``bs`` is None.

    Returns:
        :class:`BalanceSheetFigures`; account classification rules in the attribute docs.
    """
    gaps: dict[str, str] = {}
    v: dict[str, Decimal | None] = {}
    debts: list[tuple[_Account, DebtKind, bool, Decimal]] = []
    if bs is None:
        mark_missing(
            gaps, _ASSET_FIGURES + _LIABILITY_FIGURES + ("equity", "balance_date"), missing_reason
        )
    if bs is not None and bs.asset is None:
        mark_missing(gaps, _ASSET_FIGURES, "the balance sheet has no asset section")
    elif bs is not None and bs.asset is not None:
        assets = _accounts(bs.asset)
        current = [a for a in assets if is_current_asset(a.account_type, a.reporting_code)]
        banks = [a for a in assets if a.account_type == "BANK"]
        v["cash"] = sum((a.total for a in banks if a.total > 0), ZERO)
        v["bank_overdrafts"] = -sum((a.total for a in banks if a.total < 0), ZERO)
        debts += [(a, "overdraft_or_credit_card", True, -a.total) for a in banks if a.total < 0]
        v["accounts_receivable"], v["other_receivables"] = trade_and_other(
            assets, TRADE_DEBTORS_CODE, "Accounts Receivable"
        )
        v["inventory"] = sum(
            (
                a.total
                for a in assets
                if a.account_type == "INVENTORY" or a.reporting_code.startswith("ASS.CUR.INY")
            ),
            ZERO,
        )
        v["current_assets"] = sum((a.total for a in current), ZERO)
        v["non_current_assets"] = sum(
            (a.total for a in assets if not is_current_asset(a.account_type, a.reporting_code)),
            ZERO,
        )
        v["total_assets"] = _group_total(bs.asset)
    if bs is not None and bs.liability is None:
        mark_missing(gaps, _LIABILITY_FIGURES, "the balance sheet has no liability section")
    elif bs is not None and bs.liability is not None:
        liabilities = _accounts(bs.liability)
        current = [a for a in liabilities if is_current_liability(a.account_type, a.reporting_code)]
        non_current = sum(
            (
                a.total
                for a in liabilities
                if not is_current_liability(a.account_type, a.reporting_code)
            ),
            ZERO,
        )
        owed = [(a, debt_kind(a)) for a in liabilities]
        current_ids = {id(a) for a in current}
        liability_debts = [
            (a, kind, id(a) in current_ids, a.total) for a, kind in owed if kind is not None
        ]
        debts += liability_debts
        loans = sum((a.total for a, _, now, _ in liability_debts if now), ZERO)
        long_debt = sum((a.total for a, _, now, _ in liability_debts if not now), ZERO)
        v["accounts_payable"], v["other_payables"] = trade_and_other(
            liabilities, TRADE_CREDITORS_CODE, "Accounts Payable"
        )
        v["current_liabilities"] = sum((a.total for a in current), ZERO)
        v["current_loans"] = loans
        v["non_current_liabilities"] = non_current
        v["non_current_debt"] = long_debt
        v["total_liabilities"] = _group_total(bs.liability)
        overdrafts = v.get("bank_overdrafts")
        if overdrafts is None:
            gaps["total_debt"] = gaps["bank_overdrafts"]
        else:
            v["total_debt"] = overdrafts + loans + long_debt
    if bs is not None and bs.equity is None:
        gaps["equity"] = "the balance sheet has no equity section"
    elif bs is not None and bs.equity is not None:
        v["equity"] = _group_total(bs.equity)

    ca, cl = v.get("current_assets"), v.get("current_liabilities")
    if ca is not None and cl is not None:
        v["working_capital"] = ca - cl
    else:
        gaps.setdefault(
            "working_capital", gaps.get("current_assets") or gaps["current_liabilities"]
        )
    ratios: dict[str, Decimal | None] = {}
    for name, numerator, reason in (
        ("current_ratio", ca, gaps.get("current_assets")),
        (
            "quick_ratio",
            None if ca is None else ca - (v.get("inventory") or ZERO),
            gaps.get("current_assets"),
        ),
    ):
        if numerator is None or cl is None:
            gaps[name] = reason or gaps.get("current_liabilities", "")
            continue
        ratios[name] = divide(numerator, cl, name, gaps, zero_reason="current liabilities are zero")
    debt, equity = v.get("total_debt"), v.get("equity")
    if debt is None or equity is None:
        gaps["debt_to_equity"] = gaps.get("total_debt") or gaps["equity"]
    else:
        ratios["debt_to_equity"] = divide(
            debt,
            equity,
            "debt_to_equity",
            gaps,
            zero_reason="equity is zero",
            negative_reason="negative equity",
        )

    # Xero Executive Summary: days over the P&L period ending at this balance date.
    trading = amount_of(pnl.trading_income)
    direct, opex = amount_of(pnl.direct_costs), amount_of(pnl.operating_expenses)
    costs = None if direct is None or opex is None else direct + opex
    days = pnl.days_in_period
    v["trading_income"], v["direct_costs_and_expenses"] = trading, costs
    if trading is None:
        gaps["trading_income"] = pnl.not_available.get("trading_income", "not available")
    if costs is None:
        gaps["direct_costs_and_expenses"] = pnl.not_available.get("direct_costs", "not available")
    if days is None:
        gaps["days_in_period"] = pnl.not_available.get("days_in_period", "not available")
    day_counts: dict[str, Decimal | None] = {}
    for name, balance, base, zero, negative in (
        (
            "debtor_days",
            "accounts_receivable",
            trading,
            "trading income is zero",
            "negative revenue: debtor days are not meaningful",
        ),
        (
            "creditor_days",
            "accounts_payable",
            costs,
            "direct costs and expenses are zero",
            "negative costs: creditor days are not meaningful",
        ),
    ):
        numerator = v.get(balance)
        if numerator is None or base is None or days is None:
            gaps[name] = (
                gaps.get(balance)
                or gaps.get(
                    "trading_income" if name == "debtor_days" else "direct_costs_and_expenses"
                )
                or gaps["days_in_period"]
            )
            continue
        share = divide(numerator, base, name, gaps, zero_reason=zero, negative_reason=negative)
        day_counts[name] = None if share is None else share * days
    ar, ap = v.get("accounts_receivable"), v.get("accounts_payable")
    if ar is not None and ap is not None:
        v["short_term_cash_forecast"] = ar - ap
    else:
        gaps["short_term_cash_forecast"] = (
            gaps.get("accounts_receivable") or gaps["accounts_payable"]
        )
    return BalanceSheetFigures(
        balance_date=None if bs is None else bs.balance_date,
        days_in_period=days,
        current_ratio=to_float(ratios.get("current_ratio")),
        quick_ratio=to_float(ratios.get("quick_ratio")),
        debt_to_equity=to_float(ratios.get("debt_to_equity")),
        debtor_days=to_float(day_counts.get("debtor_days")),
        creditor_days=to_float(day_counts.get("creditor_days")),
        debt_accounts=[
            DebtAccount(
                account_id=a.account_id.lower() if a.account_id else None,
                name=a.name,
                reporting_code=a.reporting_code,
                kind=kind,
                current=now,
                amount=Money.of(amount, currency),
            )
            for a, kind, now, amount in sorted(
                debts, key=lambda d: (-d[3], d[0].name.lower(), d[0].account_id or "")
            )
        ]
        if "total_debt" in v
        else [],
        not_available=gaps,
        **{k: money(x, currency) for k, x in v.items()},
    )


# --------------------------------------------------------------------------------------------
# Xero Executive Summary: the month ending at the report date beside the 12 months

#: The figures of :class:`ExecutiveSummaryPeriod` taken from the period's P&L.
_SUMMARY_PNL = (
    "trading_income",
    "direct_costs",
    "gross_profit",
    "other_income",
    "operating_expenses",
    "net_profit",
    "gross_margin",
    "net_margin",
)


class ExecutiveSummaryPeriod(ReportModel):
    """Xero's Executive Summary figures of one P&L period, on the balance sheet at its end.

    Attributes:
        label: the period in words: the month ("October 2026") for a whole calendar month,
            "12 months to 2026-10-31" for the 12 months, else "2026-10-01 to 2026-10-15".
        start_date, end_date: the period (inclusive), as Xero reported its P&L; the period
            asked for when the P&L is missing (then every figure is None with the reason).
        days_in_period: days in the period (the days of the Executive Summary's day counts).
        trading_income: Xero's "Income" (the Trading Income account types).
        direct_costs: "Direct costs".
        gross_profit: "Gross profit (loss)": trading income - direct costs.
        other_income: "Other Income".
        operating_expenses: "Expenses" (operating expenses, depreciation included).
        net_profit: "Profit (loss)".
        gross_margin: "Gross profit margin": gross profit / trading income (ratio).
        net_margin: "Net profit margin": net profit / trading income (ratio).
        debtor_days: "Average debtors days": trade debtors at the balance date / trading
            income x days in period.
        creditor_days: "Average creditors days": trade creditors at the balance date / (direct
            costs + operating expenses) x days in period.
        not_available: figure name -> why it is None.
    """

    label: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    days_in_period: int | None = None
    trading_income: Money | None = None
    direct_costs: Money | None = None
    gross_profit: Money | None = None
    other_income: Money | None = None
    operating_expenses: Money | None = None
    net_profit: Money | None = None
    gross_margin: Ratio = None
    net_margin: Ratio = None
    debtor_days: Days = None
    creditor_days: Days = None
    not_available: dict[str, str] = Field(default_factory=dict)


class ExecutiveSummarySection(ReportModel):
    """Xero's Executive Summary figures for the month ending at the report date beside the
    same figures for the 12 months (Xero's Executive Summary is monthly; lendcheck's other
    figures are yearly). The balance figures the days stand on (trade debtors and creditors,
    short-term cash forecast, current ratio) are the balance sheet's at the report date, in
    ``balance_sheet.current``.

    Attributes:
        balance_date: the balance sheet date both periods' days use.
        month: the month ending at the report date (``GET /FinancialStatements/ProfitAndLoss``
            from the first of that month; an Accounting API report: the month's column of
            ``/Reports/ProfitAndLoss`` by month).
        twelve_months: the P&L period of ``profit_and_loss.current`` (the 12 months).
    """

    balance_date: date | None
    month: ExecutiveSummaryPeriod
    twelve_months: ExecutiveSummaryPeriod


def period_label(start: date | None, end: date | None) -> str | None:
    """A P&L period in words: "October 2026" (a whole calendar month), "12 months to
    2026-10-31" (twelve whole months), else "2026-10-01 to 2026-10-15"; None without dates."""
    if start is None or end is None:
        return None
    if start.day == 1 and end == add_months(start, 1) - timedelta(days=1):
        return start.strftime("%B %Y")
    if end == add_months(start, 12) - timedelta(days=1):
        return f"12 months to {end.isoformat()}"
    return f"{start.isoformat()} to {end.isoformat()}"


def summary_period(
    pnl: PnlFigures, balance: BalanceSheetFigures, asked: tuple[date, date]
) -> ExecutiveSummaryPeriod:
    """The Executive Summary figures of one period: its P&L figures and the debtor and
    creditor days computed on the balance sheet with that P&L (:func:`balance_sheet_figures`
    given the same P&L).

    Args:
        pnl: the period's P&L figures.
        balance: the balance sheet figures computed with ``pnl``.
        asked: the period asked for (inclusive), the label's when the P&L states none (it is
            missing, each figure None with the reason).
    """
    gaps = {k: v for k, v in pnl.not_available.items() if k in _SUMMARY_PNL}
    gaps |= {
        k: v for k, v in balance.not_available.items() if k in ("debtor_days", "creditor_days")
    }
    start, end = (pnl.start_date, pnl.end_date) if pnl.start_date and pnl.end_date else asked
    return ExecutiveSummaryPeriod(
        label=period_label(start, end),
        start_date=start,
        end_date=end,
        days_in_period=pnl.days_in_period,
        debtor_days=balance.debtor_days,
        creditor_days=balance.creditor_days,
        not_available=gaps,
        **{k: getattr(pnl, k) for k in _SUMMARY_PNL},
    )


# --------------------------------------------------------------------------------------------
# Cash flow and runway


class CashFlowFigures(ReportModel):
    """One period's direct-method cash flow (Xero Cashflow), base currency.

    Attributes:
        start_date, end_date: the period (inclusive).
        operating_activities, investing_activities, financing_activities: the activity totals.
        operating_receipts: the positive cash flow types of operating activities (e.g.
            "Receipts from customers"), except net sales tax. Xero's direct method shows
            revenue and expense accounts net of sales tax.
        operating_payments: the negative ones (e.g. "Payments to suppliers and employees"),
            except net sales tax, a negative amount.
        operating_receipts_on_income_accounts: the part of operating receipts on income
            accounts (types REVENUE, SALES, OTHERINCOME; a cash flow type that lists no
            accounts counts whole): the part Xero shows net of sales tax (with its default
            "net tax on operating activities"); receipts on other accounts (e.g. Accounts
            Receivable) are movements of those accounts, sales tax included.
        net_sales_tax: the operating cash flow type of sales tax ("Net GST/VAT received
            (paid)": its accounts are sales tax accounts, see :func:`is_sales_tax_account`,
            or its name says GST, VAT or sales tax); 0 when Xero lists none.
        repayment_of_borrowings: financing cash flow types whose name contains "repayment",
            a negative amount (existing principal repaid).
        financing_inflows: the positive financing cash flow types (e.g. "Proceeds from
            borrowings", "Capital introduced").
        interest_paid, interest_paid_in_operating: cash paid on interest expense accounts
            (:func:`addback_kind` "interest", not an income account), in every activity and in
            operating activities only (where Xero's direct method puts expense accounts);
            positive amounts.
        income_tax_paid, income_tax_paid_in_operating: cash paid on income tax accounts
            (reporting code starting with one of :data:`INCOME_TAX_REPORTING_CODES`, or
            "income tax" in the name), likewise.
        owner_drawings: cash paid out on equity accounts (drawings, dividends; Xero puts
            them in financing activities), a positive amount.
        The last five are None when a cash flow type lists no accounts (they cannot be
        located).
        opening_cash, closing_cash, net_cash_movement: Xero ``cashBalance``.
        not_available: figure name -> why it is None.
    """

    start_date: date | None = None
    end_date: date | None = None
    operating_activities: Money | None = None
    investing_activities: Money | None = None
    financing_activities: Money | None = None
    operating_receipts: Money | None = None
    operating_payments: Money | None = None
    operating_receipts_on_income_accounts: Money | None = None
    net_sales_tax: Money | None = None
    repayment_of_borrowings: Money | None = None
    financing_inflows: Money | None = None
    interest_paid: Money | None = None
    interest_paid_in_operating: Money | None = None
    income_tax_paid: Money | None = None
    income_tax_paid_in_operating: Money | None = None
    owner_drawings: Money | None = None
    opening_cash: Money | None = None
    closing_cash: Money | None = None
    net_cash_movement: Money | None = None
    not_available: dict[str, str] = Field(default_factory=dict)


CASH_FLOW_FIGURES = tuple(n for n in CashFlowFigures.model_fields if n != "not_available")

RunwayBasis = Literal["cashflow", "bank_statements"]


class CashFlowSection(ReportModel):
    """Cash flow of both periods and the runway.

    Attributes:
        current, previous: :class:`CashFlowFigures`.
        runway_basis: ``cashflow`` (Xero Cashflow net cash movement of the current period) or
            ``bank_statements`` (sum of the period's statement lines, used when the Cashflow is
            not available, e.g. for US organisations); None when neither is available.
        runway_cash: the cash that runs down: balance sheet cash at ``as_of``, else the
            cash flow's closing cash.
        runway_net_movement: the period's net cash movement on ``runway_basis``.
        runway_financing_inflows: the period's financing inflows on ``runway_basis`` (Cashflow:
            the positive financing cash flow types, e.g. "Proceeds from borrowings", "Capital
            introduced"; bank: receipts classified as financing), left out of the burn.
        runway_observed_from: the first day of the period with bank data: the period's start,
            or the day the bank history begins (the first statement's start date or the first
            statement line's date, the earlier) when that is inside the period.
        runway_months_in_period: months from ``runway_observed_from`` to the period's end.
        average_monthly_net_outflow: -(net movement - financing inflows) / months: the cash
            the business burns a month without new money (positive when cash shrinks).
        months_of_runway: runway cash / average monthly net outflow (months); 0 when cash is
            already zero or negative; None when the business does not burn cash (reason "cash
            is not shrinking") or an input is missing.
        not_available: figure name -> why it is None.
    """

    current: CashFlowFigures
    previous: CashFlowFigures
    runway_basis: RunwayBasis | None = None
    runway_cash: Money | None = None
    runway_net_movement: Money | None = None
    runway_financing_inflows: Money | None = None
    runway_observed_from: date | None = None
    runway_months_in_period: Ratio = None
    average_monthly_net_outflow: Money | None = None
    months_of_runway: Ratio = None
    not_available: dict[str, str] = Field(default_factory=dict)


def _activity(cashflow: Cashflow, prefix: str) -> CashflowActivity | None:
    for activity in cashflow.cashflow_activities:
        if (activity.name or "").strip().lower().startswith(prefix):
            return activity
    return None


#: The cash flow figures :func:`_payments_by_kind` gives.
PAYMENT_KINDS = (
    "interest_paid",
    "interest_paid_in_operating",
    "income_tax_paid",
    "income_tax_paid_in_operating",
    "owner_drawings",
)


def _payment_kind(account: CashflowAccount) -> str:
    account_type = (account.account_type or "").upper()
    code = (account.reporting_code or "").upper()
    if account_type == "EQUITY" or code.startswith("EQU"):
        return "owner_drawings"
    if account_type in INCOME_ACCOUNT_TYPES:
        return ""
    kind = addback_kind(account.account_type, account.reporting_code, account.name)
    if kind == "interest_expense":
        return "interest_paid"
    if kind == "income_tax_expense" or code.startswith(INCOME_TAX_REPORTING_CODES):
        return "income_tax_paid"
    return ""


def _payments_by_kind(cf: Cashflow, gaps: dict[str, str]) -> dict[str, Decimal | None]:
    """Interest, income tax and drawings paid, found by account in every activity."""
    if any(not t.accounts for a in cf.cashflow_activities for t in a.cashflow_types):
        mark_missing(
            gaps, PAYMENT_KINDS, "the cash flow lists no accounts for some of its cash flow types"
        )
        return {}
    out: dict[str, Decimal | None] = dict.fromkeys(PAYMENT_KINDS, ZERO)
    for activity in cf.cashflow_activities:
        operating = (activity.name or "").strip().lower().startswith("operating")
        for cashflow_type in activity.cashflow_types:
            for account in cashflow_type.accounts:
                kind, paid = _payment_kind(account), -(account.total or ZERO)
                if not kind or paid <= 0:
                    continue
                out[kind] = (out[kind] or ZERO) + paid
                if operating and kind != "owner_drawings":
                    out[f"{kind}_in_operating"] = (out[f"{kind}_in_operating"] or ZERO) + paid
    return out


def _is_sales_tax_type(cashflow_type: CashflowType) -> bool:
    accounts = cashflow_type.accounts
    if accounts:
        return all(is_sales_tax_account(a.reporting_code, a.name) for a in accounts)
    return bool(_SALES_TAX_NAME.search(cashflow_type.name or ""))


def _activity_total(activity: CashflowActivity) -> Decimal:
    if activity.total is not None:
        return activity.total
    return sum((t.total or ZERO for t in activity.cashflow_types), ZERO)


def cash_flow_figures(cf: Cashflow | None, currency: str, missing_reason: str) -> CashFlowFigures:
    """Cash flow figures of one period.

    Args:
        cf: Xero ``GET /FinancialStatements/Cashflow``; None when not available (Xero refuses
            it for US organisations).
        currency: the organisation's base currency.
        missing_reason: why ``cf`` is None, e.g. Xero's answer.

    Returns:
        :class:`CashFlowFigures`. Activities are found by name ("Operating Activities",
        "Investing Activities", "Financing Activities"; a prefix match); an activity Xero does
        not list is not available rather than zero.
    """
    gaps: dict[str, str] = {}
    if cf is None:
        mark_missing(gaps, CASH_FLOW_FIGURES, missing_reason)
        return CashFlowFigures(not_available=gaps)
    v: dict[str, Decimal | None] = {}
    for key in ("operating", "investing", "financing"):
        activity = _activity(cf, key)
        if activity is None:
            gaps[f"{key}_activities"] = f"the cash flow lists no {key.title()} Activities"
        else:
            v[f"{key}_activities"] = _activity_total(activity)
    operating = _activity(cf, "operating")
    if operating is None:
        mark_missing(
            gaps,
            (
                "operating_receipts",
                "operating_payments",
                "operating_receipts_on_income_accounts",
                "net_sales_tax",
            ),
            gaps["operating_activities"],
        )
    else:
        taxes = on_income = ZERO
        totals = []
        for cashflow_type in operating.cashflow_types:
            total = cashflow_type.total or ZERO
            if _is_sales_tax_type(cashflow_type):
                taxes += total
                continue
            totals.append(total)
            if total > 0:
                on_income += (
                    sum(
                        (
                            a.total or ZERO
                            for a in cashflow_type.accounts
                            if (a.account_type or "").upper() in INCOME_ACCOUNT_TYPES
                        ),
                        ZERO,
                    )
                    if cashflow_type.accounts
                    else total
                )
        v["operating_receipts"] = sum((t for t in totals if t > 0), ZERO)
        v["operating_payments"] = sum((t for t in totals if t < 0), ZERO)
        v["operating_receipts_on_income_accounts"] = on_income
        v["net_sales_tax"] = taxes
    financing = _activity(cf, "financing")
    if financing is None:
        gaps["repayment_of_borrowings"] = gaps["financing_activities"]
        gaps["financing_inflows"] = gaps["financing_activities"]
    else:
        v["financing_inflows"] = sum(
            (t.total for t in financing.cashflow_types if t.total is not None and t.total > 0),
            ZERO,
        )
        v["repayment_of_borrowings"] = sum(
            (
                t.total or ZERO
                for t in financing.cashflow_types
                if "repayment" in (t.name or "").lower() and (t.total or ZERO) < 0
            ),
            ZERO,
        )
    v.update(_payments_by_kind(cf, gaps))
    balance = cf.cash_balance
    for key, attr in (
        ("opening_cash", "opening_cash_balance"),
        ("closing_cash", "closing_cash_balance"),
        ("net_cash_movement", "net_cash_movement"),
    ):
        value = None if balance is None else getattr(balance, attr)
        if value is None:
            gaps[key] = f"the cash flow gives no {attr}"
        v[key] = value
    return CashFlowFigures(
        start_date=cf.start_date,
        end_date=cf.end_date,
        not_available=gaps,
        **{k: money(x, currency) for k, x in v.items()},
    )


def cash_flow_section(
    current: CashFlowFigures,
    previous: CashFlowFigures,
    balance_sheet: BalanceSheetFigures,
    bank: BankFrames | None,
    period: tuple[date, date],
    currency: str,
    bank_financing_receipts: Decimal | None = None,
    no_lines_reason: str | None = None,
) -> CashFlowSection:
    """Both periods' cash flow and the months of runway.

    Runway: ``cash / burn``, with ``burn = -(net movement - financing inflows) / months
    observed`` when that is positive. The net movement and financing inflows are the
    Cashflow's; without a Cashflow, the sum of the period's bank statement lines (see
    :func:`bank_lines_in_period`; transfers between own accounts cancel out in the sum) and
    ``bank_financing_receipts``. New money (loan proceeds, capital introduced) is not the
    business's own cash generation, so a loss-maker that borrowed is not "not shrinking".
    Months observed run from the day the bank history begins when that is inside the period
    (one month of history is one month, not twelve), else from the period's start; the
    history begins on the earlier of the first statement's ``startDate`` and the first
    statement line's date (:func:`_bank_history_start`). Cash is the balance sheet's BANK
    total at ``as_of``, else the Cashflow's closing cash.

    Args:
        current, previous: the two periods' :class:`CashFlowFigures`.
        balance_sheet: the balance sheet at ``as_of``.
        bank: the snapshot's bank frames, or None.
        period: the current period (start, end) inclusive.
        currency: the organisation's base currency.
        bank_financing_receipts: the period's bank receipts classified as financing
            (:mod:`lendcheck.metrics.bank_to_books`), for the bank basis; None when unknown.
        no_lines_reason: why the snapshot holds no statement lines, when it is not merely
            that none falls in the period (an Accounting-API-only report).
    """
    gaps: dict[str, str] = {}
    basis: RunwayBasis | None = None
    movement = financing = None
    start, end = period
    if current.net_cash_movement is not None:
        basis, movement = "cashflow", current.net_cash_movement.amount
        start, end = current.start_date or period[0], current.end_date or period[1]
        financing = amount_of(current.financing_inflows)
        if financing is None:
            gaps["runway_financing_inflows"] = current.not_available.get(
                "financing_inflows", "not available"
            )
    elif (
        bank is not None
        and currency
        and (
            totals := bank_lines_plan(bank, currency, *period)[0]
            .select(pl.len(), pl.col("amount").sum())
            .collect()
            .row(0)
        )[0]
    ):
        basis, movement = "bank_statements", from_minor_units(int(totals[1] or 0))
        financing = bank_financing_receipts
        if financing is None:
            gaps["runway_financing_inflows"] = "the bank receipts could not be classified"
    else:
        reason = current.not_available.get("net_cash_movement", "not available")
        mark_missing(
            gaps,
            (
                "runway_basis",
                "runway_net_movement",
                "runway_financing_inflows",
                "runway_observed_from",
                "runway_months_in_period",
            ),
            f"{reason}; and "
            + (
                UNKNOWN_CURRENCY_REASON
                if not currency
                else no_lines_reason or f"{NO_LINES} in the period"
            ),
        )
    observed_from = months = None
    if basis is not None:
        observed_from = max(start, _bank_history_start(bank, currency, end) or start)
        months = period_months(observed_from, end)
    cash = amount_of(balance_sheet.cash)
    if cash is None:
        cash = amount_of(current.closing_cash)
    if cash is None:
        gaps["runway_cash"] = "neither the balance sheet nor the cash flow gives cash"
    outflow = None
    if movement is not None and financing is not None and months:
        outflow = -(movement - financing) / months
    else:
        gaps.setdefault(
            "average_monthly_net_outflow",
            gaps.get("runway_net_movement") or gaps.get("runway_financing_inflows", ""),
        )
    runway: Decimal | None = None
    if outflow is None or cash is None:
        gaps["months_of_runway"] = gaps.get("average_monthly_net_outflow") or gaps["runway_cash"]
    elif outflow <= 0:
        gaps["months_of_runway"] = (
            "cash is not shrinking: no net outflow over the period, financing inflows left out"
        )
    else:
        runway = max(cash, ZERO) / outflow
    return CashFlowSection(
        current=current,
        previous=previous,
        runway_basis=basis,
        runway_cash=money(cash, currency),
        runway_net_movement=money(movement, currency),
        runway_financing_inflows=money(financing, currency),
        runway_observed_from=observed_from,
        runway_months_in_period=to_float(months),
        average_monthly_net_outflow=money(outflow, currency),
        months_of_runway=to_float(runway),
        not_available=gaps,
    )


def _bank_history_start(bank: BankFrames | None, currency: str, end: date) -> date | None:
    """Where the bank history begins, up to ``end``, on base-currency accounts: the earlier of
    the first statement's ``startDate`` and the first statement line's date (not deleted or
    duplicate). A statement says what the bank covered from its start date, lines or not: an
    account with a statement from 1 November and its first receipt on the 20th has been
    observed since the 1st (Xero's Cashflow counts those days too). None without either."""
    if bank is None:
        return None
    lines, foreign = bank_lines_plan(bank, currency, date.min, end)
    first_line = lines.select(pl.col("date").min()).collect().item()
    starts = bank.statements.filter(
        pl.col("start_date").is_not_null()
        & (pl.col("start_date") <= end)
        & ~pl.col("bank_account_id").is_in(foreign)
    )["start_date"]
    candidates = [d for d in (first_line, starts.min()) if isinstance(d, date)]
    return min(candidates) if candidates else None
