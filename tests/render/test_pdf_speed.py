"""What makes the report quicker must not change it: the lean user-agent stylesheet gives the
same PDF bytes as WeasyPrint's own.

(The tests of the forked chart child were removed with the child: issue 20, finding 5; see
tests/cli/test_processes.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest
import weasyprint
from weasyprint import html as wp_html

from lendcheck.render import html as html_module
from lendcheck.render import pdf as pdf_module
from lendcheck.render.html import render_html
from lendcheck.report import Report, build_report
from lendcheck.snapshot import load_snapshot

ROOT = Path(__file__).resolve().parents[2]


def test_the_installed_weasyprint_gets_the_lean_stylesheet() -> None:
    lean = pdf_module._lean_ua_stylesheet(wp_html.UA)
    assert lean is not None, "the user-agent stylesheet changed: review _lean_ua_stylesheet"
    assert "::footnote" not in lean and "::note" not in lean
    assert "\nli::marker {" in lean and "\n::marker {" not in lean
    assert pdf_module._html_class() is not weasyprint.HTML


def test_an_unexpected_stylesheet_is_used_as_is() -> None:
    assert pdf_module._lean_ua_stylesheet("p { margin: 0 }") is None


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_lean_stylesheet_gives_the_same_pdf_bytes(
    paper: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # fernleaf-studio: the quickest sample; lists, flags, charts, tables and page references
    report = build_report(load_snapshot(ROOT / "samples" / "fernleaf-studio"))
    html = render_html(report, paper=paper)  # type: ignore[arg-type]
    lean = pdf_module.render_pdf(html, report.as_of)
    monkeypatch.setattr(pdf_module, "_html_class", lambda: weasyprint.HTML)
    assert pdf_module.render_pdf(html, report.as_of) == lean


@pytest.fixture(scope="module")
def fernleaf() -> Report:
    return build_report(load_snapshot(ROOT / "samples" / "fernleaf-studio"))


def test_chart_heights_of_a4_are_the_charts_defaults() -> None:
    from lendcheck.render import charts

    assert html_module.CHART_HEIGHTS["A4"] == (charts.FULL_HEIGHT, charts.HALF_HEIGHT)


def test_charts_as_images_give_the_same_pdf_bytes(
    fernleaf: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    html = render_html(fernleaf)
    as_images, charts = pdf_module._charts_as_images(html)
    assert len(charts) == html.count("<svg") >= 4 and "<svg" not in as_images
    pdf = pdf_module.render_pdf(html, fernleaf.as_of)
    monkeypatch.setattr(pdf_module, "_charts_as_images", lambda text: (text, []))
    assert pdf_module.render_pdf(html, fernleaf.as_of) == pdf


def test_the_fetcher_serves_only_the_documents_own_charts() -> None:
    fetcher = pdf_module._fetcher_class()([b"<svg/>"])
    assert fetcher.fetch("lendcheck-chart:0").read() == b"<svg/>"
    for url in ("lendcheck-chart:1", "lendcheck-chart:-1", "lendcheck-chart:0/x", "file:///etc"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 4
