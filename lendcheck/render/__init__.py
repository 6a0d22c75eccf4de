"""Outputs of a :class:`lendcheck.report.Report`: JSON (its dump), HTML (Jinja2) and PDF
(WeasyPrint from the HTML). Templates do no arithmetic; they format values with the tested
filters of :mod:`lendcheck.render.filters`."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for a render (and the imports it triggers).

    Importing matplotlib and WeasyPrint, drawing the charts and laying out the PDF create a
    few million short-lived objects; each time they outnumber the freed ones the collector
    rescans every live object (the report and the loaded modules included), which cost about
    a fifth of a report's rendering. Reference counting still frees everything acyclic; the
    cycles left are collected after the render. Nested pauses keep the outer one's state.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
