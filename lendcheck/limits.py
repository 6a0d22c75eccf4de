"""The documented limits on untrusted input, and the readers that hold to them (issue 20).

Snapshots and API answers come from outside: a file may be a symlink to anywhere, a FIFO, a
device or a sparse file of gigabytes; JSON may nest a hundred thousand levels deep or hold a
number of thousands of digits. Every such input is refused with a clear message naming the file
(or call) and the limit, never read whole, never left to hang or to crash the interpreter.

===========================  =============================================================
limit                        value
===========================  =============================================================
a snapshot response file     :data:`MAX_FILE_BYTES` (256 MiB; the largest of the 1-million-
                             line benchmark sample is 17 MB)
``manifest.json``            :data:`MAX_MANIFEST_BYTES` (16 MiB)
a live answer's body         :data:`MAX_BODY_BYTES` after decompression (the same 256 MiB)
a live call                  :data:`CALL_SECONDS` in total, body included (300 s)
JSON nesting                 :data:`MAX_DEPTH` levels (64; Xero's deepest answer has 7)
a JSON integer               :data:`MAX_INT_DIGITS` digits (100)
a date                       :data:`EARLIEST_DATE` to :data:`LATEST_DATE` (1900 to 2199)
months of bank statements    :data:`lendcheck.xero.fetch_plan.MAX_MONTHS` (120)
===========================  =============================================================

Also refused: a listed file or folder that resolves outside the snapshot directory (a symlink),
anything that is not a regular file, and JSON objects with a duplicated key (Xero never sends
one: it is a corrupt or altered response, and which value was meant cannot be known), in the
manifest and every response but BankStatementsPlus: the statement reader (msgspec) keeps
the last of a repeated key and checking would cost it seconds on a large applicant, so these
files are read that way on both paths (the same bytes, the same report). A UTF-8 byte order
mark and UTF-16 or UTF-32 text (which the JSON standard allows readers to accept) are read as
the JSON module reads them.
"""

from __future__ import annotations

import json
import os
import re
import stat
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

#: Largest snapshot response file read, in bytes.
MAX_FILE_BYTES = 256 * 1024 * 1024
#: Largest ``manifest.json`` read, in bytes.
MAX_MANIFEST_BYTES = 16 * 1024 * 1024
#: Largest body of a live answer, after any decompression, in bytes.
MAX_BODY_BYTES = MAX_FILE_BYTES
#: Most seconds one live call may take, from sending the request to the body's last byte.
CALL_SECONDS = 300.0
#: Deepest nesting of JSON arrays and objects read.
MAX_DEPTH = 64
#: Most digits of a JSON integer read.
MAX_INT_DIGITS = 100
#: The dates lendcheck reads (a report date, a statement's dates, a line's dates): far enough
#: on either side for any books, and far from the ends of the calendar that date arithmetic
#: (a day after, twelve months before) would overflow.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2199, 12, 31)


class LimitError(ValueError):
    """Untrusted input broke a limit or is not what it claims to be; the message says which."""


