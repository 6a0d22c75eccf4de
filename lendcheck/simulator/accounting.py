"""Every Accounting API response of :mod:`lendcheck.xero.accounting_plan`, from the same simulated
:class:`World` as the Finance API responses, so a sample reads the same from either source.

Reports are built from the same ledger figures as the Finance API statements (the
Finance-shaped balance sheet and P&L of :mod:`lendcheck.simulator.endpoints`, laid out in
Xero's Rows/Cells with its section titles), so Xero's Executive Summary agrees with lendcheck's
own figures to the cent. Simplifications, said here once: every ledger bank entry is written as
a ``/BankTransactions`` record (in Xero invoice payments are ``/Payments``; the reconciliation
share is the same question), reconciled when it was matched to a statement line by the report
date; journals are one per bank entry (dated its accounting date, keyed on its system date) and
one per invoice (keyed the day it is dated), without journal lines.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from lendcheck.simulator.books import World
from lendcheck.simulator.endpoints import balance_sheet, profit_and_loss
from lendcheck.simulator.jsonout import dumps, money
from lendcheck.simulator.ledger import AP, AR
from lendcheck.xero import accounting_plan as plan
from lendcheck.xero import fetch_plan as fp

__all__ = ["accounting_calls", "respond_accounting"]

#: Balance sheet sections by account type, in Xero's order.
_BS_SECTIONS = (
    ("Bank", ("BANK",)),
    ("Current Assets", ("CURRENT", "INVENTORY", "PREPAYMENT")),
    ("Fixed Assets", ("FIXED",)),
    ("Non-current Assets", ("NONCURRENT",)),
    ("Current Liabilities", ("CURRLIAB",)),
    ("Non-Current Liabilities", ("TERMLIAB", "LIABILITY")),
    ("Equity", ("EQUITY",)),
)
#: P&L sections by account type: (title, summary row, types, sign in net profit).
_PL_SECTIONS = (
    ("Income", "Total Income", ("REVENUE", "SALES"), 1),
    ("Less Cost of Sales", "Total Cost of Sales", ("DIRECTCOSTS",), -1),
    ("Plus Other Income", "Total Other Income", ("OTHERINCOME",), 1),
    (
        "Less Operating Expenses",
        "Total Operating Expenses",
        ("EXPENSE", "OVERHEADS", "DEPRECIATN"),
        -1,
    ),
)


def _cents(sentinel: str) -> int:
    """Cents of a :func:`~lendcheck.simulator.jsonout.money` value."""
    return int(Decimal(sentinel.strip("\x01\x02")) * 100)


def _text(cents: int) -> str:
    """A report cell's amount, as Xero writes it: ``1234.50``."""
    return f"{Decimal(cents) / 100:.2f}"


def _net_date(day: date | datetime) -> str:
    moment = (
        day if isinstance(day, datetime) else datetime(day.year, day.month, day.day, tzinfo=UTC)
    )
    return f"/Date({int(moment.timestamp() * 1000)}+0000)/"


def _guid(*parts: object) -> str:
    return str(
        uuid.UUID(bytes=hashlib.sha256("/".join(map(str, parts)).encode()).digest()[:16], version=4)
    )


def _envelope(world: World, **body: Any) -> dict[str, Any]:
    stamp = datetime.combine(world.profile.as_of + timedelta(days=1), datetime.min.time(), UTC)
    return {
        "Id": _guid(world.tenant_id, "response", *sorted(body)),
        "Status": "OK",
        "ProviderName": "lendcheck simulator",
        "DateTimeUTC": _net_date(stamp + timedelta(hours=9)),
        **body,
    }


def _cell(value: str, account: str | None = None) -> dict[str, Any]:
    cell: dict[str, Any] = {"Value": value}
    if account:
        cell["Attributes"] = [{"Value": account, "Id": "account"}]
    return cell


def _row(
    label: str, values: list[str], account: str | None = None, kind: str = "Row"
) -> dict[str, Any]:
    return {"RowType": kind, "Cells": [_cell(label, account), *(_cell(v, account) for v in values)]}


