"""Bank-to-books agreement: what the bank statements say against what the books say.

Inputs: the P&L revenue of the current period and the snapshot's bank frames
(:class:`lendcheck.frames.BankFrames`: statement lines and the payments / bank transactions a
reconciled line was matched to).

Receipts are classified line by line (``classify_receipts``):

* **own-account transfer**: a reconciled line matched to a bank transaction whose contact is
  Xero's "Bank Transfer" pseudo-contact (``207322B3-6A58-4BE7-80F1-430123914AD6``) or one of
  whose line items is coded to an account of type ``BANK``;
* **financing**: otherwise, a reconciled line matched to a bank transaction with a line item
  coded to ``TERMLIAB`` or ``EQUITY`` or to a reporting code containing ``.LOA`` (loan
  proceeds, capital introduced);
* **operating**: every other receipt, including every unreconciled one (an unreconciled line
  cannot be classified, so it is counted and shown separately).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import polars as pl
from pydantic import Field

from lendcheck.frames import BANK_FEED_KINDS, BankFrames
from lendcheck.metrics.concentration import (
    ConcentrationFigures,
    concentration_figures,
    not_available_concentration,
)
from lendcheck.metrics.financials import (
    bank_lines_in_period,
    divide,
    mark_missing,
    minor_sum,
    money,
    to_float,
)
from lendcheck.models import BANK_TRANSFER_CONTACT_ID, NONE_PROVIDED_CONTACT_ID
from lendcheck.money import from_minor_units
from lendcheck.report_types import Money, Ratio, ReportModel, Share

#: Line-item account types of revenue (Xero account types REVENUE, SALES, OTHERINCOME).
REVENUE_ACCOUNT_TYPES = ("REVENUE", "SALES", "OTHERINCOME")
#: Line-item account types that make a receipt financing rather than operating.
FINANCING_ACCOUNT_TYPES = ("TERMLIAB", "EQUITY")


def _has_any(column: str, values: tuple[str, ...]) -> pl.Expr:
    return pl.col(column).list.eval(pl.element().str.to_uppercase().is_in(list(values))).list.any()


def classify_receipts(
    bank: BankFrames, currency: str, start: date, end: date
) -> tuple[pl.DataFrame, pl.DataFrame, list[str]]:
    """The period's receipts, each classified, and the links of the operating ones.

    Receipts are statement lines kept by
    :func:`~lendcheck.metrics.financials.bank_lines_in_period` (not deleted or duplicate, in
    the period, base-currency accounts) with ``amount > 0``.

    Returns:
        (receipts with a ``category`` column: ``transfer``, ``financing`` or ``operating``;
        links of reconciled operating receipts with a ``verified`` column, minor units of
        revenue each link evidences (see :func:`cash_verified_by_line`); ids of accounts left
        out for their currency).
    """
    lines, foreign = bank_lines_in_period(bank, currency, start, end)
    receipts = lines.filter(pl.col("amount") > 0)
    links = bank.links.join(
        receipts.filter(pl.col("is_reconciled")).select("statement_line_id"),
        on="statement_line_id",
        how="semi",
    )
    is_bank_tx = pl.col("link_kind") == "bank_transaction"
    transfer_contact = pl.col("contact_id").str.to_lowercase() == BANK_TRANSFER_CONTACT_ID
    loan_code = (
        pl.col("reporting_codes")
        .list.eval(pl.element().str.to_uppercase().str.contains(".LOA", literal=True))
        .list.any()
    )
    flagged = links.with_columns(
        (
            is_bank_tx & (transfer_contact.fill_null(False) | _has_any("account_types", ("BANK",)))
        ).alias("is_transfer"),
        (is_bank_tx & (_has_any("account_types", FINANCING_ACCOUNT_TYPES) | loan_code)).alias(
            "is_financing"
        ),
    )
    per_line = flagged.group_by("statement_line_id").agg(
        pl.col("is_transfer").any(), pl.col("is_financing").any()
    )
    receipts = (
        receipts.join(per_line, on="statement_line_id", how="left")
        .with_columns(
            pl.when(pl.col("is_reconciled") & pl.col("is_transfer").fill_null(False))
            .then(pl.lit("transfer"))
            .when(pl.col("is_reconciled") & pl.col("is_financing").fill_null(False))
            .then(pl.lit("financing"))
            .otherwise(pl.lit("operating"))
            .alias("category")
        )
        .drop("is_transfer", "is_financing")
    )
    operating_ids = receipts.filter((pl.col("category") == "operating") & pl.col("is_reconciled"))
    verified = links.join(
        operating_ids.select("statement_line_id"), on="statement_line_id", how="semi"
    ).with_columns(
        pl.when((pl.col("link_kind") == "payment") & (pl.col("document_kind") == "invoice"))
        .then(pl.coalesce("bank_amount", "amount").abs())
        .when(
            (pl.col("link_kind") == "bank_transaction")
            & _has_any("account_types", REVENUE_ACCOUNT_TYPES)
        )
        .then(pl.col("amount").abs())
        .otherwise(pl.lit(0, dtype=pl.Int64))
        .fill_null(0)
        .alias("verified")
    )
    return receipts, verified, foreign


def cash_verified_by_line(receipts: pl.DataFrame, verified: pl.DataFrame) -> pl.DataFrame:
    """Cash-verified revenue per receipt: the sum of its links' evidenced amounts (invoice
    payments at their bank amount, revenue-coded bank transactions at their amount), capped at
    the line's own amount. Columns: ``statement_line_id``, ``verified`` (minor units)."""
    per_line = verified.group_by("statement_line_id").agg(pl.col("verified").sum())
    return per_line.join(
        receipts.select("statement_line_id", "amount"), on="statement_line_id"
    ).select("statement_line_id", pl.min_horizontal("verified", "amount").alias("verified"))


