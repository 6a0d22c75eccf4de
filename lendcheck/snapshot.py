"""Reading and writing ``lendcheck-snapshot/1`` directories (a contract: see design.md).

A snapshot is a directory of raw Finance API responses, byte for byte as Xero sent them, and a
``manifest.json`` listing each call (endpoint, params, status, file, sha256). A call of the
Accounting API says so with ``"api": "accounting"`` (and records the ``If-Modified-Since`` it
sent under ``headers``); a call without ``api`` is a Finance API call, so every snapshot written
before the Accounting API was added reads as it did. Reading verifies
every listed file against its sha256 and parses each with its model, so a report only ever sees
responses that are whole and unaltered. Unknown manifest fields are ignored.

Writing (:class:`SnapshotWriter`) is atomic: files go to a temporary sibling directory that is
renamed into place only when the manifest is complete, so a failed fetch leaves no partial
snapshot that looks whole.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import TypeAdapter, ValidationError

from lendcheck import fetch_plan as fp
from lendcheck import limits
from lendcheck.accounting.models import ACCOUNTING_RESPONSE_MODELS
from lendcheck.errors import SnapshotError
from lendcheck.models import (
    BalanceSheet,
    BankStatements,
    Cashflow,
    CashValidationAccount,
    IncomeByContact,
    Problem,
    ProfitAndLoss,
    TrialBalance,
)
from lendcheck.output import hold_lock, locked, remove_unheld
from lendcheck.statement_reader import read_bank_statements

FORMAT = "lendcheck-snapshot/1"
MANIFEST = "manifest.json"

#: The model each endpoint's successful response is parsed with.
RESPONSE_MODELS: dict[str, TypeAdapter[Any]] = {
    fp.CASH_VALIDATION: TypeAdapter(list[CashValidationAccount]),
    fp.BALANCE_SHEET: TypeAdapter(BalanceSheet),
    fp.CASHFLOW: TypeAdapter(Cashflow),
    fp.PROFIT_AND_LOSS: TypeAdapter(ProfitAndLoss),
    fp.TRIAL_BALANCE: TypeAdapter(TrialBalance),
    fp.CONTACTS_REVENUE: TypeAdapter(IncomeByContact),
    fp.CONTACTS_EXPENSE: TypeAdapter(IncomeByContact),
    fp.BANK_STATEMENTS: TypeAdapter(BankStatements),
}


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
    api: str = fp.FINANCE_API
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, tuple[tuple[str, str], ...]]:
        """Identity of the call (:func:`lendcheck.fetch_plan.call_key`)."""
        return fp.call_key(self.endpoint, self.params, self.api, self.headers)

    @property
    def ok(self) -> bool:
        """True when Xero answered 2xx."""
        return 200 <= self.status < 300

    def to_json(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"endpoint": self.endpoint}
        if self.api != fp.FINANCE_API:  # absent for the Finance API: manifests stay as they were
            entry["api"] = self.api
        entry.update(params=self.params, status=self.status, file=self.file, sha256=self.sha256)
        if self.headers:
            entry["headers"] = self.headers
        return entry


@dataclass(frozen=True)
class Response:
    """A call's record with its parsed body: ``data`` when the call succeeded, ``problem`` when
    Xero refused it.

    ``data`` is the endpoint's model (:data:`RESPONSE_MODELS`), except for BankStatementsPlus,
    whose files are held as their frames (:class:`lendcheck.frames.StatementFrames`, read by
    :mod:`lendcheck.statement_reader`) and as the model only when that reader declined the file;
    :meth:`Snapshot.bank_statements` gives the model either way."""

    record: CallRecord
    data: Any = None
    problem: Problem | None = None

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
        responses: parsed responses keyed by :func:`lendcheck.fetch_plan.call_key`.
    """

    path: Path
    tenant_id: str
    tenant_name: str
    as_of: date
    fetched_at: str
    source: str
    months: int
    calls: list[CallRecord]
    responses: dict[tuple[str, tuple[tuple[str, str], ...]], Response] = field(repr=False)

    def get(
        self, endpoint: str, params: dict[str, str], api: str = fp.FINANCE_API
    ) -> Response | None:
        """The response of one call, or None when the snapshot does not hold it."""
        return self.responses.get(fp.call_key(endpoint, params, api))

    def of(self, call: fp.PlannedCall) -> Response | None:
        """The response of a planned call, or None when the snapshot does not hold it."""
        return self.responses.get(call.key)

    def bank_statements(self, response: Response) -> BankStatements:
        """A BankStatementsPlus response's model: the one the snapshot holds, or, when it
        holds the file's frames (:class:`lendcheck.frames.StatementFrames`), the file read
        again (and verified again) through the models.

        Raises:
            SnapshotError: the file changed since it was read, or its data is missing.
        """
        data = response.data
        if isinstance(data, BankStatements):
            return data
        data = _parse(self.path, response.record, models_only=True).data
        if not isinstance(data, BankStatements):
            raise _fail(self.path / response.record.file, "holds no bank statements")
        return data

    def all_of(self, endpoint: str, api: str = fp.FINANCE_API) -> list[Response]:
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


