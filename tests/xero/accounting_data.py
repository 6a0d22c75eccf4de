"""Accounting API data for the fake Xero: a copy of a sample snapshot with the Accounting API
calls added, coherent enough to fetch and read (the ledger simulator writes the samples' own).

Hand-made so that every count is known: 3 invoices (one VOIDED), 1,203 bank transactions (two
DELETED, one VOIDED; 1,200 kept, so two pages of 1,000), 250 journals numbered 1 to 250 of which
the first 20 were keyed before the current period (the fake leaves them out for
``If-Modified-Since``) and journals 31 to 40 were keyed 45 days after their date. Dates are
written both as ``/Date(ms+0000)/`` and as ISO strings, as Xero does.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from lendcheck.xero import accounting_plan as plan
from lendcheck.xero import fetch_plan as fp

AS_OF = date(2026, 10, 31)
DEBTORS = "5040915e-8ce7-4177-8d08-fde416232f18"
CREDITORS = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
SALES = "7d05a53d-613d-4eb2-a2fc-dcb6adb80b80"


def net_date(day: date | datetime) -> str:
    """``/Date(ms+0000)/`` of a day (midnight UTC) or a moment."""
    moment = day if isinstance(day, datetime) else datetime(day.year, day.month, day.day)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return f"/Date({int(moment.timestamp() * 1000)}+0000)/"


def _row(label: str, *values: str, account: str | None = None) -> dict[str, Any]:
    first: dict[str, Any] = {"Value": label}
    if account:
        first["Attributes"] = [{"Id": "account", "Value": account}]
    return {"RowType": "Row", "Cells": [first, *({"Value": v} for v in values)]}


def _report(kind: str, headings: list[str], sections: list[tuple[str, list[Any]]]) -> bytes:
    rows: list[dict[str, Any]] = [
        {"RowType": "Header", "Cells": [{"Value": ""}, *({"Value": h} for h in headings)]}
    ]
    rows += [{"RowType": "Section", "Title": t, "Rows": r} for t, r in sections]
    body = {
        "Id": "c1f4a6b2-0d43-4b6f-9b7e-52d4b0a5e6f1",
        "Status": "OK",
        "ProviderName": "lendcheck tests",
        "DateTimeUTC": net_date(datetime(2026, 11, 21, 14, tzinfo=UTC)),
        "Reports": [
            {
                "ReportName": kind,
                "ReportType": kind,
                "ReportTitles": [kind, "Harbour Cafe Ltd"],
                "ReportDate": "21 November 2026",
                "UpdatedDateUTC": net_date(datetime(2026, 11, 21, 14, tzinfo=UTC)),
                "Fields": [],
                "Rows": rows,
            }
        ],
    }
    return json.dumps(body).encode()


def fixed_bodies(bank_account_id: str) -> list[bytes]:
    """The bodies of :func:`lendcheck.xero.accounting_plan.fixed_calls` for ``AS_OF``, in order."""
    organisation = {
        "Organisations": [
            {
                "OrganisationID": "b2c885a9-4bb9-4a00-9b6e-6c2bf60b1a2b",
                "Name": "Harbour Cafe Ltd",
                "BaseCurrency": "GBP",
                "CountryCode": "GB",
                "OrganisationType": "COMPANY",
                "FinancialYearEndDay": 31,
                "FinancialYearEndMonth": 3,
                "CreatedDateUTC": net_date(datetime(2019, 4, 2, 9, 30, tzinfo=UTC)),
            }
        ]
    }
    accounts = {
        "Accounts": [
            {
                "AccountID": bank_account_id,
                "Code": "090",
                "Name": "Business Account",
                "Type": "BANK",
                "BankAccountType": "BANK",
                "CurrencyCode": "GBP",
                "Status": "ACTIVE",
            },
            {
                "AccountID": DEBTORS,
                "Code": "610",
                "Name": "Accounts Receivable",
                "Type": "CURRENT",
                "SystemAccount": "DEBTORS",
                "Status": "ACTIVE",
            },
            {
                "AccountID": CREDITORS,
                "Code": "800",
                "Name": "Accounts Payable",
                "Type": "CURRLIAB",
                "SystemAccount": "CREDITORS",
                "Status": "ACTIVE",
            },
            {
                "AccountID": SALES,
                "Code": "200",
                "Name": "Sales",
                "Type": "REVENUE",
                "Status": "ACTIVE",
            },
        ]
    }
    summary = _report(
        "ExecutiveSummary",
        ["Oct 2026", "Sep 2026", "Variance"],
        [
            ("Cash", [_row("Closing bank balance", "20512.40", "18000.00", "14.0%")]),
            ("Profitability", [_row("Income", "30100.00", "29000.00", "3.8%")]),
            ("Balance Sheet", [_row("Debtors", "4100.00", "3900.00", "5.1%")]),
        ],
    )
    pnl_years = _report(
        "ProfitAndLoss",
        ["31 Oct 26", "31 Oct 25"],
        [
            (
                "Income",
                [
                    _row("Sales", "361200.00", "340000.00", account=SALES),
                    {
                        "RowType": "SummaryRow",
                        "Cells": [
                            {"Value": "Total Income"},
                            {"Value": "361200.00"},
                            {"Value": "340000.00"},
                        ],
                    },
                ],
            ),
            ("", [_row("Net Profit", "40100.00", "35500.00")]),
        ],
    )
    headings = []
    day = AS_OF
    for _ in range(12):
        headings.append(day.strftime("%b %y"))
        day = day.replace(day=1) - timedelta(days=1)
    pnl_months = _report(
        "ProfitAndLoss",
        headings,
        [("Income", [_row("Sales", *(f"{30000 + 100 * i}.00" for i in range(12)), account=SALES)])],
    )
    before = []
    day = AS_OF.replace(day=1) - timedelta(days=1)
    for _ in range(12):  # the 12 months before: Oct 25 back to Nov 24
        before.append(day.strftime("%b %y"))
        day = day.replace(day=1) - timedelta(days=1)
    pnl_months_before = _report(
        "ProfitAndLoss",
        before,
        [("Income", [_row("Sales", *(f"{28000 + 100 * i}.00" for i in range(12)), account=SALES)])],
    )
    balance = _report(
        "BalanceSheet",
        ["31 Oct 2026", "31 Oct 2025"],
        [
            ("Bank", [_row("Business Account", "20512.40", "15000.00", account=bank_account_id)]),
            (
                "Current Assets",
                [_row("Accounts Receivable", "4100.00", "3500.00", account=DEBTORS)],
            ),
        ],
    )
    bank_summary = _report(
        "BankSummary",
        ["Opening Balance", "Cash Received", "Cash Spent", "Closing Balance"],
        [
            (
                "",
                [
                    _row(
                        "Business Account",
                        "15000.00",
                        "370000.00",
                        "364487.60",
                        "20512.40",
                        account=bank_account_id,
                    )
                ],
            )
        ],
    )
    return [
        json.dumps(organisation).encode(),
        json.dumps(accounts).encode(),
        summary,
        pnl_years,
        pnl_months,
        pnl_months_before,
        balance,
        bank_summary,
    ]


def invoices() -> list[dict[str, Any]]:
    contact = {"ContactID": "A3675FC4-F8DD-4F03-BA5B-F1870566BCD7", "Name": "Quayside Hotel"}
    return [
        {
            "InvoiceID": "d4956132-ed94-4dd7-9eaa-aa22dfdf06f2",
            "Type": "ACCREC",
            "Status": "AUTHORISED",
            "Contact": contact,
            "Date": net_date(date(2026, 7, 1)),
            "DueDate": net_date(date(2026, 7, 31)),
            "Total": 1200.0,
            "AmountDue": 1200.0,
            "CurrencyCode": "GBP",
        },
        {
            "InvoiceID": "046d8a6d-1ae1-4b4d-9340-5601bdf41b87",
            "Type": "ACCREC",
            "Status": "PAID",
            "Contact": contact,
            "Date": "2026-09-01T00:00:00",
            "DueDate": "2026-10-01T00:00:00",
            "Total": 800.5,
            "AmountDue": 0.0,
            "CurrencyCode": "GBP",
        },
        {
            "InvoiceID": "0b7f5e1d-2c3a-4b5c-8d6e-7f8091a2b3c4",
            "Type": "ACCREC",
            "Status": "VOIDED",
            "Contact": contact,
            "Date": net_date(date(2026, 9, 5)),
            "Total": 99.0,
            "AmountDue": 0.0,
            "CurrencyCode": "GBP",
        },
    ]


def bank_transactions(bank_account_id: str) -> list[dict[str, Any]]:
    records = []
    start = date(2024, 11, 1)
    for i in range(1203):
        day = start + timedelta(days=i * 729 // 1203)
        status = "DELETED" if i in (5, 600) else "VOIDED" if i == 7 else "AUTHORISED"
        records.append(
            {
                "BankTransactionID": f"00000000-0000-4000-8000-{i:012d}",
                "Type": "RECEIVE" if i % 3 else "SPEND",
                "Status": status,
                "IsReconciled": i % 10 != 0,
                "Date": net_date(day) if i % 2 else f"{day.isoformat()}T00:00:00",
                "BankAccount": {"AccountID": bank_account_id, "Code": "090"},
                "Total": 100 + i % 7,
                "CurrencyCode": "GBP",
            }
        )
    return records


def journals() -> list[dict[str, Any]]:
    records = []
    for number in range(1, 251):
        day = date(2025, 10, 1) + timedelta(days=number * 2)
        created = datetime(day.year, day.month, day.day, 10, tzinfo=UTC)
        if number <= 20:
            day, created = date(2025, 10, 1), datetime(2025, 10, 2, tzinfo=UTC)
        if 31 <= number <= 40:
            created += timedelta(days=45)
        records.append(
            {
                "JournalID": f"10000000-0000-4000-8000-{number:012d}",
                "JournalNumber": number,
                "JournalDate": net_date(day),
                "CreatedDateUTC": net_date(created),
                "SourceType": "CASHREC",
                "JournalLines": [],
            }
        )
    return records


def with_accounting(sample: Path, directory: Path, *, finance: bool = True) -> Path:
    """A copy of ``sample`` in ``directory`` with the Accounting API calls added (and, unless
    ``finance``, without its Finance API calls): the fake serves it."""
    shutil.copytree(sample, directory)
    manifest = json.loads((directory / "manifest.json").read_bytes())
    cash = next(c for c in manifest["calls"] if c["endpoint"] == fp.CASH_VALIDATION)
    bank_account_id = json.loads((directory / cash["file"]).read_bytes())[0]["accountId"]
    if not finance:
        manifest["calls"] = []
    entries = list(zip(plan.fixed_calls(AS_OF), fixed_bodies(bank_account_id), strict=True))
    firsts = plan.first_pages(AS_OF, 24)
    lists = [invoices(), bank_transactions(bank_account_id), journals()]
    for call, records in zip(firsts, lists, strict=True):
        key = plan.RECORDS[call.endpoint]
        entries.append((call, json.dumps({key: records}).encode()))
    for call, body in entries:
        file = call.file_name()
        (directory / file).parent.mkdir(parents=True, exist_ok=True)
        (directory / file).write_bytes(body)
        entry: dict[str, Any] = {
            "endpoint": call.endpoint,
            "api": "accounting",
            "params": call.params,
            "status": 200,
            "file": file,
            "sha256": hashlib.sha256(body).hexdigest(),
        }
        if call.headers:
            entry["headers"] = call.headers
        manifest["calls"].append(entry)
    (directory / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return directory
