"""Writing outputs atomically: a temporary file in the target directory, then a rename.

A failed run leaves no half-written report, and an existing report is replaced only once the
new one is complete.
"""

from __future__ import annotations

import contextlib
import os
import shutil
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
    """Write several files so that readers see either all the old ones or all the new ones.

    Every new file is first written whole to a temporary file beside its target. Each existing
    target is then kept as a hard-linked backup (readers go on seeing it) and replaced by one
    atomic rename; if any step fails, the targets already replaced get their backups back and
    the targets that did not exist before are removed.

    Raises:
        OutputError: a write or rename failed; the previous files are as they were and no
            temporary or backup file is left.
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
    done: list[tuple[Path, str | None]] = []  # (target, backup or None when it was new)
    try:
        for tmp, target in staged:
            backup = _backup(target)
            done.append((target, backup))
            os.replace(tmp, target)
    except OSError as exc:
        for path, backup in reversed(done):
            with contextlib.suppress(OSError):
                if backup is None:
                    os.unlink(path)
                elif os.path.samefile(backup, path):
                    # Not replaced: rename() between two links of one file does nothing.
                    os.unlink(backup)
                else:
                    os.replace(backup, path)
        for tmp, _ in staged:
            _unlink(tmp)
        raise OutputError(
            f"{target}: cannot write ({exc.strerror or exc}); the previous report was kept"
        ) from exc
    for _, backup in done:
        if backup is not None:
            _unlink(backup)


def _backup(path: Path) -> str | None:
    """A hard link to ``path``'s current file (None when there is none); a copy where the file
    system has no hard links."""
    if not path.exists():
        return None
    name = tempfile.mktemp(prefix=f".{path.name}.", suffix=".bak", dir=path.parent)
    try:
        os.link(path, name)
    except OSError:
        shutil.copy2(path, name)
    return name


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