def _report(
    world: World, kind: str, titles: list[str], headings: list[str], rows: list[Any]
) -> dict[str, Any]:
    header = {"RowType": "Header", "Cells": [_cell(""), *(_cell(h) for h in headings)]}
    stamp = datetime.combine(world.profile.as_of + timedelta(days=1), datetime.min.time(), UTC)
    report = {
        "ReportID": kind,
        "ReportName": kind,
        "ReportType": kind,
        "ReportTitles": titles,
        "ReportDate": (world.profile.as_of + timedelta(days=1)).strftime("%d %B %Y").lstrip("0"),
        "UpdatedDateUTC": _net_date(stamp + timedelta(hours=9)),
        "Fields": [],
        "Rows": [header, *rows],
    }
    return _envelope(world, Reports=[report])


def _section(title: str, rows: list[Any]) -> dict[str, Any]:
    return {"RowType": "Section", "Title": title, "Rows": rows}


def _statement_accounts(
    statement: dict[str, Any], groups: tuple[str, ...]
) -> dict[str, tuple[str, str, int]]:
    """``{account id: (type, name, total cents)}`` of a Finance API statement's ``groups``:
    the account's own ``accountType`` (P&L) or its group's (balance sheet)."""
    out: dict[str, tuple[str, str, int]] = {}
    for group in groups:
        for account_type in statement[group]["accountTypes"]:
            for account in account_type["accounts"]:
                kind = account.get("accountType") or account_type["accountType"]
                out[account["accountID"]] = (kind, account["name"], _cents(account["total"]))
    return out


def _section_rows(
    ids: list[str], columns: list[dict[str, tuple[str, str, int]]], types: Any
) -> tuple[list[Any], list[int]]:
    """The rows of a report section (the accounts, in ``ids`` order, whose type is in
    ``types``, one value per column, 0 where a column lacks the account) and the column
    totals in cents."""
    lines: list[Any] = []
    total = [0] * len(columns)
    for account_id in ids:
        found = [c.get(account_id) for c in columns]
        known = next(f for f in found if f is not None)
        if known[0] not in types:
            continue
        values = [f[2] if f else 0 for f in found]
        lines.append(_row(known[1], [_text(v) for v in values], account_id))
        total = [a + b for a, b in zip(total, values, strict=True)]
    return lines, total


def _sheet_accounts(world: World, day: date) -> dict[str, tuple[str, str, int]]:
    """``{account id: (type, name, balance cents)}`` of the balance sheet at ``day`` (assets
    positive, liabilities and equity positive as Xero reports them)."""
    return _statement_accounts(balance_sheet(world, day), ("asset", "liability", "equity"))


def _balance_sheet_report(world: World, day: date, periods: int, timeframe: str) -> dict[str, Any]:
    """``/Reports/BalanceSheet`` at ``day`` and ``periods`` dates before it, one
    ``timeframe`` (MONTH, QUARTER, YEAR) apart, as Xero lays its comparative columns out."""
    step = {"MONTH": 1, "QUARTER": 3, "YEAR": 12}[timeframe.upper()]
    days = [fp.months_back(day, step * i) for i in range(periods + 1)]
    columns = [_sheet_accounts(world, d) for d in days]
    ids: list[str] = []
    for column in columns:
        ids += [i for i in column if i not in ids]
    rows: list[Any] = []
    totals = {"asset": [0] * len(days), "liability": [0] * len(days)}
    for title, types in _BS_SECTIONS:
        lines, section_total = _section_rows(ids, columns, types)
        if not lines:
            continue
        group = (
            "asset"
            if title in ("Bank", "Current Assets", "Fixed Assets", "Non-current Assets")
            else "liability"
            if "Liabilities" in title
            else "equity"
        )
        if group in totals:
            totals[group] = [a + b for a, b in zip(totals[group], section_total, strict=True)]
        lines.append(_row(f"Total {title}", [_text(v) for v in section_total], kind="SummaryRow"))
        rows.append(_section(title, lines))
    net = [a - b for a, b in zip(totals["asset"], totals["liability"], strict=True)]
    rows.append(_section("", [_row("Total Assets", [_text(v) for v in totals["asset"]])]))
    rows.append(_section("", [_row("Total Liabilities", [_text(v) for v in totals["liability"]])]))
    rows.append(_section("", [_row("Net Assets", [_text(v) for v in net])]))
    headings = [d.strftime("%d %b %Y").lstrip("0") for d in days]
    titles = ["Balance Sheet", world.profile.tenant_name, f"As at {headings[0]}"]
    return _report(world, "BalanceSheet", titles, headings, rows)


