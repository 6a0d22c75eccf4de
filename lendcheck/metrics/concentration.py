"""Concentration of customers and suppliers, and aged receivables.

Source data: Xero ``GET /FinancialStatements/contacts/revenue`` and ``/contacts/expense``
(income and spend per contact over a period), and reconciled receipts (see
:mod:`lendcheck.metrics.bank_to_books`). Xero's special contacts "None Provided"
(``86793108-198C-46D8-90A3-43C1D12686CE``) and "Bank Transfer"
(``207322B3-6A58-4BE7-80F1-430123914AD6``) are shown apart and never counted as a customer or
supplier; GUIDs are compared case-insensitively (the models lower-case them).

Shares are over the *counted* contacts: ordinary contacts with a positive amount. A contact
whose amount is zero or negative (net credits) is left out of the shares and counted in
``non_positive_contacts``. How much of the whole the counted contacts are is
``named_coverage``: a cafe's walk-in sales are Xero's "None Provided", so its top-1 share can be
a share of a sliver of revenue; below :data:`NAMED_COVERAGE_QUALIFY` the figures carry a
``coverage_qualification`` saying so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from pydantic import Field

from lendcheck.metrics.financials import ZERO, divide, mark_missing, money, to_float
from lendcheck.report_types import Money, ReportModel, Share
from lendcheck.xero.models import (
    BANK_TRANSFER_CONTACT_ID,
    NONE_PROVIDED_CONTACT_ID,
    IncomeByContact,
)

#: Xero's pseudo-contacts, lower case: shown apart, never counted as customers or suppliers.
SPECIAL_CONTACT_IDS = frozenset({NONE_PROVIDED_CONTACT_ID, BANK_TRANSFER_CONTACT_ID})
#: Xero's names of its pseudo-contacts (ours, not the untrusted names a report carries).
SPECIAL_CONTACT_NAMES = {
    NONE_PROVIDED_CONTACT_ID: "None Provided",
    BANK_TRANSFER_CONTACT_ID: "Bank Transfer",
}
#: How many of the largest contacts the result lists (and top-N share uses).
TOP_N = 5
#: Below this named coverage the top-1, top-5 and HHI figures are qualified: more than a tenth
#: of the amount has no named contact, so they describe part of the business only.
NAMED_COVERAGE_QUALIFY = Decimal("0.9")

ConcentrationBasis = Literal[
    "contacts_revenue", "contacts_expense", "reconciled_receipts", "accrec_invoices"
]


class ContactAmount(ReportModel):
    """One contact's amount and its share of the counted total.

    Attributes:
        contact_id: Xero contact GUID (lower case), None when Xero gave none.
        name: the contact's name as Xero sent it (untrusted text).
        amount: the contact's total (currency amount).
        share: amount / counted total, in [0, 1].
    """

    contact_id: str | None
    name: str | None
    amount: Money
    share: Share


class SpecialContactAmount(ReportModel):
    """A Xero pseudo-contact ("None Provided", "Bank Transfer") and its amount, shown apart."""

    contact_id: str
    name: str | None
    amount: Money


class ConcentrationFigures(ReportModel):
    """Concentration of one side (customers or suppliers) on one basis.

    Attributes:
        basis: ``contacts_revenue`` (Xero contacts revenue totals), ``contacts_expense``
            (Xero contacts expense totals) or ``reconciled_receipts`` (receipts reconciled to
            invoice payments / revenue-coded bank transactions, by contact).
        total: sum of the counted contacts' amounts (currency amount).
        contact_count: number of counted contacts (ordinary, amount > 0).
        non_positive_contacts: ordinary contacts left out for an amount <= 0.
        top1_share: largest contact / total (share in [0, 1]).
        top5_share: the five largest / total (share in [0, 1]).
        hhi: Herfindahl-Hirschman index, sum of squared shares (in [1/n, 1]; multiply by
            10,000 for the points scale competition authorities quote).
        report_total: the whole amount the shares could have been taken of (currency
            amount): every row, counted or not (Xero's special contacts, net credits), plus
            amounts no contact carries (a contacts report's ``manualJournals.total``).
        named_coverage: total / report total (share in [0, 1]): how much of the whole has a
            named contact; None when the report total is not positive.
        top1_share_of_report_total: largest counted contact / report total (share): the
            least the largest customer can be of the whole (the unnamed part may hide a
            larger one).
        coverage_qualification: a sentence qualifying the shares when named coverage is
            below :data:`NAMED_COVERAGE_QUALIFY` (or unknown); None when they cover at least
            that much of the whole.
        top_contacts: the five largest contacts, largest first (ties by name, then id).
        special_contacts: Xero's pseudo-contacts with their amounts, not in any share.
        not_available: figure name -> why it is None.
    """

    basis: ConcentrationBasis
    total: Money | None = None
    contact_count: int | None = None
    non_positive_contacts: int | None = None
    top1_share: Share = None
    top5_share: Share = None
    hhi: Share = None
    report_total: Money | None = None
    named_coverage: Share = None
    top1_share_of_report_total: Share = None
    coverage_qualification: str | None = None
    top_contacts: list[ContactAmount] = Field(default_factory=list)
    special_contacts: list[SpecialContactAmount] = Field(default_factory=list)
    not_available: dict[str, str] = Field(default_factory=dict)


@dataclass
class _Row:
    contact_id: str | None
    name: str | None
    amount: Decimal = ZERO


_FIGURES = (
    "total",
    "contact_count",
    "non_positive_contacts",
    "top1_share",
    "top5_share",
    "hhi",
    "report_total",
    "named_coverage",
    "top1_share_of_report_total",
)


def _percent(share: Decimal) -> str:
    return f"{share * 100:.1f}%"


def _qualification(
    coverage: Decimal | None, top1_of_all: Decimal | None, unnamed: list[str]
) -> str | None:
    """The sentence that qualifies top-N shares and HHI taken of part of the whole.

    Args:
        coverage: named coverage (None when the whole is not positive).
        top1_of_all: the largest counted contact's share of the whole.
        unnamed: what makes up the rest, e.g. ``['"None Provided"', "manual journals"]``.
    """
    if coverage is None:
        return (
            "The whole amount is not positive, so how much of it has a named contact is "
            "unknown: the shares describe the named contacts only."
        )
    if coverage >= NAMED_COVERAGE_QUALIFY:
        return None
    least = (
        ""
        if top1_of_all is None
        else f"; the largest named contact is at least {_percent(top1_of_all)} of the whole"
    )
    rest = f" ({', '.join(unnamed)})" if unnamed else ""
    return (
        f"Shares and HHI are of the {_percent(coverage)} of the amount that has a named "
        f"contact; {_percent(1 - coverage)} has none{rest}, and how concentrated that part "
        f"is, is unknown{least}."
    )


def concentration_figures(
    amounts: Iterable[tuple[str | None, str | None, Decimal]],
    basis: ConcentrationBasis,
    currency: str,
    unattributed: Decimal = ZERO,
) -> ConcentrationFigures:
    """Top-1, top-5 share and HHI of contact amounts, and how much of the whole they cover.

    Args:
        amounts: (contact id, name, amount) rows; rows of one contact are added together
            (contacts without an id are told apart by name).
        basis: what the amounts are (recorded in the result).
        currency: currency of the amounts.
        unattributed: an amount of the whole that no row carries (a contacts report's
            manual journals); it counts in ``report_total`` only.

    Returns:
        :class:`ConcentrationFigures`; shares are None with a reason when no contact has a
        positive amount; named coverage is None when the whole is not positive.
    """
    merged: dict[str, _Row] = {}
    for contact_id, name, amount in amounts:
        key = contact_id.lower() if contact_id else f"name:{(name or '').strip().lower()}"
        row = merged.setdefault(key, _Row(contact_id.lower() if contact_id else None, name))
        row.amount += amount
    special = sorted(
        (
            SpecialContactAmount(
                contact_id=r.contact_id, name=r.name, amount=Money.of(r.amount, currency)
            )
            for r in merged.values()
            if r.contact_id in SPECIAL_CONTACT_IDS and r.contact_id
        ),
        key=lambda s: s.contact_id,
    )
    ordinary = [r for r in merged.values() if r.contact_id not in SPECIAL_CONTACT_IDS]
    counted = sorted(
        (r for r in ordinary if r.amount > 0),
        key=lambda r: (-r.amount, (r.name or "").lower(), r.contact_id or ""),
    )
    total = sum((r.amount for r in counted), ZERO)
    report_total = sum((r.amount for r in merged.values()), unattributed)
    gaps: dict[str, str] = {}
    coverage = divide(
        total,
        report_total,
        "named_coverage",
        gaps,
        zero_reason="the whole amount is zero",
        negative_reason="the whole amount is negative",
    )
    top1_of_all = (
        None
        if coverage is None or not counted
        else divide(
            counted[0].amount,
            report_total,
            "top1_share_of_report_total",
            gaps,
            zero_reason="the whole amount is zero",
        )
    )
    if top1_of_all is None:
        gaps.setdefault(
            "top1_share_of_report_total",
            gaps.get("named_coverage")
            or "no contact other than Xero's special contacts has a positive amount",
        )
    shares: list[Decimal] = []
    if total > 0:
        shares = [r.amount / total for r in counted]
    else:
        mark_missing(
            gaps,
            ("top1_share", "top5_share", "hhi"),
            "no contact other than Xero's special contacts has a positive amount",
        )
    top = [
        ContactAmount(
            contact_id=r.contact_id,
            name=r.name,
            amount=Money.of(r.amount, currency),
            share=float(s),
        )
        for r, s in zip(counted[:TOP_N], shares[:TOP_N], strict=False)
    ]
    return ConcentrationFigures(
        basis=basis,
        total=Money.of(total, currency),
        contact_count=len(counted),
        non_positive_contacts=len(ordinary) - len(counted),
        top1_share=float(shares[0]) if shares else None,
        top5_share=float(sum(shares[:TOP_N], ZERO)) if shares else None,
        hhi=float(sum((s * s for s in shares), ZERO)) if shares else None,
        report_total=Money.of(report_total, currency),
        named_coverage=to_float(coverage),
        top1_share_of_report_total=to_float(top1_of_all),
        coverage_qualification=(
            _qualification(
                coverage,
                top1_of_all,
                [f'"{SPECIAL_CONTACT_NAMES[x.contact_id]}"' for x in special if x.amount.amount]
                + (["manual journals"] if unattributed else [])
                + (["net credits"] if len(ordinary) > len(counted) else []),
            )
            if counted
            else None
        ),
        top_contacts=top,
        special_contacts=special,
        not_available=gaps,
    )


def not_available_concentration(basis: ConcentrationBasis, reason: str) -> ConcentrationFigures:
    """A :class:`ConcentrationFigures` whose every figure is None for ``reason``."""
    gaps: dict[str, str] = {}
    mark_missing(gaps, _FIGURES, reason)
    return ConcentrationFigures(basis=basis, not_available=gaps)


def contacts_concentration(
    report: IncomeByContact | None,
    basis: Literal["contacts_revenue", "contacts_expense"],
    currency: str,
    missing_reason: str,
) -> ConcentrationFigures:
    """Concentration from a Xero contacts revenue/expense report (each contact's ``total``)."""
    if report is None:
        return not_available_concentration(basis, missing_reason)
    if not report.contacts:
        return not_available_concentration(basis, "Xero's report lists no contacts")
    journals = report.manual_journals.total if report.manual_journals else None
    return concentration_figures(
        ((c.contact_id, c.name, c.total or ZERO) for c in report.contacts),
        basis,
        currency,
        journals or ZERO,
    )


class Concentration(ReportModel):
    """Customer and supplier concentration and aged receivables (current period).

    Attributes:
        customers: concentration of Xero contacts revenue.
        suppliers: concentration of Xero contacts expense.
        total_outstanding: contacts revenue ``totalDetail.totalOutstanding`` (sum over
            contacts when Xero gives no report total).
        total_outstanding_aged: contacts revenue ``totalOther.totalOutstandingAged``
            (outstanding on invoices more than 90 days old; sum over contacts as fallback).
        aged_receivables_share: total outstanding aged / total outstanding (share in [0, 1]);
            None when nothing is outstanding.
        not_available: figure name -> why it is None.
    """

    customers: ConcentrationFigures
    suppliers: ConcentrationFigures
    total_outstanding: Money | None = None
    total_outstanding_aged: Money | None = None
    aged_receivables_share: Share = None
    not_available: dict[str, str] = Field(default_factory=dict)


def _report_or_contacts(report: IncomeByContact, field: str) -> Decimal | None:
    container = report.total_detail if field == "total_outstanding" else report.total_other
    value: Decimal | None = None if container is None else getattr(container, field)
    if value is not None:
        return value
    values: list[Decimal] = []
    for c in report.contacts:
        part = c.total_detail if field == "total_outstanding" else c.total_other
        if part is not None and getattr(part, field) is not None:
            values.append(getattr(part, field))
    return sum(values, ZERO) if values else None


def concentration(
    contacts_revenue: IncomeByContact | None,
    contacts_expense: IncomeByContact | None,
    currency: str,
    missing: dict[str, str],
) -> Concentration:
    """Customer and supplier concentration and the aged > 90 days receivables share.

    Args:
        contacts_revenue, contacts_expense: Xero contacts reports of the current period, or
            None when not available.
        currency: the organisation's base currency.
        missing: input name (``contacts_revenue``, ``contacts_expense``) -> why it is None.
    """
    gaps: dict[str, str] = {}
    revenue_reason = missing.get("contacts_revenue", "contacts revenue is not available")
    customers = contacts_concentration(
        contacts_revenue, "contacts_revenue", currency, revenue_reason
    )
    suppliers = contacts_concentration(
        contacts_expense,
        "contacts_expense",
        currency,
        missing.get("contacts_expense", "contacts expense is not available"),
    )
    outstanding = aged = share = None
    if contacts_revenue is None:
        mark_missing(
            gaps,
            ("total_outstanding", "total_outstanding_aged", "aged_receivables_share"),
            revenue_reason,
        )
    else:
        outstanding = _report_or_contacts(contacts_revenue, "total_outstanding")
        aged = _report_or_contacts(contacts_revenue, "total_outstanding_aged")
        if outstanding is None:
            gaps["total_outstanding"] = "Xero gives no totalOutstanding"
        if aged is None:
            gaps["total_outstanding_aged"] = "Xero gives no totalOutstandingAged"
        share = divide(
            aged,
            outstanding,
            "aged_receivables_share",
            gaps,
            zero_reason="nothing is outstanding",
            negative_reason="total outstanding is negative",
        )
    return Concentration(
        customers=customers,
        suppliers=suppliers,
        total_outstanding=money(outstanding, currency),
        total_outstanding_aged=money(aged, currency),
        aged_receivables_share=to_float(share),
        not_available=gaps,
    )
