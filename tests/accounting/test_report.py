"""The report on Accounting API snapshots: the simulator writes both APIs from the same books,
so the Accounting-API-only report's financial statements equal the Finance API report's, Xero's
Executive Summary agrees with lendcheck's figures to the cent, and an Accounting-API-only report
says on page 1 what it rests on and that statement lines are not available."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from lendcheck.metrics.accounting import NO_STATEMENT_LINES
from lendcheck.render.json_report import render_json
from lendcheck.report import build_report
from lendcheck.simulator import SAMPLES
from lendcheck.simulator.generate import simulate, write_snapshot
from lendcheck.snapshot import load_snapshot
from lendcheck.xero import fetch_plan as fp
from tests.conftest import SAMPLES as SAMPLE_DIR


@pytest.fixture(scope="module")
def harbour(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """harbour-cafe written from each source."""
    world = simulate(SAMPLES["harbour-cafe"])
    root = tmp_path_factory.mktemp("harbour")
    return {s: write_snapshot(world, root / s, source=s) for s in ("finance", "accounting", "both")}


def test_finance_figures_are_unchanged_by_accounting_calls(harbour: dict[str, Path]) -> None:
    finance = build_report(load_snapshot(harbour["finance"]))
    both = build_report(load_snapshot(harbour["both"]))
    assert finance.accounting is None and both.accounting is not None
    assert both.accounting.source == "both" and both.accounting.statement_lines == ""
    # every figure of the Finance API report is the same with the Accounting API beside it
    assert both.bank == finance.bank
    assert both.financials == finance.financials
    assert both.verdict == finance.verdict
    # the committed sample is the same snapshot as the simulator's Finance API one
    sample = json.loads((SAMPLE_DIR / "harbour-cafe" / "manifest.json").read_bytes())
    ours = json.loads((harbour["finance"] / "manifest.json").read_bytes())
    assert ours["calls"] == sample["calls"]


def test_the_executive_summary_agrees_with_lendcheck(harbour: dict[str, Path]) -> None:
    report = build_report(load_snapshot(harbour["both"]))
    assert report.accounting is not None
    rows = report.accounting.executive_summary
    # every figure, the month's (income... days) as well as the balances, agrees to its scale
    assert [r.differs for r in rows] == [False] * 16, [(r.label, r.difference) for r in rows]
    assert report.accounting.executive_summary_differences == 0
    income = next(r for r in rows if r.label == "Income")
    month = report.financials.executive_summary.month
    assert (income.xero_period, income.period_start, income.period_end) == (
        "Oct 2026",
        month.start_date,
        month.end_date,
    )
    assert month.trading_income is not None and income.lendcheck == str(month.trading_income.amount)
    cash = report.accounting.cash_agreement
    assert cash.agrees is True
    assert cash.balance_sheet == report.financials.balance_sheet.current.cash
    assert report.accounting.trade_receivables == (
        report.financials.balance_sheet.current.accounts_receivable
    )
    months = report.accounting.monthly_pnl
    assert len(months) == 12 and months[0].month == "Oct 26"


def test_accounting_only_statements_equal_the_finance_apis(harbour: dict[str, Path]) -> None:
    finance = build_report(load_snapshot(harbour["finance"]))
    alone = build_report(load_snapshot(harbour["accounting"]))
    assert alone.accounting is not None and alone.accounting.source == "accounting"
    for period in ("current", "previous"):
        ours = getattr(alone.financials.profit_and_loss, period)
        theirs = getattr(finance.financials.profit_and_loss, period)
        for name in (
            "revenue",
            "direct_costs",
            "gross_profit",
            "operating_expenses",
            "net_profit",
            "ebitda",
            "depreciation_and_amortisation",
        ):
            assert getattr(ours, name) == getattr(theirs, name), (period, name)
        sheet = getattr(alone.financials.balance_sheet, period)
        finance_sheet = getattr(finance.financials.balance_sheet, period)
        for name in (
            "cash",
            "accounts_receivable",
            "current_assets",
            "total_assets",
            "accounts_payable",
            "current_liabilities",
            "total_liabilities",
            "equity",
            "current_ratio",
            "debt_to_equity",
        ):
            assert getattr(sheet, name) == getattr(finance_sheet, name), (period, name)
    missing = alone.financials.missing_inputs
    assert missing["cashflow_current"].startswith("the report rests on the Accounting API")
    assert "contacts_revenue" in missing
    assert alone.inputs.missing == []  # no Finance API call is expected of it
    assert alone.bank.overall.total_lines == 0
    assert alone.accounting.statement_lines == NO_STATEMENT_LINES
    assert "no_bank_data" in [f.rule_id for f in alone.verdict.flags]
    assert alone.verdict.data_confidence.grade == "D"


@pytest.fixture(scope="module")
def kowhai(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], str]:
    """report.json (parsed) and report.html of the committed kowhai-accounting sample, made
    once per module by ``make_report`` (drawing the charts is most of the time)."""
    from lendcheck.api import make_report

    out = tmp_path_factory.mktemp("kowhai-accounting")
    result = make_report(SAMPLE_DIR / "kowhai-accounting", out, formats=("json", "html"))
    return json.loads(render_json(result.report)), (out / "report.html").read_text()


def test_the_accounting_sample(kowhai: tuple[dict[str, Any], str]) -> None:
    snapshot = load_snapshot(SAMPLE_DIR / "kowhai-accounting")
    assert snapshot.apis() == {fp.ACCOUNTING_API}
    data, html = kowhai
    assert data["accounting"]["source"] == "accounting"
    [current, card] = data["accounting"]["bank_transactions"]
    # kowhai-builders stopped reconciling in March 2026: it shows in the ledger's transactions
    assert current["reconciled_share_by_count"] < 0.8
    assert current["oldest_unreconciled_days"] > 180
    assert "Accounting API only" in html
    assert f"Statement-line figures are {NO_STATEMENT_LINES}" in html
    assert card["name"] == "ASB Visa Business"


def test_an_accounting_only_report_says_what_the_accounting_api_does_not_give(
    kowhai: tuple[dict[str, Any], str],
) -> None:
    # Issue 17: every statement-line figure, the flags and the evidence of an
    # Accounting-API-only report say "not available: the Accounting API does not expose bank
    # statement lines" (or, for the cash flow, that the Accounting API has none), never the
    # Finance API's generic wording ("Xero refuses it for US organisations", "the snapshot
    # holds no bank statement lines", "no bank account in the snapshot").
    data, html = kowhai
    flags = {f["rule_id"]: f["message"] for f in data["verdict"]["flags"]}
    assert flags["no_bank_data"] == (
        f"Bank statement lines were not supplied ({NO_STATEMENT_LINES}): nothing in the books "
        "can be checked against the bank"
    )
    assert f"not supplied ({NO_STATEMENT_LINES})" in flags["cash_validation_missing"]
    assert flags["cash_flow_missing"] == (
        "The cash flow statement was not supplied (the report rests on the Accounting API, "
        "which has no direct-method cash flow statement): DSCR falls back on an EBITDA proxy"
    )
    evidence = data["evidence"]
    for name in ("bank_statement_lines", "cash_validation", "reconciliation_cadence"):
        assert evidence[name]["not_available"] == NO_STATEMENT_LINES, name
    assert evidence["cash_flow_current"]["not_available"].startswith(
        "the report rests on the Accounting API"
    )
    overall = data["bank"]["overall"]["not_available"]
    assert set(overall.values()) == {NO_STATEMENT_LINES}
    assert overall["reconciled_share_by_count"] == NO_STATEMENT_LINES
    fin = data["financials"]
    assert fin["bank_to_books"]["not_available"]["bank_inflows"] == NO_STATEMENT_LINES
    assert fin["cash_flow"]["not_available"]["runway_basis"].endswith(NO_STATEMENT_LINES)
    checks = {c["id"]: c for c in fin["integrity_checks"]}
    assert checks["balance_sheet_bank_vs_statement_balances"]["reason"] == NO_STATEMENT_LINES
    # the behaviour signals read from statement lines are absent, never zero counts
    behaviour = data["behaviour"]
    for section in ("returned_payments", "debt_service", "hygiene"):
        assert behaviour[section] is None, section
        assert behaviour["not_available"][section] == NO_STATEMENT_LINES, section
    assert behaviour["tax_arrears"]["tax_payments"] is None
    assert behaviour["tax_arrears"]["tax_liabilities"] == {"amount": "78305.60", "currency": "NZD"}
    text = json.dumps(data) + html
    for generic in (
        "US organisations",
        "the snapshot holds no bank statement",
        "no bank account in the snapshot",
        "not checked: no statement lines",
        "Xero Finance API responses",
    ):
        assert generic not in text, generic


def test_a_policy_may_judge_accounting_figures(tmp_path: Path) -> None:
    from lendcheck.report import load_report_policy

    policy = tmp_path / "policy.toml"
    policy.write_text(
        'policy_name = "bank transactions"\npolicy_version = "1"\n\n[[rules]]\n'
        'id = "bank_transactions_unreconciled"\ncategory = "data"\n'
        'scope = "accounting.bank_transactions"\nmetric = "reconciled_share_by_count"\n'
        'comparison = "below"\namber = 0.95\nred = 0.90\n'
        'message = "{scope}: {value} of bank transactions reconciled (threshold {threshold})"\n'
        'rationale = "kowhai stopped reconciling."\n'
    )
    loaded = load_report_policy(str(policy))
    report = build_report(load_snapshot(SAMPLE_DIR / "kowhai-accounting"), policy=loaded)
    flags = [(f.rule_id, f.severity, f.scope.name) for f in report.verdict.flags]
    assert flags == [("bank_transactions_unreconciled", "red", "ASB Business Cheque")]
    finance = build_report(load_snapshot(SAMPLE_DIR / "kowhai-builders"), policy=loaded)
    assert finance.verdict.flags == []  # no Accounting API figures: nothing to judge


def test_balance_sheet_by_month_and_an_older_snapshot_by_year(
    harbour: dict[str, Path], tmp_path: Path
) -> None:
    """The plan asks /Reports/BalanceSheet by month (the report date and 12 month ends, the
    last a year before); a snapshot fetched before holds it by year (periods=1,
    timeframe=YEAR) and still reports the same, the balance found by its date."""
    import datetime as dt
    import hashlib
    import shutil

    from lendcheck.simulator.accounting import respond_accounting
    from lendcheck.xero import accounting_plan as plan
    from tests.corpus.cases import manifest, save_manifest

    new = build_report(load_snapshot(harbour["accounting"]))
    assert new.accounting is not None
    months = new.accounting.balance_sheet_months
    assert [m.balance_date for m in months[:3]] == [
        dt.date(2026, 10, 31),
        dt.date(2026, 9, 30),
        dt.date(2026, 8, 31),
    ]
    assert len(months) == 13 and months[-1].balance_date == dt.date(2025, 10, 31)
    assert months[0].trade_receivables == new.accounting.trade_receivables
    previous = new.financials.balance_sheet.previous
    assert months[-1].trade_receivables == previous.accounts_receivable  # the year before
    assert months[-1].net_assets == previous.equity

    snap = tmp_path / "older"
    shutil.copytree(harbour["accounting"], snap)
    data = manifest(snap)
    entry = next(c for c in data["calls"] if c["endpoint"] == plan.BALANCE_SHEET)
    by_year = fp.PlannedCall(
        plan.BALANCE_SHEET,
        {"date": "2026-10-31", "periods": "1", "timeframe": "YEAR"},
        api=plan.API,
    )
    _, body = respond_accounting(simulate(SAMPLES["harbour-cafe"]), by_year)
    (snap / entry["file"]).write_bytes(body)
    entry["params"], entry["sha256"] = by_year.params, hashlib.sha256(body).hexdigest()
    save_manifest(snap, data)
    older = build_report(load_snapshot(snap))
    assert older.financials == new.financials
    assert older.accounting is not None
    assert [m.balance_date for m in older.accounting.balance_sheet_months] == [
        dt.date(2026, 10, 31),
        dt.date(2025, 10, 31),
    ]
    assert older.accounting.balance_sheet_months[1] == months[-1]


def test_the_balance_history_is_on_the_accounting_page(
    kowhai: tuple[dict[str, Any], str],
) -> None:
    report = build_report(load_snapshot(SAMPLE_DIR / "kowhai-accounting"))
    assert report.accounting is not None
    html = kowhai[1]
    section = html[html.index("Balance sheet by month end") :]
    section = section[: section.index("</table>")]
    first = report.accounting.balance_sheet_months[0]
    assert first.trade_receivables is not None
    assert "Oct 26" in section and "1,090,265.29" in section  # kowhai's trade debtors
    assert str(first.trade_receivables.amount) == "1090265.29"