def _pnl_accounts(world: World, start: date, end: date) -> dict[str, tuple[str, str, int]]:
    return _statement_accounts(profit_and_loss(world, start, end), ("revenue", "expense"))


def _pnl_report(
    world: World, periods: list[tuple[date, date]], headings: list[str]
) -> dict[str, Any]:
    columns = [_pnl_accounts(world, s, e) for s, e in periods]
    ids: list[str] = []
    for column in columns:
        ids += [i for i in column if i not in ids]
    rows: list[Any] = []
    net = [0] * len(periods)
    gross = [0] * len(periods)
    for title, summary, types, sign in _PL_SECTIONS:
        lines, total = _section_rows(ids, columns, types)
        net = [n + sign * t for n, t in zip(net, total, strict=True)]
        if title in ("Income", "Less Cost of Sales"):
            gross = [g + sign * t for g, t in zip(gross, total, strict=True)]
        if lines:
            lines.append(_row(summary, [_text(v) for v in total], kind="SummaryRow"))
            rows.append(_section(title, lines))
        if title == "Less Cost of Sales":
            rows.append(_section("", [_row("Gross Profit", [_text(v) for v in gross])]))
    rows.append(_section("", [_row("Net Profit", [_text(v) for v in net])]))
    titles = ["Profit and Loss", world.profile.tenant_name]
    return _report(world, "ProfitAndLoss", titles, headings, rows)


def _bank_balance(world: World, code: str, day: date) -> int:
    debit, credit = world.ledger.balances(None, day).get(code, (0, 0))
    return debit - credit


def _executive_summary(world: World, day: date) -> dict[str, Any]:
    """Xero's Executive Summary for the month of ``day``: its balance figures at ``day`` and
    its P&L, margins and days for the month to ``day``, computed from the same books as
    lendcheck's (Xero's definitions: Creditors written as owed, days over the month's days)."""
    month_start = day.replace(day=1)
    sheet = _sheet_accounts(world, day)
    ledger = world.ledger
    by_id = {a.id: a for a in ledger.accounts}

    def total(*types: str) -> int:
        return sum(v for t, _, v in sheet.values() if t in types)

    debtors = sum(v for i, (_, _, v) in sheet.items() if i in by_id and by_id[i].code == AR)
    creditors = sum(v for i, (_, _, v) in sheet.items() if i in by_id and by_id[i].code == AP)
    cash = total("BANK")
    current_assets = total("BANK", "CURRENT", "INVENTORY", "PREPAYMENT")
    current_liabilities = total("CURRLIAB")
    assets = total("BANK", "CURRENT", "INVENTORY", "PREPAYMENT", "FIXED", "NONCURRENT")
    liabilities = total("CURRLIAB", "TERMLIAB", "LIABILITY")
    received = spent = 0
    for code in ledger.banks:
        for (c, d), (dr, cr) in ledger.moves.items():
            if c == code and month_start <= d <= day:
                received += dr
                spent += cr
    pnl = _pnl_accounts(world, month_start, day)
    income = sum(v for t, _, v in pnl.values() if t in ("REVENUE", "SALES"))
    direct = sum(v for t, _, v in pnl.values() if t == "DIRECTCOSTS")
    other = sum(v for t, _, v in pnl.values() if t == "OTHERINCOME")
    expenses = sum(v for t, _, v in pnl.values() if t in ("EXPENSE", "OVERHEADS", "DEPRECIATN"))
    ratio = (
        str(Decimal(current_assets) / Decimal(current_liabilities)) if current_liabilities else ""
    )
    days = (day - month_start).days + 1
    gross, profit = income - direct, income - direct + other - expenses

    def percent(numerator: int) -> str:
        # Xero writes margins as percentages to one decimal, blank without income.
        if not income:
            return ""
        share = Decimal(numerator) * 100 / Decimal(income)
        return f"{share.quantize(Decimal('0.1'), ROUND_HALF_UP)}%"

    def day_count(balance: int, base: int) -> str:
        # Xero's days at its full precision ("442.50", "-6.4264849074975657254...").
        return str(Decimal(balance) / Decimal(base) * days) if base else ""

    rows = [
        _section(
            "Cash",
            [
                _row("Cash received", [_text(received)]),
                _row("Cash spent", [_text(spent)]),
                _row("Cash surplus (deficit)", [_text(received - spent)]),
                _row("Closing bank balance", [_text(cash)]),
            ],
        ),
        _section(
            "Profitability",
            [
                _row("Income", [_text(income)]),
                _row("Direct costs", [_text(direct)]),
                _row("Gross profit (loss)", [_text(gross)]),
                _row("Other Income", [_text(other)]),
                _row("Expenses", [_text(expenses)]),
                _row("Profit (loss)", [_text(profit)]),
            ],
        ),
        _section(
            "Balance Sheet",
            [
                _row("Debtors", [_text(debtors)]),
                _row("Creditors", [_text(creditors)]),
                _row("Net assets", [_text(assets - liabilities)]),
            ],
        ),
        _section(
            "Performance",
            [
                _row("Gross profit margin", [percent(gross)]),
                _row("Net profit margin", [percent(profit)]),
            ],
        ),
        _section(
            "Position",
            [
                _row("Average debtors days", [day_count(debtors, income)]),
                _row("Average creditors days", [day_count(creditors, direct + expenses)]),
                _row("Short term cash forecast", [_text(debtors - creditors)]),
                _row("Current assets to liabilities", [ratio]),
            ],
        ),
    ]
    heading = day.strftime("%b %Y")
    titles = ["Executive Summary", world.profile.tenant_name, f"For the month of {day:%B %Y}"]
    return _report(world, "ExecutiveSummary", titles, [heading], rows)


