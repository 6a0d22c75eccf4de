"""Reading a ``lendcheck-snapshot/1`` directory: every listed file verified against its sha256
and handed to a parser (a contract: see design.md).

A snapshot is a directory of raw API responses, byte for byte as Xero sent them, and a
``manifest.json`` (:mod:`lendcheck.snapshot.manifest`). :func:`read_snapshot` reads each listed
file once, within :mod:`lendcheck.limits`, checks its sha256 (alongside the parsing, for a large
file) and gives the verified bytes to the caller's parser, so a report only ever sees responses
that are whole and unaltered. What a response holds is not this module's business: the endpoint
models are :mod:`lendcheck.xero` (:func:`lendcheck.xero.responses.parse_response`) and the
frames of BankStatementsPlus :mod:`lendcheck.frames`; :func:`lendcheck.frames.load_snapshot`
puts them together.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol, TypeVar

from lendcheck import limits
from lendcheck.errors import SnapshotError
from lendcheck.snapshot.manifest import (
    FINANCE_API,
    MANIFEST,
    CallKey,
    CallRecord,
    Manifest,
    call_key,
    fail,
    read_listed,
    read_manifest,
)


class Keyed(Protocol):
    """Anything with a call's identity (:class:`lendcheck.xero.fetch_plan.PlannedCall`)."""

    @property
    def key(self) -> CallKey: ...


_D = TypeVar("_D")


@dataclass(frozen=True)
class Response:
    """A call's record with its parsed body: ``data`` when the call succeeded, ``problem`` when
    Xero refused it.

    ``data`` is what the endpoint's parser made of the body: the endpoint's model
    (:data:`lendcheck.xero.responses.RESPONSE_MODELS`); for BankStatementsPlus, the file's
    frames (:class:`lendcheck.frames.StatementFrames`); the JSON as parsed for a call no model
    reads (an extra call such as ``/Organisation``, kept for the record). Readers take it as
    the shape they expect with :meth:`data_as` or :meth:`items_as`, which check it. ``problem``
    is a :class:`lendcheck.xero.models.Problem` (None when the error body is not one)."""

    record: CallRecord
    data: object = None
    problem: Any = None

    def data_as(self, kind: type[_D]) -> _D | None:
        """``data`` as the ``kind`` its endpoint's parser makes; None when the call failed.

        Raises:
            TypeError: ``data`` is something else: the reader asked for another endpoint's
                shape (a defect in lendcheck, never in the applicant's data).
        """
        if self.data is None or isinstance(self.data, kind):
            return self.data
        raise TypeError(
            f"{self.record.file}: {type(self.data).__name__} where {kind.__name__} was expected"
        )

    def items_as(self, kind: type[_D]) -> list[_D] | None:
        """``data`` as a list of ``kind`` (CashValidation: one item per bank account); None
        when the call failed.

        Raises:
            TypeError: ``data`` is not a list of ``kind`` (a defect in lendcheck).
        """
        items = self.data_as(list)
        if items is not None and not all(isinstance(item, kind) for item in items):
            raise TypeError(f"{self.record.file}: not a list of {kind.__name__}")
        return items

    @property
    def reason(self) -> str:
        """Why the data is missing, in words (empty when present)."""
        if self.data is not None:
            return ""
        p = self.problem
        detail = (p.detail or p.title or p.type or "") if p else ""
        return f"Xero answered {self.record.status}" + (f": {detail}" if detail else "")


@dataclass
class Snapshot:
    """A verified, parsed snapshot.

    Attributes:
        path: the snapshot directory.
        tenant_id, tenant_name: the Xero organisation.
        as_of: the report date recorded when the snapshot was taken.
        fetched_at: when it was taken (UTC), as recorded.
        source: ``xero`` for a live fetch, ``simulator`` for generated samples.
        months: months of bank statements the plan covered (manifest ``months``; when absent,
            inferred from the BankStatementsPlus windows, else the default 24).
        calls: the manifest's calls in manifest order.
        responses: parsed responses keyed by :func:`lendcheck.snapshot.manifest.call_key`.
    """

    path: Path
    tenant_id: str
    tenant_name: str
    as_of: date
    fetched_at: str
    source: str
    months: int
    calls: list[CallRecord]
    responses: dict[CallKey, Response] = field(repr=False)

    def get(self, endpoint: str, params: dict[str, str], api: str = FINANCE_API) -> Response | None:
        """The response of one call, or None when the snapshot does not hold it."""
        return self.responses.get(call_key(endpoint, params, api))

    def of(self, call: Keyed) -> Response | None:
        """The response of a planned call, or None when the snapshot does not hold it."""
        return self.responses.get(call.key)

    def all_of(self, endpoint: str, api: str = FINANCE_API) -> list[Response]:
        """Every response of an endpoint of ``api``, in manifest order."""
        return [
            r
            for r in self.responses.values()
            if r.record.endpoint == endpoint and r.record.api == api
        ]

    def apis(self) -> set[str]:
        """The APIs whose calls the snapshot holds (``finance``, ``accounting``)."""
        return {c.api for c in self.calls}

    @property
    def input_digest(self) -> str:
        """sha256 over the manifest-listed files: of the lines ``"<sha256>  <file>\\n"`` sorted
        by file. Two snapshots with the same responses have the same digest."""
        lines = sorted(f"{c.sha256}  {c.file}\n" for c in self.calls)
        return hashlib.sha256("".join(lines).encode()).hexdigest()


