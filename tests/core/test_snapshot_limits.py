"""Files that would hang lendcheck or fill its memory (issue 20, finding 4).

A listed FIFO used to hang ``lendcheck report`` for ever and a listed sparse file of gigabytes to
be read whole (exit 70, MemoryError). These run ``lendcheck report`` in a subprocess with a
generous timeout, so that on failure the test fails rather than the suite hanging.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lendcheck import limits
from lendcheck.errors import SnapshotError
from lendcheck.snapshot import load_snapshot
from lendcheck.xero.responses import bank_statements
from tests.corpus.cases import BANK, CV, SAMPLE

#: Seconds a refused file may take at most: it is refused before it is read. (Not a timing
#: assertion: only a hang reaches it.)
HANG = 120


def _report(snapshot: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "lendcheck", "report", str(snapshot), "-o", str(out), "-q"],
        capture_output=True,
        text=True,
        timeout=HANG,
        check=False,
    )


@pytest.fixture()
def snap(tmp_path: Path) -> Path:
    target = tmp_path / "snap"
    shutil.copytree(SAMPLE, target)
    return target


def test_a_listed_fifo_is_refused_not_waited_for(snap: Path, tmp_path: Path) -> None:
    (snap / CV).unlink()
    os.mkfifo(snap / CV)
    done = _report(snap, tmp_path / "out")
    assert done.returncode == 3, done.stderr
    assert f"{CV}: is not a regular file (a FIFO, device or directory); refused" in done.stderr


def test_a_fifo_manifest_is_refused(snap: Path, tmp_path: Path) -> None:
    (snap / "manifest.json").unlink()
    os.mkfifo(snap / "manifest.json")
    done = _report(snap, tmp_path / "out")
    assert done.returncode == 3, done.stderr
    assert "manifest.json: is not a regular file" in done.stderr


def test_a_listed_folder_is_refused(snap: Path) -> None:
    (snap / CV).unlink()
    (snap / CV).mkdir()
    with pytest.raises(SnapshotError, match=rf"{CV}: is not a regular file"):
        load_snapshot(snap)


def test_a_sparse_file_over_the_limit_is_refused_unread(snap: Path, tmp_path: Path) -> None:
    size = limits.MAX_FILE_BYTES + 1  # sparse: no disk used
    with open(snap / BANK, "r+b") as handle:
        handle.truncate(size)
    done = _report(snap, tmp_path / "out")
    assert done.returncode == 3, done.stderr
    assert f"{BANK}: is {size:,} bytes, over the limit of {limits.MAX_FILE_BYTES:,} bytes" in (
        done.stderr
    )


def test_a_manifest_over_its_limit_is_refused(snap: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_MANIFEST_BYTES", 100)
    with pytest.raises(
        SnapshotError, match=r"manifest\.json: is \d[\d,]* bytes, over the limit of 100"
    ):
        load_snapshot(snap)


def test_dev_zero_through_a_symlink_is_refused(snap: Path) -> None:
    (snap / BANK).unlink()
    os.symlink("/dev/zero", snap / BANK)
    with pytest.raises(SnapshotError, match="resolves outside the snapshot directory"):
        load_snapshot(snap)


def test_json_nesting_limit_is_exact() -> None:
    inside = b"[" * limits.MAX_DEPTH + b"]" * limits.MAX_DEPTH
    assert limits.loads(inside) == _nested(limits.MAX_DEPTH)
    deeper = b"[" + inside + b"]"
    with pytest.raises(limits.LimitError, match="nested deeper than the limit of 64 levels"):
        limits.loads(deeper)


def _nested(depth: int) -> list[object]:
    value: list[object] = []
    for _ in range(depth - 1):
        value = [value]
    return value


def test_integer_digits_limit_is_exact() -> None:
    assert limits.loads(b"[" + b"9" * 100 + b"]") == [int("9" * 100)]
    with pytest.raises(limits.LimitError, match=r"101 digits, .* at 0$"):
        limits.loads(b"[" + b"9" * 101 + b"]")


def test_a_repeated_key_in_bank_statements_reads_alike_on_both_paths(snap: Path) -> None:
    body = (snap / BANK).read_bytes()
    payee = b'"payee":"OLIVIA BENNETT"'
    _rewrite(snap, BANK, body.replace(payee, b'"payee":"X",' + payee, 1))
    loaded = load_snapshot(snap)
    [response] = [r for r in loaded.responses.values() if r.record.file == BANK]
    model = bank_statements(loaded, response)  # the models' path reads it again
    assert model.statements[0].statement_lines[0].payee == "OLIVIA BENNETT"
    frames = response.data.statement_lines  # the fast reader's frames
    assert "X" not in frames["payee"].to_list()


def test_a_repeated_key_elsewhere_is_refused(snap: Path) -> None:
    body = (snap / CV).read_bytes()
    _rewrite(snap, CV, body.replace(b"{", b'{"k":1,"k":2,', 1))
    with pytest.raises(SnapshotError, match=r"holds the key 'k' twice in one object"):
        load_snapshot(snap)


def _rewrite(snap: Path, file: str, body: bytes) -> None:
    import hashlib
    import json

    (snap / file).write_bytes(body)
    manifest = json.loads((snap / "manifest.json").read_text())
    for call in manifest["calls"]:
        if call["file"] == file:
            call["sha256"] = hashlib.sha256(body).hexdigest()
    (snap / "manifest.json").write_text(json.dumps(manifest))
