"""The public API of ``import lendcheck`` (issue 19): every exported name resolves, importing
the package loads none of the heavy libraries, and the documented example runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import lendcheck
from lendcheck.api import make_report
from lendcheck.errors import LendcheckError, SnapshotError

ROOT = Path(__file__).resolve().parents[2]


def test_every_exported_name_resolves_to_its_module_object() -> None:
    assert set(lendcheck.__all__) == {"__version__", *lendcheck._LAZY}
    for name in lendcheck._LAZY:
        assert getattr(lendcheck, name) is getattr(
            __import__(lendcheck._LAZY[name], fromlist=[name]), name
        )
    assert lendcheck.make_report is make_report
    assert issubclass(lendcheck.SnapshotError, LendcheckError)
    assert lendcheck.SnapshotError.exit_code == 3
    with pytest.raises(AttributeError, match="no attribute 'frames_of'"):
        _ = lendcheck.frames_of  # type: ignore[attr-defined]


def test_import_lendcheck_loads_no_heavy_library() -> None:
    code = (
        "import sys, lendcheck\n"
        "heavy = ('polars', 'pydantic', 'weasyprint', 'matplotlib', 'httpx')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_documented_example(tmp_path: Path) -> None:
    result = lendcheck.make_report(
        ROOT / "samples" / "fernleaf-studio", tmp_path, formats=("json",)
    )
    assert result.paths["json"].read_bytes().startswith(b"{")
    assert result.report.verdict.overall.grade in {"A", "B", "C", "D", "E"}
    assert result.policy_failed("never") is False
    snapshot = lendcheck.load_snapshot(ROOT / "samples" / "fernleaf-studio")
    assert lendcheck.build_report(snapshot).report_id == result.report.report_id
    with pytest.raises(SnapshotError):
        lendcheck.load_snapshot(tmp_path / "no-such-snapshot")