def _bank_summary(world: World, start: date, end: date) -> dict[str, Any]:
    rows = []
    totals = [0, 0, 0, 0]
    for bank in world.banks:
        opening = _bank_balance(world, bank.code, start - timedelta(days=1))
        received, spent = world.ledger.balances(start, end).get(bank.code, (0, 0))
        values = [opening, received, spent, opening + received - spent]
        totals = [a + b for a, b in zip(totals, values, strict=True)]
        rows.append(_row(bank.name, [_text(v) for v in values], bank.account_id))
    rows.append(_row("Total", [_text(v) for v in totals], kind="SummaryRow"))
    titles = ["Bank Summary", world.profile.tenant_name, f"From {start:%d %B %Y} to {end:%d %B %Y}"]
    return _report(
        world,
        "BankSummary",
        titles,
        ["Opening Balance", "Cash Received", "Cash Spent", "Closing Balance"],
        [_section("", rows)],
    )


def _organisation(world: World) -> dict[str, Any]:
    p = world.profile
    fy_end = fp.add_months(date(2000, p.fy_end_month, 1), 1) - timedelta(days=1)
    return _envelope(
        world,
        Organisations=[
            {
                "OrganisationID": world.tenant_id,
                "Name": p.tenant_name,
                "LegalName": p.tenant_name,
                "BaseCurrency": p.currency,
                "CountryCode": p.country,
                "OrganisationType": "COMPANY",
                "FinancialYearEndDay": fy_end.day,
                "FinancialYearEndMonth": p.fy_end_month,
                "CreatedDateUTC": _net_date(datetime.combine(p.start, datetime.min.time(), UTC)),
            }
        ],
    )


def _accounts(world: World) -> dict[str, Any]:
    system = {AR: "DEBTORS", AP: "CREDITORS"}
    banks = {b.code for b in world.banks}
    cards = {b.code for b in world.profile.banks if b.kind == "card"}
    records = []
    for account in world.ledger.accounts:
        record: dict[str, Any] = {
            "AccountID": account.id,
            "Code": account.code,
            "Name": account.name,
            "Type": account.type,
            "Status": "ACTIVE",
            "Class": account.cls,
            "ReportingCode": account.reporting_code,
        }
        if account.code in system:
            record["SystemAccount"] = system[account.code]
        if account.code in banks:
            record["BankAccountType"] = "CREDITCARD" if account.code in cards else "BANK"
            record["CurrencyCode"] = world.profile.currency
        records.append(record)
    return _envelope(world, Accounts=records)


