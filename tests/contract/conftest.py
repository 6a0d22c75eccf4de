"""Fixtures: report.json files of two committed samples (JSON only: PDFs are slow)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lendcheck.api import make_report

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"


@pytest.fixture(scope="session")
def report_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """``{sample name: report.json path}`` for harbour-cafe and mesa-roasters."""
    out = tmp_path_factory.mktemp("reports")
    paths = {}
    for name in ("harbour-cafe", "mesa-roasters"):
        result = make_report(SAMPLES / name, out / name, formats=("json",))
        paths[name] = result.paths["json"]
    return paths
