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

**Sales tax.** Bank receipts include sales tax (GST, VAT, US sales tax); P&L revenue and Xero's
cash flow receipts do not. Receipts are compared with revenue like with like: revenue is grossed
up by the effective sales tax rate of the statements (:func:`effective_sales_tax_rate`), so
that tax on receipts is never taken for revenue the bank evidences.
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
    INCOME_ACCOUNT_TYPES,
    NO_LINES,
    UNKNOWN_CURRENCY_REASON,
    ZERO,
    bank_lines_plan,
    divide,
    is_sales_tax_account,
    mark_missing,
    minor_sum,
    money,
    to_float,
)
from lendcheck.money import from_minor_units
from lendcheck.report_types import Money, Ratio, ReportModel, Share
from lendcheck.xero.models import BANK_TRANSFER_CONTACT_ID, NONE_PROVIDED_CONTACT_ID, TrialBalance

#: Line-item account types of revenue (Xero account types REVENUE, SALES, OTHERINCOME).
REVENUE_ACCOUNT_TYPES = INCOME_ACCOUNT_TYPES
#: Line-item account types that make a receipt financing rather than operating.
FINANCING_ACCOUNT_TYPES = ("TERMLIAB", "EQUITY")


#: Account classes and types of income in the trial balance (the base of the sales tax rate).
INCOME_ACCOUNT_CLASS = "REVENUE"


def effective_sales_tax_rate(
    trial_balance: TrialBalance | None, missing_reason: str
) -> tuple[Decimal | None, str]:
    """Sales tax charged per unit of income, from the trial balance's account movements.

    ``rate = credits of the sales tax accounts / (credits - debits of the income accounts)``
    over the trial balance's period (Xero: the financial year to date at ``as_of``). Sales tax
    accounts: :func:`~lendcheck.metrics.financials.is_sales_tax_account`; income accounts:
    account class ``REVENUE`` (else account types REVENUE, SALES, OTHERINCOME). Credits of a
    sales tax account are the tax charged on sales, plus any refund from the tax office or
    correction: the rate is an upper estimate, so receipts grossed up by it are never less
    than the tax-inclusive revenue (the comparison errs against the applicant). An organisation
    with no sales tax account charges none: rate 0.

    Args:
        trial_balance: Xero ``GET /FinancialStatements/TrialBalance`` at ``as_of``, or None.
        missing_reason: why ``trial_balance`` is None.

    Returns:
        (the rate, a share >= 0; or None) and why it is None ("" when it is not).
    """
    if trial_balance is None:
        return None, f"no trial balance to take the sales tax rate from ({missing_reason})"
    tax = income = ZERO
    taxed = False
    for account in trial_balance.accounts:
        movement = account.account_movement
        is_income = (account.account_class or "").upper() == INCOME_ACCOUNT_CLASS or (
            not account.account_class
            and (account.account_type or "").upper() in REVENUE_ACCOUNT_TYPES
        )
        is_tax = (account.account_class or "LIABILITY").upper() == "LIABILITY" and (
            is_sales_tax_account(account.reporting_code, account.account_name)
        )
        if not (is_income or is_tax):
            continue
        if movement is None or movement.credits is None or movement.debits is None:
            return None, (
                f"the trial balance gives no debits and credits for {account.account_name!r}: "
                "no sales tax rate"
            )
        if is_tax:
            taxed, tax = True, tax + movement.credits
        else:
            income += movement.credits - movement.debits
    if not taxed:
        return ZERO, ""
    if income <= 0:
        return None, "the trial balance shows no income in its period: no sales tax rate"
    return tax / income, ""


def _spellings(links: pl.DataFrame, column: str) -> list[str]:
    """The distinct values of a list column (a handful: account types, reporting codes)."""
    return sorted(links.get_column(column).explode().drop_nulls().unique().to_list())


def _has_any(column: str, spellings: list[str]) -> pl.Expr:
    """Whether a list holds one of ``spellings`` (the exact values, found in Python among the
    column's few distinct ones: no upper-casing of a million strings)."""
    return pl.col(column).list.eval(pl.element().is_in(spellings)).list.any()


