"""Writing outputs atomically: a temporary file in the target directory, then a rename.

A failed run leaves no half-written report, and an existing report is replaced only once the
new one is complete.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from lendcheck.errors import OutputError


def ensure_directory(directory: Path) -> None:
    """Create ``directory`` (and parents) if needed.

    Raises:
        OutputError: it cannot be created, or exists and is not a writable directory.
    """
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"{directory}: cannot create the output directory ({exc.strerror})"
        ) from exc
    if not directory.is_dir():
        raise OutputError(f"{directory}: exists and is not a directory")
    if not os.access(directory, os.W_OK | os.X_OK):
        raise OutputError(f"{directory}: the output directory is not writable")


def write_all_atomic(files: dict[Path, bytes]) -> None:
    """Write several files, renaming them into place only after every one was written whole.

    Raises:
        OutputError: a write failed; no target was replaced and no temporary file is left.
    """
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files.items():
            staged.append((_stage(path, data), path))
    except OSError as exc:
        for tmp, _ in staged:
            _unlink(tmp)
        failed = list(files)[len(staged)]
        raise OutputError(
            f"{failed}: cannot write ({exc.strerror or exc}); nothing was replaced"
        ) from exc
    for tmp, path in staged:
        try:
            os.replace(tmp, path)
        except OSError as exc:
            for other, _ in staged:
                _unlink(other)
            raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from exc


def _stage(path: Path, data: bytes) -> str:
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, 0o644)
    except OSError:
        _unlink(tmp_name)
        raise
    return tmp_name


def _unlink(name: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(name)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see either the old file or the whole new one.

    Raises:
        OutputError: the write failed (full disk, permissions...); nothing is left behind.
    """
    write_all_atomic({path: data})