def bank_verified_receipts(receipts: pl.DataFrame) -> Decimal:
    """Receipts a lender can trust most: operating receipts that are reconciled and came by a
    bank feed, direct or through an aggregator (``import_source_kind`` ``direct_feed`` or
    ``indirect_feed``): the applicant can edit neither. Xero counts both as ``directBankFeed``
    ("from a bank or aggregator"); US banks mostly reach Xero through aggregators. Currency
    amount."""
    return minor_sum(
        receipts.filter(
            (pl.col("category") == "operating")
            & pl.col("is_reconciled")
            & pl.col("import_source_kind").is_in(BANK_FEED_KINDS)
        )
    )


class BankToBooks(ReportModel):
    """P&L revenue against bank receipts of the same period.

    Attributes:
        start_date, end_date: the period (the current P&L period, inclusive).
        revenue: P&L total revenue of the period (currency amount).
        bank_receipts: all receipts (lines > 0, not deleted or duplicate, base currency).
        own_account_transfers: receipts classified as transfers between own accounts.
        financing_receipts: receipts classified as loans or capital introduced.
        bank_inflows: bank receipts - own-account transfers - financing receipts.
        reconciled_inflows, unreconciled_inflows: bank inflows split by reconciliation.
        bank_verified_receipts: reconciled bank inflows that came by a bank feed (direct or
            aggregator).
        bank_inflows_to_revenue: bank inflows / revenue (ratio; receipts include sales tax,
            so a fully banked business shows about 1 + its tax rate).
        bank_inflows_less_revenue: bank inflows - revenue (currency amount).
        cash_verified_revenue: reconciled inflows evidenced as revenue: payments of invoices
            and bank transactions coded to revenue accounts (each line capped at its amount).
        cash_verified_revenue_share: cash verified revenue / revenue, capped at 1 (share).
            Receipts include sales tax and revenue does not, so 1 means "at least all of
            revenue is evidenced"; a value below 1 is revenue the bank does not evidence.
        cash_verified_inflow_share: cash verified revenue / bank inflows (share; both include
            sales tax): how much of what came in is matched to sales.
        customers_from_receipts: customer concentration of cash verified revenue by contact
            (payment -> invoice -> contact; bank transaction -> contact).
        customers_from_contacts: the same figures from Xero contacts revenue, for comparison.
        receipt_lines, reconciled_receipt_lines: counts of bank inflow lines.
        excluded_foreign_currency_accounts: bank accounts left out: not in the base currency.
        not_available: figure name -> why it is None.
    """

    start_date: date
    end_date: date
    revenue: Money | None = None
    bank_receipts: Money | None = None
    own_account_transfers: Money | None = None
    financing_receipts: Money | None = None
    bank_inflows: Money | None = None
    reconciled_inflows: Money | None = None
    unreconciled_inflows: Money | None = None
    bank_verified_receipts: Money | None = None
    bank_inflows_to_revenue: Ratio = None
    bank_inflows_less_revenue: Money | None = None
    cash_verified_revenue: Money | None = None
    cash_verified_revenue_share: Share = None
    cash_verified_inflow_share: Share = None
    customers_from_receipts: ConcentrationFigures
    customers_from_contacts: ConcentrationFigures
    receipt_lines: int | None = None
    reconciled_receipt_lines: int | None = None
    excluded_foreign_currency_accounts: list[str] = Field(default_factory=list)
    not_available: dict[str, str] = Field(default_factory=dict)


_BANK_FIGURES = (
    "bank_receipts",
    "own_account_transfers",
    "financing_receipts",
    "bank_inflows",
    "reconciled_inflows",
    "unreconciled_inflows",
    "bank_verified_receipts",
    "bank_inflows_to_revenue",
    "bank_inflows_less_revenue",
    "cash_verified_revenue",
    "cash_verified_revenue_share",
    "cash_verified_inflow_share",
    "receipt_lines",
    "reconciled_receipt_lines",
)


