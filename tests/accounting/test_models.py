"""The Accounting API models: Xero's two date formats, report rows read by type and title,
the spec's own examples, and the snapshot manifest's ``api`` field."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from lendcheck.errors import SnapshotError
from lendcheck.money import loads_exact
from lendcheck.snapshot import SnapshotWriter, load_snapshot
from lendcheck.xero import accounting_plan as plan
from lendcheck.xero import fetch_plan as fp
from lendcheck.xero.accounting_models import (
    ACCOUNTING_RESPONSE_MODELS,
    BankTransactionsResponse,
    InvoicesResponse,
    OrganisationResponse,
    Report,
    ReportGrid,
    ReportsResponse,
    parse_xero_datetime,
    report_number,
)
from tests.conftest import ACCOUNTING_SPEC, SHARED_ACCOUNTING_SPEC

AS_OF = dt.date(2026, 10, 31)


def _validate(endpoint: str, payload: Any) -> Any:
    return ACCOUNTING_RESPONSE_MODELS[endpoint].validate_python(
        loads_exact(json.dumps(payload)), by_alias=True, by_name=False
    )


def test_net_dates_and_iso_dates() -> None:
    utc = dt.UTC
    assert parse_xero_datetime("/Date(1550793549392+0000)/") == dt.datetime(
        2019, 2, 21, 23, 59, 9, 392000, tzinfo=utc
    )
    # The offset says how the value was written; the instant is the milliseconds.
    assert parse_xero_datetime("/Date(1550793549392+1300)/") == parse_xero_datetime(
        "/Date(1550793549392)/"
    )
    assert parse_xero_datetime("/Date(-86400000)/") == dt.datetime(1969, 12, 31, tzinfo=utc)
    assert parse_xero_datetime("2019-02-22T00:00:00") == dt.datetime(2019, 2, 22, tzinfo=utc)
    assert parse_xero_datetime("2019-02-22T13:00:00+13:00") == dt.datetime(2019, 2, 22, tzinfo=utc)
    for bad in ("", "string", "/Date(abc)/", "22/02/2019"):
        with pytest.raises(ValueError, match="not a Xero date"):
            parse_xero_datetime(bad)
    with pytest.raises(ValueError, match="must be a string"):
        parse_xero_datetime(1550793549392)


def test_one_response_with_both_date_formats() -> None:
    page = _validate(
        plan.INVOICES,
        {
            "Invoices": [
                {
                    "InvoiceID": "D4956132-ED94-4DD7-9EAA-AA22DFDF06F2",
                    "Type": "ACCREC",
                    "Status": "AUTHORISED",
                    "Date": "/Date(1539993600000+0000)/",
                    "DueDate": "2018-12-30T00:00:00",
                    "Total": 1234.5,
                    "AmountDue": 0.1,
                    "Contact": {"ContactID": "A3675FC4-F8DD-4F03-BA5B-F1870566BCD7", "Name": "B"},
                }
            ],
            "pagination": {"page": 1, "pageSize": 1000, "pageCount": 1, "itemCount": 1},
        },
    )
    assert isinstance(page, InvoicesResponse)
    [invoice] = page.invoices
    assert invoice.date == dt.date(2018, 10, 20)
    assert invoice.due_date == dt.date(2018, 12, 30)
    assert invoice.total == D("1234.5") and invoice.amount_due == D("0.1")  # exact, not float
    assert invoice.invoice_id == "d4956132-ed94-4dd7-9eaa-aa22dfdf06f2"
    assert invoice.contact is not None and invoice.contact.contact_id.startswith("a3675fc4")
    assert page.pagination is not None and page.pagination.page_count == 1


def test_a_malformed_date_or_amount_is_refused_naming_the_field() -> None:
    with pytest.raises(ValidationError, match="Date"):
        _validate(plan.BANK_TRANSACTIONS, {"BankTransactions": [{"Date": "soon"}]})
    with pytest.raises(ValidationError, match="Total"):
        _validate(plan.BANK_TRANSACTIONS, {"BankTransactions": [{"Total": "12.00"}]})


def test_report_numbers() -> None:
    assert report_number("1,234.50") == D("1234.50")
    assert report_number("(12.00)") == D("-12.00")
    assert report_number("-6.426484907497565725413826680") == D("-6.426484907497565725413826680")
    assert report_number("12.5%") == D("12.5")
    assert report_number("") is None
    assert report_number("Total Income") is None
    assert report_number("NaN") is None


def _row(label: str, *values: str, account: str | None = None) -> dict[str, Any]:
    first: dict[str, Any] = {"Value": label}
    if account:
        first["Attributes"] = [{"Id": "account", "Value": account}]
    return {"RowType": "Row", "Cells": [first, *({"Value": v} for v in values)]}


def test_report_rows_read_by_type_and_title_not_position() -> None:
    report = {
        "ReportType": "ProfitAndLoss",
        "ReportTitles": ["Profit and Loss", "Acme", "1 November 2025 to 31 October 2026"],
        "Rows": [
            {
                "RowType": "Section",
                "Title": "Less Operating Expenses",
                "Rows": [
                    _row(
                        "Rent", "1200.00", "1100.00", account="AAAA0000-0000-0000-0000-000000000001"
                    ),
                    {
                        "RowType": "SummaryRow",
                        "Cells": [
                            {"Value": "Total Operating Expenses"},
                            {"Value": "1200.00"},
                            {"Value": "1100.00"},
                        ],
                    },
                ],
            },
            {
                "RowType": "Header",
                "Cells": [{"Value": ""}, {"Value": "31 Oct 26"}, {"Value": "31 Oct 25"}],
            },
            {
                "RowType": "Section",
                "Title": "Income",
                "Rows": [_row("Sales", "5000.00", "(20.00)")],
            },
            {
                "RowType": "Section",
                "Title": "",
                "Rows": [_row("Net Profit", "3800.00", "-1120.00")],
            },
        ],
    }
    grid = ReportGrid.of(Report.model_validate(report, by_alias=True, by_name=False))
    assert grid.columns == ("31 Oct 26", "31 Oct 25")  # the Header, wherever it is
    sales = grid.find("income", "SALES")
    assert sales is not None and sales.number(0) == D("5000.00") and sales.number(1) == D("-20")
    assert sales.number(2) is None
    rent = grid.find("Less Operating Expenses", "Rent")
    assert rent is not None and rent.account_id == "aaaa0000-0000-0000-0000-000000000001"
    total = grid.find("Less Operating Expenses", "Total Operating Expenses", "SummaryRow")
    assert total is not None and total.number(1) == D("1100.00")
    assert grid.find("Less Operating Expenses", "Total Operating Expenses", "Row") is None
    assert [line.label for line in grid.section("")] == ["Net Profit"]
    frame = grid.frame()
    assert frame.height == 8  # four lines, two columns each
    assert frame.filter(frame["label"] == "Sales")["heading"].to_list() == [
        "31 Oct 26",
        "31 Oct 25",
    ]


def test_the_spec_copy_is_xeros(accounting_spec: dict) -> None:
    if SHARED_ACCOUNTING_SPEC.is_file():
        assert ACCOUNTING_SPEC.read_bytes() == SHARED_ACCOUNTING_SPEC.read_bytes()
    assert accounting_spec["info"]["version"] == "16.1.0"


def test_every_example_of_the_spec_parses(accounting_spec: dict) -> None:
    spec = accounting_spec
    parsed = {}
    for endpoint in plan.ENDPOINTS:
        content = spec["paths"][endpoint]["get"]["responses"]["200"]["content"]
        example = content["application/json"].get("example")
        if example is None:  # /Reports/ProfitAndLoss has none
            continue
        raw = example if isinstance(example, str) else json.dumps(example, default=str)
        parsed[endpoint] = ACCOUNTING_RESPONSE_MODELS[endpoint].validate_python(
            loads_exact(raw), by_alias=True, by_name=False
        )
    assert set(parsed) == set(plan.ENDPOINTS) - {plan.PROFIT_AND_LOSS}
    org = parsed[plan.ORGANISATION]
    assert isinstance(org, OrganisationResponse)
    assert (org.organisations[0].base_currency, org.organisations[0].financial_year_end_month) == (
        "NZD",
        3,
    )
    summary = parsed[plan.EXECUTIVE_SUMMARY]
    assert isinstance(summary, ReportsResponse)
    debtors = summary.grid.find("Balance Sheet", "Debtors")
    assert debtors is not None and debtors.number() == D("590.00")
    transactions = parsed[plan.BANK_TRANSACTIONS]
    assert isinstance(transactions, BankTransactionsResponse)
    assert transactions.bank_transactions[0].is_reconciled is False


def _write(tmp: Path, calls: list[tuple[fp.PlannedCall, int, Any]]) -> Path:
    with SnapshotWriter(tmp / "snap") as writer:
        for call, status, body in calls:
            writer.add(call, status, json.dumps(body).encode())
        return writer.finish(
            tenant_id="t",
            tenant_name="T",
            as_of=AS_OF,
            fetched_at="2026-11-01T00:00:00Z",
            source="test",
        )


def test_manifest_api_field(tmp_path: Path) -> None:
    legacy = fp.PlannedCall("/Organisation")  # the Finance-era extra call: no api field
    accounting = fp.PlannedCall(plan.ORGANISATION, api=plan.API)
    journals = plan.first_pages(AS_OF)[2]
    path = _write(
        tmp_path,
        [
            (legacy, 200, {"Organisations": [{"BaseCurrency": "GBP"}]}),
            (accounting, 200, {"Organisations": [{"BaseCurrency": "NZD"}]}),
            (journals, 200, {"Journals": []}),
        ],
    )
    entries = json.loads((path / "manifest.json").read_text())["calls"]
    assert "api" not in entries[0] and "headers" not in entries[0]
    assert (
        entries[1]["api"] == "accounting" and entries[1]["file"] == "accounting/organisation.json"
    )
    assert entries[2]["headers"] == {"If-Modified-Since": "2025-11-01T00:00:00Z"}
    assert entries[2]["file"] == "accounting/journals/offset-000000000.json"
    snapshot = load_snapshot(path)
    assert snapshot.apis() == {"finance", "accounting"}
    [old] = snapshot.all_of("/Organisation")
    assert old.data == {"Organisations": [{"BaseCurrency": "GBP"}]}  # kept raw, as before
    [new] = snapshot.all_of(plan.ORGANISATION, api=plan.API)
    assert isinstance(new.data, OrganisationResponse)
    assert new.data.organisations[0].base_currency == "NZD"
    assert snapshot.of(journals) is not None
    assert snapshot.of(fp.PlannedCall(plan.JOURNALS, {"offset": "0"}, api=plan.API)) is None


def test_an_unknown_api_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, [(fp.PlannedCall(plan.ACCOUNTS, api=plan.API), 200, {"Accounts": []})])
    manifest = json.loads((path / "manifest.json").read_text())
    manifest["calls"][0]["api"] = "payroll"
    (path / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(SnapshotError, match=r"calls\[0\]\.api 'payroll' is not one"):
        load_snapshot(path)


def test_an_accounting_response_that_does_not_fit_names_the_field(tmp_path: Path) -> None:
    call = plan.first_pages(AS_OF)[1]
    body = {"BankTransactions": [{"BankTransactionID": "x", "Date": "not a date"}]}
    path = _write(tmp_path, [(call, 200, body)])
    digest = hashlib.sha256(json.dumps(body).encode()).hexdigest()
    assert json.loads((path / "manifest.json").read_text())["calls"][0]["sha256"] == digest
    with pytest.raises(
        SnapshotError,
        match=r"/BankTransactions response does not fit its model "
        r"at BankTransactions\.0\.Date",
    ):
        load_snapshot(path)
