"""Existing debt service seen in the bank: recurring payments to lenders, and whether the
balance sheet shows the debt they repay.

A *repayment stream* is the outflows of one account to one payee (compared case-insensitively,
spaces trimmed) where

* the payee or a reference names a loan or a lender (:data:`LENDER_PATTERN`: LOAN, FINANCE,
  LENDING, MORTGAGE, HIRE PURCHASE, or a known small-business lender), and
* the payments are regular: at least :data:`MIN_PAYMENTS` of them, the median gap between
  consecutive payment dates falls in one of :data:`CADENCES`, and every amount is within
  :data:`AMOUNT_TOLERANCE` of the median amount.

Regular amounts at a regular cadence alone are not taken as debt: rent, insurance, payroll and
subscriptions look the same, and calling them loans would invent debt. Transfers to the
applicant's own accounts (a card repayment to its own card account) are left out: their payee
names one of its bank accounts.

A stream is *active* when its last payment is no older than 1.5 cadence periods at the report
date; its annual debt service is the median amount times the payments a year of its cadence.
Balance-sheet debt is the liability accounts that are debt as docs/metrics.md "Debt" defines it
(:func:`lendcheck.metrics.financials.borrowings`: loans, hire purchase and leases, related-party
loans, other term liabilities; not overdrafts or credit cards). Active repayments with no such
liability on the balance sheet at the report date suggest undisclosed debt.

Where the books hold each payment of the current 12 months (:data:`RECENT_DAYS` ending at the
report date) decides how it enters the DSCR (:func:`lendcheck.metrics.loan.loan_analysis`), from
the accounts of what the line was reconciled to (the links' ``account_types`` and
``reporting_codes``):

* ``in_debt_service``: booked to a liability (type ``LIABILITY``, ``CURRLIAB``, ``TERMLIAB`` or
  a ``LIA.`` code) or an interest account (``EXP.INT``): already in the books' existing debt
  service (principal repaid, interest paid);
* ``in_costs``: booked only to other expense accounts (:data:`COST_ACCOUNT_TYPES`): in the
  books' operating costs, so inside cash available for debt service;
* ``outside_books``: not reconciled, or booked only to other accounts (assets, equity): in
  neither;
* ``booking_unknown``: reconciled, but the links carry no account (summary mode).

Source: BankStatementsPlus statement lines (payee, reference, amount, date) and what they were
reconciled to; the Finance API balance sheet at the report date. Pure.
"""

from __future__ import annotations

import datetime as dt
import itertools
import statistics
from decimal import Decimal

import polars as pl

from lendcheck.metrics._common import (
    PAYEE_INDEX,
    LineRef,
    Payees,
    is_live,
    line_refs,
    money,
    own_account_payee,
)
from lendcheck.metrics.financials import borrowings
from lendcheck.report_types import Money, ReportModel
from lendcheck.xero.models import BalanceSheet

__all__ = [
    "CADENCES",
    "LENDER_PATTERN",
    "DebtService",
    "RepaymentStream",
    "debt_service",
]

#: Lender words and names (whole words, any case) in a payee or reference.
LENDER_PATTERN = (
    r"(?i)\b(loans?|finance|lending|lender|mortgage|hire\s+purchase|funding\s+circle|iwoca"
    r"|ondeck|on\s+deck|prospa|kabbage|bluevine|fundbox|lendingclub|capital\s+on\s+tap)\b"
)
#: Cadence name, median gap range in days (inclusive), payments a year.
CADENCES = (
    ("weekly", 6, 8, 52),
    ("fortnightly", 13, 16, 26),
    ("monthly", 26, 35, 12),
    ("quarterly", 85, 97, 4),
)
#: Payments needed to call a stream recurring.
MIN_PAYMENTS = 3
#: Largest relative distance of a payment from the stream's median amount.
AMOUNT_TOLERANCE = Decimal("0.10")
#: Fragments every lender word or name contains (a quick first pass; the pattern decides).
_LENDER_FRAGMENTS = [
    "loan",
    "financ",
    "lend",
    "mortgage",
    "hire",
    "funding",
    "iwoca",
    "deck",
    "prospa",
    "kabbage",
    "bluevine",
    "fundbox",
    "capital",
]
#: Days of the current 12 months ending at the report date (the books' debt service period).
RECENT_DAYS = 365
#: Xero account types of debt: a payment booked to one repays principal.
DEBT_ACCOUNT_TYPES = ("LIABILITY", "CURRLIAB", "TERMLIAB")
#: Xero account types of the P&L's costs: a payment booked to one is an operating cost.
COST_ACCOUNT_TYPES = (
    "EXPENSE",
    "DIRECTCOSTS",
    "OVERHEADS",
    "WAGESEXPENSE",
    "SUPERANNUATIONEXPENSE",
)
#: Where the books hold a payment (module docstring), in the order a line's links decide it.
BOOKINGS = ("in_debt_service", "in_costs", "outside_books", "booking_unknown")