#: The statement-line columns a classified receipt keeps: what the bank-to-books figures sum
#: and filter by, and the line's ID. The other columns (payee, reference, dates...) are left
#: behind, so the half a million receipts of a large applicant cost no copy of their text.
RECEIPT_COLUMNS = ("statement_line_id", "amount", "is_reconciled", "import_source_kind")
#: The link columns the classification reads (what each link says about its receipt).
_LINK_COLUMNS = (
    "statement_line_id",
    "contact_id",
    "contact_name",
    "link_kind",
    "document_kind",
    "amount",
    "bank_amount",
    "account_types",
    "reporting_codes",
)


def _receipt_links(links: pl.DataFrame, reconciled: pl.DataFrame) -> pl.DataFrame:
    """The links of the reconciled receipts, in the links' order, each with its receipt.

    Args:
        links: :data:`lendcheck.frames.LINKS_SCHEMA` rows (all of the snapshot's links).
        reconciled: one row per reconciled receipt: ``statement_line_id`` (String, unique),
            ``line_index`` (UInt32) and ``line_amount`` (Int64 minor units).

    Returns:
        The columns :data:`_LINK_COLUMNS` of each link whose ``statement_line_id`` is a
        reconciled receipt's, with that receipt's ``line_index`` and ``line_amount``.

    The links are matched to their receipts by a 64-bit hash of the 36-character line ID
    (twice as fast as by the text), then each matched pair's IDs are compared: a pair whose
    hashes collide but whose IDs differ is dropped, so the match is by ID exactly. The links
    kept are then taken by a mask, in their own order, not gathered row by row: gathering the
    list columns (account types, reporting codes) of a third of a million links one by one
    costs five times the mask.
    """
    line_id = pl.col("statement_line_id")
    pairs = (
        links.lazy()
        .select(line_id.hash().alias("_line_hash"))
        .with_row_index("_link")
        .join(
            reconciled.lazy().select(
                line_id.hash().alias("_line_hash"),
                line_id.alias("_line_id"),
                "line_index",
                "line_amount",
            ),
            on="_line_hash",
        )
        .collect()
    )
    at = pairs.get_column("_link")
    pairs = pairs.filter(links.get_column("statement_line_id").gather(at) == pairs["_line_id"])
    # a line ID is unique among the receipts, so each link is left with one receipt at most
    pairs = pairs.sort("_link")
    kept = pl.zeros(links.height, pl.Boolean, eager=True).scatter(pairs.get_column("_link"), True)
    # one chunk per column, as the receipt columns beside them: columns chunked apart would be
    # made one chunk again by every expression that reads two of them
    return (
        links.select(_LINK_COLUMNS)
        .filter(kept)
        .rechunk()
        .hstack(pairs.select("line_index", "line_amount").get_columns())
    )


