"""docs/attack-cases.md lists issue 20's cases, each with a test that exists; the README states
their count."""

from __future__ import annotations

import re
from pathlib import Path

from tests.policy.test_policy_attacks import CASES as POLICIES

from .attacks import ATTACKS

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "attack-cases.md"


def _rows() -> list[list[str]]:
    return [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in DOC.read_text(encoding="utf-8").splitlines()
        if re.match(r"\| (\d+|decision) \|", line)
    ]


def test_every_case_has_its_test() -> None:
    last_file = None
    for _finding, case, outcome, test in _rows():
        assert outcome, case
        if test.startswith("corpus "):
            assert test.removeprefix("corpus ").strip("`") in {c.id for c in ATTACKS}, case
            continue
        path = re.search(r"`(tests/[\w/]+\.py|\.\.\.|test_policy_attacks\.py)", test)
        assert path is not None, test
        file = {"...": last_file, "test_policy_attacks.py": "tests/policy/test_policy_attacks.py"}
        name = file.get(path.group(1), path.group(1))
        assert name is not None and (ROOT / name).is_file(), test
        last_file = name
        source = (ROOT / name).read_text(encoding="utf-8")
        function = re.search(r"::(\w+)", test)
        if function:
            assert f"def {function.group(1)}(" in source, test


def test_every_attack_is_listed() -> None:
    text = DOC.read_text(encoding="utf-8")
    for case in ATTACKS:
        assert f"`{case.id}`" in text, case.id
    for name in POLICIES:
        assert f"[{name}]" in text, name


def test_the_readme_states_the_count() -> None:
    count = len(_rows())
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"{count} attack cases" in readme
