"""Policies that ``policy check`` passed and ``report`` then broke on (issue 20, finding 8).

Each crafted policy is refused the same way by ``lendcheck policy check`` and by ``lendcheck
report --policy``: exit 2 with the problem, never a pass, never exit 70, never a flag with a
threshold of ``null``. Messages may name only the documented fields.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from lendcheck.cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "fernleaf-studio"

RULE = """
[[rules]]
id = "reconciled_share_low"
scope = "bank.accounts"
metric = "reconciliation.reconciled_share_by_amount"
comparison = "below"
amber = {amber}
red = {red}
message = "{message}"
"""
HEAD = 'policy_name = "attack"\npolicy_version = "1"\n'


def _policy(
    amber: str = "0.95", red: str = "0.85", message: str = "{value}", extra: str = ""
) -> str:
    return HEAD + extra + RULE.format(amber=amber, red=red, message=message)


CASES = {
    "threshold-inf": (_policy(amber="inf", red="inf"), r"amber: inf is not a finite number"),
    "threshold-minus-inf": (_policy(red="-inf"), r"red: -inf is not a finite number"),
    "threshold-nan": (_policy(amber="nan"), r"amber: nan is not a finite number"),
    "threshold-1e400": (_policy(amber="1e400"), r"amber: inf is not a finite number \(1e400"),
    "threshold-5000-digits": (_policy(red="9" * 5000), r"not a policy lendcheck reads"),
    "threshold-30-digits": (_policy(red="9" * 30), r"red: numbers in a policy lie within"),
    "weights-inf": (
        _policy(extra="[confidence_weights]\nreconciled = inf\n"),
        r"confidence_weights\.reconciled: inf is not a finite number",
    ),
    "grades-huge": (
        _policy(extra="[grades]\nc_amber = " + "9" * 40 + "\n"),
        r"grades\.c_amber: numbers in a policy lie within",
    ),
    "message-attribute": (
        _policy(message="{value.__class__}"),
        r"message uses unknown fields \['value\.__class__'\]",
    ),
    "message-globals": (
        _policy(message="{value.__init__.__globals__}"),
        r"message uses unknown fields",
    ),
    "message-index": (_policy(message="{scope[0]}"), r"message uses unknown fields"),
    "message-format-spec": (
        _policy(message="{value:d}"),
        r"message fields take no format spec or conversion",
    ),
    "message-huge-width": (
        _policy(message="{value:>999999999999}"),
        r"message fields take no format spec or conversion",
    ),
    "message-conversion": (
        _policy(message="{value!r}"),
        r"message fields take no format spec or conversion",
    ),
    "nested-100000-deep": (
        _policy(extra="x = " + "[" * 100_000 + "]" * 100_000 + "\n"),
        r"nested deeper",
    ),
    "nested-100-deep": (
        _policy(extra="x = " + "[" * 100 + "]" * 100 + "\n"),
        r"nested deeper than the limit of 64 levels",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_check_and_report_refuse_alike(case: str, tmp_path: Path) -> None:
    text, problem = CASES[case]
    policy = tmp_path / "policy.toml"
    policy.write_text(text, encoding="utf-8")
    check = CliRunner().invoke(main, ["policy", "check", str(policy)])
    out = str(tmp_path / "out")
    args = ["report", str(SAMPLE), "-o", out, "--format", "json", "-q", "--policy", str(policy)]
    report = CliRunner().invoke(main, args)
    for result in (check, report):
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output
        assert re.search(problem, result.output), result.output
    assert not (tmp_path / "out" / "report.json").exists()


def test_the_valid_base_policy_passes(tmp_path: Path) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text(_policy(message="{scope}: {value} (threshold {threshold})"))
    assert CliRunner().invoke(main, ["policy", "check", str(policy)]).exit_code == 0


def test_a_fifo_policy_is_refused_not_waited_for(tmp_path: Path) -> None:
    fifo = tmp_path / "policy.toml"
    os.mkfifo(fifo)
    done = subprocess.run(
        [sys.executable, "-m", "lendcheck", "policy", "check", str(fifo)],
        capture_output=True,
        text=True,
        timeout=120,  # only a hang reaches it
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert "is not a regular file" in done.stderr
