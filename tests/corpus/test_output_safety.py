"""Output safety through the CLI: a failed run leaves the previous report whole and nothing else.

``tests/core/test_output.py`` tests the atomic writer itself; these run ``lendcheck report``
end to end over an output directory that already holds a complete report, and break the run at
each place it can break: the directory, the disk, the PDF renderer, the final renames.
"""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from lendcheck.cli import main

from .cases import SAMPLE

FORMATS = "json,html,pdf"


@pytest.fixture(scope="module")
def previous(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A complete report of the sample as of 2026-09-30, made once per module."""
    out = tmp_path_factory.mktemp("previous") / "out"
    result = CliRunner().invoke(
        main,
        ["report", str(SAMPLE), "-o", str(out), "--format", FORMATS, "--as-of", "2026-09-30", "-q"],
    )
    assert result.exit_code in (0, 1), result.output
    return out


def _contents(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def _rerun(out: Path) -> tuple[int, str]:
    """A new report of the same sample as of 2026-10-31 (different bytes) into ``out``."""
    result = CliRunner().invoke(
        main, ["report", str(SAMPLE), "-o", str(out), "--format", FORMATS, "-q"]
    )
    assert "Traceback" not in result.output
    return result.exit_code, result.output


@pytest.fixture()
def out(previous: Path, tmp_path: Path) -> Path:
    target = tmp_path / "out"
    shutil.copytree(previous, target)
    return target


def test_success_replaces_every_file(out: Path, previous: Path) -> None:
    code, output = _rerun(out)
    assert code in (0, 1), output
    now, before = _contents(out), _contents(previous)
    assert sorted(now) == ["report.html", "report.json", "report.pdf"]
    assert all(now[name] != before[name] for name in now)  # all three are the new report


def test_unwritable_output_directory(
    out: Path, previous: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Permission bits do not stop root (CI runs as root): the access check is what is hit.
    real_access = os.access

    def access(path: object, mode: int, **kwargs: object) -> bool:
        if Path(str(path)) == out and mode & os.W_OK:
            return False
        return real_access(path, mode, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", access)
    code, output = _rerun(out)
    assert code == 4, output
    assert f"{out}: the output directory is not writable" in output
    assert _contents(out) == _contents(previous)


def test_output_path_is_a_file(tmp_path: Path) -> None:
    target = tmp_path / "report-here"
    target.write_text("not a directory")
    code, output = _rerun(target)
    assert code == 4, output
    assert "report-here" in output
    assert target.read_text() == "not a directory"


def test_full_disk_leaves_the_previous_report(
    out: Path, previous: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_fsync = os.fsync
    calls = []

    def fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:  # the JSON is staged; the disk fills up on the HTML
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    code, output = _rerun(out)
    assert code == 4, output
    assert "No space left on device" in output and "nothing was replaced" in output
    assert _contents(out) == _contents(previous)  # no new file, no temporary file


def test_pdf_render_failure_leaves_the_previous_report(
    out: Path, previous: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import weasyprint

    def broken(self: object, *args: object, **kwargs: object) -> bytes:
        raise RuntimeError("layout engine crashed on page 3")

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", broken)
    code, output = _rerun(out)
    assert code == 4, output
    assert "rendering the PDF failed: layout engine crashed on page 3" in output
    assert _contents(out) == _contents(previous)


def test_html_render_failure_leaves_the_previous_report(
    out: Path, previous: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import jinja2

    def broken(*args: object, **kwargs: object) -> str:
        raise jinja2.TemplateError("template broke half-way")

    monkeypatch.setattr(jinja2.Template, "render", broken)
    code, output = _rerun(out)
    assert code == 4, output
    assert _contents(out) == _contents(previous)


def test_rename_failure_mid_way_leaves_the_previous_report(
    out: Path, previous: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_replace = os.replace
    calls = []

    def replace(src: str, dst: str) -> None:
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(errno.EIO, "Input/output error")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    code, output = _rerun(out)
    assert code == 4, output
    assert sorted(_contents(out)) == sorted(_contents(previous))  # no temporary file left
    assert _contents(out) == _contents(previous)  # and no mixture of old and new
