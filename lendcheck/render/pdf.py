"""``report.pdf``: the HTML rendered by WeasyPrint, safely and reproducibly.

Safety: the HTML is self-contained (CSS inline, charts as images of their SVG in ``data:``
URLs), and WeasyPrint gets :class:`NoFetcher`, which refuses every URL but a chart's
(``data:image/svg+xml;base64,...``, written by :mod:`lendcheck.render.html`; untrusted text
never reaches an attribute), so that nothing from the network or the file system can enter the
PDF even if untrusted text tried to reference it. An SVG image's own references go through the
same fetcher. No ``base_url`` is given.

Reproducibility: the PDF's dates come from the report (``<meta name="dcterms.created">`` in the
template), never from the clock, so the same report gives the same bytes (``tests/render``).
"""

from __future__ import annotations

import base64
import binascii
import logging
from datetime import date
from typing import Any

from lendcheck.errors import OutputError

LOG = logging.getLogger(__name__)

#: How a chart's URL starts (the HTML renderer writes them): its SVG document, base64-encoded,
#: in the page itself. The only URLs the PDF renderer serves.
CHART_URL_PREFIX = "data:image/svg+xml;base64,"


def _fetcher_class() -> type[Any]:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class NoFetcher(URLFetcher):  # type: ignore[misc]
        """Refuses every URL but a chart's SVG: the report embeds all it shows."""

        refused: list[str]

        def __init__(self) -> None:
            super().__init__(allowed_protocols=())
            self.refused = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith(CHART_URL_PREFIX):
                try:
                    body = base64.b64decode(url.removeprefix(CHART_URL_PREFIX), validate=True)
                except binascii.Error:
                    pass
                else:
                    return URLFetcherResponse(
                        url[:60], body=body, headers={"Content-Type": "image/svg+xml"}
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

    fetcher = _fetcher_class()()
    try:
        document = weasyprint.HTML(string=html, url_fetcher=fetcher)
        pdf = document.write_pdf(uncompressed_pdf=False)
    except Exception as exc:
        raise OutputError(f"rendering the PDF failed: {exc}") from exc
    if fetcher.refused:
        LOG.warning("the report HTML referenced resources that were refused: %s", fetcher.refused)
    assert isinstance(pdf, bytes)
    return pdf
