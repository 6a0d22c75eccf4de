"""The Accounting API fetch plan: the calls a report asks the Accounting API for.

Base path ``/api.xro/2.0`` (Xero's Accounting API), the same ``xero-tenant-id`` header and the
same per-organisation limits as the Finance API. For a report date ``as_of``, ``S`` the first
day of the current 12-month period (:func:`lendcheck.xero.fetch_plan.period`) and ``B`` the
first day of the bank statement months (:func:`lendcheck.xero.fetch_plan.statements_start`):

=============================  =================================================================
endpoint                       calls (scope)
=============================  =================================================================
/Organisation                  one (``accounting.settings.read``)
/Accounts                      one (``accounting.settings.read``)
/Reports/ExecutiveSummary      ``date=as_of`` (``accounting.reports.read``)
/Reports/ProfitAndLoss         ``fromDate=S, toDate=as_of, periods=1, timeframe=YEAR``: the 12
                               months to ``as_of`` beside the 12 before; and ``fromDate`` = the
                               first of ``as_of``'s month, ``toDate=as_of, periods=11,
                               timeframe=MONTH``: the monthly series; and ``fromDate`` = the
                               first of the month 12 before ``as_of``'s, ``toDate`` = its last
                               day, ``periods=11, timeframe=MONTH``: the 12 months before, so
                               that the series holds 24 (year on year, seasonality). Xero
                               compares at most 12 periods (``periods`` 1 to 12, column 0 not
                               counted), hence two calls
/Reports/BalanceSheet          ``date=as_of, periods=12, timeframe=MONTH``: ``as_of`` and the 12
                               month ends before, the last a year before (the comparative and
                               the monthly balance history in one call)
/Reports/BankSummary           ``fromDate=S, toDate=as_of``
/Invoices                      ``where=Status=="AUTHORISED" OR Date>=DateTime(S)``, paged
                               (``page`` from 1, ``pageSize`` 1,000): every open invoice, and
                               every invoice dated in the period (``accounting.transactions.read``)
/BankTransactions              ``where=Date>=DateTime(B) AND Date<=DateTime(as_of)``, paged the
                               same way (``accounting.transactions.read``)
/Journals                      ``offset`` from 0, then the last ``JournalNumber`` of each page
                               (Xero sends 100 a page, no ``pageSize``), with
                               ``If-Modified-Since: S``: the journals keyed since the period
                               began (``accounting.journals.read``)
=============================  =================================================================

A paged list is asked for its next page only while each page comes back full (``pageSize``
records; 100 journals), so an empty organisation costs one call per list. The plan is 8 fixed
calls and at least 3 paged ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from lendcheck.xero import fetch_plan as fp

API = fp.ACCOUNTING_API
#: Where the Accounting API lives under the API base URL.
ACCOUNTING_PATH = "/api.xro/2.0"

ORGANISATION = "/Organisation"
ACCOUNTS = "/Accounts"
EXECUTIVE_SUMMARY = "/Reports/ExecutiveSummary"
PROFIT_AND_LOSS = "/Reports/ProfitAndLoss"
BALANCE_SHEET = "/Reports/BalanceSheet"
BANK_SUMMARY = "/Reports/BankSummary"
INVOICES = "/Invoices"
BANK_TRANSACTIONS = "/BankTransactions"
JOURNALS = "/Journals"

#: Every Accounting API endpoint lendcheck calls, in plan order.
ENDPOINTS = (
    ORGANISATION,
    ACCOUNTS,
    EXECUTIVE_SUMMARY,
    PROFIT_AND_LOSS,
    BALANCE_SHEET,
    BANK_SUMMARY,
    INVOICES,
    BANK_TRANSACTIONS,
    JOURNALS,
)
#: Why every statement-line figure is absent when the report rests on the Accounting API alone
#: (Xero has said it will not expose bank statement lines there); CashValidation, computed by
#: Xero from the statement lines, is a Finance API endpoint too.
NO_STATEMENT_LINES = "not available: the Accounting API does not expose bank statement lines"
#: Records a page of /Invoices and /BankTransactions (Xero's largest ``pageSize``).
PAGE_SIZE = 1000
#: Journals a page of /Journals (fixed by Xero).
JOURNALS_PAGE = 100
#: The list of records each paged endpoint's response holds.
RECORDS = {INVOICES: "Invoices", BANK_TRANSACTIONS: "BankTransactions", JOURNALS: "Journals"}

#: The scope each endpoint needs (the spec's ``security``).
SCOPES = {
    ORGANISATION: "accounting.settings.read",
    ACCOUNTS: "accounting.settings.read",
    EXECUTIVE_SUMMARY: "accounting.reports.read",
    PROFIT_AND_LOSS: "accounting.reports.read",
    BALANCE_SHEET: "accounting.reports.read",
    BANK_SUMMARY: "accounting.reports.read",
    INVOICES: "accounting.transactions.read",
    BANK_TRANSACTIONS: "accounting.transactions.read",
    JOURNALS: "accounting.journals.read",
}

#: ``period`` labels of the three ProfitAndLoss calls: the two years, the 12 months to the
#: report date, the 12 months before them.
YEARS = "years"
MONTHS = "months"
MONTHS_BEFORE = "months_before"


def _datetime(day: date) -> str:
    return f"DateTime({day.year},{day.month:02d},{day.day:02d})"


def fixed_calls(as_of: date) -> list[fp.PlannedCall]:
    """The calls that do not page, in plan order (see the module docstring)."""
    iso = as_of.isoformat()
    start = fp.period(as_of, 0)[0].isoformat()
    month_start = as_of.replace(day=1).isoformat()
    year_back = fp.add_months(as_of.replace(day=1), -12)
    year_back_end = fp.add_months(year_back, 1) - timedelta(days=1)
    return [
        fp.PlannedCall(ORGANISATION, api=API),
        fp.PlannedCall(ACCOUNTS, api=API),
        fp.PlannedCall(EXECUTIVE_SUMMARY, {"date": iso}, api=API),
        fp.PlannedCall(
            PROFIT_AND_LOSS,
            {"fromDate": start, "toDate": iso, "periods": "1", "timeframe": "YEAR"},
            period=YEARS,
            api=API,
        ),
        fp.PlannedCall(
            PROFIT_AND_LOSS,
            {"fromDate": month_start, "toDate": iso, "periods": "11", "timeframe": "MONTH"},
            period=MONTHS,
            api=API,
        ),
        fp.PlannedCall(
            PROFIT_AND_LOSS,
            {
                "fromDate": year_back.isoformat(),
                "toDate": year_back_end.isoformat(),
                "periods": "11",
                "timeframe": "MONTH",
            },
            period=MONTHS_BEFORE,
            api=API,
        ),
        fp.PlannedCall(
            BALANCE_SHEET, {"date": iso, "periods": "12", "timeframe": "MONTH"}, api=API
        ),
        fp.PlannedCall(BANK_SUMMARY, {"fromDate": start, "toDate": iso}, api=API),
    ]


def first_pages(
    as_of: date, months: int = fp.DEFAULT_MONTHS, page_size: int = PAGE_SIZE
) -> list[fp.PlannedCall]:
    """The first call of each paged list, in plan order (see the module docstring).

    Args:
        as_of: the report date.
        months: months of bank statements of the plan; bank transactions cover the same months.
        page_size: records a page of /Invoices and /BankTransactions (1 to 1,000).
    """
    start = fp.period(as_of, 0)[0]
    begin = fp.statements_start(as_of, months)
    size = str(page_size)
    return [
        fp.PlannedCall(
            INVOICES,
            {
                "where": f'Status=="AUTHORISED" OR Date>={_datetime(start)}',
                "page": "1",
                "pageSize": size,
            },
            api=API,
        ),
        fp.PlannedCall(
            BANK_TRANSACTIONS,
            {
                "where": f"Date>={_datetime(begin)} AND Date<={_datetime(as_of)}",
                "page": "1",
                "pageSize": size,
            },
            api=API,
        ),
        fp.PlannedCall(
            JOURNALS,
            {"offset": "0"},
            api=API,
            headers={"If-Modified-Since": f"{start.isoformat()}T00:00:00Z"},
        ),
    ]


def next_page(call: fp.PlannedCall, payload: Any) -> fp.PlannedCall | None:
    """The call for the page after ``call``'s, or None when ``call``'s page was the last.

    Args:
        call: a paged call (``/Invoices``, ``/BankTransactions``, ``/Journals``).
        payload: its response, parsed JSON (any shape: a body without the list is a last page).

    A page is the last when it holds fewer records than a full page, or when Xero's
    ``pagination.pageCount`` says so; a Journals page's successor starts at its highest
    ``JournalNumber``.
    """
    records_key = RECORDS.get(call.endpoint)
    if records_key is None or not isinstance(payload, Mapping):
        return None
    records = payload.get(records_key)
    if not isinstance(records, list) or not records:
        return None
    if call.endpoint == JOURNALS:
        numbers = [
            r["JournalNumber"]
            for r in records
            if isinstance(r, Mapping)
            and isinstance(r.get("JournalNumber"), int)
            and not isinstance(r.get("JournalNumber"), bool)
        ]
        offset = int(call.params["offset"])
        if len(records) < JOURNALS_PAGE or not numbers or max(numbers) <= offset:
            return None
        return fp.PlannedCall(
            call.endpoint,
            {**call.params, "offset": str(max(numbers))},
            api=API,
            headers=dict(call.headers),
        )
    page = int(call.params["page"])
    pagination = payload.get("pagination")
    count = pagination.get("pageCount") if isinstance(pagination, Mapping) else None
    if isinstance(count, int) and not isinstance(count, bool) and page >= count:
        return None
    if len(records) < int(call.params.get("pageSize", "100")):
        return None
    return fp.PlannedCall(call.endpoint, {**call.params, "page": str(page + 1)}, api=API)
