"""Writing outputs atomically.

Two ways, both under an exclusive lock on the target directory (``flock`` on the directory
itself, so no lock file is left behind; it is released by the kernel when a run is killed):

* :func:`publish` (a report's files): the files are written whole into a fresh generation
  directory and published by switching one symlink in a single rename, so a reader sees every
  file of one run, never a mixture (issue 20, finding 1). Layout of ``OUT_DIR``::

      report.json -> .lendcheck/current/report.json     (and report.html, report.pdf alike)
      .lendcheck/current -> r-XXXXXXXX                  switched in one rename
      .lendcheck/previous -> r-YYYYYYYY                 the run before, kept for slow readers
      .lendcheck/r-XXXXXXXX/report.json ...

  ``OUT_DIR/report.json`` stays the path to read. To read several files of one run, resolve
  ``OUT_DIR/.lendcheck/current`` once (or the folder of ``realpath(OUT_DIR/report.json)``) and
  read them from there: that folder is not touched until the next run but one.
* :func:`write_all_atomic` (other files, e.g. batch summaries): each file written whole beside
  its target, then renamed into place.

Each run first removes what an interrupted run left: temporary (``.NAME.*.tmp``) and backup
(``.NAME.*.bak``) files of the names it writes, and unfinished generation directories.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
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
    directories = sorted({path.parent for path in files})
    with contextlib.ExitStack() as stack:
        for directory in directories:
            stack.enter_context(locked(directory))
            _remove_leftovers(directory, [p.name for p in files if p.parent == directory])
        _write_all(files)


def _write_all(files: dict[Path, bytes]) -> None:
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


#: The folder of ``OUT_DIR`` holding the published generations (see the module docstring).
STORE = ".lendcheck"
CURRENT = "current"
PREVIOUS = "previous"
_GENERATION = "r-"


@contextlib.contextmanager
def locked(directory: Path) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``directory`` itself; waits for another run to finish.

    A directory that does not exist is not locked (writing into it fails with its own error).
    """
    try:
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def hold_lock(directory: Path) -> int:
    """Take an exclusive ``flock`` on ``directory`` and return its descriptor (closing it
    releases the lock), for a folder being written: :func:`remove_unheld` leaves it alone."""
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # new: nobody else holds it
    return fd


def remove_unheld(directory: Path, prefix: str) -> None:
    """Remove the folders ``directory/PREFIX*`` nobody holds a lock on (:func:`hold_lock`):
    what a killed writer left. Call it under :func:`locked` on ``directory``."""
    try:
        entries = [e for e in os.scandir(directory) if e.name.startswith(prefix)]
    except OSError:
        return
    for entry in entries:
        if not entry.is_dir(follow_symlinks=False):
            continue
        try:
            fd = os.open(entry.path, os.O_RDONLY | os.O_DIRECTORY)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            continue  # a live writer's
        finally:
            os.close(fd)
        shutil.rmtree(entry.path, ignore_errors=True)


def _remove_leftovers(directory: Path, names: Iterable[str]) -> None:
    """Remove the temporary and backup files an interrupted write of ``names`` left in
    ``directory`` (``.NAME.XXXX.tmp``, ``.NAME.XXXX.bak``). Call it under :func:`locked`."""
    wanted = tuple(f".{name}." for name in names)
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(wanted) and entry.name.endswith((".tmp", ".bak")):
            _unlink(entry.path)


