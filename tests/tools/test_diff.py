"""lendcheck diff: every category, exact money, ignored fields, versions and exit codes."""

from __future__ import annotations

import copy
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from lendcheck.cli import main
from lendcheck.report import SCHEMA_VERSION
from lendcheck.tools.diff import diff_reports, load_report_json, render_diff_json

ACCOUNT = "acc-1"


def _money(amount: str, currency: str = "GBP") -> dict[str, str]:
    return {"amount": amount, "currency": currency}


def _line(line_id: str, amount: str = "-10.00", age: int = 5) -> dict[str, Any]:
    return {
        "statement_line_id": line_id,
        "bank_account_id": ACCOUNT,
        "statement_id": "s-1",
        "date": "2026-10-01",
        "age_days": age,
        "payee": "ACME",
        "reference": "R1",
        "amount": _money(amount),
        "import_source_kind": "direct_feed",
        "is_reconciled": False,
    }


def _flag(rule: str, severity: str, key: str | None = ACCOUNT, value: Any = 0.9) -> dict[str, Any]:
    return {
        "rule_id": rule,
        "severity": severity,
        "category": "data",
        "message": f"{rule} fired",
        "metric": "reconciliation.reconciled_share_by_amount",
        "value": value,
        "comparison": "below",
        "thresholds": {"amber": 0.95, "red": 0.85},
        "evidence": {},
        "scope": {
            "path": "bank.accounts" if key else "overall",
            "key": key,
            "name": "Current" if key else None,
        },
    }


