"""``report.pdf``: the HTML rendered by WeasyPrint, safely and reproducibly.

Safety: the HTML is self-contained (CSS inline, charts inline SVG), and WeasyPrint gets
:class:`NoFetcher`, which refuses every URL but ``lendcheck-chart:N``, the N-th chart of the
HTML itself, so that nothing from the network or the file system can enter the PDF even if
untrusted text tried to reference it. No ``base_url`` is given.

Reproducibility: the PDF's dates come from the report (``<meta name="dcterms.created">`` in the
template), never from the clock, so the same report gives the same bytes (``tests/render``).

Speed: the charts reach WeasyPrint as images of their own SVG (:func:`_charts_as_images`),
which it parses as XML, rather than inline, where its HTML parser read them character by
character and its cascade styled each of their elements (6 % of the work; the same PDF bytes).
"""

from __future__ import annotations

import logging
import re
from datetime import date
from typing import Any

from lendcheck.errors import OutputError

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


def prepare() -> None:
    """Import WeasyPrint now (:func:`render_pdf` does it when not done), so that a missing
    system library is reported before any work.

    Raises:
        OutputError: WeasyPrint cannot load its system libraries.
    """
    try:
        import weasyprint  # noqa: F401
    except OSError as exc:  # Pango or HarfBuzz missing
        raise OutputError(
            f"WeasyPrint cannot load its system libraries ({exc}); run `make setup` "
            "or install Pango (Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0)"
        ) from exc


def render_pdf(html: str, report_date: date | None = None) -> bytes:
    """Render report HTML to PDF bytes.

    Args:
        html: the output of :func:`lendcheck.render.html.render_html`.
        report_date: not needed (the PDF's metadata dates come from the HTML, which holds the
            report date); accepted so that existing callers keep working.

    Returns:
        The PDF document.

    Raises:
        OutputError: WeasyPrint (or a system library it needs) failed.
    """
    del report_date
    prepare()
    import weasyprint

    html, charts = _charts_as_images(html)
    fetcher = _fetcher_class()(charts)
    try:
        document = weasyprint.HTML(string=html, url_fetcher=fetcher)
        pdf = document.write_pdf(uncompressed_pdf=False)
    except Exception as exc:
        raise OutputError(f"rendering the PDF failed: {exc}") from exc
    if fetcher.refused:
        LOG.warning("the report HTML referenced resources that were refused: %s", fetcher.refused)
    assert isinstance(pdf, bytes)
    return pdf
