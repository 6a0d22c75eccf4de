"""Policy files: every problem reported with its line; exit code 2."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from lendcheck.cli import main
from lendcheck.metrics.integrity import pnl_totals_check
from lendcheck.policy.engine import evaluate
from lendcheck.policy.model import Policy, PolicyError, default_policy_text
from lendcheck.report import load_report_policy, report_metrics
from tests.financials.build import demo_pnl

GOOD = """\
policy_name = "Test Bank"
policy_version = "7"

[[rules]]
id = "current_ratio_low"
metric = "financials.balance_sheet.current.current_ratio"
comparison = "below"
amber = 1.2
red = 1.0
message = "Current ratio {value}"
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "policy.toml"
    path.write_text(text)
    return path


def test_good_policy(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD)
    loaded = load_report_policy(str(path))
    assert (loaded.info.name, loaded.info.version, loaded.info.source) == ("Test Bank", "7", "file")
    assert loaded.info.sha256 == hashlib.sha256(GOOD.encode()).hexdigest()


def test_default_policy_info() -> None:
    loaded = load_report_policy()
    assert loaded.info.source == "default"
    assert loaded.info.sha256 == hashlib.sha256(default_policy_text().encode()).hexdigest()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            (
                'metric = "financials.balance_sheet.current.current_ratio"',
                'metric = "financials.balance_sheet.current.curent_ratio"',
            ),
            [
                r"policy\.toml:6: rules\[0\] \(current_ratio_low\)\.metric: unknown metric "
                r"'financials\.balance_sheet\.current\.curent_ratio'"
            ],
        ),
        (
            ("red = 1.0", "red = 1.5"),
            [r"policy\.toml:9: .*\.red: red \(1\.5\) must not be above amber \(1\.2\)"],
        ),
        (("amber = 1.2", 'amber = "high"'), [r"policy\.toml:8: .*amber must be a number"]),
        (
            ('comparison = "below"', 'comparison = "under"'),
            [
                r"policy\.toml:7: rules\.0\.comparison: Input should be 'below', 'above', 'is' or "
                r"'missing'"
            ],
        ),
        (
            ('message = "Current ratio {value}"', 'message = "Current ratio {ratio}"'),
            [r"policy\.toml:10: .*message uses unknown fields \['ratio'\]"],
        ),
        (
            ('id = "current_ratio_low"', 'id = "Current Ratio"'),
            [r"policy\.toml:5: rules\.0\.id: String should match pattern"],
        ),
        (
            ('policy_version = "7"\n', 'policy_version = "7"\nfail_fast = true\n'),
            [r"policy\.toml:3: fail_fast: Extra inputs are not permitted"],
        ),
        (
            ("amber = 1.2", 'amber = 1.2\nscope = "bank.acounts"'),
            [r"policy\.toml:9: .*scope: unknown scope 'bank\.acounts'"],
        ),
        (("[[rules]]", "[[rules]\n"), [r"policy\.toml:4: not valid TOML"]),
    ],
    ids=[
        "unknown-metric",
        "thresholds-out-of-order",
        "threshold-type",
        "bad-comparison",
        "bad-message-field",
        "bad-id",
        "unknown-field",
        "unknown-scope",
        "toml-syntax",
    ],
)
def test_invalid_policies(tmp_path: Path, change: tuple[str, str], expected: list[str]) -> None:
    path = _write(tmp_path, GOOD.replace(*change, 1))
    with pytest.raises(PolicyError) as info:
        load_report_policy(str(path))
    assert info.value.exit_code == 2
    assert len(info.value.problems) == len(expected), info.value.problems
    for pattern, problem in zip(expected, info.value.problems, strict=True):
        assert re.search(pattern, problem), problem