#: Parses one verified response: (snapshot directory, record, bytes) -> its :class:`Response`.
Parser = Callable[[Path, CallRecord, bytes], Response]

_T = TypeVar("_T")

#: Files at least this large are hashed in a second thread while they are parsed (hashlib
#: releases the interpreter lock); smaller ones are hashed first.
_HASH_ALONGSIDE_BYTES = 1 << 20


def verified(directory: Path, record: CallRecord, parse: Callable[[bytes], _T]) -> _T:
    """Read a listed file once and give its bytes to ``parse``, checking its sha256 against the
    manifest's: a file that does not match is refused whatever ``parse`` made of it.

    Raises:
        SnapshotError: the file is missing, unreadable, outside the snapshot, not a regular
            file, over :data:`lendcheck.limits.MAX_FILE_BYTES`, or does not match its sha256;
            or ``parse`` raised it (a mismatching sha256 is said first).
    """
    path = directory / record.file
    body = read_listed(directory, record.file, limits.MAX_FILE_BYTES)
    if len(body) < _HASH_ALONGSIDE_BYTES:
        _check_digest(path, record, hashlib.sha256(body).hexdigest())
        return parse(body)
    with ThreadPoolExecutor(max_workers=1) as pool:
        digest = pool.submit(lambda: hashlib.sha256(body).hexdigest())
        try:
            result = parse(body)
        except SnapshotError:
            _check_digest(path, record, digest.result())
            raise
        _check_digest(path, record, digest.result())
    return result


def _check_digest(path: Path, record: CallRecord, digest: str) -> None:
    if digest != record.sha256:
        raise fail(
            path,
            f"sha256 {digest} does not match the manifest's {record.sha256}: "
            "the file was altered or truncated after the snapshot was taken",
        )


def loads(path: Path, body: bytes, *, refuse_duplicates: bool = True) -> Any:
    """A verified file's JSON (:func:`lendcheck.limits.loads`: non-integer numbers as
    ``Decimal``).

    Raises:
        SnapshotError: not JSON (naming where a bare ``NaN`` or ``Infinity`` stands), nested
            too deep, an integer too long, text that is not Unicode, or (``refuse_duplicates``)
            a key twice in one object.
    """
    try:
        return limits.loads(body, refuse_duplicates=refuse_duplicates)
    except limits.LimitError as exc:
        raise fail(path, str(exc)) from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise fail(path, f"not valid JSON ({_non_finite(body) or exc})") from exc


class _NonFinite:
    """Stands for a bare ``NaN``/``Infinity`` while :func:`_non_finite` looks for it."""


def _non_finite(body: bytes) -> str | None:
    """Where a file holds a bare ``NaN``, ``Infinity`` or ``-Infinity`` (not JSON numbers,
    which :func:`lendcheck.money.loads_exact` refuses without saying where), as the dotted
    path of the field, e.g. ``NaN at statements.0.statementLines.3.amount``; None when the file
    holds none or is not JSON for another reason."""
    try:
        payload = json.loads(body, parse_float=Decimal, parse_constant=lambda _: _NonFinite())
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    stack: list[tuple[Any, tuple[str, ...]]] = [(payload, ())]
    while stack:
        value, where = stack.pop()
        if isinstance(value, _NonFinite):
            return f"NaN or Infinity, which is not a number, at {'.'.join(where) or '(top level)'}"
        items = (
            value.items()
            if isinstance(value, dict)
            else (enumerate(value) if isinstance(value, list) else ())
        )
        # Reversed onto the stack so that the first offending field in the file is found first.
        stack.extend((v, (*where, str(k))) for k, v in reversed(list(items)))
    return None


def read_snapshot(
    directory: str | os.PathLike[str],
    parse: Parser,
    months: Callable[[Manifest], int],
) -> Snapshot:
    """Read, verify and parse a snapshot directory.

    Args:
        directory: a ``lendcheck-snapshot/1`` directory.
        parse: makes each listed call's :class:`Response` from its verified bytes (its sha256
            checked alongside, :func:`verified`).
        months: the months of bank statements the snapshot covers, from its manifest.

    Raises:
        SnapshotError: the manifest is missing or malformed
            (:func:`lendcheck.snapshot.manifest.read_manifest`), a call is listed twice, a
            listed file is missing or does not match its sha256, or ``parse`` refused a file.
            The message names the file.
    """
    manifest = read_manifest(directory)
    path = manifest.path
    responses: dict[CallKey, Response] = {}
    for record in manifest.calls:
        key = record.key
        if key in responses:
            raise fail(
                path / MANIFEST, f"the call {record.endpoint} {record.params} is listed twice"
            )
        responses[key] = verified(path, record, functools.partial(parse, path, record))
    return Snapshot(
        path=path,
        months=months(manifest),
        tenant_id=manifest.tenant_id,
        tenant_name=manifest.tenant_name,
        as_of=manifest.as_of,
        fetched_at=manifest.fetched_at,
        source=manifest.source,
        calls=manifest.calls,
        responses=responses,
    )
