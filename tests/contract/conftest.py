"""Fixtures: report.json files of two committed samples (JSON only: PDFs are slow)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from lendcheck.api import make_report

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"


@pytest.fixture(scope="session")
def report_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """``{name: report.json path}`` for harbour-cafe and mesa-roasters at their snapshots' dates,
    and harbour-cafe a month earlier (``harbour-cafe@2026-09-30``)."""
    out = tmp_path_factory.mktemp("reports")
    paths = {}
    for name in ("harbour-cafe", "mesa-roasters", "harbour-cafe@2026-09-30"):
        sample, _, as_of = name.partition("@")
        result = make_report(
            SAMPLES / sample,
            out / name,
            formats=("json",),
            as_of=date.fromisoformat(as_of) if as_of else None,
        )
        paths[name] = result.paths["json"]
    return paths
