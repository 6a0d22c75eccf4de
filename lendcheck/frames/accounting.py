"""The Accounting API responses of a snapshot, read into one typed :class:`AccountingBooks`.

Reports become :class:`~lendcheck.xero.accounting_models.ReportGrid` objects; the paged lists are
joined page by page (a list whose pages do not run 1, 2, ... to a last page that is not full is
incomplete and given as missing, never as a shorter list); invoices and bank transactions that
are not in the ledger (DELETED, VOIDED; invoices still DRAFT or SUBMITTED) are left out and
counted by status. Pure: no I/O beyond the loaded snapshot, no clock.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

import polars as pl

from lendcheck.money import to_minor_units
from lendcheck.snapshot import Snapshot
from lendcheck.xero import accounting_plan as plan
from lendcheck.xero import fetch_plan as fp
from lendcheck.xero.accounting_models import (
    Account,
    AccountsResponse,
    BankTransaction,
    BankTransactionsResponse,
    Invoice,
    InvoicesResponse,
    Journal,
    JournalsResponse,
    Organisation,
    OrganisationResponse,
    ReportGrid,
    ReportsResponse,
)

__all__ = ["AccountingBooks", "bank_transaction_frame", "read_books"]

#: Statuses of transactions that are not (or no longer) in the ledger.
EXCLUDED_STATUSES = frozenset({"DELETED", "VOIDED"})
#: Invoice statuses that are in the ledger.
LEDGER_INVOICE_STATUSES = frozenset({"AUTHORISED", "PAID"})
#: Bank transaction types that take money out of the bank account.
SPEND_TYPES = frozenset({"SPEND", "SPEND-OVERPAYMENT", "SPEND-PREPAYMENT", "SPEND-TRANSFER"})


@dataclass(frozen=True)
class AccountingBooks:
    """What the snapshot's Accounting API calls say; each part None (or empty) when missing.

    Attributes:
        organisation: ``/Organisation``'s first organisation.
        accounts: the chart of accounts (``/Accounts``).
        executive_summary: ``/Reports/ExecutiveSummary`` at ``as_of``.
        pnl_years: ``/Reports/ProfitAndLoss`` of the 12 months to ``as_of`` and the 12 before.
        pnl_months: ``/Reports/ProfitAndLoss`` by month (``as_of``'s month and 11 before).
        balance_sheet: ``/Reports/BalanceSheet`` at ``as_of`` (column 0) and earlier dates:
            the plan's by month (``as_of`` and the 12 month ends before), or any other
            balance sheet at ``as_of`` (found by its date: an older snapshot's by year).
        balance_sheet_dates: the date of each column of ``balance_sheet``, None where it is
            not known (a column past what ``periods`` asked for).
        bank_summary: ``/Reports/BankSummary`` of the current period.
        invoices: invoices in the ledger (AUTHORISED, PAID), every page joined; None when a
            page is missing.
        bank_transactions: bank transactions in the ledger (neither DELETED nor VOIDED).
        journals: the journals keyed since the period began.
        excluded_invoices, excluded_bank_transactions: status -> how many were left out.
        missing: part name (the attribute's) -> why it is missing.
    """

    organisation: Organisation | None = None
    accounts: list[Account] | None = None
    executive_summary: ReportGrid | None = None
    pnl_years: ReportGrid | None = None
    pnl_months: ReportGrid | None = None
    balance_sheet: ReportGrid | None = None
    balance_sheet_dates: tuple[date | None, ...] = ()
    bank_summary: ReportGrid | None = None
    invoices: list[Invoice] | None = None
    bank_transactions: list[BankTransaction] | None = None
    journals: list[Journal] | None = None
    excluded_invoices: dict[str, int] = field(default_factory=dict)
    excluded_bank_transactions: dict[str, int] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)

    def balance_sheet_column(self, day: date) -> int | None:
        """The column of ``balance_sheet`` at ``day``, or None when it has none."""
        return next((i for i, d in enumerate(self.balance_sheet_dates) if d == day), None)

    def reason(self, name: str) -> str:
        """Why part ``name`` is missing (a generic reason when ``missing`` does not say)."""
        return self.missing.get(name) or f"the Accounting API's {name} is not available"


def _absent(call: fp.PlannedCall) -> str:
    params = ", ".join(f"{k}={v}" for k, v in sorted(call.params.items()))
    where = f" ({params})" if params else ""
    return f"the snapshot holds no Accounting API {call.endpoint} call{where}"


def _one(snapshot: Snapshot, call: fp.PlannedCall) -> tuple[Any, str]:
    response = snapshot.of(call)
    if response is None:
        return None, _absent(call)
    if response.data is None:
        return None, response.reason
    return response.data, ""


def _column_dates(params: dict[str, str], columns: int) -> tuple[date | None, ...]:
    """The balance date of each column of a ``/Reports/BalanceSheet``: ``date``, then one
    ``timeframe`` back for each of the ``periods`` asked for (a month end stays a month end,
    :func:`lendcheck.xero.fetch_plan.months_back`); None for a column beyond them."""
    try:
        day = date.fromisoformat(params.get("date", ""))
        periods = int(params.get("periods", "0"))
    except ValueError:
        return (None,) * columns
    step = {"MONTH": 1, "QUARTER": 3, "YEAR": 12}.get(params.get("timeframe", "").upper(), 0)
    return tuple(
        fp.months_back(day, step * i) if i == 0 or (step and i <= periods) else None
        for i in range(columns)
    )


def _balance_sheet(
    snapshot: Snapshot, planned: fp.PlannedCall
) -> tuple[Any, str, tuple[date | None, ...]]:
    """The balance sheet at the planned ``date``, found by its date: the planned call first,
    then one whose columns reach a year before (an older snapshot's ``timeframe=YEAR``), then
    any other; of equals the first file by name. Returns (data, why missing, column dates)."""
    day = planned.params["date"]
    year_before = fp.add_months(date.fromisoformat(day), -12)
    candidates = []
    for response in snapshot.all_of(planned.endpoint, api=plan.API):
        if response.record.params.get("date") != day:
            continue
        grid = response.data.grid if isinstance(response.data, ReportsResponse) else None
        dates = _column_dates(response.record.params, len(grid.columns)) if grid else ()
        rank = (
            response.record.key != planned.key,
            year_before not in dates,
            response.record.file,
        )
        candidates.append((rank, response, dates))
    ok = sorted((c for c in candidates if c[1].data is not None), key=lambda c: c[0])
    if ok:
        return ok[0][1].data, "", ok[0][2]
    if candidates:
        return None, min(candidates, key=lambda c: c[0])[1].reason, ()
    return None, _absent(planned), ()


_Page = TypeVar("_Page", InvoicesResponse, BankTransactionsResponse, JournalsResponse)


def _pages(
    snapshot: Snapshot, first: fp.PlannedCall, kind: type[_Page]
) -> tuple[list[_Page] | None, str]:
    """Every page of a paged list (``kind``, the endpoint's model), in order, or None and why
    the list is incomplete. Pages of any ``pageSize`` are accepted (the plan's, or a smaller
    one a test or another tool asked for): the first page found fixes it for the rest."""
    selector = "offset" if first.endpoint == plan.JOURNALS else "page"
    ignored = {selector, "pageSize"}

    def selection(params: dict[str, str]) -> dict[str, str]:
        return {k: v for k, v in params.items() if k not in ignored}

    pages = [
        r
        for r in snapshot.all_of(first.endpoint, api=plan.API)
        if selection(r.record.params) == selection(first.params)
        and r.record.headers == first.headers
    ]
    start = next(
        (r for r in pages if r.record.params.get(selector) == first.params[selector]), None
    )
    if start is None:
        return None, _absent(first)
    call: fp.PlannedCall | None = fp.PlannedCall(
        first.endpoint, dict(start.record.params), api=plan.API, headers=dict(first.headers)
    )
    ordered: list[_Page] = []
    by_key = {r.record.key: r for r in pages}
    while call is not None:
        response = by_key.get(call.key)
        if response is None:
            value = call.params[selector]
            return None, (
                f"the snapshot holds {len(ordered)} pages of Accounting API {first.endpoint} "
                f"but not the next ({selector}={value}): the list is incomplete"
            )
        page = response.data_as(kind)
        if page is None:
            return None, f"{first.endpoint} {selector}={call.params[selector]}: {response.reason}"
        ordered.append(page)
        call = plan.next_page(call, _raw(page))
    return ordered, ""


def _raw(data: InvoicesResponse | BankTransactionsResponse | JournalsResponse) -> dict[str, Any]:
    """The page's records as :func:`plan.next_page` reads them (from the parsed model)."""
    if isinstance(data, InvoicesResponse):
        pagination = data.pagination.model_dump(by_alias=True) if data.pagination else None
        return {"Invoices": data.invoices, "pagination": pagination}
    if isinstance(data, BankTransactionsResponse):
        pagination = data.pagination.model_dump(by_alias=True) if data.pagination else None
        return {"BankTransactions": data.bank_transactions, "pagination": pagination}
    return {"Journals": [{"JournalNumber": j.journal_number} for j in data.journals]}


def read_books(snapshot: Snapshot, as_of: date, months: int) -> AccountingBooks:
    """Read a loaded snapshot's Accounting API calls of the plan for ``as_of``.

    Args:
        snapshot: a loaded snapshot.
        as_of: the report date (selects the planned calls' parameters).
        months: months of bank statements of the plan (bank transactions cover them).

    Returns:
        :class:`AccountingBooks`; every part the snapshot lacks, or Xero refused, is None with
        its reason in ``missing``.
    """
    values: dict[str, Any] = {}
    missing: dict[str, str] = {}
    # the 12 months before pnl_months are read for the monthly P&L series only
    # (lendcheck.report.accounting_statements.monthly_statements), found by the months they cover
    (org, accounts, summary, pnl_years, pnl_months, _, balance, bank_summary) = plan.fixed_calls(
        as_of
    )
    for name, call in (
        ("organisation", org),
        ("accounts", accounts),
        ("executive_summary", summary),
        ("pnl_years", pnl_years),
        ("pnl_months", pnl_months),
        ("balance_sheet", balance),
        ("bank_summary", bank_summary),
    ):
        if name == "balance_sheet":
            data, reason, values["balance_sheet_dates"] = _balance_sheet(snapshot, call)
        else:
            data, reason = _one(snapshot, call)
        if data is None:
            missing[name] = reason
        elif isinstance(data, OrganisationResponse):
            if data.organisations:
                values[name] = data.organisations[0]
            else:
                missing[name] = "/Organisation answered without an organisation"
        elif isinstance(data, AccountsResponse):
            values[name] = list(data.accounts)
        elif isinstance(data, ReportsResponse):
            values[name] = data.grid
    invoices_call, transactions_call, journals_call = plan.first_pages(as_of, months)
    excluded_invoices: Counter[str] = Counter()
    excluded_transactions: Counter[str] = Counter()
    pages, reason = _pages(snapshot, invoices_call, InvoicesResponse)
    if pages is None:
        missing["invoices"] = reason
    else:
        kept_invoices: list[Invoice] = []
        for page in pages:
            for invoice in page.invoices:
                status = (invoice.status or "").upper()
                if status in LEDGER_INVOICE_STATUSES:
                    kept_invoices.append(invoice)
                else:
                    excluded_invoices[status or "(none)"] += 1
        values["invoices"] = kept_invoices
    transaction_pages, reason = _pages(snapshot, transactions_call, BankTransactionsResponse)
    if transaction_pages is None:
        missing["bank_transactions"] = reason
    else:
        kept: list[BankTransaction] = []
        for transaction_page in transaction_pages:
            for transaction in transaction_page.bank_transactions:
                status = (transaction.status or "").upper()
                if status in EXCLUDED_STATUSES:
                    excluded_transactions[status] += 1
                else:
                    kept.append(transaction)
        values["bank_transactions"] = kept
    journal_pages, reason = _pages(snapshot, journals_call, JournalsResponse)
    if journal_pages is None:
        missing["journals"] = reason
    else:
        seen: dict[str, Journal] = {}
        for journal_page in journal_pages:
            for journal in journal_page.journals:
                seen.setdefault(journal.journal_id or f"#{journal.journal_number}", journal)
        values["journals"] = list(seen.values())
    return AccountingBooks(
        **values,
        excluded_invoices=dict(sorted(excluded_invoices.items())),
        excluded_bank_transactions=dict(sorted(excluded_transactions.items())),
        missing=missing,
    )


def bank_transaction_frame(transactions: list[BankTransaction]) -> pl.DataFrame:
    """Bank transactions as a Polars frame, one row each.

    Columns: ``bank_transaction_id`` (str), ``bank_account_id`` (str or null), ``date`` (Date or
    null), ``type`` (str), ``is_reconciled`` (Boolean; null when Xero left it out), ``amount``
    (Int64 thousandths of a unit of ``currency_code``, :func:`lendcheck.money.to_minor_units`;
    positive for money received, negative for money spent: Xero's ``Total`` signed by
    ``Type``; null when Xero left it out), ``currency_code`` (str or null).
    """
    rows: dict[str, list[Any]] = {
        "bank_transaction_id": [],
        "bank_account_id": [],
        "date": [],
        "type": [],
        "is_reconciled": [],
        "amount": [],
        "currency_code": [],
    }
    for t in transactions:
        kind = (t.type or "").upper()
        amount = None
        if t.total is not None:
            amount = to_minor_units(-t.total if kind in SPEND_TYPES else t.total)
        rows["bank_transaction_id"].append(t.bank_transaction_id or "")
        rows["bank_account_id"].append(t.bank_account.account_id if t.bank_account else None)
        rows["date"].append(t.date)
        rows["type"].append(kind)
        rows["is_reconciled"].append(t.is_reconciled)
        rows["amount"].append(amount)
        rows["currency_code"].append(t.currency_code)
    return pl.DataFrame(
        rows,
        schema={
            "bank_transaction_id": pl.String,
            "bank_account_id": pl.String,
            "date": pl.Date,
            "type": pl.String,
            "is_reconciled": pl.Boolean,
            "amount": pl.Int64,
            "currency_code": pl.String,
        },
    )
