"""The Jinja2 environment of the report templates.

Templates live in the top-level ``templates/`` directory of the source tree and ship inside the
wheel as ``lendcheck/templates`` (``pyproject.toml`` force-include). :func:`templates_dir` finds
whichever exists, so editable and wheel installs behave the same.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2

from lendcheck.errors import OutputError
from lendcheck.render.filters import FILTERS

_PACKAGE = Path(__file__).resolve().parent.parent


def templates_dir() -> Path:
    """The directory holding ``report.html.j2``.

    Raises:
        OutputError: neither the packaged nor the source-tree directory exists.
    """
    for candidate in (_PACKAGE / "templates", _PACKAGE.parent / "templates"):
        if (candidate / "report.html.j2").is_file():
            return candidate
    raise OutputError(
        f"report templates not found in {_PACKAGE / 'templates'} or "
        f"{_PACKAGE.parent / 'templates'}; reinstall lendcheck"
    )


@cache
def environment() -> jinja2.Environment:
    """The shared environment: ``autoescape=True`` for every template whatever its name
    (``select_autoescape`` would skip ``.j2`` names), undefined variables are errors."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir()),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    return env