def _invoices(world: World, start: date, as_of: date) -> list[dict[str, Any]]:
    records = []
    for invoice in world.invoices:
        if invoice.date > as_of:
            continue
        due = invoice.outstanding(as_of)
        status = "VOIDED" if invoice.voided else "AUTHORISED" if due > 0 else "PAID"
        if not (status == "AUTHORISED" or invoice.date >= start):
            continue
        paid = sum(a for d, a in invoice.payments if d <= as_of)
        records.append(
            {
                "Type": invoice.kind,
                "InvoiceID": invoice.id,
                "InvoiceNumber": invoice.number,
                "Contact": {"ContactID": invoice.contact.id, "Name": invoice.contact.name},
                "DateString": f"{invoice.date.isoformat()}T00:00:00",
                "Date": _net_date(invoice.date),
                "DueDateString": f"{invoice.due.isoformat()}T00:00:00",
                "DueDate": _net_date(invoice.due),
                "Status": status,
                "LineAmountTypes": "Exclusive",
                "SubTotal": money(invoice.gross - invoice.tax),
                "TotalTax": money(invoice.tax),
                "Total": money(invoice.gross),
                "AmountDue": money(0 if invoice.voided else due),
                "AmountPaid": money(paid),
                "CurrencyCode": world.profile.currency,
                "CurrencyRate": money(100),
                "UpdatedDateUTC": _net_date(
                    datetime.combine(invoice.date, datetime.min.time(), UTC) + timedelta(hours=10)
                ),
            }
        )
    return records


def _bank_transactions(world: World, begin: date, as_of: date) -> list[dict[str, Any]]:
    records = []
    for bank in world.banks:
        for index, entry in enumerate(world.ledger.bank_entries.get(bank.code, [])):
            if not begin <= entry.date <= as_of or entry.amount == 0:
                continue
            records.append(
                {
                    "BankTransactionID": _guid(world.tenant_id, bank.code, index),
                    "BankAccount": {
                        "AccountID": bank.account_id,
                        "Code": bank.code,
                        "Name": bank.name,
                    },
                    "Type": "RECEIVE" if entry.amount > 0 else "SPEND",
                    "IsReconciled": entry.matched is not None and entry.matched <= as_of,
                    "DateString": f"{entry.date.isoformat()}T00:00:00",
                    "Date": _net_date(entry.date),
                    "Status": "AUTHORISED",
                    "LineAmountTypes": "NoTax",
                    "SubTotal": money(abs(entry.amount)),
                    "TotalTax": money(0),
                    "Total": money(abs(entry.amount)),
                    "CurrencyCode": world.profile.currency,
                    "UpdatedDateUTC": _net_date(
                        datetime.combine(entry.system_date, datetime.min.time(), UTC)
                        + timedelta(hours=10)
                    ),
                }
            )
    records.sort(key=lambda r: (r["DateString"], r["BankTransactionID"]))
    return records


def _journals(world: World, as_of: date) -> list[dict[str, Any]]:
    """Every journal keyed by ``as_of``, numbered in the order they were keyed."""
    keyed: list[tuple[date, date, str, str]] = []
    for bank in world.banks:
        for index, entry in enumerate(world.ledger.bank_entries.get(bank.code, [])):
            if entry.system_date <= as_of:
                kind = "CASHREC" if entry.amount > 0 else "CASHPAID"
                keyed.append(
                    (
                        entry.system_date,
                        entry.date,
                        kind,
                        _guid(world.tenant_id, "j", bank.code, index),
                    )
                )
    for invoice in world.invoices:
        if invoice.date <= as_of:
            keyed.append(
                (invoice.date, invoice.date, invoice.kind, _guid(world.tenant_id, "j", invoice.id))
            )
    keyed.sort()
    return [
        {
            "JournalID": journal_id,
            "JournalDate": _net_date(day),
            "JournalNumber": number,
            "CreatedDateUTC": _net_date(
                datetime.combine(created, datetime.min.time(), UTC) + timedelta(hours=10)
            ),
            "SourceType": kind,
            "JournalLines": [],
        }
        for number, (created, day, kind, journal_id) in enumerate(keyed, start=1)
    ]


