"""Charts: SVG documents that are deterministic, self-contained, print-friendly and free of data
text."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

from lendcheck.render import charts
from lendcheck.render.html import render_html
from lendcheck.report import Report, build_report
from lendcheck.snapshot import load_snapshot

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def cafe() -> Report:
    return build_report(load_snapshot(ROOT / "samples" / "harbour-cafe"))


@pytest.fixture(scope="module")
def cafe_html(cafe: Report) -> str:
    """harbour-cafe's report HTML, drawn once per module (its charts are most of the time)."""
    return render_html(cafe)


def _all_charts(report: Report) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for n, acc in enumerate(report.bank.accounts, start=1):
        out[f"flows{n}"] = charts.monthly_flows(acc.import_source_mix, acc.reconciliation, f"a{n}")
        out[f"mix{n}"] = charts.source_mix(acc.import_source_mix, f"a{n}")
        out[f"ageing{n}"] = charts.ageing(acc.reconciliation, f"a{n}")
        out[f"cadence{n}"] = charts.cadence(acc.cadence, f"a{n}")
    out["customers"] = charts.concentration(report.financials.concentration.customers, "c")
    return out


def test_charts_are_svg_documents_with_nothing_to_fetch(cafe: Report) -> None:
    drawn = {k: v for k, v in _all_charts(cafe).items() if v is not None}
    assert len(drawn) >= 7
    for name, svg in drawn.items():
        root = ElementTree.fromstring(svg.encode())  # a well-formed document
        assert root.tag == "{http://www.w3.org/2000/svg}svg", name
        assert "<metadata" not in svg  # no date of the run
        assert "<image" not in svg and "<script" not in svg and "<foreignObject" not in svg
        # every reference is to an element of the same SVG
        for ref in re.findall(r'(?:href|url\()\s*=?\s*"?([^")\s]+)', svg):
            assert ref.startswith("#") or ref.startswith("http://www.w3.org/"), (name, ref)
        ids = re.findall(r'\sid="([^"]+)"', svg)
        for ref in re.findall(r'(?:href="|url\()#([^")]+)', svg):
            assert ids.count(ref) == 1, (name, ref)
        assert "font-family" in svg or "font:" in svg  # text stays text (svg.fonttype none)


def test_same_section_same_svg_and_every_chart_an_image_of_its_own(
    cafe: Report, cafe_html: str
) -> None:
    first, second = _all_charts(cafe), _all_charts(cafe)
    assert first == second
    # Each chart is its own document in the page (an image of its SVG), so element IDs of two
    # charts never meet; the page holds no inline SVG.
    html = cafe_html
    assert "<svg" not in html
    images = re.findall(r'<img class="chart" alt="" src="data:image/svg\+xml;base64,([^"]+)"', html)
    shown = {base64.b64decode(image).decode() for image in images}
    accounts = {k: v for k, v in first.items() if v is not None and k != "customers"}
    assert len(images) > len(accounts) >= 6
    for name, svg in accounts.items():  # the same charts as the page's bank account sections
        assert svg in shown, name


def test_html_bytes_do_not_depend_on_the_process(cafe_html: str) -> None:
    # Charts, anchors and all: a fresh interpreter with another hash seed gives the same HTML.
    expected = hashlib.sha256(cafe_html.encode()).hexdigest()
    code = (
        "import hashlib\n"
        "from lendcheck.render.html import render_html\n"
        "from lendcheck.report import build_report\n"
        "from lendcheck.snapshot import load_snapshot\n"
        f"r = build_report(load_snapshot({str(ROOT / 'samples' / 'harbour-cafe')!r}))\n"
        "print(hashlib.sha256(render_html(r).encode()).hexdigest())\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True, cwd=ROOT
    )
    assert out.stdout.strip() == expected


def test_series_differ_by_hatching_not_only_shade(cafe: Report) -> None:
    acc = cafe.bank.accounts[0]  # direct feed, file uploads and typed lines
    kinds = {s.kind for s in acc.import_source_mix.sources if s.lines}
    assert {"direct_feed", "file_upload", "manual"} <= kinds
    svg = charts.monthly_flows(acc.import_source_mix, acc.reconciliation, "a1")
    assert svg is not None
    assert svg.count("<pattern") >= 2  # file upload and typed by hand are hatched
    for label in ("direct feed", "file upload", "typed by hand", "reconciled share"):
        assert label in svg
    assert "stroke-dasharray" in svg  # the reconciled share is a dashed line


def test_charts_carry_no_contact_names(cafe: Report) -> None:
    figures = cafe.financials.concentration.customers
    svg = charts.concentration(figures, "c")
    assert svg is not None
    names = [c.name for c in figures.top_contacts if c.name]
    assert names
    for name in names:
        assert name not in svg
    assert "#1" in svg and "#5" in svg


def test_nothing_to_chart_gives_none(cafe: Report) -> None:
    savings = next(a for a in cafe.bank.accounts if a.reconciliation.unreconciled_lines == 0)
    assert charts.ageing(savings.reconciliation, "s") is None
    # every line by direct feed: a mix chart would be one full bar a month
    assert [s.kind for s in savings.import_source_mix.sources if s.lines] == ["direct_feed"]
    assert charts.source_mix(savings.import_source_mix, "s") is None
    empty = savings.import_source_mix.model_copy(update={"monthly": []})
    assert charts.monthly_flows(empty, savings.reconciliation, "s") is None
    assert charts.source_mix(empty, "s") is None
    no_contacts = cafe.financials.concentration.customers.model_copy(update={"top_contacts": []})
    assert charts.concentration(no_contacts, "c") is None


def test_amount_ticks_keep_their_decimals(cafe: Report) -> None:
    """The ageing chart's ticks at -2,500 and -7,500 read "-2.5k" and "-7.5k" (they printed as
    "-2k" and "-8k")."""
    from lendcheck.render.charts import _amount

    assert [_amount(v) for v in (-7500, -2500, 0, 250, 10_000, 1_250_000, 2_000_000)] == [
        "-7.5k",
        "-2.5k",
        "0",
        "250",
        "10k",
        "1.25m",
        "2m",
    ]
    svg = charts.ageing(cafe.bank.accounts[0].reconciliation, "t") or ""
    assert "-2.5k" in svg and "-7.5k" in svg  # payments of GBP -9,690.33 in the 0-30 bucket
