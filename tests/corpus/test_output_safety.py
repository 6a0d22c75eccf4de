"""Output safety through the CLI: a failed run leaves the previous report whole and nothing else.

``tests/core/test_output.py`` tests the atomic writer itself; these run ``lendcheck report``
end to end over an output directory that already holds a complete report, and break the run at
each place it can break: the directory, the disk, the PDF renderer, the final renames.
"""

from __future__ import annotations

import errno
import functools
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from lendcheck.cli import main
from lendcheck.output import CURRENT, PREVIOUS, STORE
from lendcheck.render import pdf as pdf_module

from .cases import SAMPLE

FORMATS = "json,html,pdf"


@pytest.fixture(scope="module")
def previous(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A complete report of the sample with loan terms, made once per module."""
    out = tmp_path_factory.mktemp("previous") / "out"
    result = CliRunner().invoke(
        main,
        [
            "report",
            str(SAMPLE),
            "-o",
            str(out),
            "--format",
            FORMATS,
            *("--loan-amount", "150000", "--term-months", "60", "--annual-rate", "8.5"),
            "-q",
        ],
    )
    assert result.exit_code in (0, 1), result.output
    return out


def _contents(out: Path) -> dict[str, bytes]:
    """What a reader sees at each name of ``out``; the store holds only the current run and
    the one before it (nothing half-written, no temporary file)."""
    seen = {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.name != STORE}
    store = out / STORE
    keep = {CURRENT, PREVIOUS, os.readlink(store / CURRENT)}
    if (store / PREVIOUS).is_symlink():
        keep.add(os.readlink(store / PREVIOUS))
    assert sorted(p.name for p in store.iterdir() if p.name not in keep) == []
    return seen


def _rerun(out: Path) -> tuple[int, str]:
    """A new report of the same sample without loan terms (different bytes) into ``out``."""
    result = CliRunner().invoke(
        main, ["report", str(SAMPLE), "-o", str(out), "--format", FORMATS, "-q"]
    )
    assert "Traceback" not in result.output
    return result.exit_code, result.output


#: WeasyPrint's PDF of each HTML, rendered once per module: the tests that break the run after
#: rendering (the disk, the renames) publish the same new report, and the same HTML always gives
#: the same PDF bytes (tests/report/test_pdf.py); only the render failure test needs the renderer.
_render_pdf_once = functools.cache(pdf_module.render_pdf)


@pytest.fixture()
def pdf_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """``lendcheck report`` renders each PDF once per module (the render is most of its time)."""
    monkeypatch.setattr(pdf_module, "render_pdf", _render_pdf_once)


@pytest.fixture()
def out(previous: Path, tmp_path: Path) -> Path:
    target = tmp_path / "out"
    shutil.copytree(previous, target, symlinks=True)
    return target


@pytest.mark.usefixtures("pdf_once")
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


@pytest.mark.usefixtures("pdf_once")
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
    assert "No space left on device" in output and "the previous report was kept" in output
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


@pytest.mark.usefixtures("pdf_once")
@pytest.mark.parametrize("failing", [1, 2, 3])
def test_rename_failure_at_any_step_leaves_one_whole_report(
    failing: int, out: Path, previous: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _contents(previous)
    real_replace = os.replace
    calls = []

    def replace(src: str, dst: str) -> None:
        calls.append(dst)
        if len(calls) == failing:
            raise OSError(errno.EIO, "Input/output error")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    code, output = _rerun(out)
    now = _contents(out)
    assert sorted(now) == sorted(before)
    if code == 4:  # the switch failed: the previous report, whole
        assert now == before, output
    else:  # published before the failing step (tidying up after the switch)
        assert code in (0, 1), output
        assert all(now[name] != before[name] for name in now)  # all three new


def test_the_previous_report_of_another_applicant_is_never_mixed_in(
    previous: Path, tmp_path: Path
) -> None:
    """Killed between two renames, the old writer left report.json of one run beside
    report.html of another (issue 20, finding 1): a kill at any rename now leaves one run."""
    import subprocess
    import sys

    script = (
        "import os, sys\n"
        "real, calls = os.replace, []\n"
        "def replace(src, dst):\n"
        "    calls.append(dst)\n"
        "    if len(calls) == int(sys.argv[1]):\n"
        "        os._exit(137)\n"
        "    real(src, dst)\n"
        "os.replace = replace\n"
        "from lendcheck.cli import main\n"
        "main(sys.argv[2:])\n"
    )
    before = _contents(previous)
    for kill_at in (1, 2):
        out = tmp_path / f"out{kill_at}"
        shutil.copytree(previous, out, symlinks=True)
        done = subprocess.run(
            [sys.executable, "-c", script, str(kill_at), "report", str(SAMPLE), "-o", str(out)],
            capture_output=True,
            check=False,
        )
        assert done.returncode == 137
        now = {n: (out / n).read_bytes() for n in before}
        # Every file of the previous run, or (killed after the switch) every file of the new.
        assert now == before or all(now[n] != before[n] for n in now), kill_at
