"""Fixtures: report.json files of two committed samples (JSON only: PDFs are slow)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from lendcheck.api import make_report
from tests.corpus.cases import add_statements_for

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
EARLIER = date(2026, 9, 30)


@pytest.fixture(scope="session")
def report_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """``{name: report.json path}`` for harbour-cafe and mesa-roasters at their snapshots' dates,
    and harbour-cafe a month earlier (``harbour-cafe@2026-09-30``), from a copy of its snapshot
    that also holds the statements and CashValidation of 2026-09-30 (the sample's simulator
    answers them), so the earlier report is one an underwriter could have had a month ago."""
    out = tmp_path_factory.mktemp("reports")
    earlier = out / "harbour-cafe-snapshot"
    shutil.copytree(SAMPLES / "harbour-cafe", earlier)
    add_statements_for(earlier, "harbour-cafe", EARLIER)
    paths = {}
    for name, snapshot, as_of in (
        ("harbour-cafe", SAMPLES / "harbour-cafe", None),
        ("mesa-roasters", SAMPLES / "mesa-roasters", None),
        ("harbour-cafe@2026-09-30", earlier, EARLIER),
    ):
        result = make_report(snapshot, out / name, formats=("json",), as_of=as_of)
        paths[name] = result.paths["json"]
    return paths
