"""A report's files are published as one whole (issue 20, findings 1 and 10).

``lendcheck.output.publish`` writes a run's files into a fresh generation folder and switches
one symlink; these tests kill a publishing process at every file-system step it takes and check
that the output directory then shows all the old files or all the new ones, that the next run
removes what the killed one left, and that concurrent runs never mix their files.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from lendcheck.errors import OutputError
from lendcheck.output import CURRENT, PREVIOUS, STORE, publish, write_all_atomic

NAMES = ("report.json", "report.html", "report.pdf")
OLD = {name: f"old {name}".encode() for name in NAMES}
NEW = {name: f"new {name}".encode() for name in NAMES}

#: Runs ``publish`` (or, with "legacy", nothing: the caller prepared plain files) and kills
#: itself (exit 137, as kill -9) at the N-th file-system change it makes.
_KILL_AT = """
import os, shutil, sys
from pathlib import Path
directory, n, label = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
count = 0
def hook(fn):
    def wrapped(*args, **kwargs):
        global count
        count += 1
        if count == n:
            os._exit(137)
        return fn(*args, **kwargs)
    return wrapped
for name in ("replace", "rename", "symlink", "link", "unlink", "fsync", "mkdir", "rmdir", "chmod"):
    setattr(os, name, hook(getattr(os, name)))