def test_every_problem_is_listed(tmp_path: Path) -> None:
    text = (
        GOOD
        + """
[[rules]]
id = "current_ratio_low"
metric = "no.such.metric"
comparison = "missing"
amber = 1
message = "x"
"""
    )
    with pytest.raises(PolicyError) as info:
        load_report_policy(str(_write(tmp_path, text)))
    problems = info.value.problems
    assert any("policy.toml:13:" in p and "duplicate rule id" in p for p in problems)
    assert any("policy.toml:14:" in p and "unknown metric 'no.such.metric'" in p for p in problems)
    assert any("needs severity" in p for p in problems)
    assert any("policy.toml:16:" in p and "takes no thresholds" in p for p in problems)


def test_policy_check_cli(tmp_path: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(main, ["policy", "check", str(_write(tmp_path, GOOD))])
    assert ok.exit_code == 0
    assert "valid; Test Bank 7, 1 rules (0 data, 1 credit)" in ok.output
    bad = runner.invoke(
        main, ["policy", "check", str(_write(tmp_path, GOOD.replace("red = 1.0", "red = 2")))]
    )
    assert bad.exit_code == 2
    assert "policy.toml:9:" in bad.output
    assert "Traceback" not in bad.output
    missing = runner.invoke(main, ["policy", "check", str(tmp_path / "nope.toml")])
    assert missing.exit_code == 2
    assert "cannot read the policy file" in missing.output


def test_policy_show_prints_the_effective_policy(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["policy", "show"])
    assert result.exit_code == 0
    assert default_policy_text() in result.output
    assert result.output.startswith("# lendcheck default ")
    mine = CliRunner().invoke(main, ["policy", "show", "--policy", str(_write(tmp_path, GOOD))])
    assert mine.output.endswith(GOOD)


def test_policy_doc_lists_the_default_rules() -> None:
    from lendcheck.contract.docs import policy_rules_doc
    from lendcheck.policy.docs import rules_table

    doc = (Path(__file__).resolve().parents[2] / "docs" / "policy.md").read_text()
    assert rules_table(load_report_policy().policy.rules) in doc
    assert policy_rules_doc(doc) == doc, (
        "docs/policy.md is stale: run .venv/bin/python -m lendcheck.contract.docs"
    )


def test_a_policy_without_integrity_tolerances_keeps_the_defaults(tmp_path: Path) -> None:
    """Policy files written before [integrity] existed stay valid (issue 16.6)."""
    integrity = load_report_policy(str(_write(tmp_path, GOOD))).policy.integrity
    assert (integrity.absolute_tolerance, integrity.relative_tolerance) == (0.01, 0.005)
    tight = GOOD.replace("[[rules]]", "[integrity]\nrelative_tolerance = 0.001\n\n[[rules]]", 1)
    assert load_report_policy(str(_write(tmp_path, tight))).policy.integrity.relative_tolerance == (
        0.001
    )
    bad = GOOD.replace("[[rules]]", "[integrity]\nrelative_tolerance = 5\n\n[[rules]]", 1)
    with pytest.raises(PolicyError, match=r"policy.toml:5: integrity.relative_tolerance"):
        load_report_policy(str(_write(tmp_path, bad)))


def test_the_demo_companys_sub_total_slip_is_amber_not_red() -> None:
    """Issue 16.6: Xero's Demo Company (NZ) states operating expenses 1,036.42 against
    accounts of 1,076.42. Under the default tolerances (P&L of 12,000.00: 60.00) that is one
    amber flag (grade B), no longer a red integrity failure."""
    default = load_report_policy(None).policy
    rules = [r for r in default.rules if r.scope == "financials.integrity_checks"]
    only = Policy(policy_name="t", policy_version="1", rules=rules)
    check = pnl_totals_check(demo_pnl("12000.00"), "NZD", "")
    data = {"financials": {"integrity_checks": [check.model_dump(mode="json")]}}
    verdict = evaluate(data, only, report_metrics())
    assert [(f.rule_id, f.severity) for f in verdict.flags] == [
        ("integrity_difference_immaterial", "amber")
    ]
    assert verdict.overall.grade == "B"
