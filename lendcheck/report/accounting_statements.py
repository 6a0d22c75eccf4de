"""The financial statements of an Accounting-API-only report: Xero's ``/Reports/ProfitAndLoss``
and ``/Reports/BalanceSheet`` read into the same models
the Finance API fills, so every financial figure is computed by the same code
(:mod:`lendcheck.metrics.financials`, :mod:`lendcheck.metrics.concentration`) from either source.

Each report row that carries an account ID is placed by that account's ``Type`` and
``ReportingCode`` in ``/Accounts`` (the Finance API's own classification); column 0 is the
period to ``as_of`` (the balance at ``as_of``), column 1 the comparative period a year before.
Rows without an account are Xero's totals and are recomputed, except the equity section's
"Current Year Earnings", which is kept as equity. What the Accounting API plan does not give
(the direct-method cash flow, the trial balance, supplier and customer totals net of credit
notes) is missing with its reason.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from lendcheck.frames.accounting import AccountingBooks
from lendcheck.metrics.analysis import FinancialInputs
from lendcheck.metrics.monthly_pnl import is_month
from lendcheck.snapshot import Snapshot
from lendcheck.xero import accounting_plan as plan
from lendcheck.xero import fetch_plan as fp
from lendcheck.xero.accounting_models import Account, ReportGrid, ReportsResponse
from lendcheck.xero.accounting_plan import NO_STATEMENT_LINES
from lendcheck.xero.models import (
    BalanceSheet,
    BalanceSheetAccount,
    BalanceSheetAccountGroup,
    BalanceSheetAccountType,
    PnlAccount,
    PnlAccountClass,
    PnlAccountType,
    ProfitAndLoss,
)

__all__ = ["NO_STATEMENT_LINES", "accounting_inputs", "monthly_statements"]

#: Xero account types by balance-sheet class.
_ASSET_TYPES = frozenset({"BANK", "CURRENT", "INVENTORY", "PREPAYMENT", "FIXED", "NONCURRENT"})
_LIABILITY_TYPES = frozenset(
    {
        "CURRLIAB",
        "TERMLIAB",
        "LIABILITY",
        "PAYGLIABILITY",
        "SUPERANNUATIONLIABILITY",
        "WAGESPAYABLELIABILITY",
    }
)
#: P&L account types: (class, the title the Finance API gives their group).
_PNL_TYPES = {
    "REVENUE": ("revenue", "Trading Income"),
    "SALES": ("revenue", "Trading Income"),
    "OTHERINCOME": ("revenue", "Other Income"),
    "DIRECTCOSTS": ("expense", "Direct Cost"),
    "EXPENSE": ("expense", "Operating Expenses"),
    "OVERHEADS": ("expense", "Operating Expenses"),
    "DEPRECIATN": ("expense", "Operating Expenses"),
}
#: Why each Finance-only input is missing from an Accounting-API-only report.
NOT_IN_ACCOUNTING = {
    "bank_statement_lines": NO_STATEMENT_LINES,
    "cash_validation": NO_STATEMENT_LINES,
    "cashflow_current": "the report rests on the Accounting API, which has no direct-method "
    "cash flow statement",
    "cashflow_previous": "the report rests on the Accounting API, which has no direct-method "
    "cash flow statement",
    "trial_balance": "the report rests on the Accounting API; its trial balance is not in the plan",
    "contacts_revenue": "the report rests on the Accounting API, which has no revenue by "
    "contact; customer concentration from sales invoices is under accounting",
    "contacts_expense": "the report rests on the Accounting API, which has no spend by contact",
}


#: Why each question of :mod:`lendcheck.report.evidence` that the Accounting API cannot answer is
#: unanswered in an Accounting-API-only report (by the evidence question's name).
EVIDENCE_NOT_IN_ACCOUNTING = {
    "bank_statement_lines": NO_STATEMENT_LINES,
    "cash_validation": NO_STATEMENT_LINES,
    "reconciliation_cadence": NO_STATEMENT_LINES,
    "cash_flow_current": NOT_IN_ACCOUNTING["cashflow_current"],
    "cash_flow_previous": NOT_IN_ACCOUNTING["cashflow_previous"],
    "trial_balance": NOT_IN_ACCOUNTING["trial_balance"],
    "contacts_revenue": NOT_IN_ACCOUNTING["contacts_revenue"],
    "contacts_expense": NOT_IN_ACCOUNTING["contacts_expense"],
}


def _rows(
    grid: ReportGrid, column: int, accounts: dict[str, Account]
) -> list[tuple[Account, Decimal]]:
    out = []
    for line in grid.lines:
        if line.row_type != "Row" or line.account_id not in accounts:
            continue
        value = line.number(column)
        if value is not None:
            out.append((accounts[line.account_id], value))
    return out


def _pnl(
    grid: ReportGrid, column: int, accounts: dict[str, Account], start: date, end: date
) -> ProfitAndLoss:
    groups: dict[tuple[str, str], list[PnlAccount]] = defaultdict(list)
    for account, value in _rows(grid, column, accounts):
        kind = (account.type or "").upper()
        if kind not in _PNL_TYPES:
            continue
        groups[_PNL_TYPES[kind]].append(
            PnlAccount(
                account_id=account.account_id,
                account_type=kind,
                code=account.code,
                name=account.name,
                reporting_code=account.reporting_code,
                total=value,
            )
        )
    classes: dict[str, Any] = {}
    for cls in ("revenue", "expense"):
        types = [
            PnlAccountType(
                title=title,
                accounts=members,
                total=sum((a.total or Decimal(0) for a in members), Decimal(0)),
            )
            for (c, title), members in sorted(groups.items())
            if c == cls
        ]
        classes[cls] = PnlAccountClass(
            account_types=types, total=sum((t.total or Decimal(0) for t in types), Decimal(0))
        )
    return ProfitAndLoss(
        start_date=start,
        end_date=end,
        net_profit_loss=classes["revenue"].total - classes["expense"].total,
        revenue=classes["revenue"],
        expense=classes["expense"],
    )


def _balance_sheet(
    grid: ReportGrid, column: int, accounts: dict[str, Account], day: date
) -> BalanceSheet:
    groups: dict[str, dict[str, list[BalanceSheetAccount]]] = {
        "asset": defaultdict(list),
        "liability": defaultdict(list),
        "equity": defaultdict(list),
    }
    for account, value in _rows(grid, column, accounts):
        kind = (account.type or "").upper()
        cls = (
            "asset"
            if kind in _ASSET_TYPES
            else "liability"
            if kind in _LIABILITY_TYPES
            else "equity"
            if kind == "EQUITY"
            else None
        )
        if cls is None:
            continue
        groups[cls][kind].append(
            BalanceSheetAccount(
                code=account.code,
                account_id=account.account_id,
                name=account.name,
                reporting_code=account.reporting_code,
                total=value,
            )
        )
    for line in grid.section("Equity"):
        if line.row_type == "Row" and line.account_id not in accounts:
            earnings = line.number(column)
            if earnings is not None:  # Current Year Earnings: Xero's, no account of the chart
                groups["equity"]["EQUITY"].append(
                    BalanceSheetAccount(account_id=line.account_id, name=line.label, total=earnings)
                )
    built: dict[str, BalanceSheetAccountGroup] = {}
    for cls, by_type in groups.items():
        types = [
            BalanceSheetAccountType(
                account_type=kind,
                accounts=members,
                total=sum((a.total or Decimal(0) for a in members), Decimal(0)),
            )
            for kind, members in by_type.items()
        ]
        built[cls] = BalanceSheetAccountGroup(
            account_types=types, total=sum((t.total or Decimal(0) for t in types), Decimal(0))
        )
    return BalanceSheet(
        balance_date=day, asset=built["asset"], liability=built["liability"], equity=built["equity"]
    )


def accounting_inputs(books: AccountingBooks, as_of: date, currency: str) -> FinancialInputs:
    """The financial analysis' inputs from the Accounting API alone.

    Args:
        books: the snapshot's Accounting API data.
        as_of: the report date.
        currency: the base currency.

    Returns:
        :class:`~lendcheck.metrics.analysis.FinancialInputs` with the P&L and balance sheets of
        both periods (from ``/Reports/ProfitAndLoss`` with ``timeframe=YEAR`` and
        ``/Reports/BalanceSheet``) and the P&L of the month ending at ``as_of`` (the first
        column of ``/Reports/ProfitAndLoss`` by month); the rest missing with the reason.
    """
    values: dict[str, Any] = {}
    missing = dict(NOT_IN_ACCOUNTING)
    accounts = {a.account_id: a for a in books.accounts or [] if a.account_id}
    current, previous = fp.period(as_of, 0), fp.period(as_of, 1)
    no_accounts = books.reason("accounts") if books.accounts is None else ""
    periods = {
        "pnl_current": current,
        "pnl_previous": previous,
        "pnl_month": fp.month_period(as_of),
    }
    for name, grid_name, column in (
        ("pnl_current", "pnl_years", 0),
        ("pnl_previous", "pnl_years", 1),
        ("pnl_month", "pnl_months", 0),
        ("balance_sheet_current", "balance_sheet", 0),
        ("balance_sheet_previous", "balance_sheet", 1),
    ):
        grid: ReportGrid | None = getattr(books, grid_name)
        if grid is None or no_accounts:
            missing[name] = books.reason(grid_name) if grid is None else no_accounts
        elif column >= len(grid.columns):
            missing[name] = f"Xero's {grid.report_type or grid_name} has no comparative column"
        elif name.startswith("pnl"):
            values[name] = _pnl(grid, column, accounts, *periods[name])
        else:
            day = as_of if column == 0 else fp.add_months(as_of, -12)
            found = books.balance_sheet_column(day)
            if found is None:
                missing[name] = f"Xero's BalanceSheet has no column at {day}"
            else:
                values[name] = _balance_sheet(grid, found, accounts, day)
    return FinancialInputs(**values, missing=missing, currency=currency)


def _column_months(params: dict[str, str], columns: int) -> list[tuple[date, date] | None]:
    """The period of each column of a ``/Reports/ProfitAndLoss`` by month: column 0 is
    ``fromDate``..``toDate``; the columns after it are the whole calendar months before, one
    each, when column 0 is a whole month (Xero's comparative columns by month); None for a
    column whose period is not known (after a part month, or unreadable dates)."""
    try:
        start = date.fromisoformat(params.get("fromDate", ""))
        end = date.fromisoformat(params.get("toDate", ""))
    except ValueError:
        return [None] * columns
    whole = start.day == 1 and end == fp.add_months(start, 1) - timedelta(days=1)
    out: list[tuple[date, date] | None] = [(start, end)]
    for i in range(1, columns):
        first = fp.add_months(start, -i)
        out.append((first, fp.add_months(first, 1) - timedelta(days=1)) if whole else None)
    return out


def monthly_statements(
    snapshot: Snapshot, accounts: list[Account] | None, as_of: date
) -> dict[date, ProfitAndLoss]:
    """The Accounting API's monthly P&Ls, by the first day of the month, oldest first: every
    column of every ``/Reports/ProfitAndLoss`` with ``timeframe=MONTH`` that covers one month
    (:func:`lendcheck.metrics.monthly_pnl.is_month`) read into the Finance API's model, found by the
    period it covers whatever else the call asked (the plan's two calls, the 12 months to
    ``as_of`` and the 12 before, do not overlap). A month two calls both give is counted once:
    from the call of the latest ``fromDate`` (the newer answer; the frame's ``start_date`` and
    ``end_date`` say which period was read), of equals the first file by name. Empty without
    ``/Accounts`` (rows are placed by their account's type)."""
    chart = {a.account_id: a for a in accounts or [] if a.account_id}
    if not chart:
        return {}
    found: dict[date, ProfitAndLoss] = {}
    by_file = sorted(
        snapshot.all_of(plan.PROFIT_AND_LOSS, api=plan.API), key=lambda r: r.record.file
    )
    # the newer answer first: a stable sort keeps the file order among equal fromDates
    responses = sorted(by_file, key=lambda r: r.record.params.get("fromDate", ""), reverse=True)
    for response in responses:
        params = response.record.params
        if params.get("timeframe", "").upper() != "MONTH":
            continue
        if not isinstance(response.data, ReportsResponse):
            continue
        grid = response.data.grid
        for column, period in enumerate(_column_months(params, len(grid.columns))):
            if period is None or not is_month(*period, as_of) or period[0] in found:
                continue
            found[period[0]] = _pnl(grid, column, chart, *period)
    return dict(sorted(found.items()))