def _fail(path: Path, what: str) -> SnapshotError:
    return SnapshotError(f"{path}: {what}")


def _read_manifest(directory: Path) -> dict[str, Any]:
    if not directory.is_dir():
        raise SnapshotError(f"{directory}: not a directory; give a lendcheck snapshot directory")
    manifest_path = directory / MANIFEST
    if not os.path.lexists(manifest_path):
        raise _fail(manifest_path, "missing; this directory is not a lendcheck snapshot")
    try:
        manifest = limits.loads(_read(directory, MANIFEST, limits.MAX_MANIFEST_BYTES), exact=False)
    except limits.LimitError as exc:
        raise _fail(manifest_path, str(exc)) from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise _fail(manifest_path, f"not valid JSON ({exc})") from exc
    if not isinstance(manifest, dict):
        raise _fail(manifest_path, "must be a JSON object")
    if manifest.get("format") != FORMAT:
        raise _fail(
            manifest_path,
            f"format is {manifest.get('format')!r}; this lendcheck reads {FORMAT!r}",
        )
    return manifest


def _record(manifest_path: Path, index: int, raw: Any) -> CallRecord:
    where = f"calls[{index}]"
    if not isinstance(raw, dict):
        raise _fail(manifest_path, f"{where} must be an object")
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
            api=str(raw.get("api") or fp.FINANCE_API),
            headers={str(k): str(v) for k, v in headers.items()},
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise _fail(manifest_path, f"{where} is incomplete or malformed ({exc})") from exc
    if record.api not in fp.APIS:
        raise _fail(
            manifest_path,
            f"{where}.api {record.api!r} is not one this lendcheck reads ({', '.join(fp.APIS)})",
        )
    file = PurePosixPath(record.file)
    if file.is_absolute() or ".." in file.parts:
        raise _fail(manifest_path, f"{where}.file {record.file!r} points outside the snapshot")
    return record


def _read(directory: Path, file: str, limit: int) -> bytes:
    """A listed file's bytes (:func:`lendcheck.limits.read_file`: a regular file inside the
    snapshot, within ``limit``).

    Raises:
        SnapshotError: it is missing, unreadable, outside the snapshot, not a regular file or
            too large; the message names the file.
    """
    path = directory / file
    try:
        return limits.read_file(directory, file, limit)
    except FileNotFoundError:
        raise _fail(path, "listed in the manifest but missing") from None
    except limits.LimitError as exc:
        raise _fail(path, str(exc)) from exc
    except OSError as exc:
        raise _fail(path, f"cannot be read ({exc.strerror})") from exc


