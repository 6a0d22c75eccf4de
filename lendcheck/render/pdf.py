"""``report.pdf``: the HTML rendered by WeasyPrint, safely and reproducibly.

Safety: the HTML is self-contained (CSS inline, charts inline SVG), and WeasyPrint gets
:class:`NoFetcher`, which refuses every URL but ``lendcheck-chart:N``, the N-th chart of the
HTML itself, so that nothing from the network or the file system can enter the PDF even if
untrusted text tried to reference it. No ``base_url`` is given.

Reproducibility: the PDF's dates come from the report (``<meta name="dcterms.created">`` in the
template) and ``SOURCE_DATE_EPOCH`` is set from the report date while rendering, so the same
report gives the same bytes.

Speed: WeasyPrint's user-agent stylesheet gives every element of the document the styles of
five pseudo-elements it may never have (``::marker`` and the footnote and note calls and
markers); computing them was a quarter of the render. :func:`_lean_ua_stylesheet` drops the
note rules (the report has no footnotes) and keeps ``::marker`` for list items, the only
elements of the report with markers; the PDF bytes are the same (``tests/render``). The charts
reach WeasyPrint as images of their own SVG (:func:`_charts_as_images`), which it parses as
XML, rather than inline, where its HTML parser read them character by character and its
cascade styled each of their elements (6 % of the work; the same PDF bytes).
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

from lendcheck.errors import OutputError
from lendcheck.gc_pause import gc_paused

LOG = logging.getLogger(__name__)


#: A chart of the report HTML: our own inline SVG (text from the data is escaped, so ``<svg``
#: never comes from it).
_CHART = re.compile(r"<svg\b.*?</svg>", re.S)
_CHART_URL = "lendcheck-chart:"


def _charts_as_images(html: str) -> tuple[str, list[bytes]]:
    """``html`` with each inline chart replaced by an image of it, and the charts' SVG."""
    charts: list[bytes] = []

    def image(match: re.Match[str]) -> str:
        charts.append(match.group(0).encode("utf-8"))
        return f'<img src="{_CHART_URL}{len(charts) - 1}" alt="">'

    return _CHART.sub(image, html), charts


def _fetcher_class() -> type[Any]:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class NoFetcher(URLFetcher):  # type: ignore[misc]
        """Refuses every URL but the report's own charts: the report embeds all it shows."""

        refused: list[str]

        def __init__(self, charts: list[bytes] | None = None) -> None:
            super().__init__(allowed_protocols=())
            self.refused = []
            self.charts = charts or []

        def fetch(self, url: str, headers: Any = None) -> Any:
            number = url.removeprefix(_CHART_URL)
            if url.startswith(_CHART_URL) and number.isdigit() and int(number) < len(self.charts):
                return URLFetcherResponse(
                    url, body=self.charts[int(number)], headers={"Content-Type": "image/svg+xml"}
                )
            self.refused.append(url[:200])
            raise ValueError("lendcheck reports fetch no resources")

    return NoFetcher


#: Rules of WeasyPrint's user-agent stylesheet for pseudo-elements of footnotes and notes,
#: which the report never has, each matching every element of the document.
_NOTE_RULES = re.compile(r"^::(?:footnote|note)-[a-z]+ \{[^}]*\}\n", re.M)
_ANY_MARKER = "\n::marker {"


def _lean_ua_stylesheet(ua: str) -> str | None:
    """WeasyPrint's HTML user-agent stylesheet ``ua`` without the note rules and with
    ``::marker`` for list items only; None when it no longer has the expected rules."""
    lean, notes = _NOTE_RULES.subn("", ua)
    if notes != 5 or ua.count(_ANY_MARKER) != 1:
        return None
    return lean.replace(_ANY_MARKER, "\nli::marker {")


@cache
def _html_class() -> type[Any]:
    """``weasyprint.HTML`` with the lean user-agent stylesheet (WeasyPrint's own class when
    its stylesheet has changed shape, so a new WeasyPrint is slower, never wrong)."""
    import weasyprint
    from weasyprint import html as wp_html

    lean = _lean_ua_stylesheet(getattr(wp_html, "UA", ""))
    stock: type[Any] = weasyprint.HTML
    if lean is None or not hasattr(stock, "_ua_stylesheets"):
        LOG.debug("WeasyPrint's user-agent stylesheet is not the expected one; using it as is")
        return stock
    sheet = weasyprint.CSS(string=lean, counter_style=wp_html.UA_COUNTER_STYLE)

    class LeanHTML(weasyprint.HTML):  # type: ignore[misc]
        def _ua_stylesheets(self, forms: bool = False) -> list[Any]:
            return [sheet, wp_html.UA_FORM_STYLESHEET] if forms else [sheet]

    return LeanHTML


def prepare() -> None:
    """Import WeasyPrint and make its lean stylesheet now (:func:`render_pdf` does it when
    not done), e.g. while the charts are drawn in another process.

    Raises:
        OutputError: WeasyPrint cannot load its system libraries.
    """
    try:
        _html_class()
    except OSError as exc:  # Pango or HarfBuzz missing
        raise OutputError(
            f"WeasyPrint cannot load its system libraries ({exc}); run `make setup` "
            "or install Pango (Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0)"
        ) from exc


@contextmanager
def _source_date_epoch(day: date) -> Iterator[None]:
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(
        int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())
    )
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous


def render_pdf(html: str, report_date: date) -> bytes:
    """Render report HTML to PDF bytes.

    Args:
        html: the output of :func:`lendcheck.render.html.render_html`.
        report_date: the report's ``as_of``; the PDF's metadata dates derive from it.

    Returns:
        The PDF document.

    Raises:
        OutputError: WeasyPrint (or a system library it needs) failed.
    """
    with gc_paused():
        prepare()
        html_class = _html_class()
        html, charts = _charts_as_images(html)
        fetcher = _fetcher_class()(charts)
        try:
            with _source_date_epoch(report_date):
                document = html_class(string=html, url_fetcher=fetcher)
                pdf = document.write_pdf(uncompressed_pdf=False)
        except Exception as exc:
            raise OutputError(f"rendering the PDF failed: {exc}") from exc
    if fetcher.refused:
        LOG.warning("the report HTML referenced resources that were refused: %s", fetcher.refused)
    assert isinstance(pdf, bytes)
    return pdf
