"""``report.html``: the report rendered with Jinja2 (also the source of the PDF)."""

from __future__ import annotations

from typing import Literal

import jinja2
from pydantic import BaseModel

from lendcheck.errors import OutputError
from lendcheck.render.templates import environment, templates_dir

Paper = Literal["A4", "Letter"]


def render_html(report: BaseModel, paper: Paper = "A4") -> str:
    """Render the report as one self-contained HTML page (CSS inline, charts inline SVG).

    Args:
        report: the :class:`lendcheck.report.Report`.
        paper: page size for print (``A4`` or US ``Letter``).

    Raises:
        OutputError: a template is missing or fails to render.
    """
    try:
        css = (templates_dir() / "report.css").read_text(encoding="utf-8")
        template = environment().get_template("report.html.j2")
        return template.render(report=report, css=css, paper=paper)
    except (jinja2.TemplateError, OSError) as exc:
        raise OutputError(f"rendering the HTML report failed: {exc}") from exc