def respond_accounting(world: World, call: fp.PlannedCall) -> tuple[int, bytes]:
    """Answer one fixed Accounting API call of the plan: (HTTP status, body bytes).

    Raises:
        ValueError: not a fixed call of :mod:`lendcheck.xero.accounting_plan`.
    """
    p = call.params
    iso = date.fromisoformat
    as_of = world.profile.as_of
    if call.endpoint == plan.ORGANISATION:
        return 200, dumps(_organisation(world))
    if call.endpoint == plan.ACCOUNTS:
        return 200, dumps(_accounts(world))
    if call.endpoint == plan.EXECUTIVE_SUMMARY:
        return 200, dumps(_executive_summary(world, iso(p["date"])))
    if call.endpoint == plan.BALANCE_SHEET:
        return 200, dumps(
            _balance_sheet_report(
                world, iso(p["date"]), int(p.get("periods", "0")), p.get("timeframe", "MONTH")
            )
        )
    if call.endpoint == plan.BANK_SUMMARY:
        return 200, dumps(_bank_summary(world, iso(p["fromDate"]), iso(p["toDate"])))
    if call.endpoint == plan.PROFIT_AND_LOSS:
        start, end = iso(p["fromDate"]), iso(p["toDate"])
        if p.get("timeframe") == "YEAR":
            periods = [
                (fp.add_months(start, -12 * i), fp.add_months(end, -12 * i))
                for i in range(int(p["periods"]) + 1)
            ]
            headings = [e.strftime("%d %b %y").lstrip("0") for _, e in periods]
        else:
            periods = []
            month_start = start
            for i in range(int(p["periods"]) + 1):
                first = fp.add_months(month_start, -i)
                last = min(fp.add_months(first, 1) - timedelta(days=1), end)
                periods.append((first, last))
            headings = [s.strftime("%b %y") for s, _ in periods]
        return 200, dumps(_pnl_report(world, periods, headings))
    raise ValueError(f"the simulator does not answer {call.endpoint} {p} ({as_of})")


def accounting_calls(world: World, months: int) -> list[tuple[fp.PlannedCall, int, bytes]]:
    """Every Accounting API call of the plan for the world's report date, with its answer:
    the fixed calls, then each list's pages as Xero would page them."""
    as_of = world.profile.as_of
    out = [(call, *respond_accounting(world, call)) for call in plan.fixed_calls(as_of)]
    start = fp.period(as_of, 0)[0]
    lists = {
        plan.INVOICES: _invoices(world, start, as_of),
        plan.BANK_TRANSACTIONS: _bank_transactions(
            world, fp.statements_start(as_of, months), as_of
        ),
        plan.JOURNALS: [
            j
            for j in _journals(world, as_of)
            if datetime.combine(start, datetime.min.time(), UTC) <= _created(j)
        ],
    }
    for first in plan.first_pages(as_of, months):
        records = lists[first.endpoint]
        call: fp.PlannedCall | None = first
        while call is not None:
            if call.endpoint == plan.JOURNALS:
                offset = int(call.params["offset"])
                page = [r for r in records if r["JournalNumber"] > offset][: plan.JOURNALS_PAGE]
                body: dict[str, Any] = _envelope(world, Journals=page)
            else:
                number, size = int(call.params["page"]), int(call.params["pageSize"])
                page = records[(number - 1) * size : number * size]
                body = _envelope(
                    world,
                    pagination={
                        "page": number,
                        "pageSize": size,
                        "pageCount": max(1, -(-len(records) // size)),
                        "itemCount": len(records),
                    },
                    **{plan.RECORDS[call.endpoint]: page},
                )
            out.append((call, 200, dumps(body)))
            call = plan.next_page(
                call, {plan.RECORDS[call.endpoint]: page, "pagination": body.get("pagination")}
            )
    return out


def _created(journal: dict[str, Any]) -> datetime:
    millis = int(journal["CreatedDateUTC"][6:].split("+")[0])
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=millis)
