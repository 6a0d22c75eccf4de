"""The entry point: inputs picked from a snapshot, every section composed, missing inputs
named and never turned into zeros."""

from __future__ import annotations

import json
from decimal import Decimal as D
from pathlib import Path

import pytest

from lendcheck.metrics.analysis import (
    INPUT_NAMES,
    FinancialAnalysis,
    FinancialInputs,
    LoanTerms,
    analyse_financials,
)
from lendcheck.report.inputs import financial_inputs
from lendcheck.snapshot import SnapshotWriter, load_snapshot
from lendcheck.xero import fetch_plan as fp

from .build import AS_OF, START, bank_statements, consistent_inputs, frames, pnl_dict

US_REASON = "Xero answered 400: Cashflow statement is not available in US region"
TERMS = LoanTerms(D("50000"), 36, D("0.085"))


def test_consistent_organisation_end_to_end() -> None:
    a = analyse_financials(consistent_inputs(), frames(), AS_OF, TERMS)
    assert isinstance(a, FinancialAnalysis)
    assert (a.period_start, a.period_end, a.currency) == (START, AS_OF, "GBP")
    assert a.profit_and_loss.current.gross_margin == pytest.approx(0.6)
    assert a.profit_and_loss.previous.revenue.amount == D("100000.00")
    assert a.balance_sheet.current.current_ratio == pytest.approx(2.5)
    assert a.balance_sheet.previous.not_available["debt_to_equity"] == "negative equity"
    assert a.cash_flow.current.operating_activities.amount == D("18000.00")
    assert a.cash_flow.previous.not_available["operating_activities"].startswith(
        "Xero answered 503"
    )
    assert a.loan.dscr == pytest.approx(19500 / 24440.56)
    assert a.loan.bank_verified_receipts.amount == D("1200.00")
    assert a.concentration.customers.top1_share == pytest.approx(0.5)
    assert a.bank_to_books.bank_inflows.amount == D("2300.00")
    assert a.bank_to_books.customers_from_contacts == a.concentration.customers
    assert all(c.passed for c in a.integrity_checks)
    assert a.missing_inputs == {
        "cashflow_previous": "Xero answered 503: Cannot process org at this time"
    }


def test_json_is_deterministic_and_money_is_exact_strings() -> None:
    first = analyse_financials(consistent_inputs(), frames(), AS_OF, TERMS).model_dump_json()
    again = analyse_financials(consistent_inputs(), frames(), AS_OF, TERMS).model_dump_json()
    assert first == again
    body = json.loads(first)
    assert body["profit_and_loss"]["current"]["revenue"] == {
        "amount": "120500.00",
        "currency": "GBP",
    }
    assert body["balance_sheet"]["current"]["quick_ratio"] == 2.2857


def test_without_loan_terms_the_loan_section_is_null() -> None:
    assert analyse_financials(consistent_inputs(), frames(), AS_OF).loan is None


def test_us_organisation_without_cashflow() -> None:
    inputs = consistent_inputs(
        cashflow_current=None,
        cashflow_previous=None,
        missing={"cashflow_current": US_REASON, "cashflow_previous": US_REASON},
    )
    a = analyse_financials(inputs, frames(), AS_OF, TERMS)
    assert a.cash_flow.current.operating_activities is None
    assert a.cash_flow.current.not_available["operating_activities"] == US_REASON
    assert a.cash_flow.runway_basis == "bank_statements"
    assert a.loan.dscr_basis == "ebitda_proxy"
    assert a.loan.not_available["operating_cash_flow"] == US_REASON
    cashflow_checks = [c for c in a.integrity_checks if c.id.startswith("cashflow")]
    assert len(cashflow_checks) == 3
    assert all(c.passed is None and c.reason == US_REASON for c in cashflow_checks)