def _report() -> dict[str, Any]:
    """A small report-shaped dict (the diff works on any report of the contract's shape)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "report_id": "lc-aaaaaaaaaaaaaaaaaaaaaaaa",
        "lendcheck_version": "0.1.0",
        "as_of": "2026-10-31",
        "applicant": {
            "tenant_id": "t-1",
            "tenant_name": "Harbour Cafe Ltd",
            "base_currency": "GBP",
        },
        "bank": {
            "accounts": [
                {
                    "bank_account_id": ACCOUNT,
                    "bank_account_name": "Current",
                    "currency": "GBP",
                    "reconciliation": {
                        "unreconciled_lines": 12,
                        "reconciled_share_by_amount": 0.9956,
                        "unreconciled_amount_neg": _money("-0.10"),
                        "books_current_to": "2026-10-31",
                        "monthly": [
                            {"month": "2026-09", "unreconciled_lines": 0},
                            {"month": "2026-10", "unreconciled_lines": 12},
                        ],
                    },
                }
            ],
            "oldest_unreconciled_lines": [_line("line-1"), _line("line-2")],
        },
        "financials": {"not_available": {}, "revenue": _money("1000.00")},
        "verdict": {
            "overall": {"grade": "B", "red": 0, "amber": 1, "drivers": ["low_share"]},
            "data_confidence": {"grade": "B", "red": 0, "amber": 1, "drivers": ["low_share"]},
            "flags": [_flag("low_share", "amber"), _flag("stale", "amber", key=None)],
        },
        "inputs": {"input_digest": "abc", "calls": []},
    }


def _decimals(data: Any) -> Any:
    """As load_report_json parses: floats become Decimals."""
    return json.loads(json.dumps(data), parse_float=Decimal)


def _diff(old: dict[str, Any], new: dict[str, Any], **options: Any) -> dict[str, Any]:
    result = diff_reports(_decimals(old), _decimals(new), **options)
    return json.loads(render_diff_json(result))


def _metric(diff: dict[str, Any], path: str) -> dict[str, Any]:
    [found] = [m for m in diff["metrics"] if m["path"] == path]
    return found


def test_identical_reports_have_no_change() -> None:
    diff = _diff(_report(), _report())
    assert diff["changed"] is False
    assert set(diff["counts"].values()) == {0}
    assert diff["ignored"] == ["inputs", "lendcheck_version", "report_id", "schema_version"]


def test_run_specific_fields_are_ignored_unless_all() -> None:
    new = _report()
    new["report_id"] = "lc-bbbbbbbbbbbbbbbbbbbbbbbb"
    new["lendcheck_version"] = "0.2.0"
    new["inputs"]["input_digest"] = "def"
    assert _diff(_report(), new)["changed"] is False
    everything = _diff(_report(), new, include_all=True)
    assert everything["changed"] is True
    assert {m["path"] for m in everything["metrics"]} == {
        "report_id",
        "lendcheck_version",
        "inputs.input_digest",
    }
    assert everything["ignored"] == []


def test_metric_deltas_are_grouped_by_account_and_exact() -> None:
    new = _report()
    account = new["bank"]["accounts"][0]["reconciliation"]
    account["unreconciled_lines"] = 15
    account["reconciled_share_by_amount"] = 0.9812
    account["unreconciled_amount_neg"] = _money("-0.40")
    account["books_current_to"] = "2026-10-05"
    diff = _diff(_report(), new)
    prefix = f"bank.accounts[{ACCOUNT}].reconciliation."
    count = _metric(diff, prefix + "unreconciled_lines")
    assert count == {
        "section": "bank",
        "account": ACCOUNT,
        "account_name": "Current",
        "path": prefix + "unreconciled_lines",
        "kind": "number",
        "change": "changed",
        "old": 12,
        "new": 15,
        "delta": 3,
        "relative": 0.25,
        "unit": None,
        "material": True,  # 25 % of the old count
    }
    share = _metric(diff, prefix + "reconciled_share_by_amount")
    assert share["delta"] == -0.0144  # exact decimal difference, not 0.014399999999999968
    assert share["relative"] == -0.0145
    money = _metric(diff, prefix + "unreconciled_amount_neg")
    # -0.40 - -0.10 in binary floats is -0.30000000000000004; from the strings it is exact.
    assert (money["kind"], money["old"], money["new"], money["delta"], money["currency"]) == (
        "money",
        "-0.10",
        "-0.40",
        "-0.30",
        "GBP",
    )
    assert money["relative"] == -3.0
    books = _metric(diff, prefix + "books_current_to")
    assert (books["kind"], books["delta"]) == ("date", -26)
    assert diff["changed"] is True


def test_money_written_with_another_scale_is_the_same_amount() -> None:
    new = _report()
    new["financials"]["revenue"] = _money("1000.0")
    assert _diff(_report(), new)["changed"] is False


def test_list_items_are_matched_by_identity_not_position() -> None:
    new = _report()
    monthly = new["bank"]["accounts"][0]["reconciliation"]["monthly"]
    monthly.reverse()
    monthly.append({"month": "2026-11", "unreconciled_lines": 3})
    del monthly[1]  # 2026-09
    diff = _diff(_report(), new)
    base = f"bank.accounts[{ACCOUNT}].reconciliation.monthly"
    assert diff["metrics"] == []
    assert diff["items"]["added"] == [
        {"section": "bank", "account": ACCOUNT, "path": f"{base}[2026-11]"}
    ]
    assert diff["items"]["removed"] == [
        {"section": "bank", "account": ACCOUNT, "path": f"{base}[2026-09]"}
    ]


def test_accounts_added_and_removed() -> None:
    new = _report()
    new["bank"]["accounts"] = [
        {
            "bank_account_id": "acc-2",
            "bank_account_name": "Savings",
            "currency": "GBP",
            "reconciliation": {},
        }
    ]
    diff = _diff(_report(), new)
    assert diff["accounts"] == {
        "added": [{"bank_account_id": "acc-2", "bank_account_name": "Savings", "currency": "GBP"}],
        "removed": [
            {"bank_account_id": ACCOUNT, "bank_account_name": "Current", "currency": "GBP"}
        ],
    }
    assert not any(m["path"].startswith("bank.accounts[") for m in diff["metrics"])


def test_flags_raised_cleared_and_changed_severity() -> None:
    new = _report()
    new["verdict"]["flags"] = [
        _flag("low_share", "red", value=0.8),  # amber → red
        _flag("dscr_low", "red", key=None),  # raised
    ]  # stale cleared
    diff = _diff(_report(), new)
    assert [f["rule_id"] for f in diff["flags"]["raised"]] == ["dscr_low"]
    assert diff["flags"]["raised"][0]["severity"] == "red"
    assert [(f["rule_id"], f["scope_key"]) for f in diff["flags"]["cleared"]] == [("stale", None)]
    [changed] = diff["flags"]["severity_changed"]
    assert (
        changed["rule_id"],
        changed["scope_key"],
        changed["old_severity"],
        changed["new_severity"],
        changed["old_value"],
        changed["new_value"],
    ) == ("low_share", ACCOUNT, "amber", "red", 0.9, 0.8)
    assert not any(m["path"].startswith("verdict.flags") for m in diff["metrics"])


def test_same_rule_on_another_account_is_another_flag() -> None:
    new = _report()
    new["verdict"]["flags"][0] = _flag("low_share", "amber", key="acc-2")
    diff = _diff(_report(), new)
    assert [f["scope_key"] for f in diff["flags"]["raised"]] == ["acc-2"]
    assert [f["scope_key"] for f in diff["flags"]["cleared"]] == [ACCOUNT]


def test_grade_changes() -> None:
    new = _report()
    new["verdict"]["overall"].update(grade="D", red=1)
    diff = _diff(_report(), new)
    assert diff["grades"] == [{"grade": "overall", "old": "B", "new": "D"}]
    assert _metric(diff, "verdict.overall.red")["delta"] == 1
    assert not any(m["path"].endswith(".grade") for m in diff["metrics"])


def test_unreconciled_lines_appeared_and_disappeared() -> None:
    new = _report()
    new["bank"]["oldest_unreconciled_lines"] = [_line("line-2", age=97), _line("line-3")]
    diff = _diff(_report(), new)
    lines = diff["unreconciled_lines"]
    assert [line["statement_line_id"] for line in lines["appeared"]] == ["line-3"]
    assert [line["statement_line_id"] for line in lines["disappeared"]] == ["line-1"]
    assert lines["appeared"][0]["amount"] == {"amount": "-10.00", "currency": "GBP"}
    # line-2 only grew older: not a change
    assert not any("line-2" in m["path"] for m in diff["metrics"])


def test_a_value_becoming_unavailable_is_a_change() -> None:
    new = _report()
    new["financials"]["not_available"] = {"revenue": "P&L missing from the snapshot"}
    new["financials"]["revenue"] = None
    diff = _diff(_report(), new)
    reason = _metric(diff, "financials.not_available.revenue")
    assert (reason["change"], reason["new"]) == ("added", "P&L missing from the snapshot")
    revenue = _metric(diff, "financials.revenue")
    assert (revenue["change"], revenue["kind"], revenue["old"], revenue["new"]) == (
        "removed",
        "money",
        "1000.00",
        None,
    )


def test_an_older_minor_version_still_diffs(report_files: dict[str, Path]) -> None:
    old = load_report_json(report_files["harbour-cafe"])
    new = copy.deepcopy(old)
    old["schema_version"] = "0.0.9"
    del old["bank"]["overall"]["unreconciled_lines"]  # a field "added in a later minor"
    result = diff_reports(old, new)
    assert result.changed is False
    assert result.only_in_new == ["bank.overall.unreconciled_lines"]


def test_two_real_reports(report_files: dict[str, Path]) -> None:
    old = load_report_json(report_files["harbour-cafe"])
    new = load_report_json(report_files["mesa-roasters"])
    result = diff_reports(old, new)
    assert result.changed
    ids = {a["bank_account_id"] for a in result.accounts_added}
    assert ids == {a["bank_account_id"] for a in new["bank"]["accounts"]}
    assert len(result.lines_appeared) == len(new["bank"]["oldest_unreconciled_lines"])
    money = [m for m in result.metrics if m.kind == "money"]
    assert money and all(m.delta is None for m in money)  # GBP against USD: no delta


# --- the command -------------------------------------------------------------------------------


def _write(tmp_path: Path, name: str, data: dict[str, Any]) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_cli_exit_codes_and_json(tmp_path: Path) -> None:
    old = _write(tmp_path, "old.json", _report())
    same = _write(tmp_path, "same.json", _report())
    changed = _report()
    changed["verdict"]["overall"]["grade"] = "C"
    new = _write(tmp_path, "new.json", changed)
    runner = CliRunner()
    assert runner.invoke(main, ["diff", old, same]).exit_code == 0
    first = runner.invoke(main, ["diff", old, new, "--json"])
    second = runner.invoke(main, ["diff", old, new, "--json"])
    assert first.exit_code == 1
    assert first.stdout_bytes == second.stdout_bytes  # deterministic
    data = json.loads(first.stdout)
    assert data["format"] == "lendcheck-diff/1"
    assert data["grades"] == [{"grade": "overall", "old": "B", "new": "C"}]
    human = runner.invoke(main, ["diff", old, new])
    assert human.exit_code == 1
    assert re.search(r"Overall grade +B +C +changed", human.output)


def test_cli_human_output_lists_every_category(tmp_path: Path) -> None:
    new = _report()
    new["bank"]["accounts"][0]["reconciliation"]["unreconciled_lines"] = 15
    new["bank"]["oldest_unreconciled_lines"].append(_line("line-9", amount="-77.70"))
    new["verdict"]["flags"].append(_flag("dscr_low", "red", key=None))
    result = CliRunner().invoke(
        main, ["diff", _write(tmp_path, "a.json", _report()), _write(tmp_path, "b.json", new)]
    )
    assert result.exit_code == 1
    for text in (
        "Flags raised (1)",
        "dscr_low fired",
        "Unreconciled statement lines: 1 new (GBP -77.70), 0 reconciled or gone",
        "Material changes (1 of 1)",
        "Bank account Current",
    ):
        assert text in result.output
    assert re.search(
        r"reconciliation / unreconciled lines +12 +15 +\+3 \(\+25\.0%\)", result.output
    )
    assert "line-9" not in result.output  # the line itself only with --all
    everything = CliRunner().invoke(
        main,
        ["diff", _write(tmp_path, "a.json", _report()), _write(tmp_path, "b.json", new), "--all"],
    )
    assert "Unreconciled lines that appeared (1)" in everything.output
    assert "line-9" in everything.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "not a lendcheck report (not JSON"),
        ('{"hello": 1}', "not a lendcheck report (no schema_version and report_id)"),
        (
            '{"schema_version": "1.0.0", "report_id": "lc-1"}',
            "schema_version 1.0.0 is major version 1",
        ),
        (
            '{"schema_version": "banana", "report_id": "lc-1"}',
            "not a lendcheck report (schema_version 'banana' is not a version)",
        ),
    ],
)
def test_cli_refuses_what_is_not_a_report(tmp_path: Path, content: str, message: str) -> None:
    good = _write(tmp_path, "good.json", _report())
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(main, ["diff", good, str(bad)])
    assert result.exit_code == 3
    assert f"{bad}: {message}" in result.output
    assert "Traceback" not in result.output


def test_cli_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    good = _write(tmp_path, "good.json", _report())
    result = CliRunner().invoke(main, ["diff", good, str(tmp_path / "nope.json")])
    assert result.exit_code == 2


def test_cli_human_output_strips_terminal_escapes(tmp_path: Path) -> None:
    new = _report()
    new["bank"]["oldest_unreconciled_lines"].append(
        {**_line("line-9"), "payee": "EVIL\x1b]0;pwned\x07\x1b[2J CORP \u202eexe.txt"}
    )
    result = CliRunner().invoke(
        main,
        ["diff", _write(tmp_path, "a.json", _report()), _write(tmp_path, "b.json", new), "--all"],
    )
    assert result.exit_code == 1
    assert "EVIL" in result.output
    assert "\x1b" not in result.output and "\u202e" not in result.output


def test_lists_unknown_to_this_version_are_matched_by_an_identity_field_or_position() -> None:
    old, new = _report(), _report()
    old["financials"]["widgets"] = [{"id": "w1", "size": 1}, {"id": "w2", "size": 2}]
    new["financials"]["widgets"] = [{"id": "w2", "size": 3}, {"id": "w1", "size": 1}]
    old["financials"]["blobs"] = [{"size": 1}, {"size": 2}]
    new["financials"]["blobs"] = [{"size": 1}, {"size": 5}]
    paths = {m["path"]: m["delta"] for m in _diff(old, new)["metrics"]}
    assert paths == {"financials.widgets[w2].size": 1, "financials.blobs[000001].size": 3}


# --- for a reader: summary, materiality, comparability ------------------------------------------


@pytest.mark.parametrize(
    ("field", "new_value", "material"),
    [
        ("reconciled_share_by_amount", 0.9856, True),  # a share: 1 point exactly
        ("reconciled_share_by_amount", 0.9857, False),  # 0.99 points
        ("unreconciled_lines", 13, True),  # a count: 12 -> 13 is 8.3 %
        ("unreconciled_amount_neg", _money("-0.105"), True),  # money: exactly 5 % of 0.10
        ("unreconciled_amount_neg", _money("-0.104"), False),  # 4 %
        ("books_current_to", "2026-07-31", False),  # dates move with the report date
        ("unreconciled_lines", None, True),  # no longer available
    ],
)
def test_materiality(field: str, new_value: Any, material: bool) -> None:
    new = _report()
    new["bank"]["accounts"][0]["reconciliation"][field] = new_value
    [change] = _diff(_report(), new)["metrics"]
    assert change["material"] is material
    assert _diff(_report(), new)["materiality"]["material_metrics"] == int(material)


def test_text_and_monthly_series_are_never_material_but_flags_and_yes_no_are() -> None:
    new = _report()
    new["bank"]["accounts"][0]["bank_account_name"] = "Current (renamed)"
    new["bank"]["accounts"][0]["reconciliation"]["monthly"][0]["unreconciled_lines"] = 9
    new["bank"]["accounts"][0]["agrees"] = True
    old = _report()
    old["bank"]["accounts"][0]["agrees"] = False
    material = {m["path"]: m["material"] for m in _diff(old, new)["metrics"]}
    base = f"bank.accounts[{ACCOUNT}]"
    assert material == {
        f"{base}.bank_account_name": False,
        f"{base}.reconciliation.monthly[2026-09].unreconciled_lines": False,
        f"{base}.agrees": True,
    }


def test_the_working_of_a_check_is_never_material_but_its_outcome_is() -> None:
    old, new = _report(), _report()
    for report, xero, agrees in ((old, "10.00", True), (new, "20.00", False)):
        report["bank"]["accounts"][0]["cross_check"] = {
            "amounts": [{"field": "total_amount", "xero": _money(xero), "agrees": agrees}]
        }
        report["financials"]["integrity_checks"] = [
            {"id": "tb", "values": {"debits": _money(xero)}, "passed": agrees}
        ]
    material = {m["path"]: m["material"] for m in _diff(old, new)["metrics"]}
    check = f"bank.accounts[{ACCOUNT}].cross_check.amounts[total_amount]"
    assert material == {
        f"{check}.xero": False,
        f"{check}.agrees": True,
        "financials.integrity_checks[tb].values.debits": False,
        "financials.integrity_checks[tb].passed": True,
    }


def test_summary_has_grades_flag_counts_and_key_figures() -> None:
    new = _report()
    new["verdict"]["overall"]["grade"] = "C"
    new["verdict"]["flags"].append(_flag("dscr_low", "red", key=None))
    new["financials"]["profit_and_loss"] = {"current": {"revenue": _money("1500.00")}}
    old = _report()
    old["financials"]["profit_and_loss"] = {"current": {"revenue": _money("1250.50")}}
    summary = _diff(old, new)["summary"]
    assert summary["grades"] == [
        {"grade": "overall", "old": "B", "new": "C"},
        {"grade": "data_confidence", "old": "B", "new": "B"},
    ]
    assert summary["flags"] == {
        "old": {"red": 0, "amber": 2},
        "new": {"red": 1, "amber": 2},
        "raised": 1,
        "cleared": 0,
        "severity_changed": 0,
    }
    revenue = summary["key_figures"][0]
    assert revenue == {
        "name": "revenue",
        "label": "Revenue, last 12 months",
        "unit": "money",
        "old": "1250.50",
        "new": "1500.00",
        "delta": "249.50",
        "currency": "GBP",
    }
    assert [f["name"] for f in summary["key_figures"]] == [
        "revenue",
        "net_margin",
        "dscr",
        "bank_verified_dscr",
        "reconciled_share",
        "feed_verified_coverage",
    ]


def test_one_month_of_a_real_applicant_reads_as_a_summary_then_material_changes(
    report_files: dict[str, Path],
) -> None:
    """harbour-cafe at 2026-09-30 against 2026-10-31, both from statements the snapshot holds:
    605 changes, of which 106 material; printed, 143 lines (--all: 821; 1,103 lines before the
    summary and materiality). The bounds leave room for new report fields: the behaviour
    section (issue 18) adds about 40 material lines (trends gaining a year on year, tax owed,
    the current account's average daily balance)."""
    old, new = str(report_files["harbour-cafe@2026-09-30"]), str(report_files["harbour-cafe"])
    runner = CliRunner()
    printed = runner.invoke(main, ["diff", old, new])
    assert printed.exit_code == 1
    lines = printed.output.splitlines()
    assert len(lines) < 200
    assert lines[0] == "Harbour Cafe Ltd (GBP): report of 2026-09-30 against 2026-10-31"
    data = json.loads(runner.invoke(main, ["diff", old, new, "--json"]).stdout)
    counts = (data["summary"]["material_changes"], data["summary"]["changes"])
    assert 50 < counts[0] < counts[1] / 4
    material = lines.index("Material changes ({} of {})".format(*counts))
    assert lines.index("Summary") < material
    sections = [line for line in lines[material:] if line and not line.startswith(" ")]
    headings = [s for s in sections if not re.match(r"\S.*  ", s)]
    assert headings[:4] == [
        "Material changes ({} of {})".format(*counts),
        "Bank, all accounts",
        "Bank account Business Current Account",
        "Bank account Business Savings Account",
    ]
    assert {"Evidence", "Financials"} <= set(headings)
    assert headings[-1].startswith("Not compared (they differ between any two runs")
    for text in (  # hand-checked: 505,103.63 - 502,279.65 = 2,823.98; -9,690.33 + 202.75
        r"Overall grade +A +A +same",
        r"Red flags +0 +0 +same",
        r"Revenue, last 12 months +GBP 502,279\.65 +GBP 505,103\.63 +GBP \+2,823\.98",
        r"Net margin +15\.01% +14\.40% +-0\.61 pts",
        r"Reconciled share of bank lines \(by amount\) +100\.00% +99\.57% +-0\.43 pts",
        r"Unreconciled statement lines: 12 new \(GBP -9,487\.58\), 0 reconciled or gone",
        r"Flags: 0 raised, 0 cleared, 0 with a new severity\. Changes: \d+ material of \d+",
        r"reconciliation / unreconciled amount neg +GBP 0\.00 +GBP -9,690\.33 +GBP -9,690\.33",
        r"ledger vs bank / ledger minus bank +GBP 0\.00 +GBP -143\.04 +GBP -143\.04",
        r"balance sheet / current / creditor days +4\.18 days +7\.03 days +\+2\.85 days",
    ):
        assert re.search(text, printed.output), text
    # the working of the checks (cross-check figures, integrity check values) only with --all
    assert not re.search(r"cross check / \S+ \S+ / (xero|recomputed)", printed.output)
    assert " / values / " not in printed.output
    everything = runner.invoke(main, ["diff", old, new, "--all"]).output
    assert len(everything.splitlines()) > 5 * len(lines)
    assert re.search(r"cross check / amounts total_amount / xero +GBP 77,114\.64", everything)

    assert data["summary"]["unreconciled_lines"]["appeared_amount"] == [
        {"amount": "-9487.58", "currency": "GBP"}
    ]
    assert data["summary"]["key_figures"][0] == {
        "name": "revenue",
        "label": "Revenue, last 12 months",
        "unit": "money",
        "currency": "GBP",
        "old": "502279.65",
        "new": "505103.63",
        "delta": "2823.98",
    }
    material_metrics = [m for m in data["metrics"] if m["material"]]
    assert (
        data["materiality"]["material_metrics"]
        == len(material_metrics)
        == data["summary"]["material_changes"]
    )
    assert len(data["metrics"]) == data["summary"]["changes"]
    assert all(m["currency"] == "GBP" for m in data["metrics"] if m["kind"] == "money")


def test_behaviour_lists_read_as_words_not_account_ids(
    report_files: dict[str, Path],
) -> None:
    """The behaviour section's per-account lists (daily balances, monthly flows, repayment
    streams) are printed under their account's name, their items by payee, digit or month:
    no bank account ID in the printed diff (issue 21's leftover)."""
    old, new = str(report_files["harbour-cafe@2026-09-30"]), str(report_files["harbour-cafe"])
    runner = CliRunner()
    printed = runner.invoke(main, ["diff", old, new]).output
    everything = runner.invoke(main, ["diff", old, new, "--all"]).output
    uuid = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
    assert not uuid.search(printed)
    lines = printed.splitlines()
    current = lines.index("Behaviour, bank account Business Current Account")
    assert re.match(
        r"daily balances / average daily balance +GBP 45,498\.12 +GBP 47,870\.42 +GBP \+2,372\.30",
        lines[current + 2],
    )
    assert re.search(
        r"\nmonthly / inflows / trend 3 months +0\.11 +-0\.02 +-0\.13",
        printed[printed.index("Behaviour, bank account Business Current Account") :],
    )
    assert re.search(
        r"tax arrears / tax payees HMRC VAT / days since last payment +54 +85 +\+31", printed
    )
    for text in (  # only with --all: drill-back and series, each item by its own name
        r"debt service / streams FUNDING CIRCLE / payments +23 +24 +\+1",
        r"hygiene / benford digits 1 / lines +584 +601 +\+17",
        r"daily balances / months 2026-09 / average daily balance",
    ):
        assert re.search(text, everything), text
    # --json keeps the identities: the stream's account ID and payee, and the account's name
    accounts = json.loads(Path(new).read_text())["bank"]["accounts"]
    current_id = next(
        a["bank_account_id"]
        for a in accounts
        if a["bank_account_name"] == "Business Current Account"
    )
    data = json.loads(runner.invoke(main, ["diff", old, new, "--json"]).stdout)
    (stream,) = [
        m
        for m in data["metrics"]
        if m["path"] == f"behaviour.debt_service.streams[{current_id}|FUNDING CIRCLE].payments"
    ]
    assert (stream["account"], stream["account_name"]) == (current_id, "Business Current Account")


def test_reports_of_different_organisations_are_refused_unless_allowed(
    report_files: dict[str, Path],
) -> None:
    cafe, roasters = str(report_files["harbour-cafe"]), str(report_files["mesa-roasters"])
    runner = CliRunner()
    refused = runner.invoke(main, ["diff", cafe, roasters])
    assert refused.exit_code == 3
    assert "are not comparable: different organisations: Harbour Cafe Ltd" in refused.output
    assert "different base currencies: GBP and USD" in refused.output
    assert "--allow-different" in refused.output
    assert "Traceback" not in refused.output
    allowed = runner.invoke(main, ["diff", cafe, roasters, "--allow-different"])
    assert allowed.exit_code == 1
    assert allowed.output.startswith("WARNING: different organisations: Harbour Cafe Ltd")
    data = json.loads(
        runner.invoke(main, ["diff", cafe, roasters, "--allow-different", "--json"]).stdout
    )
    assert len(data["warnings"]) == 2
