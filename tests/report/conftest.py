"""Fixtures: reports of the committed samples, built once per session."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from lendcheck.report import Report, build_report
from lendcheck.snapshot import load_snapshot

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
DEFAULT_SAMPLE = SAMPLES / "harbour-cafe"


@pytest.fixture(scope="session")
def cafe_report() -> Report:
    return build_report(load_snapshot(DEFAULT_SAMPLE))


@pytest.fixture(scope="session")
def cafe_pdf(cafe_report: Report) -> bytes:
    from lendcheck.render.html import render_html
    from lendcheck.render.pdf import render_pdf

    return render_pdf(render_html(cafe_report), cafe_report.as_of)


def edit_in_place(snapshot: Path, endpoint: str, edit: Callable[[Any], None]) -> None:
    """Change the first successful response of ``endpoint`` in a copied snapshot with ``edit``
    (given the parsed JSON, changed in place) and update the manifest's sha256, so the result
    is a valid snapshot whose content differs."""
    manifest = json.loads((snapshot / "manifest.json").read_text())
    call = next(c for c in manifest["calls"] if c["endpoint"] == endpoint and c["status"] == 200)
    path = snapshot / call["file"]
    data = json.loads(path.read_text())
    edit(data)
    body = json.dumps(data).encode()
    path.write_bytes(body)
    call["sha256"] = hashlib.sha256(body).hexdigest()
    (snapshot / "manifest.json").write_text(json.dumps(manifest))


def edit_sample(sample: Path, target: Path, edit: Callable[[Any], None], endpoint: str) -> Path:
    """Copy a sample snapshot to ``target`` and :func:`edit_in_place` one of its responses."""
    shutil.copytree(sample, target)
    edit_in_place(target, endpoint, edit)
    return target
