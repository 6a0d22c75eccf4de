"""What makes the PDF quicker must not change it: the charts as images of their own SVG give the
same PDF bytes as inline ones, and the fetcher serves nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from lendcheck.render import html as html_module
from lendcheck.render import pdf as pdf_module
from lendcheck.render.html import render_html
from lendcheck.report import Report, build_report
from lendcheck.snapshot import load_snapshot

ROOT = Path(__file__).resolve().parents[2]


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
