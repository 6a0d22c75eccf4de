"""Shared fixtures: the repository's samples (path and names) and the official Xero spec."""

from __future__ import annotations

from pathlib import Path

import pytest

from lendcheck.simulator import SAMPLES as PROFILES

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
