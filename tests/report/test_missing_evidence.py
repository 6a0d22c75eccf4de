"""Never a zero or a pass for a check not done: each planned call of a sample is removed in
turn, and no summary in report.json or on page 1 may show a passing value for a check whose
input is gone."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from lendcheck.formatting import share
from lendcheck.render.html import render_html
from lendcheck.report import Report, build_report
from lendcheck.snapshot import load_snapshot
from lendcheck.xero import fetch_plan as fp
from tests.corpus.cases import manifest, save_manifest

from .conftest import DEFAULT_SAMPLE

CALLS = manifest(DEFAULT_SAMPLE)["calls"]

#: The integrity checks each question feeds (a check with any input gone must not pass).
CHECK_INPUTS = {
    "trial_balance_debits_equal_credits": {"trial_balance"},
    "balance_sheet_balances": {"balance_sheet_current"},
    "balance_sheet_balances_previous": {"balance_sheet_previous"},
    "balance_sheet_totals_add_up": {"balance_sheet_current"},
    "net_profit_equals_revenue_less_expenses": {"profit_and_loss_current"},
    "net_profit_equals_revenue_less_expenses_previous": {"profit_and_loss_previous"},
    "profit_and_loss_totals_add_up": {"profit_and_loss_current"},
    "cashflow_closing_less_opening_equals_net_movement": {"cash_flow_current"},
    "cashflow_activities_sum_to_net_movement": {"cash_flow_current"},
    "cashflow_closing_cash_equals_balance_sheet_bank": {
        "cash_flow_current",
        "balance_sheet_current",
    },
    "balance_sheet_bank_vs_statement_balances": {"balance_sheet_current", "bank_statement_lines"},
    "contacts_revenue_equals_pnl_revenue": {"contacts_revenue", "profit_and_loss_current"},
}


def _question(call: dict[str, Any]) -> str | None:
    """The evidence question a sample's call answers (None: no question reads it)."""
    endpoint, params = call["endpoint"], call["params"]
    previous = params.get("endDate") == "2025-10-31"
    if endpoint == fp.PROFIT_AND_LOSS and params.get("startDate") == "2026-10-01":
        return None  # the month of the Executive Summary: no evidence question of its own
    if endpoint == fp.CASH_VALIDATION:
        return "reconciliation_cadence" if "asAtSystemDate" in params else "cash_validation"
    if endpoint == fp.BANK_STATEMENTS:
        return "bank_statement_lines"
    if endpoint == fp.BALANCE_SHEET:
        return (
            "balance_sheet_previous"
            if params["balanceDate"] == "2025-10-31"
            else ("balance_sheet_current")
        )
    if endpoint == fp.TRIAL_BALANCE:
        return "trial_balance"
    name = {
        fp.PROFIT_AND_LOSS: "profit_and_loss",
        fp.CASHFLOW: "cash_flow",
        fp.CONTACTS_REVENUE: "contacts_revenue",
        fp.CONTACTS_EXPENSE: "contacts_expense",
    }[endpoint]
    if name.startswith("contacts"):
        return None if previous else name
    return f"{name}_previous" if previous else f"{name}_current"


Without = Callable[[str], Report]


@pytest.fixture(scope="module")
def without(tmp_path_factory: pytest.TempPathFactory) -> Without:
    """The report of harbour-cafe without the call stored in ``file``, built once per module
    for each file (the summary and page 1 tests read the same report; they never change it)."""
    reports: dict[str, Report] = {}

    def report(file: str) -> Report:
        if file not in reports:
            snap = tmp_path_factory.mktemp("without") / "snap"
            shutil.copytree(DEFAULT_SAMPLE, snap)
            data = manifest(snap)
            data["calls"] = [c for c in data["calls"] if c["file"] != file]
            save_manifest(snap, data)
            reports[file] = build_report(load_snapshot(snap))
        return reports[file]

    return report


def _assert_nothing_passes(report: Report, question: str | None, call: dict[str, Any]) -> None:
    overall = report.bank.overall
    params = call["params"]
    item = getattr(report.evidence, question) if question else None
    if question == "profit_and_loss_current":
        # The month ending at the report date still answers the P&L question, for its 31 of
        # the 365 days (docs/evidence.md): partial evidence, said, never a whole year.
        assert item is not None and item.coverage == pytest.approx(31 / 365)
        assert item.not_available == (
            "covers 2026-10-01 to 2026-10-31 (31 days), not the plan's 12 months from 2025-11-01"
        )
        assert report.evidence.completeness is not None and report.evidence.completeness < 1.0
        return
    assert any(m.endpoint == call["endpoint"] and m.params == params for m in report.inputs.missing)
    if item is None:
        return
    assert (item.coverage or 0.0) < 1.0 and item.not_available
    assert report.evidence.completeness is not None and report.evidence.completeness < 1.0
    for check in report.financials.integrity_checks:
        if question in CHECK_INPUTS[check.id]:
            assert check.passed is None, check.id
            assert check.reason
    if question == "cash_validation":
        assert overall.cross_check_agrees is None and overall.cross_check_differences is None
        assert overall.accounts_with_ledger_above_bank is None
        assert overall.ledger_vs_bank_accounts_checked == 0
        assert overall.cross_check_accounts_not_checked == overall.accounts
        assert "not checked" in overall.not_available["accounts_with_ledger_above_bank"]
        for account in report.bank.accounts:
            assert account.cross_check.agrees is None and account.cross_check.not_available
            assert account.ledger_vs_bank.ledger_minus_bank is None
    if question == "reconciliation_cadence":
        month_end = params["asAtSystemDate"]
        for account in report.bank.accounts:
            [point] = [p for p in account.cadence.points if p.month_end.isoformat() == month_end]
            assert point.reconciled_lines is None and point.not_available
    if question == "bank_statement_lines":
        [account] = [
            a for a in report.bank.accounts if a.bank_account_id == params["BankAccountID"]
        ]
        # Xero's CashValidation counts the lines of the window that is gone.
        assert account.cross_check.agrees is not True
        assert overall.cross_check_agrees is not True