def classify_receipts(
    bank: BankFrames, currency: str, start: date, end: date
) -> tuple[pl.DataFrame, pl.DataFrame, list[str]]:
    """The period's receipts, each classified, and the links of the operating ones.

    Receipts are statement lines kept by
    :func:`~lendcheck.metrics.financials.bank_lines_in_period` (not deleted or duplicate, in
    the period, base-currency accounts) with ``amount > 0``.

    Returns:
        (receipts: the columns :data:`RECEIPT_COLUMNS` of the lines and a String ``category``:
        ``transfer``, ``financing`` or ``operating``;
        links of reconciled operating receipts, in the links' order: ``statement_line_id``,
        ``contact_id``, ``contact_name``, ``line_index`` (an integer per receipt),
        ``line_amount`` (the line's amount),
        ``verified`` (minor units of revenue the link evidences: an invoice payment at its
        bank amount, a revenue-coded bank transaction at its amount, else 0) and ``link_sum``
        (the sum of ``verified`` over the line's links; a line's cash-verified revenue is
        ``min(link_sum, line_amount)``); ids of accounts left out for their currency).

    The links are matched to their receipts once, by line ID (:func:`_receipt_links`), and
    only the matched links are judged; every later step is by an integer index per receipt,
    and the receipts are classified by whether their index is among the few with a transfer
    or financing link.
    """
    lines, foreign = bank_lines_plan(bank, currency, start, end)
    # Each receipt gets an integer index: the links are matched to their line once, and every
    # later grouping is by that index. One chunk per column (the index comes out of the
    # query chunked apart from the rest), or every later filter would make them one again.
    receipts = (
        lines.filter(pl.col("amount") > 0)
        .select(RECEIPT_COLUMNS)
        .with_row_index("line_index")
        .collect()
        .rechunk()
    )
    matched = _receipt_links(
        bank.links,
        receipts.filter(pl.col("is_reconciled")).select(
            "statement_line_id", "line_index", pl.col("amount").alias("line_amount")
        ),
    )
    is_bank_tx = pl.col("link_kind") == "bank_transaction"
    transfer_contact = pl.col("contact_id").str.to_lowercase() == BANK_TRANSFER_CONTACT_ID
    # Account types and reporting codes compared without regard to case: the few distinct
    # values are upper-cased in Python and the lists tested against the matching spellings.
    types = _spellings(matched, "account_types")
    codes = _spellings(matched, "reporting_codes")

    def typed(kinds: tuple[str, ...]) -> pl.Expr:
        return _has_any("account_types", [t for t in types if t.upper() in kinds])

    loan_code = _has_any("reporting_codes", [c for c in codes if ".LOA" in c.upper()])
    # What each link says about its receipt.
    links = matched.select(
        "statement_line_id",
        "contact_id",
        "contact_name",
        (is_bank_tx & (transfer_contact.fill_null(False) | typed(("BANK",)))).alias("is_transfer"),
        (is_bank_tx & (typed(FINANCING_ACCOUNT_TYPES) | loan_code)).alias("is_financing"),
        pl.when((pl.col("link_kind") == "payment") & (pl.col("document_kind") == "invoice"))
        .then(pl.coalesce("bank_amount", "amount").abs())
        .when(is_bank_tx & typed(REVENUE_ACCOUNT_TYPES))
        .then(pl.col("amount").abs())
        .otherwise(pl.lit(0, dtype=pl.Int64))
        .fill_null(0)
        .alias("verified"),
        "line_index",
        "line_amount",
    )
    # The few receipts with a transfer or financing link, by index: each receipt is tested
    # for membership (an integer look-up), not joined back with every column.
    flagged = links.filter(pl.col("is_transfer") | pl.col("is_financing"))
    index = pl.col("line_index")

    def among(rows: pl.DataFrame) -> pl.Expr:
        return index.is_in(rows.get_column("line_index").implode())

    classified = receipts.with_columns(
        pl.when(pl.col("is_reconciled") & among(flagged.filter(pl.col("is_transfer"))))
        .then(pl.lit("transfer"))
        .when(pl.col("is_reconciled") & among(flagged.filter(pl.col("is_financing"))))
        .then(pl.lit("financing"))
        .otherwise(pl.lit("operating"))
        .alias("category")
    ).drop("line_index")
    # a reconciled receipt with no transfer or financing link is operating
    verified = (
        links.filter(~among(flagged))
        .drop("is_transfer", "is_financing")
        .with_columns(pl.col("verified").sum().over("line_index").alias("link_sum"))
    )
    return classified, verified, foreign


