"""Fixtures: reports of the committed samples, built once per session, and their HTML and PDF,
rendered once per session (per pytest-xdist worker) when a test first asks for them."""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from lendcheck.report import Report, build_report
from lendcheck.snapshot import load_snapshot

if TYPE_CHECKING:
    from lendcheck.render.html import Paper

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
DEFAULT_SAMPLE = SAMPLES / "harbour-cafe"


@contextmanager
def logged_warnings() -> Iterator[list[str]]:
    """The messages of the warnings (and errors) logged by any logger meanwhile: WeasyPrint's
    about the HTML and CSS, lendcheck's about refused resources."""
    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append(record.getMessage())

    handler = Collect(logging.WARNING)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield messages
    finally:
        root.removeHandler(handler)


class RenderedSamples:
    """The committed samples' reports, HTML and PDF by paper, each made once per session when a
    test first asks for it (rendering a PDF is most of the suite's time), with the warnings
    logged while each PDF was rendered. Tests must not change what they are given."""

    def __init__(self) -> None:
        self._reports: dict[str, Report] = {}
        self._html: dict[tuple[str, str], str] = {}
        self._pdf: dict[tuple[str, str], bytes] = {}
        self.warnings: dict[tuple[str, str], list[str]] = {}

    def report(self, sample: str) -> Report:
        if sample not in self._reports:
            self._reports[sample] = build_report(load_snapshot(SAMPLES / sample))
        return self._reports[sample]

    def html(self, sample: str, paper: Paper = "A4") -> str:
        from lendcheck.render.html import render_html

        if (sample, paper) not in self._html:
            self._html[sample, paper] = render_html(self.report(sample), paper=paper)
        return self._html[sample, paper]

    def pdf(self, sample: str, paper: Paper = "A4") -> bytes:
        from lendcheck.render.pdf import render_pdf

        if (sample, paper) not in self._pdf:
            with logged_warnings() as messages:
                self._pdf[sample, paper] = render_pdf(self.html(sample, paper))
            self.warnings[sample, paper] = messages
        return self._pdf[sample, paper]


@pytest.fixture(scope="session")
def samples() -> RenderedSamples:
    return RenderedSamples()


@pytest.fixture(scope="session")
def cafe_report(samples: RenderedSamples) -> Report:
    return samples.report(DEFAULT_SAMPLE.name)


@pytest.fixture(scope="session")
def cafe_pdf(samples: RenderedSamples) -> bytes:
    return samples.pdf(DEFAULT_SAMPLE.name)


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
