"""The ``manifest.json`` of a ``lendcheck-snapshot/1`` directory (a contract: see design.md).

The manifest lists each call (endpoint, params, status, file, sha256). A call of the Accounting
API says so with ``"api": "accounting"`` (and records the ``If-Modified-Since`` it sent under
``headers``); a call without ``api`` is a Finance API call, so every snapshot written before the
Accounting API was added reads as it did. Unknown manifest fields are ignored.

This module knows the format only: no endpoint's model, no plan (:mod:`lendcheck.xero`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from lendcheck import limits
from lendcheck.errors import SnapshotError

FORMAT = "lendcheck-snapshot/1"
MANIFEST = "manifest.json"

#: The API a call belongs to (manifest ``api``; absent means the Finance API).
FINANCE_API = "finance"
ACCOUNTING_API = "accounting"
APIS = (FINANCE_API, ACCOUNTING_API)

#: A call's identity (:func:`call_key`).
CallKey = tuple[str, tuple[tuple[str, str], ...]]


def call_key(
    endpoint: str,
    params: dict[str, str],
    api: str = FINANCE_API,
    headers: dict[str, str] | None = None,
) -> CallKey:
    """Identity of a call, used to match manifest entries: endpoint and sorted parameters for
    the Finance API (as before the Accounting API was added); ``"<api>:<endpoint>"`` and the
    parameters with the headers (as ``header:<name>``) for another API, so an Accounting API
    ``/Organisation`` never matches the Finance-era extra call of the same path."""
    items = [(str(k), str(v)) for k, v in params.items()]
    if api == FINANCE_API and not headers:
        return endpoint, tuple(sorted(items))
    items += [(f"header:{k}", str(v)) for k, v in (headers or {}).items()]
    return f"{api}:{endpoint}", tuple(sorted(items))


@dataclass(frozen=True)
class CallRecord:
    """One call as listed in the manifest.

    Attributes:
        endpoint: API path (or ``/Connections``, ``/Organisation``).
        params: query parameters as sent.
        status: HTTP status Xero answered with.
        file: path of the response body, relative to the snapshot directory (POSIX separators).
        sha256: hex digest of the file's bytes.
        api: ``finance`` (manifest ``api`` absent) or ``accounting``.
        headers: data-selecting request headers as sent (``If-Modified-Since``); usually empty.
    """

    endpoint: str
    params: dict[str, str]
    status: int
    file: str
    sha256: str
    api: str = FINANCE_API
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> CallKey:
        """Identity of the call (:func:`call_key`)."""
        return call_key(self.endpoint, self.params, self.api, self.headers)

    @property
    def ok(self) -> bool:
        """True when Xero answered 2xx."""
        return 200 <= self.status < 300

    def to_json(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"endpoint": self.endpoint}
        if self.api != FINANCE_API:  # absent for the Finance API: manifests stay as they were
            entry["api"] = self.api
        entry.update(params=self.params, status=self.status, file=self.file, sha256=self.sha256)
        if self.headers:
            entry["headers"] = self.headers
        return entry


@dataclass(frozen=True)
class Manifest:
    """A snapshot's manifest, checked (:func:`read_manifest`).

    Attributes:
        path: the snapshot directory.
        tenant_id, tenant_name: the Xero organisation (empty when not recorded).
        as_of: the report date recorded when the snapshot was taken.
        fetched_at: when it was taken (UTC), as recorded.
        source: ``xero`` for a live fetch, ``simulator`` for generated samples.
        months: the manifest's ``months`` (a positive integer) or None when absent or not one.
        calls: the calls in manifest order (a call listed twice is refused as the files are
            read, :func:`lendcheck.snapshot.read.read_snapshot`).
    """

    path: Path
    tenant_id: str
    tenant_name: str
    as_of: date
    fetched_at: str
    source: str
    months: int | None
    calls: list[CallRecord]


def fail(path: Path, what: str) -> SnapshotError:
    """The :class:`SnapshotError` for a snapshot's file: ``"<path>: <what>"``."""
    return SnapshotError(f"{path}: {what}")


