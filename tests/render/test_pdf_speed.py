"""The PDF renderer fetches nothing but the report's own charts (SVG documents in ``data:`` URLs
of the HTML), and the A4 chart heights are the charts' defaults."""

from __future__ import annotations

import base64

import pytest

from lendcheck.render import html as html_module
from lendcheck.render import pdf as pdf_module


def test_chart_heights_of_a4_are_the_charts_defaults() -> None:
    from lendcheck.render import charts

    assert html_module.CHART_HEIGHTS["A4"] == (charts.FULL_HEIGHT, charts.HALF_HEIGHT)


def test_the_fetcher_serves_only_chart_svg_in_the_document() -> None:
    fetcher = pdf_module._fetcher_class()()
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"/>'
    chart = pdf_module.CHART_URL_PREFIX + base64.b64encode(svg).decode()
    response = fetcher.fetch(chart)
    assert response.read() == svg and response.content_type == "image/svg+xml"
    for url in (
        "data:image/png;base64," + base64.b64encode(b"\x89PNG").decode(),
        "data:text/html;base64," + base64.b64encode(b"<p>").decode(),
        pdf_module.CHART_URL_PREFIX + "not base64!",
        "file:///etc/hosts",
        "https://example.com/x.svg",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 5
