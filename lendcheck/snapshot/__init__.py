"""``lendcheck-snapshot/1`` directories: the manifest (:mod:`~lendcheck.snapshot.manifest`),
reading and verifying the listed files (:mod:`~lendcheck.snapshot.read`) and writing them
atomically (:mod:`~lendcheck.snapshot.write`). The lowest layer of the pipeline: it hands out
verified bytes and knows no endpoint's model and no frame.

``load_snapshot`` (read, verify and parse a snapshot for a report) is
:func:`lendcheck.frames.load.load_snapshot`, which gives this package's reader the parsers of
:mod:`lendcheck.xero.responses` and :mod:`lendcheck.frames`; it is named here, imported on first
use, for callers of ``from lendcheck.snapshot import load_snapshot``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lendcheck import lazy_getattr
from lendcheck.snapshot.manifest import (
    FORMAT,
    MANIFEST,
    CallRecord,
    Manifest,
    call_key,
    read_manifest,
)
from lendcheck.snapshot.read import Response, Snapshot, read_snapshot, verified
from lendcheck.snapshot.write import SnapshotWriter

if TYPE_CHECKING:
    from lendcheck.frames.load import load_snapshot

__all__ = [
    "FORMAT",
    "MANIFEST",
    "CallRecord",
    "Manifest",
    "Response",
    "Snapshot",
    "SnapshotWriter",
    "call_key",
    "load_snapshot",
    "read_manifest",
    "read_snapshot",
    "verified",
]

__getattr__ = lazy_getattr(__name__, {"load_snapshot": "lendcheck.frames.load"})