def read_manifest(directory: str | os.PathLike[str]) -> Manifest:
    """Read and check a snapshot directory's ``manifest.json``.

    Raises:
        SnapshotError: the directory or its manifest is missing or malformed (not JSON, over
            :data:`lendcheck.limits.MAX_MANIFEST_BYTES`, a key twice), the format is not
            ``lendcheck-snapshot/1``, ``as_of`` is not a date within the limits or after the
            snapshot was taken, a call is incomplete, of an unknown API or points outside the
            snapshot. The message names the manifest.
    """
    path = Path(directory)
    manifest = _read_json(path)
    manifest_path = path / MANIFEST
    raw_calls = manifest.get("calls")
    if not isinstance(raw_calls, list):
        raise fail(manifest_path, "calls must be a list")
    try:
        as_of = date.fromisoformat(str(manifest["as_of"]))
    except (KeyError, ValueError) as exc:
        raise fail(manifest_path, "as_of must be a date YYYY-MM-DD") from exc
    if not limits.EARLIEST_DATE <= as_of <= limits.LATEST_DATE:
        raise fail(
            manifest_path,
            f"as_of {as_of} is outside the dates lendcheck reads ({limits.EARLIEST_DATE} to "
            f"{limits.LATEST_DATE})",
        )
    _check_as_of(manifest_path, as_of, manifest.get("fetched_at"))
    records = [_record(manifest_path, i, raw) for i, raw in enumerate(raw_calls)]
    declared = manifest.get("months")
    months = (
        declared
        if isinstance(declared, int) and not isinstance(declared, bool) and declared > 0
        else None
    )
    return Manifest(
        path=path,
        tenant_id=str(manifest.get("tenant_id") or ""),
        tenant_name=str(manifest.get("tenant_name") or ""),
        as_of=as_of,
        fetched_at=str(manifest.get("fetched_at") or ""),
        source=str(manifest.get("source") or ""),
        months=months,
        calls=records,
    )


def read_listed(directory: Path, file: str, limit: int) -> bytes:
    """A snapshot file's bytes (:func:`lendcheck.limits.read_file`: a regular file inside the
    snapshot, within ``limit``).

    Raises:
        SnapshotError: it is missing, unreadable, outside the snapshot, not a regular file or
            too large; the message names the file.
    """
    path = directory / file
    try:
        return limits.read_file(directory, file, limit)
    except FileNotFoundError:
        raise fail(path, "listed in the manifest but missing") from None
    except limits.LimitError as exc:
        raise fail(path, str(exc)) from exc
    except OSError as exc:
        raise fail(path, f"cannot be read ({exc.strerror})") from exc


def _read_json(directory: Path) -> dict[str, Any]:
    if not directory.is_dir():
        raise SnapshotError(f"{directory}: not a directory; give a lendcheck snapshot directory")
    manifest_path = directory / MANIFEST
    if not os.path.lexists(manifest_path):
        raise fail(manifest_path, "missing; this directory is not a lendcheck snapshot")
    try:
        manifest = limits.loads(
            read_listed(directory, MANIFEST, limits.MAX_MANIFEST_BYTES), exact=False
        )
    except limits.LimitError as exc:
        raise fail(manifest_path, str(exc)) from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise fail(manifest_path, f"not valid JSON ({exc})") from exc
    if not isinstance(manifest, dict):
        raise fail(manifest_path, "must be a JSON object")
    if manifest.get("format") != FORMAT:
        raise fail(
            manifest_path,
            f"format is {manifest.get('format')!r}; this lendcheck reads {FORMAT!r}",
        )
    return manifest


def _record(manifest_path: Path, index: int, raw: Any) -> CallRecord:
    where = f"calls[{index}]"
    if not isinstance(raw, dict):
        raise fail(manifest_path, f"{where} must be an object")
    try:
        params = raw.get("params") or {}
        if not isinstance(params, dict):
            raise TypeError("params must be an object")
        headers = raw.get("headers") or {}
        if not isinstance(headers, dict):
            raise TypeError("headers must be an object")
        record = CallRecord(
            endpoint=str(raw["endpoint"]),
            params={str(k): str(v) for k, v in params.items()},
            status=int(raw["status"]),
            file=str(raw["file"]),
            sha256=str(raw["sha256"]).lower(),
            api=str(raw.get("api") or FINANCE_API),
            headers={str(k): str(v) for k, v in headers.items()},
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise fail(manifest_path, f"{where} is incomplete or malformed ({exc})") from exc
    if record.api not in APIS:
        raise fail(
            manifest_path,
            f"{where}.api {record.api!r} is not one this lendcheck reads ({', '.join(APIS)})",
        )
    file = PurePosixPath(record.file)
    if file.is_absolute() or ".." in file.parts:
        raise fail(manifest_path, f"{where}.file {record.file!r} points outside the snapshot")
    return record


def _check_as_of(manifest_path: Path, as_of: date, fetched_at: Any) -> None:
    """Refuse a report date after the day the snapshot was taken: its data cannot reach it,
    and every age would be counted to a day that had not come (the date may run one day ahead
    of ``fetched_at``'s UTC date, for organisations east of UTC)."""
    try:
        fetched = datetime.fromisoformat(str(fetched_at)).date()
    except ValueError:
        return  # fetched_at is informative only; an unreadable one proves nothing
    if (as_of - fetched).days > 1:
        raise fail(
            manifest_path,
            f"as_of {as_of} is after the snapshot was taken (fetched_at {fetched_at}): its "
            "data cannot reach that date; the manifest is wrong or was altered",
        )
