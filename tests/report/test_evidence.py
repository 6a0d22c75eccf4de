"""Evidence: responses matched by what they answer (lendcheck.report.evidence), and missing evidence
kept apart from the applicant's risk.

The snapshots are the bundled samples with calls removed, re-parameterised or replaced by the
responses Xero gives for other parameters (made by the samples' own simulator, so their
figures are what Xero would answer for that question).
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from lendcheck.report import Report, build_report
from lendcheck.report.evidence import match_evidence, monthly_pnl_responses
from lendcheck.report_types import Money
from lendcheck.simulator.endpoints import respond
from lendcheck.simulator.generate import SAMPLES as PROFILES
from lendcheck.simulator.generate import simulate
from lendcheck.snapshot import load_snapshot
from lendcheck.xero import fetch_plan as fp
from tests.corpus.cases import add_statements_for, edit, manifest, save_manifest

from .conftest import DEFAULT_SAMPLE, SAMPLES

AS_OF = date(2026, 10, 31)


def _put(snap: Path, listing: dict[str, Any], call: dict[str, Any], body: bytes) -> None:
    """Write ``body`` as the response of ``call`` (a manifest entry) and list it."""
    (snap / call["file"]).parent.mkdir(parents=True, exist_ok=True)
    (snap / call["file"]).write_bytes(body)
    call["sha256"] = hashlib.sha256(body).hexdigest()
    listing["calls"].append(call)


def _copy(tmp_path: Path, sample: Path = DEFAULT_SAMPLE) -> Path:
    target = tmp_path / sample.name
    shutil.copytree(sample, target)
    return target


def _drop(snap: Path, keep: Callable[[dict[str, Any]], bool]) -> None:
    data = manifest(snap)
    data["calls"] = [c for c in data["calls"] if keep(c)]
    save_manifest(snap, data)


def _reparameterise_main_cash_validation(snap: Path, change: Callable[[Any], None]) -> None:
    """The main CashValidation call without ``beginDate`` (Xero's default: the whole
    history), its body changed by ``change``."""
    data = manifest(snap)
    call = next(c for c in data["calls"] if c["file"] == "cash-validation.json")
    del call["params"]["beginDate"]
    save_manifest(snap, data)
    edit(snap, "cash-validation.json", change)


# ------------------------------------------------------------------ case 1: CashValidation


def _ledger_above_bank(data: list[dict[str, Any]]) -> None:
    account = data[0]
    balance = account["statementBalance"]
    signed = Decimal(str(balance["value"])) * (1 if balance["type"] == "DEBIT" else -1)
    account["cashAccount"]["accountBalance"] = float(signed + Decimal("25000.00"))


def test_cash_validation_without_begin_date_answers_the_ledger_question(
    tmp_path: Path,
) -> None:
    snap = _copy(tmp_path)
    _reparameterise_main_cash_validation(snap, _ledger_above_bank)
    report = build_report(load_snapshot(snap))

    assert report.bank.overall.accounts_with_ledger_above_bank == 1
    [flag] = [f for f in report.verdict.flags if f.rule_id == "ledger_cash_above_bank"]
    assert flag.severity == "red"
    assert flag.value == {"amount": "25000.00", "currency": "GBP"}
    assert not [m for m in report.inputs.missing if m.endpoint == fp.CASH_VALIDATION]
    # The sample's accounts start inside the statements read: the whole history is comparable.
    assert report.bank.begin_date is None
    assert report.bank.overall.cross_check_agrees is True
    item = report.evidence.cash_validation
    assert item.answered and item.params == {"balanceDate": "2026-10-31"}
    assert item.note is not None and "whole history" in item.note


def test_whole_history_longer_than_the_statements_is_not_compared(tmp_path: Path) -> None:
    def older_history(data: list[dict[str, Any]]) -> None:
        data[0]["bankStatement"]["statementLines"]["earliestReconciledTransaction"] = "2019-03-04"

    snap = _copy(tmp_path)
    _reparameterise_main_cash_validation(snap, older_history)
    report = build_report(load_snapshot(snap))
    checks = {a.bank_account_id: a.cross_check for a in report.bank.accounts}
    first = load_snapshot(snap).all_of(fp.CASH_VALIDATION)[0].data[0].account_id
    assert checks[first].agrees is None and checks[first].differences is None
    assert checks[first].not_available == (
        "not comparable: Xero's window is longer than the statements read (CashValidation "
        "counts the account's whole history; the statements read start 2024-11-01 (Xero's "
        "earliest line is dated 2019-03-04))"
    )
    others = [c for a, c in checks.items() if a != first]
    assert others and all(c.agrees is True for c in others)
    assert not [f for f in report.verdict.flags if f.rule_id == "xero_cross_check_differences"]


def test_the_planned_begin_date_wins_over_the_whole_history(tmp_path: Path) -> None:
    snap = _copy(tmp_path)
    listing = manifest(snap)
    main = next(c for c in listing["calls"] if c["file"] == "cash-validation.json")
    body = (snap / main["file"]).read_bytes()
    other = dict(main, params={"balanceDate": "2026-10-31"}, file="cash-validation-all.json")
    _put(snap, listing, other, body)
    save_manifest(snap, listing)
    answer = match_evidence(load_snapshot(snap), AS_OF).answers["cash_validation"]
    assert answer.response is not None
    assert answer.response.record.file == "cash-validation.json"
    assert answer.start == date(2024, 11, 1) and answer.note == ""


# ------------------------------------------------------------------ case 2: a monthly period

MONTHLY = {
    fp.PROFIT_AND_LOSS: "profit-and-loss",
    fp.CASHFLOW: "cashflow",
    fp.CONTACTS_REVENUE: "contacts-revenue",
    fp.CONTACTS_EXPENSE: "contacts-expense",
}


@pytest.fixture(scope="module")
def monthly_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """harbour-cafe with its P&L, cash flow and contacts of October 2026 only (both years'
    12-month calls removed)."""
    snap = _copy(tmp_path_factory.mktemp("monthly"))
    listing = manifest(snap)
    listing["calls"] = [c for c in listing["calls"] if c["endpoint"] not in MONTHLY]
    world = simulate(PROFILES["harbour-cafe"])
    for endpoint, stem in MONTHLY.items():
        params = {"startDate": "2026-10-01", "endDate": "2026-10-31"}
        status, body = respond(world, fp.PlannedCall(endpoint, params))
        call = {"endpoint": endpoint, "params": params, "status": status}
        _put(snap, listing, call | {"file": f"{stem}/month-2026-10.json"}, body)
    save_manifest(snap, listing)
    return snap


@pytest.fixture(scope="module")
def monthly(monthly_snapshot: Path) -> tuple[Report, Report]:
    """The monthly snapshot's report, and the full sample's."""
    full = build_report(load_snapshot(DEFAULT_SAMPLE))
    return build_report(load_snapshot(monthly_snapshot)), full


def test_dscr_needs_a_year(monthly_snapshot: Path) -> None:
    from lendcheck.metrics.loan import LoanTerms

    terms = LoanTerms(amount=Decimal("150000"), term_months=60, annual_rate=Decimal("0.085"))
    loan = build_report(load_snapshot(monthly_snapshot), loan=terms).financials.loan
    assert loan is not None and loan.dscr is None and loan.bank_verified_dscr is None
    assert loan.dscr_operating_cash_flow is None and loan.dscr_ebitda is None
    assert loan.not_available["dscr"] == (
        "the P&L read covers 2026-10-01 to 2026-10-31, not 12 months: DSCR compares a year's "
        "cash with a year's debt service"
    )
    assert loan.monthly_repayment.amount > 0


def test_a_monthly_pnl_answers_the_pnl_questions(monthly: tuple[Report, Report]) -> None:
    report, _ = monthly
    pnl = report.financials.profit_and_loss.current
    assert pnl.revenue is not None and pnl.revenue.amount > 0
    assert (pnl.start_date, pnl.end_date, pnl.days_in_period) == (
        date(2026, 10, 1),
        date(2026, 10, 31),
        31,
    )
    assert report.financials.period_start == date(2026, 10, 1)
    assert not [f for f in report.verdict.flags if f.rule_id == "profit_and_loss_missing"]
    assert report.verdict.overall.grade != "D" and not [
        f for f in report.verdict.flags if f.severity == "red"
    ]
    item = report.evidence.profit_and_loss_current
    assert item.answered and item.coverage == pytest.approx(31 / 365)
    assert item.period_start == date(2026, 10, 1) and item.period_end == date(2026, 10, 31)
    assert item.file == "profit-and-loss/month-2026-10.json"


def test_days_ratios_use_the_period_read(monthly: tuple[Report, Report]) -> None:
    report, _ = monthly
    bs = report.financials.balance_sheet.current
    pnl = report.financials.profit_and_loss.current
    assert bs.days_in_period == 31
    assert bs.trading_income is not None and bs.accounts_receivable is not None
    expected = bs.accounts_receivable.amount / bs.trading_income.amount * 31
    assert bs.debtor_days == pytest.approx(float(expected), abs=0.01)
    assert pnl.gross_margin is not None


def test_growth_needs_two_comparable_periods(monthly: tuple[Report, Report]) -> None:
    report, _ = monthly
    growth = report.financials.profit_and_loss.growth
    assert growth.revenue_growth is None
    assert report.financials.profit_and_loss.previous.revenue is None
    reason = report.financials.profit_and_loss.previous.not_available["revenue"]
    assert reason == (
        "the snapshot holds no /FinancialStatements/ProfitAndLoss call for 2025-10-01 to "
        "2025-10-31, the period comparable with the current one"
    )


def test_the_twelve_month_period_wins_over_a_month(tmp_path: Path) -> None:
    snap = _copy(tmp_path)
    listing = manifest(snap)
    world = simulate(PROFILES["harbour-cafe"])
    # The sample holds the month of October 2026 (the plan's Executive Summary call) too.
    # Xero's default startDate is the 12 months before endDate: that call is the 12 months.
    longest = {"startDate": "2025-05-01", "endDate": "2026-10-31"}
    _, body = respond(world, fp.PlannedCall(fp.PROFIT_AND_LOSS, longest))
    call = {"endpoint": fp.PROFIT_AND_LOSS, "params": longest, "status": 200}
    _put(snap, listing, call | {"file": "profit-and-loss/eighteen-months.json"}, body)
    save_manifest(snap, listing)
    answers = match_evidence(load_snapshot(snap), AS_OF).answers
    assert answers["pnl_current"].response is not None
    assert answers["pnl_current"].response.record.file == (
        "profit-and-loss/2025-11-01_2026-10-31.json"
    )
    # Without the 12 months, the longest period ending at the report date answers.
    _drop(snap, lambda c: c["file"] != "profit-and-loss/2025-11-01_2026-10-31.json")
    answers = match_evidence(load_snapshot(snap), AS_OF).answers
    assert answers["pnl_current"].response is not None
    assert answers["pnl_current"].response.record.file == "profit-and-loss/eighteen-months.json"
    assert answers["pnl_current"].start == date(2025, 5, 1)
    month = answers["pnl_month"].response
    assert month is not None and month.record.file == "profit-and-loss/2026-10-01_2026-10-31.json"


def test_the_month_is_found_by_the_period_it_covers(monthly: tuple[Report, Report]) -> None:
    """The Executive Summary's month rests on any P&L covering October 2026, whatever its file
    (here ``month-2026-10.json``, not the plan's); a snapshot with only the month gives it as
    both the month and the P&L period, each labelled with its period."""
    report, full = monthly
    es = report.financials.executive_summary
    assert es.month.label == es.twelve_months.label == "October 2026"
    assert es.month.trading_income == full.financials.executive_summary.month.trading_income
    assert es.month.creditor_days == full.financials.executive_summary.month.creditor_days
    assert not [c for c in report.inputs.missing if c.params.get("startDate") == "2026-10-01"]
    assert full.financials.executive_summary.twelve_months.label == "12 months to 2026-10-31"
    # harbour-cafe, October 2026, by hand from its month P&L and balance sheet:
    month = full.financials.executive_summary.month
    bs = full.financials.balance_sheet.current
    assert month.trading_income is not None and bs.accounts_receivable is not None
    days = bs.accounts_receivable.amount / month.trading_income.amount * 31
    assert month.debtor_days == pytest.approx(float(days))


# ------------------------------------------------------------------ case 3: --as-of


def test_as_of_inside_the_snapshot_never_turns_missing_evidence_into_risk() -> None:
    full = build_report(load_snapshot(DEFAULT_SAMPLE))
    assert full.verdict.overall.grade == "A"
    snapshot = load_snapshot(DEFAULT_SAMPLE)
    from lendcheck.errors import UsageError

    with pytest.raises(UsageError) as refused:
        build_report(snapshot, as_of=date(2026, 9, 30))
    assert refused.value.exit_code == 2
    assert "report dates this snapshot supports: 2026-10-31" in str(refused.value)


def test_samples_with_nothing_missing_answer_every_question() -> None:
    for sample in sorted(SAMPLES.iterdir()):
        if not (sample / "manifest.json").is_file():
            continue
        report = build_report(load_snapshot(sample))
        if report.accounting is not None and report.accounting.source == "accounting":
            continue  # the Accounting API cannot answer every question: the test below
        complete = not report.inputs.missing
        assert (report.evidence.completeness == 1.0) is complete, sample.name


def test_an_accounting_only_report_counts_the_accounting_reports_as_evidence() -> None:
    report = build_report(load_snapshot(SAMPLES / "kowhai-accounting"))
    evidence = report.evidence
    for item in (evidence.profit_and_loss_current, evidence.profit_and_loss_previous):
        assert (item.answered, item.coverage, item.endpoint) == (
            True,
            1.0,
            "/Reports/ProfitAndLoss",
        )
    for item in (evidence.balance_sheet_current, evidence.balance_sheet_previous):
        assert (item.answered, item.endpoint) == (True, "/Reports/BalanceSheet")
    assert not evidence.bank_statement_lines.answered
    assert evidence.bank_statement_lines.not_available == (
        "not available: the Accounting API does not expose bank statement lines"
    )
    assert not evidence.cash_validation.answered
    fired = {flag.rule_id for flag in report.verdict.flags}
    assert "profit_and_loss_missing" not in fired
    assert "balance_sheet_missing" not in fired
    assert 0.0 < evidence.completeness < 1.0


def test_an_earlier_date_the_snapshot_holds_statements_for_is_supported(tmp_path: Path) -> None:
    earlier = date(2026, 9, 30)
    snap = _copy(tmp_path)
    add_statements_for(snap, "harbour-cafe", earlier)
    snapshot = load_snapshot(snap)
    assert match_evidence(snapshot, earlier).answers["pnl_current"].response is not None
    from lendcheck.report.evidence import supported_dates

    assert supported_dates(snapshot) == [AS_OF, earlier]
    report = build_report(snapshot, as_of=earlier)
    assert report.financials.profit_and_loss.current.end_date == earlier
    assert not [f for f in report.verdict.flags if f.severity == "red"]


def test_import_source_mix_of_the_whole_period_overall(cafe_report: Report) -> None:
    overall = {s.kind: s for s in cafe_report.bank.overall.import_source_mix}
    assert list(overall) == ["direct_feed", "indirect_feed", "file_upload", "manual", "other"]
    # harbour-cafe: the current account (2,889 fed, 231 uploaded, 29 typed lines) and the
    # savings account (48 fed lines), both GBP.
    direct = overall["direct_feed"]
    assert direct.lines == 2889 + 48
    assert direct.share_by_count == pytest.approx(2937 / 3197)
    assert direct.absolute_amount == Money(amount=Decimal("2146056.56"), currency="GBP")
    total = Decimal("2146056.56") + Decimal("144419.27") + Decimal("16651.30")
    assert direct.share_by_amount == pytest.approx(float(Decimal("2146056.56") / total))
    assert (overall["manual"].lines, overall["file_upload"].lines) == (29, 231)
    assert overall["manual"].absolute_amount == Money(amount=Decimal("16651.30"), currency="GBP")
    assert overall["other"].lines == 0 and overall["other"].share_by_count == 0.0


def test_import_source_amounts_are_not_pooled_across_currencies(tmp_path: Path) -> None:
    def in_euro(data: dict[str, Any]) -> None:
        data["bankAccountCurrencyCode"] = "EUR"

    snap = _copy(tmp_path)
    listing = manifest(snap)
    savings = "bank-statements/389eef2f-79d0-4d1d-bf42-840f356fdc04/"
    for call in listing["calls"]:
        if call["file"].startswith(savings):
            edit(snap, call["file"], in_euro)
    report = build_report(load_snapshot(snap))
    assert report.bank.overall.currencies == ["EUR", "GBP"]
    direct = next(s for s in report.bank.overall.import_source_mix if s.kind == "direct_feed")
    assert direct.lines == 2937
    assert direct.absolute_amount is None and direct.share_by_amount is None


def test_monthly_pnls_are_found_by_the_period_they_cover(tmp_path: Path) -> None:
    """The monthly P&L series reads every Finance API P&L covering one month, whatever its
    file or parameters; two months in one call, or a refused call, are no month."""
    snap = _copy(tmp_path)
    listing = manifest(snap)
    world = simulate(PROFILES["harbour-cafe"])
    for file, params, status in (
        ("profit-and-loss/sep.json", {"startDate": "2026-09-01", "endDate": "2026-09-30"}, 200),
        ("profit-and-loss/aug-sep.json", {"startDate": "2026-08-01", "endDate": "2026-09-30"}, 200),
        (
            "profit-and-loss/jul.problem.json",
            {"startDate": "2026-07-01", "endDate": "2026-07-31"},
            400,
        ),
    ):
        body = (
            respond(world, fp.PlannedCall(fp.PROFIT_AND_LOSS, params))[1]
            if status == 200
            else b'{"type": "internal-error", "title": "Internal error", "status": 400}'
        )
        call = {"endpoint": fp.PROFIT_AND_LOSS, "params": params, "status": status}
        _put(snap, listing, call | {"file": file}, body)
    save_manifest(snap, listing)
    found = monthly_pnl_responses(load_snapshot(snap), AS_OF)
    assert {month: r.record.file for month, r in found.items()} == {
        date(2026, 9, 1): "profit-and-loss/sep.json",
        date(2026, 10, 1): "profit-and-loss/2026-10-01_2026-10-31.json",
    }