@pytest.mark.parametrize("call", CALLS, ids=[c["file"] for c in CALLS])
def test_no_summary_passes_a_check_whose_input_is_gone(
    call: dict[str, Any], without: Without
) -> None:
    _assert_nothing_passes(without(call["file"]), _question(call), call)


def _page1(report: Report) -> str:
    html = render_html(report)
    start = html.index("Checks at a glance")
    text = re.sub(r"<[^>]+>", " ", html[start : html.index('<section id="contents"')])
    return re.sub(r"\s+", " ", text)


#: One call per question (the first of the manifest): page 1 is rendered for each.
PAGE_ONE_CALLS = list({_question(c): c for c in reversed(CALLS)}.values())


@pytest.mark.parametrize("call", PAGE_ONE_CALLS, ids=[c["file"] for c in PAGE_ONE_CALLS])
def test_page_one_passes_no_check_whose_input_is_gone(
    call: dict[str, Any], without: Without
) -> None:
    report = without(call["file"])
    page = _page1(report)
    checks = report.financials.integrity_checks
    counts = [sum(c.passed is value for c in checks) for value in (True, False, None)]
    assert (
        "Integrity checks across statements {} passed, {} failed, {} not checked".format(*counts)
        in page
    )
    completeness = share(report.evidence.completeness)
    assert f"missing or refused · evidence completeness 1 · {completeness} " in page
    if _question(call) == "cash_validation":
        assert page.count("NOT CHECKED") == 2 and "PASS" not in page
    else:
        assert "NOT CHECKED" not in page


def test_page_one_says_not_checked_without_cash_validation(without: Without) -> None:
    report = without("cash-validation.json")
    page = _page1(report)
    assert (
        "Accounts whose ledger cash exceeds the bank balance NOT CHECKED Xero did not supply its "
        "reconciliation summary at the report date" in page
    )
    assert (
        "Xero's own reconciliation figures agree with the statement lines NOT CHECKED Xero did "
        "not supply its reconciliation summary at the report date" in page
    )
    assert "PASS" not in page


def test_page_one_counts_integrity_checks_not_made(without: Without) -> None:
    report = without("balance-sheet/2026-10-31.json")
    page = _page1(report)
    assert "Integrity checks across statements 8 passed, 0 failed, 4 not checked" in page


def _flags(report: Report) -> dict[str, tuple[str, str, str]]:
    return {f.rule_id: (f.severity, f.category, f.message) for f in report.verdict.flags}


def test_missing_evidence_is_an_evidence_finding_not_a_finding_about_the_books(
    without: Without,
) -> None:
    report = without("cash-validation.json")
    flags = _flags(report)
    assert set(flags) == {"cash_validation_missing"}
    severity, category, message = flags["cash_validation_missing"]
    assert (severity, category) == ("amber", "evidence")
    assert "not supplied" in message
    assert report.verdict.evidence.grade == "B"
    assert report.verdict.data_confidence.drivers == ["cash_validation_missing"]
    # 2 of 15.25 weighted questions unanswered.
    assert report.evidence.completeness == pytest.approx(1 - 2 / 15.25)


def test_partial_gaps_are_amber_and_no_pnl_at_all_is_red(tmp_path: Path) -> None:
    snap = tmp_path / "snap"
    shutil.copytree(DEFAULT_SAMPLE, snap)
    data = manifest(snap)
    gone = (fp.PROFIT_AND_LOSS, fp.BALANCE_SHEET)
    data["calls"] = [c for c in data["calls"] if c["endpoint"] not in gone]
    save_manifest(snap, data)
    report = build_report(load_snapshot(snap))
    flags = _flags(report)
    assert flags["profit_and_loss_missing"][:2] == ("red", "evidence")
    assert flags["balance_sheet_missing"][:2] == ("amber", "evidence")
    assert all("not supplied" in message for _, _, message in flags.values())
    # Weighted: P&L 3 + 0.5, balance sheets 2 + 0.5 of 15.25 unanswered.
    assert report.evidence.completeness == pytest.approx(1 - 6 / 15.25)
    assert flags["evidence_incomplete"][:2] == ("amber", "evidence")
    assert report.verdict.evidence.grade == "D"
    assert not [f for f in report.verdict.flags if f.category != "evidence"]