def test_nothing_at_all_never_crashes_and_shows_no_zero() -> None:
    from dataclasses import fields

    # Every input of the analysis has a name, so every one can be reported missing.
    assert set(INPUT_NAMES) == {f.name for f in fields(FinancialInputs)} - {
        "missing",
        "currency",
        "currency_basis",
        "currency_reason",
    }
    reasons = {n: f"the snapshot holds no {n}" for n in INPUT_NAMES}
    a = analyse_financials(FinancialInputs(missing=reasons, currency="GBP"), None, AS_OF, TERMS)
    assert (a.period_start, a.period_end) == fp.period(AS_OF)
    body = a.model_dump()
    # Every money figure but the loan's own terms is null.
    for section in (
        "profit_and_loss",
        "balance_sheet",
        "cash_flow",
        "concentration",
        "bank_to_books",
    ):
        assert '"amount"' not in json.dumps(body[section], default=str), section
    assert a.profit_and_loss.current.not_available["revenue"] == "the snapshot holds no pnl_current"
    assert all(c.passed is None and c.reason for c in a.integrity_checks)
    assert a.loan.dscr is None and a.loan.monthly_repayment.amount == D("1578.38")


def _plain(value: object) -> object:
    return float(value) if isinstance(value, D) else str(value)  # JSON numbers, ISO dates


def _write_snapshot(directory: Path) -> Path:
    calls = fp.organisation_calls(AS_OF)
    pnl_call = next(c for c in calls if c.endpoint == fp.PROFIT_AND_LOSS and c.period == "current")
    cf_call = next(c for c in calls if c.endpoint == fp.CASHFLOW and c.period == "current")
    bank_call = fp.bank_statement_calls(AS_OF, ["11111111-0000-0000-0000-000000000001"])[0]
    problem = {
        "type": "invalid-request",
        "title": "InvalidRequest",
        "status": 400,
        "detail": "Cashflow statement is not available in US region",
    }
    bank_body = bank_statements()[0].model_dump(by_alias=True, exclude_none=True)
    with SnapshotWriter(directory) as w:
        w.add(pnl_call, 200, json.dumps(pnl_dict(), default=float).encode())
        w.add(cf_call, 400, json.dumps(problem).encode())
        w.add(bank_call, 200, json.dumps(bank_body, default=_plain).encode())
        return w.finish(
            tenant_id="t",
            tenant_name="Test Ltd",
            as_of=AS_OF,
            fetched_at="2026-11-01T00:00:00Z",
            source="simulator",
        )


def test_financial_inputs_from_a_snapshot(tmp_path: Path) -> None:
    snapshot = load_snapshot(_write_snapshot(tmp_path / "snap"))
    inputs = financial_inputs(snapshot, AS_OF, 24)
    # Neither /Organisation nor a balance sheet and CashValidation to establish the base
    # currency from: unknown, not guessed from the bank account's currency.
    assert inputs.currency == "" and inputs.currency_basis is None
    assert inputs.currency_reason.startswith("the snapshot holds neither /Organisation")
    assert inputs.pnl_current is not None
    assert inputs.pnl_current.revenue.total == D("120500")
    assert inputs.cashflow_current is None
    assert inputs.missing["cashflow_current"] == US_REASON
    assert inputs.missing["balance_sheet_current"] == (
        "the snapshot holds no /FinancialStatements/BalanceSheet call (balanceDate=2026-10-31)"
    )
    assert set(inputs.missing) == set(INPUT_NAMES) - {"pnl_current"}  # the only call it holds
    a = analyse_financials(inputs, None, AS_OF)
    assert a.profit_and_loss.current.net_profit.amount == D("27000.00")
    assert a.missing_inputs["cashflow_current"] == US_REASON


def test_base_currency_from_the_organisation_call(tmp_path: Path) -> None:
    org = fp.PlannedCall("/Organisation")
    body = {"Organisations": [{"Name": "Test Ltd", "BaseCurrency": "nzd"}]}
    with SnapshotWriter(tmp_path / "snap") as w:
        w.add(org, 200, json.dumps(body).encode())
        path = w.finish(
            tenant_id="t",
            tenant_name="Test Ltd",
            as_of=AS_OF,
            fetched_at="2026-11-01T00:00:00Z",
            source="simulator",
        )
    inputs = financial_inputs(load_snapshot(path), AS_OF, 24)
    assert inputs.currency == "NZD"
    assert set(inputs.missing) == set(INPUT_NAMES)  # every Finance report, each with its reason
