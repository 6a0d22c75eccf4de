"""Atomic output: readers see the old files or the whole new ones, never a part."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lendcheck.errors import OutputError
from lendcheck.output import ensure_directory, write_all_atomic


def test_writes_all_files(tmp_path: Path) -> None:
    write_all_atomic({tmp_path / "a.json": b"{}\n", tmp_path / "b.html": b"<p>"})
    assert (tmp_path / "a.json").read_bytes() == b"{}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "b.html"]


def test_failed_write_replaces_nothing(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_bytes(b"old")
    with pytest.raises(OutputError, match="nothing was replaced"):
        write_all_atomic({tmp_path / "a.json": b"new", tmp_path / "missing" / "b.pdf": b"%PDF"})
    assert (tmp_path / "a.json").read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]


def test_unwritable_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Permission bits do not stop root (CI runs as root), so the check itself is exercised.
    monkeypatch.setattr(os, "access", lambda path, mode: False)
    with pytest.raises(OutputError, match="not writable"):
        ensure_directory(tmp_path)


def test_full_disk_leaves_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "report.json").write_bytes(b"old")
    real_fsync = os.fsync

    def no_space(fd: int) -> None:
        real_fsync(fd)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_space)
    with pytest.raises(OutputError, match="No space left on device"):
        write_all_atomic({tmp_path / "report.json": b"new" * 1000})
    assert (tmp_path / "report.json").read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_directory_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    with pytest.raises(OutputError, match=r"not a directory|cannot create"):
        ensure_directory(tmp_path / "f")


def test_failed_rename_restores_every_previous_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = ("report.json", "report.html", "report.pdf")
    for name in names:
        (tmp_path / name).write_text(f"old {name}")
    real_replace = os.replace
    calls: list[str] = []

    def flaky_replace(src: str, dst: str) -> None:
        calls.append(os.path.basename(dst))
        if len(calls) == 2:  # the second file's rename fails, after the first succeeded
            raise OSError(5, "Input/output error")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", flaky_replace)
    with pytest.raises(OutputError, match=r"report\.html: cannot write .* previous report"):
        write_all_atomic({tmp_path / name: b"new" for name in names})
    assert {p.name: p.read_text() for p in tmp_path.iterdir()} == {
        name: f"old {name}" for name in names
    }