class RepaymentStream(ReportModel):
    """Recurring payments to one lender from one account.

    Attributes:
        bank_account_id: the paying account.
        payee: the payee as on the latest payment (untrusted text).
        reference: the latest payment's reference (untrusted text).
        cadence: ``weekly``, ``fortnightly``, ``monthly`` or ``quarterly``.
        median_gap_days: median days between consecutive payments.
        payments: how many payments.
        typical_amount: the median payment (a positive amount).
        first_payment, last_payment: dates of the first and last payment.
        active: the last payment is no older than 1.5 cadence periods at the report date.
        annual_debt_service: ``typical_amount`` x payments a year of the cadence (active
            streams; None otherwise).
        last_12_months_paid: sum of the payments in the 365 days ending at the report date.
        last_12_months_in_debt_service: of those payments, the ones booked against a
            liability or to interest (module docstring: where the books hold a payment).
        last_12_months_in_costs: the ones booked to other expense accounts.
        last_12_months_outside_books: the ones not reconciled or booked to other accounts.
        last_12_months_booking_unknown: the ones reconciled to links without accounts. The
            four add up to ``last_12_months_paid``.
        lines: the payments (drill-back), newest first.
    """

    bank_account_id: str
    payee: str
    reference: str | None
    cadence: str
    median_gap_days: float
    payments: int
    typical_amount: Money
    first_payment: dt.date
    last_payment: dt.date
    active: bool
    annual_debt_service: Money | None
    last_12_months_paid: Money
    last_12_months_in_debt_service: Money
    last_12_months_in_costs: Money
    last_12_months_outside_books: Money
    last_12_months_booking_unknown: Money
    lines: list[LineRef]


class DebtService(ReportModel):
    """Debt service seen in the bank against the debt on the balance sheet.

    Attributes:
        streams: every repayment stream, active first, then by payee.
        active_streams: streams still being paid.
        annual_debt_service: sum of the active streams' annual debt service, when they are all
            in the balance sheet's currency; None when there are none or currencies differ.
        currency: the balance sheet's (organisation's) currency.
        balance_sheet_debt: loan liabilities on the balance sheet at the report date (None
            when the balance sheet is not available).
        balance_sheet_debt_accounts: names of those liability accounts.
        undisclosed_debt_suspected: active repayments are seen but the balance sheet holds no
            loan liability (None when the balance sheet is not available).
        last_12_months_in_debt_service: the streams' payments of the current 12 months
            booked against a liability or to interest, summed over the streams in
            ``currency`` (zero when there are none; module docstring).
        last_12_months_in_costs: those booked to other expense accounts, summed alike.
        last_12_months_outside_books: those not reconciled or booked to other accounts.
        last_12_months_booking_unknown: those reconciled to links without accounts.
        streams_in_other_currencies: payees of streams paid in another currency than
            ``currency``, left out of those sums (they cannot be set against the books).
        not_available: why the balance-sheet comparison is missing, else None.
    """

    streams: list[RepaymentStream]
    active_streams: int
    annual_debt_service: Money | None
    currency: str
    balance_sheet_debt: Money | None
    balance_sheet_debt_accounts: list[str]
    undisclosed_debt_suspected: bool | None
    last_12_months_in_debt_service: Money
    last_12_months_in_costs: Money
    last_12_months_outside_books: Money
    last_12_months_booking_unknown: Money
    streams_in_other_currencies: list[str]
    not_available: str | None


