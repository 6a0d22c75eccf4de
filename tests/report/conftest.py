"""Fixtures: reports of the committed samples, built once per session, and their HTML and PDF,
rendered once per session (per pytest-xdist worker) when a test first asks for them."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
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
#: Every sample folder of the repository (what test_pdf.py and test_pdf_letter.py render).
SAMPLE_FOLDERS = sorted(p.name for p in SAMPLES.iterdir() if (p / "manifest.json").is_file())


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
        self._pages: dict[tuple[str, str], tuple[str, ...]] = {}
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

    def pages(self, sample: str, paper: Paper = "A4") -> tuple[str, ...]:
        """The text of each page of :meth:`pdf`, as pypdf extracts it (extracting a PDF's text
        costs about half as much as rendering it, so it is done once too)."""
        if (sample, paper) not in self._pages:
            self._pages[sample, paper] = page_texts(self.pdf(sample, paper))
        return self._pages[sample, paper]


def assert_verdict_keeps_to_page_one(samples: RenderedSamples, sample: str, paper: Paper) -> None:
    """A sample's PDF on ``paper``: WeasyPrint had nothing to warn about (CSS it ignores, a
    resource refused), under 40 pages, the whole verdict on page 1 and the contents on page 2,
    and each bank account's heading and its last block (the cadence) on one page."""
    report = samples.report(sample)
    pages = samples.pages(sample, paper)
    assert samples.warnings[sample, paper] == []
    assert len(pages) < 40
    assert "Checks at a glance" in pages[0]  # the last block of the verdict page
    assert pages[1].lstrip().startswith("Contents")
    for n in range(1, len(report.bank.accounts) + 1):
        holding = [t for t in pages[2:] if f"Account #{n}: " in t]
        assert len(holding) == 1, (sample, paper, n)
        assert "Reconciliation cadence" in holding[0], (sample, paper, n)


def squash(text: str) -> str:
    """``text`` without white space: table cells wrap long values."""
    return re.sub(r"\s+", "", text)


def analyst_and_appendices(pages: tuple[str, ...]) -> tuple[str, str]:
    """The text of a PDF's analyst pages (up to Appendix A) and of its appendices."""
    drill = next(i for i, page in enumerate(pages) if "Appendix A: statement lines" in page[:80])
    return "".join(pages[:drill]), "".join(pages[drill:])


def page_texts(pdf: bytes) -> tuple[str, ...]:
    """The text of each page of ``pdf``, as pypdf extracts it."""
    from pypdf import PdfReader

    return tuple(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture(scope="session")
def samples() -> RenderedSamples:
    return RenderedSamples()


@pytest.fixture(scope="session")
def cafe_report(samples: RenderedSamples) -> Report:
    return samples.report(DEFAULT_SAMPLE.name)


@pytest.fixture(scope="session")
def cafe_pdf(samples: RenderedSamples) -> bytes:
    return samples.pdf(DEFAULT_SAMPLE.name)


@pytest.fixture(scope="session")
def cafe_pages(samples: RenderedSamples) -> tuple[str, ...]:
    return samples.pages(DEFAULT_SAMPLE.name)


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