def read_file(root: Path, relative: str, limit: int) -> bytes:
    """The bytes of ``root/relative``, a regular file inside ``root`` of at most ``limit`` bytes.

    Raises:
        FileNotFoundError: there is no such file.
        LimitError: it resolves outside ``root`` (through a symlink), is not a regular file (a
            FIFO, device, directory...) or is larger than ``limit``.
        OSError: it cannot be read.
    """
    path = root / relative
    real_root = os.path.realpath(root)
    real = os.path.realpath(path)
    if os.path.commonpath([real_root, real]) != real_root:
        if not os.path.lexists(path):
            raise FileNotFoundError(path)
        raise LimitError("resolves outside the snapshot directory (a symlink); refused")
    return read_regular(Path(real), limit)


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of ``path``, a regular file of at most ``limit`` bytes.

    Raises:
        LimitError: it is not a regular file (a FIFO, device, directory...) or is larger than
            ``limit``.
        OSError: it cannot be read (FileNotFoundError when there is none).
    """
    # O_NONBLOCK: opening a FIFO must not wait for a writer; a regular file ignores it.
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise LimitError("is not a regular file (a FIFO, device or directory); refused")
        if info.st_size > limit:
            raise LimitError(f"is {info.st_size:,} bytes, over the limit of {limit:,} bytes")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            # The size stat gives, plus one byte to see growth: asking for the limit would
            # allocate (and the kernel zero) a buffer of the limit for every file.
            data = handle.read(info.st_size + 1)
            if len(data) > info.st_size:  # grew since stat: read on, up to the limit
                data += handle.read(limit + 1 - len(data))
    finally:
        os.close(fd)
    if len(data) > limit:  # grew while read
        raise LimitError(f"is over the limit of {limit:,} bytes")
    return data


class _LongInt(LimitError):
    """An integer over :data:`MAX_INT_DIGITS` digits (the message is completed with where)."""


def _int(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MAX_INT_DIGITS:
        raise _LongInt(
            f"holds an integer of {digits:,} digits, over the limit of {MAX_INT_DIGITS} digits,"
        )
    return int(text)


class _Long:
    """Stands for a too-long integer while :func:`_long_int_at` looks for it."""


def _long_int_at(data: str | bytes) -> str | None:
    try:
        value = json.loads(
            data,
            parse_float=lambda _: 0,
            parse_int=lambda t: _Long() if len(t.lstrip("-")) > MAX_INT_DIGITS else 0,
            parse_constant=lambda _: 0,
        )
    except (ValueError, RecursionError):
        return None
    return find(value, lambda v: isinstance(v, _Long))


def _no_constant(name: str) -> Any:
    raise json.JSONDecodeError(f"{name} is not a number lendcheck accepts", name, 0)


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        repeated = next(k for k, _ in pairs if k in seen or seen.add(k))  # type: ignore[func-returns-value]
        raise LimitError(
            f"holds the key {repeated[:80]!r} twice in one object (a corrupt response)"
        )
    return result


def loads(data: str | bytes, *, exact: bool = True, refuse_duplicates: bool = True) -> Any:
    """Parse untrusted JSON within the limits.

    Args:
        data: JSON text or bytes (UTF-8, UTF-16 or UTF-32, as :func:`json.loads` detects).
        exact: non-integer numbers as :class:`~decimal.Decimal` (else float).
        refuse_duplicates: refuse an object with a key twice (else the last one wins, as
            :mod:`lendcheck.frames` reads BankStatementsPlus files, for speed).

    Returns:
        The parsed value: dicts, lists, str, int, Decimal (or float), bool, None.

    Raises:
        json.JSONDecodeError: not JSON (also NaN and Infinity).
        UnicodeDecodeError: not text.
        LimitError: nested deeper than :data:`MAX_DEPTH`, an integer of more than
            :data:`MAX_INT_DIGITS` digits, or a key twice in one object.
    """
    try:
        value = json.loads(
            data,
            parse_float=Decimal if exact else float,
            parse_int=_int,
            parse_constant=_no_constant,
            object_pairs_hook=_object if refuse_duplicates else None,
        )
    except RecursionError:
        raise LimitError(f"is nested deeper than the limit of {MAX_DEPTH} levels") from None
    except _LongInt as exc:
        raise LimitError(f"{exc} at {_long_int_at(data) or '(unknown)'}") from None
    check_depth(value)
    raw = data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass")
    if b"\x00" in raw[:4] or _SURROGATE_ESCAPE.search(raw):  # UTF-16/32, or an escape
        where = find(value, _not_unicode)
        if where is not None:
            raise LimitError(
                f"holds text that is not valid Unicode (a lone surrogate) at {where}; "
                "Xero never sends one"
            )
    return value


#: A ``\uD800``-``\uDFFF`` escape, the only way JSON text can hold a lone surrogate.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89abAB]")


def _not_unicode(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def find(value: Any, wrong: Any) -> str | None:
    """The dotted path (``statements.0.payee``) of the first value or key for which
    ``wrong(x)`` is true, in file order; None when there is none."""
    stack: list[tuple[Any, tuple[str, ...]]] = [(value, ())]
    while stack:
        item, where = stack.pop()
        if wrong(item):
            return ".".join(where) or "(top level)"
        if isinstance(item, dict):
            for key in item:
                if wrong(key):
                    return ".".join((*where, "(key)"))
            pairs: list[tuple[Any, Any]] = list(item.items())
        elif isinstance(item, list):
            pairs = list(enumerate(item))
        else:
            continue
        stack.extend((v, (*where, str(k))) for k, v in reversed(pairs))
    return None


def check_depth(value: Any, limit: int = MAX_DEPTH) -> None:
    """Raise :class:`LimitError` when ``value`` nests lists and dicts deeper than ``limit``."""
    level: list[Any] = [value]
    depth = 0
    while level:
        depth += 1
        if depth > limit:
            raise LimitError(f"is nested deeper than the limit of {limit} levels")
        nested: list[Any] = []
        for item in level:
            if isinstance(item, dict):
                nested.extend(v for v in item.values() if isinstance(v, dict | list))
            elif isinstance(item, list):
                nested.extend(v for v in item if isinstance(v, dict | list))
        level = nested
