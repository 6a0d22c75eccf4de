"""Pausing Python's cyclic garbage collector while many small acyclic objects are built."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused(*, freeze: bool = False) -> Iterator[None]:
    """Pause Python's cyclic garbage collector while building many small objects.

    Parsing a large snapshot or making a long drill-back list creates hundreds of thousands of
    dicts, lists and models, none of which can form a reference cycle; the collector, triggered
    again and again by the allocations, re-scans all of them each time the long-lived ones grow
    by a quarter (four fifths of the time of loading the large benchmark sample, before the
    pause). Memory is still freed by reference counting; the collector's previous state is
    restored on exit.

    Args:
        freeze: on exit, move every tracked object into the collector's permanent generation
            (:func:`gc.freeze`), so that the data built is not scanned by later collections
            either (else the first collections after the pause scan all of it, several
            seconds on the large sample). Only for data that is acyclic and kept: such
            objects are still freed by reference counting, never by the cyclic collector.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if was_enabled:
            gc.enable()
