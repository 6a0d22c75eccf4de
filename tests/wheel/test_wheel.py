"""The wheel ships what an installed lendcheck needs outside Python modules: the report
templates (top-level templates/ in the source tree) and the default policy."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def test_wheel_contains_templates_and_default_policy(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--quiet",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    [wheel] = tmp_path.glob("lendcheck-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for template in (ROOT / "templates").iterdir():
        assert f"lendcheck/templates/{template.name}" in names
    assert "lendcheck/policy/default.toml" in names
    assert not any(name.startswith(("tests/", "samples/")) for name in names)
    # development tools stay in the source checkout (issue 19)
    assert not any(name.startswith(("lendcheck/simulator/", "lendcheck/bench/")) for name in names)
    assert "lendcheck/cli/samples_cmd.py" in names and "lendcheck/xero/fetch.py" in names