def cash_verified(links: pl.DataFrame) -> Decimal:
    """Cash-verified revenue of the receipts whose links (:func:`classify_receipts`) these
    are: per line the sum of its links' evidenced amounts (invoice payments at their bank
    amount, revenue-coded bank transactions at their amount), capped at the line's own amount;
    summed over the lines. Currency amount."""
    whole = links.filter(pl.col("link_sum") <= pl.col("line_amount"))["verified"].sum()
    capped = (
        links.filter(pl.col("link_sum") > pl.col("line_amount"))
        .unique("line_index")["line_amount"]
        .sum()
    )
    return from_minor_units(int(whole or 0) + int(capped or 0))


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
        sales_tax_rate: the effective sales tax rate of the statements (share; see
            :func:`effective_sales_tax_rate`).
        revenue_with_sales_tax: revenue x (1 + sales tax rate): revenue as the bank receives
            it, to compare with receipts like with like.
        cash_verified_revenue_share: cash verified revenue / revenue with sales tax, capped
            at 1 (share): the part of revenue the bank evidences, tax on both sides.
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
    sales_tax_rate: Share = None
    revenue_with_sales_tax: Money | None = None
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
    sales_tax_rate: Decimal | None,
    sales_tax_reason: str = "",
    no_lines_reason: str = NO_LINES,
) -> BankToBooks:
    """Compare P&L revenue with the period's bank inflows.

    Args:
        revenue: P&L total revenue of ``period``; None when not available.
        revenue_reason: why ``revenue`` is None.
        bank: the snapshot's bank frames; None when the snapshot holds no bank statements.
        period: (start, end) inclusive, the current P&L period.
        currency: the organisation's base currency (accounts in other currencies left out).
        customers_from_contacts: customer concentration from Xero contacts revenue.
        sales_tax_rate: :func:`effective_sales_tax_rate`; None when it cannot be established.
        sales_tax_reason: why ``sales_tax_rate`` is None.
        no_lines_reason: why every bank figure is None when there is no statement line.

    Returns:
        :class:`BankToBooks`. Without bank statement lines every bank figure is None with a
        reason; without revenue only the comparisons are None.
    """
    start, end = period
    gaps: dict[str, str] = {}
    if revenue is None:
        gaps["revenue"] = revenue_reason
    with_tax = None
    if sales_tax_rate is None:
        gaps["sales_tax_rate"] = sales_tax_reason
        gaps["revenue_with_sales_tax"] = sales_tax_reason
    elif revenue is not None:
        with_tax = revenue * (1 + sales_tax_rate)
    else:
        gaps["revenue_with_sales_tax"] = revenue_reason
    if bank is None or bank.statement_lines.height == 0 or not currency:
        reason = (
            no_lines_reason
            if bank is None or bank.statement_lines.height == 0
            else UNKNOWN_CURRENCY_REASON
        )
        mark_missing(gaps, _BANK_FIGURES, reason)
        return BankToBooks(
            start_date=start,
            end_date=end,
            revenue=money(revenue, currency),
            sales_tax_rate=to_float(sales_tax_rate),
            revenue_with_sales_tax=money(with_tax, currency),
            customers_from_receipts=not_available_concentration("reconciled_receipts", reason),
            customers_from_contacts=customers_from_contacts,
            not_available=gaps,
        )
    receipts, links, foreign = classify_receipts(bank, currency, start, end)

    def total(category: str) -> Decimal:
        return minor_sum(receipts.filter(pl.col("category") == category))

    inflows = receipts.filter(pl.col("category") == "operating")
    bank_inflows = minor_sum(inflows)
    verified = cash_verified(links)
    ratio = share = difference = None
    inflow_share = divide(
        verified,
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
        if with_tax is None:
            gaps["cash_verified_revenue_share"] = gaps["revenue_with_sales_tax"]
        share = divide(
            verified,
            with_tax,
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
    contact_rows = links.filter(pl.col("verified") > 0)
    whole = (
        contact_rows.filter(pl.col("link_sum") <= pl.col("line_amount"))
        .group_by("contact_id", "contact_name")
        .agg(pl.col("verified").sum())
    )
    capped = contact_rows.filter(pl.col("link_sum") > pl.col("line_amount"))
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
            * from_minor_units(row["line_amount"])
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
        sales_tax_rate=to_float(sales_tax_rate),
        revenue_with_sales_tax=money(with_tax, currency),
        cash_verified_revenue=money(verified, currency),
        cash_verified_revenue_share=to_float(share),
        cash_verified_inflow_share=to_float(inflow_share),
        customers_from_receipts=customers,
        customers_from_contacts=customers_from_contacts,
        receipt_lines=inflows.height,
        reconciled_receipt_lines=reconciled.height,
        excluded_foreign_currency_accounts=foreign,
        not_available=gaps,
    )