shutil.rmtree = hook(shutil.rmtree)
from lendcheck.output import publish
names = ("report.json", "report.html", "report.pdf")
publish(directory, {n: f"{label} {n}".encode() for n in names}, names)
"""


def _visible(directory: Path) -> dict[str, bytes]:
    """What a reader sees at OUT_DIR/NAME, for each report name that exists."""
    return {n: (directory / n).read_bytes() for n in NAMES if (directory / n).exists()}


def _leftovers(directory: Path) -> list[str]:
    """Anything beyond the report names, the store, current, previous and their folders."""
    store = directory / STORE
    keep = {CURRENT, PREVIOUS, os.readlink(store / CURRENT)}
    if (store / PREVIOUS).is_symlink():
        keep.add(os.readlink(store / PREVIOUS))
    extra = [p.name for p in directory.iterdir() if p.name not in {*NAMES, STORE}]
    return extra + [p.name for p in store.iterdir() if p.name not in keep]


def _kill_sweep(directory: Path, prepare: object) -> int:
    """Kill a publish of NEW at each of its steps in turn, from the state ``prepare`` makes."""
    step = 0
    while True:
        step += 1
        prepare()  # type: ignore[operator]
        done = subprocess.run(
            [sys.executable, "-c", _KILL_AT, str(directory), str(step), "new"],
            capture_output=True,
            text=True,
            check=False,
        )
        seen = _visible(directory)
        assert seen in (OLD, NEW), (step, seen)  # all old or all new, never a mixture
        if done.returncode == 0:
            assert seen == NEW
            return step
        assert done.returncode == 137, done.stderr
        # The next run publishes whole and removes what the killed one left.
        publish(directory, NEW, NAMES)
        assert _visible(directory) == NEW
        assert _leftovers(directory) == [], step


def test_a_kill_at_any_step_leaves_all_old_or_all_new(tmp_path: Path) -> None:
    directory = tmp_path / "out"

    def published_old() -> None:
        publish(directory, OLD, NAMES)

    steps = _kill_sweep(directory, published_old)
    assert steps > 5  # every step of the publish was tried


def test_a_kill_while_adopting_an_older_layout(tmp_path: Path) -> None:
    """Plain files written by an older lendcheck become a generation without a mixed moment."""
    directory = tmp_path / "out"

    def plain_old() -> None:
        import shutil

        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir()
        for name, data in OLD.items():
            (directory / name).write_bytes(data)

    steps = _kill_sweep(directory, plain_old)
    assert steps > 8


def test_files_of_formats_not_written_go_with_the_old_report(tmp_path: Path) -> None:
    publish(tmp_path, OLD, NAMES)
    publish(tmp_path, {"report.json": b"json only"}, NAMES)
    assert _visible(tmp_path) == {"report.json": b"json only"}
    assert sorted(p.name for p in tmp_path.iterdir()) == [STORE, "report.json"]
    assert _leftovers(tmp_path) == []


def test_the_previous_run_stays_readable_until_the_next_but_one(tmp_path: Path) -> None:
    publish(tmp_path, OLD, NAMES)
    folder = (tmp_path / STORE / CURRENT).resolve()  # a reader resolved the old run
    publish(tmp_path, NEW, NAMES)
    assert {n: (folder / n).read_bytes() for n in NAMES} == OLD
    publish(tmp_path, NEW, NAMES)
    assert not folder.exists()
    assert _leftovers(tmp_path) == []


def test_stale_temporary_and_backup_files_are_removed(tmp_path: Path) -> None:
    # What an interrupted write of an older lendcheck left (issue 20, finding 10).
    stale = [".report.json.k2j3h4.tmp", ".report.pdf.abc123.bak", ".report.html.x.tmp"]
    for name in stale:
        (tmp_path / name).write_bytes(b"stale")
    (tmp_path / "notes.txt").write_text("the lender's own file")
    publish(tmp_path, NEW, NAMES)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*NAMES, STORE, "notes.txt"])
    write_all_atomic({tmp_path / "summary.json": b"{}"})
    (tmp_path / ".summary.json.q.tmp").write_bytes(b"stale")
    (tmp_path / ".summary.json.q.bak").write_bytes(b"stale")
    write_all_atomic({tmp_path / "summary.json": b"{}"})
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".summary")]


def test_concurrent_runs_never_mix_their_files(tmp_path: Path) -> None:
    """Two processes publish into one directory again and again while this one reads."""
    writer = (
        "import sys\nfrom pathlib import Path\nfrom lendcheck.output import publish\n"
        "names = ('report.json', 'report.html', 'report.pdf')\n"
        "for i in range(40):\n"
        "    publish(Path(sys.argv[1]), {n: f'{sys.argv[2]} {i}'.encode() for n in names}, names)\n"
    )
    publish(tmp_path, OLD, NAMES)
    writers = [
        subprocess.Popen([sys.executable, "-c", writer, str(tmp_path), label])
        for label in ("applicant-a", "applicant-b")
    ]
    while any(w.poll() is None for w in writers):
        folder = (tmp_path / STORE / CURRENT).resolve()
        try:
            run = {n: (folder / n).read_bytes() for n in NAMES}
        except FileNotFoundError:
            # Only a run that is no longer current or previous may go (the next-but-one).
            kept = {os.readlink(tmp_path / STORE / link) for link in (CURRENT, PREVIOUS)}
            assert folder.name not in kept
            continue
        assert run == OLD or len(set(run.values())) == 1, run  # one run's files
        assert set(run) == set(NAMES)  # all three
    assert [w.wait() for w in writers] == [0, 0]
    final = _visible(tmp_path)
    assert len(set(final.values())) == 1 and set(final) == set(NAMES)
    assert _leftovers(tmp_path) == []


def test_a_run_waits_for_the_lock_of_another(tmp_path: Path) -> None:
    import fcntl

    fd = os.open(tmp_path, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # another run is publishing
    worker = threading.Thread(target=publish, args=(tmp_path, NEW, NAMES))
    worker.start()
    worker.join(timeout=0.5)
    assert worker.is_alive() and _visible(tmp_path) == {}
    os.close(fd)
    worker.join()
    assert _visible(tmp_path) == NEW


def test_a_report_name_that_is_a_directory_is_refused(tmp_path: Path) -> None:
    (tmp_path / "report.pdf").mkdir()
    with pytest.raises(OutputError, match=r"report\.pdf: is a directory"):
        publish(tmp_path, NEW, NAMES)
    assert not (tmp_path / "report.json").exists()


def test_an_interrupted_snapshot_write_is_removed_by_the_next(tmp_path: Path) -> None:
    """A killed fetch left its temporary snapshot folder (``.snap.XXXX``) for ever; the next
    writer into the same parent removes it, but never the folder of a writer still at work."""
    from lendcheck.output import hold_lock
    from lendcheck.snapshot import SnapshotWriter

    stale = tmp_path / ".snap.k2j3h4"
    stale.mkdir()
    (stale / "cash-validation.json").write_bytes(b"[]")
    busy = tmp_path / ".snap.busy01"
    busy.mkdir()
    held = hold_lock(busy)  # another writer, still running
    try:
        with SnapshotWriter(tmp_path / "snap") as writer:
            assert not stale.exists()
            assert busy.is_dir()
            assert writer  # it writes into a folder of its own
        assert busy.is_dir()
    finally:
        os.close(held)
    with SnapshotWriter(tmp_path / "snap"):
        pass
    assert sorted(p.name for p in tmp_path.iterdir()) == []
