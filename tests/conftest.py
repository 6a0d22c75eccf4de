"""Shared fixtures: the repository's samples (path and names) and the official Xero spec."""

from __future__ import annotations

from pathlib import Path

import pytest

from lendcheck.simulator import SAMPLES as PROFILES

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
#: The committed samples: one per simulator profile (tests/report checks the folder matches).
SAMPLE_NAMES = sorted(PROFILES)
#: The official spec lives in the shared folder beside the repository (see README).
SPEC_DIR = ROOT.parent / "shared" / "xero"


@pytest.fixture(scope="session")
def finance_spec() -> dict:
    """The Xero Finance API OpenAPI document (xero-finance.yaml) as a dict."""
    import yaml

    path = SPEC_DIR / "xero-finance.yaml"
    if not path.is_file():
        pytest.fail(f"{path} is missing: the official spec is expected in ../shared/xero/")
    return yaml.safe_load(path.read_text(encoding="utf-8"))