def _cadence(gap: float) -> tuple[str, int, int] | None:
    for name, low, high, per_year in CADENCES:
        if low <= gap <= high:
            return name, per_year, high
    return None


def _booking(links: pl.LazyFrame) -> pl.LazyFrame:
    """Each linked line's booking (:data:`BOOKINGS`) from the accounts of its links."""
    types = pl.col("account_types").fill_null([])
    codes = pl.col("reporting_codes").fill_null([])
    debt = (
        types.list.eval(pl.element().is_in(DEBT_ACCOUNT_TYPES)).list.any()
        | codes.list.eval(
            pl.element().str.starts_with("LIA.") | pl.element().str.starts_with("EXP.INT")
        ).list.any()
    )
    cost = types.list.eval(pl.element().is_in(COST_ACCOUNT_TYPES)).list.any()
    known = (types.list.len() > 0) | (codes.list.len() > 0)
    return links.group_by(["bank_account_id", "statement_line_id"]).agg(
        pl.when(debt.any())
        .then(pl.lit("in_debt_service"))
        .when(cost.any())
        .then(pl.lit("in_costs"))
        .when(known.any())
        .then(pl.lit("outside_books"))
        .otherwise(pl.lit("booking_unknown"))
        .alias("booking")
    )


def debt_service(
    statement_lines: pl.DataFrame,
    account_names: dict[str, str],
    currencies: dict[str, str],
    balance_sheet: BalanceSheet | None,
    currency: str,
    as_of: dt.date,
    balance_sheet_reason: str = "the balance sheet at the report date is not available",
    links: pl.DataFrame | None = None,
    payees: Payees | None = None,
) -> DebtService:
    """Find repayment streams and compare them with the balance sheet's loans.

    Args:
        statement_lines: :data:`lendcheck.frames.STATEMENT_LINES_SCHEMA` rows.
        links: :data:`lendcheck.frames.LINKS_SCHEMA` rows (what the lines were reconciled
            to); None: no line is reconciled to anything (every payment ``outside_books``).
        account_names: name per bank account id (the applicant's own accounts).
        currencies: currency per bank account id.
        balance_sheet: the balance sheet at the report date, or None.
        currency: the organisation's base currency.
        as_of: the report date.
        balance_sheet_reason: why ``balance_sheet`` is None.
        payees: the payees of ``statement_lines`` (:class:`~lendcheck.metrics._common.Payees`),
            when the caller has them; else made here.
    """
    # A literal first pass (null payee or reference: no match) before the regex, both over
    # the columns; only the few lines that pass are sorted, grouped and looked up in links.
    payees = payees or Payees.of(statement_lines)
    quick = payees.test(
        pl.col("payee").str.contains_any(_LENDER_FRAGMENTS, ascii_case_insensitive=True)
    ) | pl.col("reference").str.contains_any(_LENDER_FRAGMENTS, ascii_case_insensitive=True)
    # Collected after the literal pass: a regex filter chained to it in the same query is
    # merged with it and runs over every line.
    candidates = (
        payees.on(statement_lines)
        .lazy()
        .filter(is_live(as_of) & (pl.col("amount") < 0) & quick.fill_null(False))
        .drop(PAYEE_INDEX)
        .collect()
        .filter(
            pl.col("payee").fill_null("").str.contains(LENDER_PATTERN)
            | pl.col("reference").fill_null("").str.contains(LENDER_PATTERN)
        )
    )
    candidates = candidates.filter(~own_account_payee(account_names))
    lines = (
        candidates.with_columns(
            pl.col("payee").fill_null("").str.strip_chars().str.to_lowercase().alias("_payee")
        )
        .filter(pl.col("_payee") != "")
        .sort(["bank_account_id", "_payee", "transaction_date", "statement_line_id"])
    )
    if links is not None and lines.height:
        bookings = _booking(
            links.lazy().filter(
                pl.col("statement_line_id").is_in(lines["statement_line_id"].implode())
            )
        ).collect()
        lines = lines.join(
            bookings, on=["bank_account_id", "statement_line_id"], how="left", maintain_order="left"
        ).with_columns(pl.col("booking").fill_null("outside_books"))
    else:
        lines = lines.with_columns(pl.lit("outside_books").alias("booking"))
    recent_from = as_of - dt.timedelta(days=RECENT_DAYS - 1)
    streams: list[RepaymentStream] = []
    for (account_id, _), group in lines.group_by(
        ["bank_account_id", "_payee"], maintain_order=True
    ):  # one group per lender payee: a handful
        if group.height < MIN_PAYMENTS:
            continue
        days = group["transaction_date"].to_list()
        amounts = [-int(a) for a in group["amount"].to_list()]
        gaps = [(b - a).days for a, b in itertools.pairwise(days)]
        gap = statistics.median(gaps)
        cadence = _cadence(gap)
        typical = int(statistics.median_low(amounts))
        if cadence is None or any(
            abs(Decimal(a - typical)) > AMOUNT_TOLERANCE * typical for a in amounts
        ):
            continue
        name, per_year, high = cadence
        cur = currencies.get(str(account_id), "")
        active = (as_of - days[-1]).days <= high * 1.5
        refs = line_refs(group.reverse(), as_of, currencies)
        booked = dict.fromkeys(BOOKINGS, 0)
        for day, paid, booking in zip(days, amounts, group["booking"].to_list(), strict=True):
            if day >= recent_from:
                booked[booking] += paid
        streams.append(
            RepaymentStream(
                bank_account_id=str(account_id),
                payee=refs[0].payee or "",
                reference=refs[0].reference,
                cadence=name,
                median_gap_days=float(gap),
                payments=group.height,
                typical_amount=Money.from_minor(typical, cur),
                first_payment=days[0],
                last_payment=days[-1],
                active=active,
                annual_debt_service=money(typical * per_year, cur) if active else None,
                last_12_months_paid=Money.from_minor(sum(booked.values()), cur),
                last_12_months_in_debt_service=Money.from_minor(booked["in_debt_service"], cur),
                last_12_months_in_costs=Money.from_minor(booked["in_costs"], cur),
                last_12_months_outside_books=Money.from_minor(booked["outside_books"], cur),
                last_12_months_booking_unknown=Money.from_minor(booked["booking_unknown"], cur),
                lines=refs,
            )
        )
    streams.sort(key=lambda s: (not s.active, s.payee, s.bank_account_id))
    active = [s for s in streams if s.active]
    annual = None
    if active and all(s.typical_amount.currency == currency for s in active):
        annual = sum(
            (s.annual_debt_service.amount for s in active if s.annual_debt_service), Decimal(0)
        )
    debt: Decimal | None = None
    names: list[str] = []
    if balance_sheet is not None:
        owed = borrowings(balance_sheet)
        debt = sum((amount for _, _, amount in owed), Decimal(0))
        names = sorted(name for name, _, _ in owed)
    same = [s for s in streams if s.typical_amount.currency == currency]

    def total(field: str) -> Money:
        return Money.of(sum((getattr(s, field).amount for s in same), Decimal(0)), currency)

    return DebtService(
        streams=streams,
        active_streams=len(active),
        annual_debt_service=Money.of(annual, currency) if annual is not None else None,
        currency=currency,
        balance_sheet_debt=Money.of(debt, currency) if debt is not None else None,
        balance_sheet_debt_accounts=names,
        undisclosed_debt_suspected=(
            None if balance_sheet is None else bool(active) and (debt is None or debt <= 0)
        ),
        last_12_months_in_debt_service=total("last_12_months_in_debt_service"),
        last_12_months_in_costs=total("last_12_months_in_costs"),
        last_12_months_outside_books=total("last_12_months_outside_books"),
        last_12_months_booking_unknown=total("last_12_months_booking_unknown"),
        streams_in_other_currencies=sorted(
            {s.payee for s in streams if s.typical_amount.currency != currency}
        ),
        not_available=None if balance_sheet is not None else balance_sheet_reason,
    )