def _parse(directory: Path, record: CallRecord, *, models_only: bool = False) -> Response:
    path = directory / record.file
    body = _read(directory, record.file, limits.MAX_FILE_BYTES)
    digest = hashlib.sha256(body).hexdigest()
    if digest != record.sha256:
        raise _fail(
            path,
            f"sha256 {digest} does not match the manifest's {record.sha256}: "
            "the file was altered or truncated after the snapshot was taken",
        )
    finance = record.api == fp.FINANCE_API
    if finance and record.ok and record.endpoint == fp.BANK_STATEMENTS and not models_only:
        frames = read_bank_statements(body, record.file)
        if frames is not None:
            return Response(record, data=frames)
    try:
        # A repeated key: refused, but in BankStatementsPlus as its fast reader reads it.
        payload = limits.loads(body, refuse_duplicates=record.endpoint != fp.BANK_STATEMENTS)
    except limits.LimitError as exc:
        raise _fail(path, str(exc)) from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise _fail(path, f"not valid JSON ({_non_finite(body) or exc})") from exc
    if not record.ok:
        try:
            problem = Problem.model_validate(payload) if isinstance(payload, dict) else None
        except ValidationError:
            problem = None
        return Response(record, problem=problem)
    models = RESPONSE_MODELS if finance else ACCOUNTING_RESPONSE_MODELS
    adapter = models.get(record.endpoint)
    if adapter is None:  # an extra call (e.g. /Organisation) kept for the record only
        return Response(record, data=payload)
    try:
        # By Xero's (camelCase) names only, as the statement reader reads them.
        data = adapter.validate_python(payload, by_alias=True, by_name=False)
    except ValidationError as exc:
        first = exc.errors()[0]
        location = ".".join(str(p) for p in first["loc"]) or "(top level)"
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise _fail(
            path,
            f"{record.endpoint} response does not fit its model at {location}: "
            f"{first['msg']}{more}",
        ) from exc
    return Response(record, data=data)


def _check_as_of(manifest_path: Path, as_of: date, fetched_at: Any) -> None:
    """Refuse a report date after the day the snapshot was taken: its data cannot reach it,
    and every age would be counted to a day that had not come (the date may run one day ahead
    of ``fetched_at``'s UTC date, for organisations east of UTC)."""
    try:
        fetched = datetime.fromisoformat(str(fetched_at)).date()
    except ValueError:
        return  # fetched_at is informative only; an unreadable one proves nothing
    if (as_of - fetched).days > 1:
        raise _fail(
            manifest_path,
            f"as_of {as_of} is after the snapshot was taken (fetched_at {fetched_at}): its "
            "data cannot reach that date; the manifest is wrong or was altered",
        )


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


def _months(manifest: dict[str, Any], records: list[CallRecord], as_of: date) -> int:
    declared = manifest.get("months")
    if isinstance(declared, int) and not isinstance(declared, bool) and declared > 0:
        return declared
    starts = [r.params.get("FromDate", "") for r in records if r.endpoint == fp.BANK_STATEMENTS]
    try:
        earliest = min(date.fromisoformat(s) for s in starts if s)
    except ValueError:
        return fp.DEFAULT_MONTHS
    return max(1, round((as_of - earliest).days / 30.4375))


def load_snapshot(directory: str | os.PathLike[str]) -> Snapshot:
    """Read, verify and parse a snapshot directory.

    Args:
        directory: a ``lendcheck-snapshot/1`` directory.

    Returns:
        The :class:`Snapshot` with every response parsed.

    Raises:
        SnapshotError: the directory or its manifest is missing or malformed, the format is not
            ``lendcheck-snapshot/1``, a listed file is missing or does not match its sha256, a
            file is not JSON, or a response does not fit its endpoint's model. The message names
            the file (and the field, for a model error).
    """
    path = Path(directory)
    manifest = _read_manifest(path)
    manifest_path = path / MANIFEST
    raw_calls = manifest.get("calls")
    if not isinstance(raw_calls, list):
        raise _fail(manifest_path, "calls must be a list")
    try:
        as_of = date.fromisoformat(str(manifest["as_of"]))
    except (KeyError, ValueError) as exc:
        raise _fail(manifest_path, "as_of must be a date YYYY-MM-DD") from exc
    if not limits.EARLIEST_DATE <= as_of <= limits.LATEST_DATE:
        raise _fail(
            manifest_path,
            f"as_of {as_of} is outside the dates lendcheck reads ({limits.EARLIEST_DATE} to "
            f"{limits.LATEST_DATE})",
        )
    _check_as_of(manifest_path, as_of, manifest.get("fetched_at"))
    records = [_record(manifest_path, i, raw) for i, raw in enumerate(raw_calls)]
    responses: dict[tuple[str, tuple[tuple[str, str], ...]], Response] = {}
    for record in records:
        key = record.key
        if key in responses:
            raise _fail(
                manifest_path, f"the call {record.endpoint} {record.params} is listed twice"
            )
        responses[key] = _parse(path, record)
    months = _months(manifest, records, as_of)
    if months > fp.MAX_MONTHS:
        raise _fail(
            manifest_path,
            f"months {months} (declared, or from the earliest FromDate) is over the limit of "
            f"{fp.MAX_MONTHS} months of bank statements",
        )
    return Snapshot(
        path=path,
        months=months,
        tenant_id=str(manifest.get("tenant_id") or ""),
        tenant_name=str(manifest.get("tenant_name") or ""),
        as_of=as_of,
        fetched_at=str(manifest.get("fetched_at") or ""),
        source=str(manifest.get("source") or ""),
        calls=records,
        responses=responses,
    )


