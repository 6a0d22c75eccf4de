"""The Accounting API plan's paging and the books read from a snapshot: pages joined in order,
an incomplete list given as missing, DELETED/VOIDED transactions left out and counted."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from lendcheck.frames.accounting import bank_transaction_frame, read_books
from lendcheck.snapshot import SnapshotWriter, load_snapshot
from lendcheck.xero import accounting_plan as plan
from lendcheck.xero import fetch_plan as fp

AS_OF = dt.date(2026, 10, 31)
ACC = "11111111-1111-1111-1111-111111111111"


def test_the_fixed_calls_and_first_pages() -> None:
    calls = plan.fixed_calls(AS_OF)
    assert [(c.endpoint, c.params) for c in calls] == [
        (plan.ORGANISATION, {}),
        (plan.ACCOUNTS, {}),
        (plan.EXECUTIVE_SUMMARY, {"date": "2026-10-31"}),
        (
            plan.PROFIT_AND_LOSS,
            {"fromDate": "2025-11-01", "toDate": "2026-10-31", "periods": "1", "timeframe": "YEAR"},
        ),
        (
            plan.PROFIT_AND_LOSS,
            {
                "fromDate": "2026-10-01",
                "toDate": "2026-10-31",
                "periods": "11",
                "timeframe": "MONTH",
            },
        ),
        (  # the 12 months before: Oct 2025 back to Nov 2024 (Xero compares at most 12)
            plan.PROFIT_AND_LOSS,
            {
                "fromDate": "2025-10-01",
                "toDate": "2025-10-31",
                "periods": "11",
                "timeframe": "MONTH",
            },
        ),
        (plan.BALANCE_SHEET, {"date": "2026-10-31", "periods": "12", "timeframe": "MONTH"}),
        (plan.BANK_SUMMARY, {"fromDate": "2025-11-01", "toDate": "2026-10-31"}),
    ]
    invoices, transactions, journals = plan.first_pages(AS_OF, 24)
    assert invoices.params["where"] == 'Status=="AUTHORISED" OR Date>=DateTime(2025,11,01)'
    assert transactions.params == {
        "where": "Date>=DateTime(2024,11,01) AND Date<=DateTime(2026,10,31)",
        "page": "1",
        "pageSize": "1000",
    }
    assert journals.params == {"offset": "0"} and journals.api == "accounting"
    assert all(c.api == plan.API for c in calls)


def test_next_page() -> None:
    first = plan.first_pages(AS_OF, page_size=2)[0]
    full = {"Invoices": [{}, {}]}
    second = plan.next_page(first, full)
    assert second is not None and second.params["page"] == "2"
    assert second.params["where"] == first.params["where"]
    assert plan.next_page(second, {"Invoices": [{}]}) is None  # a short page is the last
    assert plan.next_page(second, {"Invoices": []}) is None
    assert plan.next_page(second, {"Invoices": [{}, {}], "pagination": {"pageCount": 2}}) is None
    journals = plan.first_pages(AS_OF)[2]
    page = {"Journals": [{"JournalNumber": n} for n in range(101, 201)]}
    after = plan.next_page(journals, page)
    assert after is not None and after.params == {"offset": "200"}
    assert after.headers == journals.headers
    assert plan.next_page(after, {"Journals": [{"JournalNumber": 201}]}) is None
    assert plan.next_page(journals, "not json object") is None


def _transaction(status: str, kind: str, total: Any, reconciled: bool) -> dict[str, Any]:
    return {
        "BankTransactionID": f"{status}-{kind}-{total}",
        "Type": kind,
        "Status": status,
        "IsReconciled": reconciled,
        "Date": "/Date(1790812800000+0000)/",  # 2026-10-01
        "BankAccount": {"AccountID": ACC},
        "Total": total,
        "CurrencyCode": "GBP",
    }


def _snapshot(tmp: Path, calls: list[tuple[fp.PlannedCall, Any]]) -> Path:
    with SnapshotWriter(tmp / "snap") as writer:
        for call, body in calls:
            writer.add(call, 200, json.dumps(body).encode())
        return writer.finish(
            tenant_id="t",
            tenant_name="T",
            as_of=AS_OF,
            fetched_at="2026-11-01T00:00:00Z",
            source="test",
        )


def test_pages_joined_and_statuses_excluded_and_counted(tmp_path: Path) -> None:
    invoices, transactions, _ = plan.first_pages(AS_OF, 24, page_size=2)
    page2 = plan.next_page(transactions, {"BankTransactions": [{}, {}]})
    assert page2 is not None
    path = _snapshot(
        tmp_path,
        [
            (
                transactions,
                {
                    "BankTransactions": [
                        _transaction("AUTHORISED", "RECEIVE", 100.25, True),
                        _transaction("DELETED", "SPEND", 50, False),
                    ]
                },
            ),
            (
                page2,
                {
                    "BankTransactions": [
                        _transaction("VOIDED", "SPEND", 20, False),
                    ]
                },
            ),
            (
                invoices,
                {
                    "Invoices": [
                        {"Status": "AUTHORISED", "Type": "ACCREC", "Total": 10},
                        {"Status": "DRAFT", "Type": "ACCREC", "Total": 10},
                    ]
                },
            ),
        ],
    )
    books = read_books(load_snapshot(path), AS_OF, 24)
    assert books.bank_transactions is not None and len(books.bank_transactions) == 1
    assert books.excluded_bank_transactions == {"DELETED": 1, "VOIDED": 1}
    frame = bank_transaction_frame(books.bank_transactions)
    assert frame["amount"].to_list() == [100250] and frame["date"].to_list() == [  # thousandths
        dt.date(2026, 10, 1)
    ]
    # The invoices' first page was full (2 of 2) and the second is not in the snapshot.
    assert books.invoices is None
    assert books.missing["invoices"] == (
        "the snapshot holds 1 pages of Accounting API /Invoices but not the next (page=2): "
        "the list is incomplete"
    )
    assert books.missing["journals"].startswith("the snapshot holds no Accounting API /Journals")
    assert (
        books.missing["organisation"] == "the snapshot holds no Accounting API /Organisation call"
    )
    assert books.organisation is None


def test_spend_is_negative_in_the_frame() -> None:
    from lendcheck.xero.accounting_models import BankTransaction

    spend = BankTransaction.model_validate(
        _transaction("AUTHORISED", "SPEND-TRANSFER", 7, False), by_alias=True, by_name=False
    )
    assert bank_transaction_frame([spend])["amount"].to_list() == [-7000]  # thousandths


def test_balance_sheet_column_dates() -> None:
    from lendcheck.frames.accounting import _column_dates

    by_month = {"date": "2026-09-30", "periods": "2", "timeframe": "MONTH"}
    assert _column_dates(by_month, 4) == (
        dt.date(2026, 9, 30),
        dt.date(2026, 8, 31),  # a month end stays a month end
        dt.date(2026, 7, 31),
        None,  # beyond the periods asked for
    )
    by_year = {"date": "2026-10-31", "periods": "1", "timeframe": "YEAR"}
    assert _column_dates(by_year, 2) == (dt.date(2026, 10, 31), dt.date(2025, 10, 31))
    # Xero's defaults (no periods, no timeframe): the date's column only
    assert _column_dates({"date": "2026-10-31"}, 2) == (dt.date(2026, 10, 31), None)
    assert _column_dates({"date": "not a date"}, 1) == (None,)
