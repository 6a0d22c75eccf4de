"""The default policy on the samples: planted risks raise the expected flags, the healthy
sample none; --fail-on sets the exit code after the report is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from lendcheck.cli import main
from lendcheck.report import Report, build_report
from lendcheck.snapshot import load_snapshot
from tests.conftest import SAMPLES


def _report(name: str) -> Report:
    return build_report(load_snapshot(SAMPLES / name))


def _flags(report: Report) -> set[tuple[str, str]]:
    return {(f.rule_id, f.severity) for f in report.verdict.flags}


def test_kowhai_builders_falling_revenue_and_margin_are_flagged() -> None:
    # Issue 16 finding 10: revenue 1,258,581.88 against 1,914,187.57 (-34.3 %) raised no flag.
    report = _report("kowhai-builders")
    flags = {f.rule_id: f for f in report.verdict.flags}
    decline, margin = flags["revenue_decline"], flags["gross_margin_compression"]
    assert (decline.severity, decline.value) == ("red", -0.3425)
    assert decline.thresholds == {"amber": -0.1, "red": -0.25}
    assert decline.message == (
        "Revenue changed by -0.34 on the previous 12 months (-0.10 is a 10% fall; threshold -0.25)"
    )
    assert (margin.severity, margin.value) == ("red", -0.1599)  # 0.5121 against 0.6720
    # The other samples' revenue and margins are steady: neither rule fires on them.
    for name in ("harbour-cafe", "northgate-haulage", "mesa-roasters", "sundown-wholesale"):
        ids = {f.rule_id for f in _report(name).verdict.flags}
        assert not ids & {"revenue_decline", "gross_margin_compression"}, name


def test_kowhai_builders_dscr_bases_disagree() -> None:
    # Issue 16 finding 9: DSCR -11.4 on operating cash flow, EBITDA +202,595.87. The debt
    # service includes the 17,154.97 of repayments the bank shows and the books miss (issue 18).
    from decimal import Decimal

    from lendcheck.metrics.loan import LoanTerms

    terms = LoanTerms(Decimal("150000"), 60, Decimal("0.10"))
    report = build_report(load_snapshot(SAMPLES / "kowhai-builders"), loan=terms)
    flag = next(f for f in report.verdict.flags if f.rule_id == "cash_conversion_low")
    assert (flag.severity, flag.value) == ("red", -3.8125)
    assert flag.evidence["financials.loan.dscr_ebitda"] == 2.9946  # 202,595.87 / 67,653.24
    assert (
        flag.evidence["financials.loan.dscr_operating_cash_flow"] == -11.417
    )  # -772,396.46 / (50,498.27 + 17,154.97)
    # The healthy cafe converts its EBITDA into cash (1.06): no such flag.
    cafe = build_report(load_snapshot(SAMPLES / "harbour-cafe"), loan=terms)
    assert "cash_conversion_low" not in {f.rule_id for f in cafe.verdict.flags}


def test_healthy_sample_has_no_flags() -> None:
    report = _report("harbour-cafe")
    assert report.verdict.flags == []
    assert (report.verdict.overall.grade, report.verdict.data_confidence.grade) == ("A", "A")
    assert report.policy.name == "lendcheck default"


@pytest.mark.parametrize(
    ("name", "expected", "grade", "data_grade"),
    [
        (
            "kowhai-builders",  # stale bookkeeping
            {
                ("books_not_current", "red"),
                ("unreconciled_over_90_days", "red"),
                ("reconciled_share_low", "red"),
                ("bank_balance_uncorroborated", "red"),  # undeleted duplicate feed lines
            },
            "E",
            "E",
        ),
        (
            "sundown-wholesale",  # doctored bank data
            {
                ("ledger_cash_above_bank", "red"),
                ("statement_balance_breaks", "red"),
                ("integrity_check_failed", "red"),
                ("typed_inflows_while_fed", "red"),
                ("bank_balance_uncorroborated", "red"),
            },
            "E",
            "E",
        ),
        (
            "northgate-haulage",  # one dominant customer, receivables pile-up
            {("top_customer_concentration", "red"), ("aged_receivables", "amber")},
            "D",
            "A",
        ),
        (
            "mesa-roasters",  # US organisation: no cash flow
            {("cash_flow_missing", "amber")},
            "B",
            "B",
        ),
    ],
)
def test_planted_risks_raise_flags(
    name: str, expected: set[tuple[str, str]], grade: str, data_grade: str
) -> None:
    report = _report(name)
    assert expected <= _flags(report)
    assert report.verdict.overall.grade == grade
    assert report.verdict.data_confidence.grade == data_grade
    for flag in report.verdict.flags:
        assert flag.rule_id in report.verdict.overall.drivers


def test_risky_samples_flag_the_right_accounts() -> None:
    report = _report("sundown-wholesale")
    [ledger] = [f for f in report.verdict.flags if f.rule_id == "ledger_cash_above_bank"]
    assert ledger.scope.name == "CBA Business Transaction"
    assert ledger.value["currency"] == "AUD"
    assert "more cash than the bank statement" in ledger.message
    # Xero's statementBalance counts the typed receipts; the bank's own end balance does not
    [balance] = [f for f in report.verdict.flags if f.rule_id == "bank_balance_uncorroborated"]
    assert balance.scope.name == "CBA Business Transaction"
    assert balance.value == 1
    assert balance.evidence["ledger_vs_bank.statement_balance_minus_end_balance"] == {
        "amount": "230890.00",
        "currency": "AUD",
    }
    assert balance.evidence["ledger_vs_bank.statement_balance_minus_indicative_end_balance"] == {
        "amount": "0.00",
        "currency": "AUD",
    }


@pytest.mark.parametrize(
    ("name", "fail_on", "code"),
    [
        ("kowhai-builders", "red", 1),
        ("kowhai-builders", "never", 0),
        ("mesa-roasters", "red", 0),
        ("mesa-roasters", "amber", 1),
        ("harbour-cafe", "amber", 0),
    ],
)
def test_fail_on_sets_the_exit_code(tmp_path: Path, name: str, fail_on: str, code: int) -> None:
    result = CliRunner().invoke(
        main,
        [
            "report",
            str(SAMPLES / name),
            "-o",
            str(tmp_path),
            "--format",
            "json",
            "--fail-on",
            fail_on,
        ],
    )
    assert result.exit_code == code, result.output
    assert (tmp_path / "report.json").is_file()  # written before the exit code
    assert ("Policy failed" in result.output) == (code == 1)


def test_bad_policy_file_is_a_usage_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('policy_name = "x"\n')
    result = CliRunner().invoke(
        main,
        [
            "report",
            str(SAMPLES / "harbour-cafe"),
            "-o",
            str(tmp_path / "out"),
            "--policy",
            str(bad),
        ],
    )
    assert result.exit_code == 2
    assert "bad.toml:1: policy_version: Field required" in result.output
    assert not (tmp_path / "out" / "report.json").exists()
