"""Writing a ``lendcheck-snapshot/1`` directory (:class:`SnapshotWriter`).

Writing is atomic: files go to a temporary sibling directory that is renamed into place only
when the manifest is complete, so a failed fetch leaves no partial snapshot that looks whole.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

from lendcheck.errors import SnapshotError
from lendcheck.output import hold_lock, locked, remove_unheld
from lendcheck.snapshot.manifest import FORMAT, MANIFEST, CallRecord


class Call(Protocol):
    """A call as :class:`lendcheck.xero.fetch_plan.PlannedCall` describes it."""

    @property
    def endpoint(self) -> str: ...
    @property
    def params(self) -> dict[str, str]: ...
    @property
    def api(self) -> str: ...
    @property
    def headers(self) -> dict[str, str]: ...
    def file_name(self, status: int = 200) -> str: ...


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

    def add(self, call: Call, status: int, body: bytes) -> CallRecord:
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