def publish(directory: Path, files: dict[str, bytes], names: Iterable[str]) -> dict[str, Path]:
    """Publish a report's files into ``directory`` as one whole (module docstring).

    Args:
        directory: the output directory (created if needed).
        files: file name -> bytes, the new report's files.
        names: every file name a report may have (``report.json``, ``report.html``,
            ``report.pdf``): those not in ``files`` disappear with the old report, so that no
            file of an older run stays beside the new ones.

    Returns:
        The published paths (``directory/NAME``), by name.

    Raises:
        OutputError: the directory or a file cannot be written; the previous report is
            published as it was and nothing of the new one is left.
    """
    every = sorted({*names, *files})
    ensure_directory(directory)
    with locked(directory):
        store = directory / STORE
        try:
            store.mkdir(exist_ok=True)
            _remove_leftovers(directory, every)
            _remove_generations(store)
            _adopt(directory, store, every)
            generation = Path(tempfile.mkdtemp(prefix=_GENERATION, dir=store))
        except OSError as exc:
            raise OutputError(
                f"{directory}: cannot prepare the output directory ({exc.strerror or exc}); "
                "the previous report was kept"
            ) from exc
        try:
            for name, data in files.items():
                _write_file(generation / name, data)
            os.chmod(generation, 0o755)
            _fsync_directory(generation)
            for name in files:
                _link(directory / name, f"{STORE}/{CURRENT}/{name}")
            old = _target(store / CURRENT)
            _link(store / CURRENT, generation.name)  # the switch: one rename
        except OSError as exc:
            shutil.rmtree(generation, ignore_errors=True)
            raise OutputError(
                f"{directory}: cannot write the report ({exc.strerror or exc}); "
                "the previous report was kept"
            ) from exc
        # Published. What follows only tidies up; a failure leaves the new report whole.
        with contextlib.suppress(OSError):
            _fsync_directory(store)
        with contextlib.suppress(OSError):
            if old is not None and old != generation.name:
                _link(store / PREVIOUS, old)
        for name in every:
            if name not in files and os.path.islink(directory / name):
                _unlink(str(directory / name))
        with contextlib.suppress(OSError):
            _remove_generations(store)
    return {name: directory / name for name in files}


def _target(link: Path) -> str | None:
    """Where a symlink of ours points (a name in the store), or None."""
    try:
        return os.readlink(link)
    except OSError:
        return None


def _link(path: Path, target: str) -> None:
    """Make ``path`` a symlink to ``target`` in one rename (a new link, then ``os.replace``)."""
    if _target(path) == target:
        return
    tmp = path.with_name(f".{path.name}.{os.urandom(6).hex()}.tmp")
    os.symlink(target, tmp)
    try:
        os.replace(tmp, path)
    except OSError:
        _unlink(str(tmp))
        raise


def _write_file(path: Path, data: bytes) -> None:
    with open(path, "xb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(path, 0o644)


def _fsync_directory(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_generations(store: Path) -> None:
    """Remove every entry of the store but ``current``, ``previous`` and their generations:
    unfinished generations of interrupted runs, older ones, stray temporary links."""
    keep = {CURRENT, PREVIOUS, _target(store / CURRENT), _target(store / PREVIOUS)}
    for entry in list(os.scandir(store)):
        if entry.name in keep:
            continue
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            _unlink(entry.path)


def _adopt(directory: Path, store: Path, names: list[str]) -> None:
    """Bring files of an older layout under the store without changing what readers see.

    A report written by an older lendcheck is plain files (``OUT_DIR/report.json``...). They
    become a generation of their own (hard links, or copies), ``current`` points to it, and
    then each plain file is replaced by its symlink: at every step each name shows the same
    bytes as before.

    Raises:
        OutputError: a report name is a directory, or ``current`` is not a symlink.
        OSError: a link or copy failed (nothing visible has changed).
    """
    current = store / CURRENT
    if os.path.lexists(current) and not current.is_symlink():
        raise OutputError(f"{current}: not a symlink; remove it (lendcheck manages this folder)")
    plain = {}
    for name in names:
        path = directory / name
        if _target(path) == f"{STORE}/{CURRENT}/{name}" or not os.path.lexists(path):
            continue
        if path.is_dir():
            raise OutputError(f"{path}: is a directory; lendcheck writes a file there")
        plain[name] = path
    if not plain:
        return
    generation = Path(tempfile.mkdtemp(prefix=_GENERATION, dir=store))
    try:
        for name in names:
            source = plain.get(name) or (current / name)
            if not source.exists():
                continue
            try:
                os.link(source, generation / name, follow_symlinks=True)
            except OSError:
                shutil.copy2(source, generation / name)
        os.chmod(generation, 0o755)
        _link(current, generation.name)
    except BaseException:
        if _target(current) != generation.name:
            shutil.rmtree(generation, ignore_errors=True)
        raise
    for name in plain:
        _link(directory / name, f"{STORE}/{CURRENT}/{name}")
