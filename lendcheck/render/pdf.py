"""``report.pdf``: the HTML rendered by WeasyPrint, safely and reproducibly.

Safety: the HTML is self-contained (CSS inline, charts inline SVG), and WeasyPrint gets
:class:`NoFetcher`, which refuses every URL, so that nothing from the network or the file system
can enter the PDF even if untrusted text tried to reference it. No ``base_url`` is given.

Reproducibility: the PDF's dates come from the report (``<meta name="dcterms.created">`` in the
template) and ``SOURCE_DATE_EPOCH`` is set from the report date while rendering, so the same
report gives the same bytes.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any

from lendcheck.errors import OutputError

LOG = logging.getLogger(__name__)


def _fetcher_class() -> type[Any]:
    from weasyprint.urls import URLFetcher

    class NoFetcher(URLFetcher):  # type: ignore[misc]
        """Refuses every URL: the report embeds everything it shows."""

        refused: list[str]

        def __init__(self) -> None:
            super().__init__(allowed_protocols=())
            self.refused = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            self.refused.append(url[:200])
            raise ValueError("lendcheck reports fetch no resources")

    return NoFetcher


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
    try:
        import weasyprint
    except OSError as exc:  # Pango or HarfBuzz missing
        raise OutputError(
            f"WeasyPrint cannot load its system libraries ({exc}); run `make setup` "
            "or install Pango (Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0)"
        ) from exc
    fetcher = _fetcher_class()()
    try:
        with _source_date_epoch(report_date):
            document = weasyprint.HTML(string=html, url_fetcher=fetcher)
            pdf = document.write_pdf(uncompressed_pdf=False)
    except Exception as exc:
        raise OutputError(f"rendering the PDF failed: {exc}") from exc
    if fetcher.refused:
        LOG.warning("the report HTML referenced resources that were refused: %s", fetcher.refused)
    assert isinstance(pdf, bytes)
    return pdf