class SnapshotWriter:
    """Writes a snapshot atomically: responses into a temporary sibling directory, the manifest
    last, then one rename into place.

    Use as a context manager; on an exception the temporary directory is removed and nothing
    appears at ``directory``::

        with SnapshotWriter(out) as w:
            w.add(call, 200, body_bytes)
            w.finish(tenant_id=..., tenant_name=..., as_of=..., fetched_at=..., source="xero")

    Raises:
        SnapshotError: ``directory`` exists and is not empty (snapshots are never merged).
    """

    def __init__(self, directory: str | os.PathLike[str], *, overwrite: bool = False) -> None:
        self.directory = Path(directory)
        if self.directory.exists() and any(self.directory.iterdir()) and not overwrite:
            raise SnapshotError(
                f"{self.directory}: exists and is not empty; choose a new directory"
            )
        self.directory.parent.mkdir(parents=True, exist_ok=True)
        prefix = f".{self.directory.name}."
        # Under a lock on the parent: remove what killed writers left, then start ours, held
        # (locked) until it is moved into place or removed.
        with locked(self.directory.parent):
            remove_unheld(self.directory.parent, prefix)
            self._tmp = Path(tempfile.mkdtemp(prefix=prefix, dir=self.directory.parent))
            self._hold = hold_lock(self._tmp)
        self._calls: list[CallRecord] = []
        self._finished = False

    def __enter__(self) -> SnapshotWriter:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is not None or not self._finished:
            shutil.rmtree(self._tmp, ignore_errors=True)
        os.close(self._hold)

    def add(self, call: fp.PlannedCall, status: int, body: bytes) -> CallRecord:
        """Store one response body exactly as received and record it for the manifest."""
        file = call.file_name(status)
        target = self._tmp / file
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
        record = CallRecord(
            call.endpoint,
            dict(call.params),
            status,
            file,
            hashlib.sha256(body).hexdigest(),
            api=call.api,
            headers=dict(call.headers),
        )
        self._calls.append(record)
        return record

    def finish(
        self,
        *,
        tenant_id: str,
        tenant_name: str,
        as_of: date,
        fetched_at: datetime | str,
        source: str,
        extra: dict[str, Any] | None = None,
    ) -> Path:
        """Write the manifest and move the snapshot into place. Returns its directory."""
        stamp = (
            fetched_at
            if isinstance(fetched_at, str)
            else (fetched_at.strftime("%Y-%m-%dT%H:%M:%SZ"))
        )
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "tenant_id": tenant_id,
            "tenant_name": tenant_name,
            "as_of": as_of.isoformat(),
            "fetched_at": stamp,
            "source": source,
            **(extra or {}),
            "calls": [c.to_json() for c in self._calls],
        }
        (self._tmp / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        if self.directory.exists():
            shutil.rmtree(self.directory)
        os.replace(self._tmp, self.directory)
        self._finished = True
        return self.directory