def bank_to_books(
    revenue: Decimal | None,
    revenue_reason: str,
    bank: BankFrames | None,
    period: tuple[date, date],
    currency: str,
    customers_from_contacts: ConcentrationFigures,
) -> BankToBooks:
    """Compare P&L revenue with the period's bank inflows.

    Args:
        revenue: P&L total revenue of ``period``; None when not available.
        revenue_reason: why ``revenue`` is None.
        bank: the snapshot's bank frames; None when the snapshot holds no bank statements.
        period: (start, end) inclusive, the current P&L period.
        currency: the organisation's base currency (accounts in other currencies left out).
        customers_from_contacts: customer concentration from Xero contacts revenue.

    Returns:
        :class:`BankToBooks`. Without bank statement lines every bank figure is None with a
        reason; without revenue only the comparisons are None.
    """
    start, end = period
    gaps: dict[str, str] = {}
    if revenue is None:
        gaps["revenue"] = revenue_reason
    if bank is None or bank.statement_lines.height == 0:
        reason = "the snapshot holds no bank statement lines"
        mark_missing(gaps, _BANK_FIGURES, reason)
        return BankToBooks(
            start_date=start,
            end_date=end,
            revenue=money(revenue, currency),
            customers_from_receipts=not_available_concentration("reconciled_receipts", reason),
            customers_from_contacts=customers_from_contacts,
            not_available=gaps,
        )
    receipts, links, foreign = classify_receipts(bank, currency, start, end)

    def total(category: str) -> Decimal:
        return minor_sum(receipts.filter(pl.col("category") == category))

    inflows = receipts.filter(pl.col("category") == "operating")
    bank_inflows = minor_sum(inflows)
    by_line = cash_verified_by_line(receipts, links)
    cash_verified = minor_sum(by_line, "verified")
    ratio = share = difference = None
    inflow_share = divide(
        cash_verified,
        bank_inflows,
        "cash_verified_inflow_share",
        gaps,
        zero_reason="no bank inflows in the period",
    )
    if revenue is not None:
        difference = bank_inflows - revenue
        ratio = divide(
            bank_inflows,
            revenue,
            "bank_inflows_to_revenue",
            gaps,
            zero_reason="revenue is zero",
            negative_reason="negative revenue: the ratio is not meaningful",
        )
        share = divide(
            cash_verified,
            revenue,
            "cash_verified_revenue_share",
            gaps,
            zero_reason="revenue is zero",
            negative_reason="negative revenue: the share is not meaningful",
        )
        share = None if share is None else min(share, Decimal(1))
    else:
        mark_missing(
            gaps,
            ("bank_inflows_to_revenue", "bank_inflows_less_revenue", "cash_verified_revenue_share"),
            revenue_reason,
        )
    # Concentration from receipts: each link's evidenced amount, pro rata when a line's
    # links evidence more than the line itself (rare: those rows are computed exactly here).
    contact_rows = (
        links.join(by_line.rename({"verified": "line_verified"}), on="statement_line_id")
        .join(
            links.group_by("statement_line_id").agg(pl.col("verified").sum().alias("link_sum")),
            on="statement_line_id",
        )
        .filter(pl.col("verified") > 0)
    )
    whole = (
        contact_rows.filter(pl.col("line_verified") == pl.col("link_sum"))
        .group_by("contact_id", "contact_name")
        .agg(pl.col("verified").sum())
    )
    capped = contact_rows.filter(pl.col("line_verified") != pl.col("link_sum"))
    # Receipts without a contact are Xero's "None Provided": shown apart, not a customer.
    amounts = [
        (
            row["contact_id"] or NONE_PROVIDED_CONTACT_ID,
            row["contact_name"] if row["contact_id"] else "None Provided",
            from_minor_units(row["verified"]),
        )
        for row in whole.iter_rows(named=True)
    ] + [
        (
            row["contact_id"] or NONE_PROVIDED_CONTACT_ID,
            row["contact_name"] if row["contact_id"] else "None Provided",
            from_minor_units(row["verified"])
            * from_minor_units(row["line_verified"])
            / from_minor_units(row["link_sum"]),
        )
        for row in capped.iter_rows(named=True)
    ]
    customers = (
        concentration_figures(amounts, "reconciled_receipts", currency)
        if amounts
        else not_available_concentration(
            "reconciled_receipts",
            "no reconciled receipt is matched to an invoice "
            "payment or a revenue-coded bank transaction in the period",
        )
    )
    reconciled = inflows.filter(pl.col("is_reconciled"))
    return BankToBooks(
        start_date=start,
        end_date=end,
        revenue=money(revenue, currency),
        bank_receipts=money(minor_sum(receipts), currency),
        own_account_transfers=money(total("transfer"), currency),
        financing_receipts=money(total("financing"), currency),
        bank_inflows=money(bank_inflows, currency),
        reconciled_inflows=money(minor_sum(reconciled), currency),
        unreconciled_inflows=money(minor_sum(inflows.filter(~pl.col("is_reconciled"))), currency),
        bank_verified_receipts=money(bank_verified_receipts(receipts), currency),
        bank_inflows_to_revenue=to_float(ratio),
        bank_inflows_less_revenue=money(difference, currency),
        cash_verified_revenue=money(cash_verified, currency),
        cash_verified_revenue_share=to_float(share),
        cash_verified_inflow_share=to_float(inflow_share),
        customers_from_receipts=customers,
        customers_from_contacts=customers_from_contacts,
        receipt_lines=inflows.height,
        reconciled_receipt_lines=reconciled.height,
        excluded_foreign_currency_accounts=foreign,
        not_available=gaps,
    )
