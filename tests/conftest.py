"""Shared fixtures: the repository's samples (path and names) and the official Xero spec."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from lendcheck.api import make_report
from lendcheck.simulator import SAMPLES as PROFILES
from tests.corpus.cases import add_statements_for

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
#: The committed samples: one per simulator profile (tests/report checks the folder matches).
SAMPLE_NAMES = sorted(PROFILES)
#: The samples that hold the Finance API's calls (statement lines, CashValidation...): the others
#: rest on the Accounting API alone (tests/accounting covers them).
FINANCE_SAMPLE_NAMES = [n for n in SAMPLE_NAMES if PROFILES[n].source != "accounting"]
#: The hand-made worked example (tests/golden, docs/worked-example.md): a Finance API snapshot
#: whose every figure is worked out by hand; checked with the samples where a test reads any
#: snapshot's statement lines.
GOLDEN = ROOT / "tests" / "golden" / "wren-joinery"
#: The official Finance API spec, copied into the repository (tests/xero_spec/README.md) so
#: that a clone tests on its own; the workplace's copy beside the repository, when there is one.
FINANCE_SPEC = ROOT / "tests" / "xero_spec" / "xero-finance.yaml"
SHARED_FINANCE_SPEC = ROOT.parent / "shared" / "xero" / "xero-finance.yaml"
#: The official Accounting API spec, copied the same way, and the workplace's copy.
ACCOUNTING_SPEC = ROOT / "tests" / "xero_spec" / "xero_accounting.yaml"
SHARED_ACCOUNTING_SPEC = ROOT.parent / "shared" / "xero" / "xero_accounting.yaml"


@pytest.fixture(scope="session")
def finance_spec() -> dict:
    """The Xero Finance API OpenAPI document (xero-finance.yaml) as a dict."""
    import yaml

    return yaml.safe_load(FINANCE_SPEC.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def accounting_spec() -> dict:
    """The Xero Accounting API OpenAPI document (xero_accounting.yaml, 0.9 MB) as a dict, read
    once per session with PyYAML's safe loader in C (libyaml: 0.4 s against 1.6 s)."""
    import yaml

    return yaml.load(ACCOUNTING_SPEC.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


# report.json files of two committed samples (JSON only: PDFs are slow), for the tools' tests
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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Modules holding a test marked ``slow`` run first, in their collection order, the others
    after them. ``make test`` hands whole modules to the pytest-xdist workers in this order
    (``--dist loadfile --no-loadscope-reorder``): the long modules start while the short ones
    fill the gaps, rather than one long module starting last and keeping the run waiting."""
    slow = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in slow)
