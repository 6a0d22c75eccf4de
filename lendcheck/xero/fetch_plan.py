"""The fetch plan: the one list of Finance API calls a report needs.

Samples, the simulator and the live fetcher all follow this plan, and the report names every
planned call that a snapshot lacks. For an ``as_of`` date and a number of statement ``months``
(default 24), the plan is:

============================  ==================================================================
endpoint                      calls
============================  ==================================================================
/CashValidation               ``beginDate=S, balanceDate=as_of``; and, for reconciliation cadence,
                              ``beginDate=S, balanceDate=asAtSystemDate=M`` at each of the 12
                              month ends ``M`` before ``as_of``. ``S`` is the first day of the
                              statement windows, so Xero's aggregates cover exactly the statement
                              lines lendcheck reads and can be cross-checked line for line
/FinancialStatements/         ``balanceDate=as_of`` and a year before
BalanceSheet
ProfitAndLoss, Cashflow,      the 12 months ending at ``as_of`` and the 12 months before
contacts/revenue,
contacts/expense
/FinancialStatements/         and the month ending at ``as_of`` (``startDate`` = the first of
ProfitAndLoss                 ``as_of``'s month): Xero's Executive Summary is monthly, and its
                              days and margins for that month need that month's P&L
TrialBalance                  ``endDate=as_of``
/BankStatementsPlus/          per bank account (the ``accountId`` values of CashValidation), in
statements                    windows of at most 12 months covering ``months`` months ending at
                              ``as_of``, newest first, ``SummaryOnly=false``
============================  ==================================================================
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from lendcheck.snapshot.manifest import ACCOUNTING_API as ACCOUNTING_API
from lendcheck.snapshot.manifest import APIS as APIS
from lendcheck.snapshot.manifest import FINANCE_API as FINANCE_API
from lendcheck.snapshot.manifest import call_key as call_key

CASH_VALIDATION = "/CashValidation"
BALANCE_SHEET = "/FinancialStatements/BalanceSheet"
CASHFLOW = "/FinancialStatements/Cashflow"
PROFIT_AND_LOSS = "/FinancialStatements/ProfitAndLoss"
TRIAL_BALANCE = "/FinancialStatements/TrialBalance"
CONTACTS_REVENUE = "/FinancialStatements/contacts/revenue"
CONTACTS_EXPENSE = "/FinancialStatements/contacts/expense"
BANK_STATEMENTS = "/BankStatementsPlus/statements"

#: Every Finance API endpoint lendcheck calls, in plan order.
ENDPOINTS = (
    CASH_VALIDATION,
    BALANCE_SHEET,
    PROFIT_AND_LOSS,
    CASHFLOW,
    CONTACTS_REVENUE,
    CONTACTS_EXPENSE,
    TRIAL_BALANCE,
    BANK_STATEMENTS,
)

# The API a call belongs to (manifest ``api``; absent means the Finance API) and a call's
# identity are the snapshot format's (lendcheck.snapshot.manifest); named here for the plan.

DEFAULT_MONTHS = 24
#: Most months of bank statements a plan (and a snapshot's ``months``) may cover: ten years.
MAX_MONTHS = 120
#: Xero refuses BankStatementsPlus windows longer than 12 months.
MAX_WINDOW_MONTHS = 12
#: ``period`` label of the P&L of the month ending at the report date.
MONTH = "month"
#: Month ends at which CashValidation is asked "as at" (reconciliation cadence).
CADENCE_MONTHS = 12

_FILE_STEMS = {
    CASH_VALIDATION: "cash-validation",
    BALANCE_SHEET: "balance-sheet",
    PROFIT_AND_LOSS: "profit-and-loss",
    CASHFLOW: "cashflow",
    CONTACTS_REVENUE: "contacts-revenue",
    CONTACTS_EXPENSE: "contacts-expense",
    TRIAL_BALANCE: "trial-balance",
    BANK_STATEMENTS: "bank-statements",
}


@dataclass(frozen=True)
class PlannedCall:
    """One API call: its endpoint path and query parameters (all strings, as sent).

    Attributes:
        endpoint: the API path, e.g. ``/CashValidation`` (Finance) or ``/Invoices``
            (Accounting).
        params: query parameters exactly as sent (Xero's own casing).
        period: ``"current"`` or ``"previous"`` for period reports (``"month"`` for the P&L of
            the month ending at the report date), the month end for cadence calls, ``""``
            otherwise; a label for readers, not sent.
        api: :data:`FINANCE_API` or :data:`ACCOUNTING_API` (see
            :mod:`lendcheck.xero.accounting_plan`).
        headers: request headers that select data (the Accounting API's ``If-Modified-Since``),
            sent as given and recorded in the manifest; empty for every Finance API call.
    """

    endpoint: str
    params: dict[str, str] = field(default_factory=dict)
    period: str = ""
    api: str = FINANCE_API
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, tuple[tuple[str, str], ...]]:
        """Identity of the call: API, endpoint, sorted parameters and headers."""
        return call_key(self.endpoint, self.params, self.api, self.headers)

    def file_name(self, status: int = 200) -> str:
        """The snapshot file that holds this call's response (``.problem.json`` when failed)."""
        if self.api != FINANCE_API:
            name = _accounting_file_stem(self.endpoint, self.params)
            return f"{name}.problem.json" if status >= 400 else f"{name}.json"
        stem = _FILE_STEMS.get(self.endpoint, self.endpoint.strip("/").replace("/", "-").lower())
        p = self.params
        if self.endpoint == BANK_STATEMENTS:
            name = f"{stem}/{p['BankAccountID']}/{p['FromDate']}_{p['ToDate']}"
        elif self.endpoint == CASH_VALIDATION:
            name = f"{stem}/as-at-{p['asAtSystemDate']}" if "asAtSystemDate" in p else stem
        elif "startDate" in p:
            name = f"{stem}/{p['startDate']}_{p['endDate']}"
        elif "balanceDate" in p or "endDate" in p:
            name = f"{stem}/{p.get('balanceDate') or p['endDate']}"
        else:
            name = stem
        return f"{name}.problem.json" if status >= 400 else f"{name}.json"


def _accounting_file_stem(endpoint: str, params: dict[str, str]) -> str:
    """``accounting/<endpoint>[/<selector>]``: a report's dates, a list's page or offset."""
    stem = "accounting/" + endpoint.strip("/").replace("/", "-").lower()
    p = params
    if "page" in p:
        return f"{stem}/page-{int(p['page']):04d}"
    if "offset" in p:
        return f"{stem}/offset-{int(p['offset']):09d}"
    parts = [p[k] for k in ("date", "fromDate", "toDate") if k in p]
    if "periods" in p or "timeframe" in p:
        parts.append(f"{p.get('periods', '0')}-{p.get('timeframe', '').lower()}")
    return f"{stem}/{'_'.join(parts)}" if parts else stem


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months, clamped to the month's last day."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def months_back(day: date, months: int) -> date:
    """``day`` moved back ``months`` calendar months; a month end stays a month end (31 October
    back one is 30 September, 30 September back one is 31 August), as Xero's comparative
    columns by month fall."""
    if (day + timedelta(days=1)).day == 1:
        return add_months(day.replace(day=1), 1 - months) - timedelta(days=1)
    return add_months(day, -months)


def month_ends_before(as_of: date, count: int) -> list[date]:
    """The last ``count`` month ends strictly before ``as_of``'s month end, newest first.

    When ``as_of`` is itself a month end it is not included (the main call covers it).
    """
    first_of_month = as_of.replace(day=1)
    ends = []
    for _ in range(count):
        first_of_month_end = first_of_month - timedelta(days=1)
        ends.append(first_of_month_end)
        first_of_month = first_of_month_end.replace(day=1)
    return ends


def period(as_of: date, years_back: int = 0) -> tuple[date, date]:
    """The 12-month period ending ``years_back`` years before ``as_of``: (start, end), inclusive."""
    end = add_months(as_of, -12 * years_back)
    start = add_months(as_of, -12 * (years_back + 1)) + timedelta(days=1)
    return start, end


def month_period(as_of: date) -> tuple[date, date]:
    """The month ending at ``as_of``: (the first of ``as_of``'s month, ``as_of``), inclusive
    (the whole calendar month when ``as_of`` is a month end, as in every sample)."""
    return as_of.replace(day=1), as_of


def statement_windows(as_of: date, months: int = DEFAULT_MONTHS) -> list[tuple[date, date]]:
    """Windows of at most 12 months covering ``months`` months ending at ``as_of``, newest
    first: (FromDate, ToDate), inclusive.

    Raises:
        ValueError: ``months`` is not positive.
    """
    if months < 1:
        raise ValueError("months must be at least 1")
    windows = []
    end = as_of
    remaining = months
    while remaining > 0:
        span = min(MAX_WINDOW_MONTHS, remaining)
        start = add_months(end, -span) + timedelta(days=1)
        windows.append((start, end))
        end = start - timedelta(days=1)
        remaining -= span
    return windows


def statements_start(as_of: date, months: int = DEFAULT_MONTHS) -> date:
    """First day covered by the bank statement windows."""
    return statement_windows(as_of, months)[-1][0]


def organisation_calls(as_of: date, months: int = DEFAULT_MONTHS) -> list[PlannedCall]:
    """The calls that do not depend on bank account IDs, in plan order (CashValidation first)."""
    iso = as_of.isoformat()
    begin = statements_start(as_of, months).isoformat()
    calls = [PlannedCall(CASH_VALIDATION, {"beginDate": begin, "balanceDate": iso})]
    for month_end in month_ends_before(as_of, CADENCE_MONTHS):
        m = month_end.isoformat()
        params = {"beginDate": begin, "balanceDate": m, "asAtSystemDate": m}
        calls.append(PlannedCall(CASH_VALIDATION, params, period=m))
    calls.append(PlannedCall(BALANCE_SHEET, {"balanceDate": iso}, period="current"))
    calls.append(
        PlannedCall(BALANCE_SHEET, {"balanceDate": add_months(as_of, -12).isoformat()}, "previous")
    )
    for endpoint in (PROFIT_AND_LOSS, CASHFLOW, CONTACTS_REVENUE, CONTACTS_EXPENSE):
        for years_back, label in ((0, "current"), (1, "previous")):
            start, end = period(as_of, years_back)
            params = {"startDate": start.isoformat(), "endDate": end.isoformat()}
            calls.append(PlannedCall(endpoint, params, period=label))
        if endpoint == PROFIT_AND_LOSS:
            start, end = month_period(as_of)
            params = {"startDate": start.isoformat(), "endDate": end.isoformat()}
            calls.append(PlannedCall(endpoint, params, period=MONTH))
    calls.append(PlannedCall(TRIAL_BALANCE, {"endDate": iso}))
    return calls


def bank_statement_calls(
    as_of: date, bank_account_ids: Iterable[str], months: int = DEFAULT_MONTHS
) -> list[PlannedCall]:
    """BankStatementsPlus calls for each account (in the order given), newest window first."""
    calls = []
    for account_id in bank_account_ids:
        for start, end in statement_windows(as_of, months):
            params = {
                "BankAccountID": account_id,
                "FromDate": start.isoformat(),
                "ToDate": end.isoformat(),
                "SummaryOnly": "false",
            }
            calls.append(PlannedCall(BANK_STATEMENTS, params))
    return calls


def fetch_plan(
    as_of: date, bank_account_ids: Iterable[str], months: int = DEFAULT_MONTHS
) -> list[PlannedCall]:
    """The whole plan for ``as_of``: :func:`organisation_calls` then :func:`bank_statement_calls`.

    Args:
        as_of: the report date (inclusive end of every period).
        bank_account_ids: the ``accountId`` values of the main CashValidation response.
        months: months of bank statements to cover (default 24).
    """
    return organisation_calls(as_of, months) + bank_statement_calls(as_of, bank_account_ids, months)
