"""Same inputs, same bytes: report.json, the diff and the schema."""

from __future__ import annotations

from pathlib import Path

from lendcheck.api import make_report
from lendcheck.tools.diff import diff_files, render_diff_json
from tests.conftest import SAMPLES


def test_two_runs_give_byte_identical_report_json(
    tmp_path: Path, report_files: dict[str, Path]
) -> None:
    again = make_report(SAMPLES / "harbour-cafe", tmp_path, formats=("json",))
    assert again.paths["json"].read_bytes() == report_files["harbour-cafe"].read_bytes()


def test_diff_json_is_deterministic(report_files: dict[str, Path]) -> None:
    old, new = report_files["harbour-cafe@2026-09-30"], report_files["harbour-cafe"]
    first = render_diff_json(diff_files(old, new))
    assert first == render_diff_json(diff_files(old, new))
    assert first.endswith(b"\n") and b'"format": "lendcheck-diff/1"' in first
