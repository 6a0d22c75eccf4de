"""Options that several commands take, each declared once: the same name, type, default and
choices everywhere (lenders' systems script them), with a help text per command saying what
that command does with it. (``--source`` is :func:`lendcheck.cli.fetch_cmd.source_option`.)"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from lendcheck.api import FAIL_ON, FORMATS

Decorator = Callable[[Any], Any]


def output_option(help_text: str, *, required: bool = False, file_okay: bool = True) -> Decorator:
    """``-o/--output`` into the parameter ``out_dir`` (a :class:`~pathlib.Path`); when not
    required, the default is ``out``."""
    return click.option(
        "-o",
        "--output",
        "out_dir",
        type=click.Path(file_okay=file_okay, path_type=Path),
        required=required,
        default=None if required else Path("out"),
        show_default=not required,
        help=help_text,
    )


def formats_option(help_text: str) -> Decorator:
    """``--format`` into ``formats``: comma-separated ``json``, ``html``, ``pdf`` (all by
    default), parsed by :func:`lendcheck.api.parse_formats`."""
    return click.option(
        "--format", "formats", default=",".join(FORMATS), show_default=True, help=help_text
    )


def paper_option(help_text: str) -> Decorator:
    """``--paper``: ``A4`` (default) or ``Letter``, case-insensitive."""
    return click.option(
        "--paper",
        type=click.Choice(["A4", "Letter"], case_sensitive=False),
        default="A4",
        show_default=True,
        help=help_text,
    )


def policy_option(help_text: str) -> Decorator:
    """``--policy`` into ``policy_file``: a TOML file (None: the shipped default policy)."""
    return click.option(
        "--policy",
        "policy_file",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help=help_text,
    )


def fail_on_option(help_text: str) -> Decorator:
    """``--fail-on``: ``red`` (default), ``amber`` or ``never`` (:data:`lendcheck.api.FAIL_ON`)."""
    return click.option(
        "--fail-on", type=click.Choice(FAIL_ON), default="red", show_default=True, help=help_text
    )


def quiet_option(help_text: str) -> Decorator:
    """``-q/--quiet``, a flag."""
    return click.option("-q", "--quiet", is_flag=True, help=help_text)
