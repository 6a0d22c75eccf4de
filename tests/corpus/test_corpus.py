"""Run every corpus case (``cases.py``) through the CLI and hold it to its outcome."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from lendcheck.cli import main
from lendcheck.output import CURRENT, STORE

from .attacks import ATTACKS
from .cases import CASES, HOSTILE_CONTACT, Case

#: Control characters (other than the tab and newline HTML may hold) and bidi overrides.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def _run(case: Case, tmp_path: Path) -> tuple[int, str, Path]:
    snapshot = case.build(tmp_path)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["report", str(snapshot), "-o", str(out), "--format", case.formats, "-q", *case.args]
    )
    return result.exit_code, result.output, out


def _written(out: Path) -> list[str]:
    """The files a reader sees in ``out``, and anything else left there (the store's
    ``current`` link and the one run it points to are how files are published)."""
    if not out.exists():
        return []
    names = [p.name for p in out.iterdir() if p.name != STORE]
    store = out / STORE
    if store.is_dir():
        keep = {CURRENT, os.readlink(store / CURRENT)}
        names += [f"{STORE}/{p.name}" for p in store.iterdir() if p.name not in keep]
    return sorted(names)


@pytest.mark.parametrize("case", CASES + ATTACKS, ids=[c.id for c in CASES + ATTACKS])
def test_case(case: Case, tmp_path: Path) -> None:
    code, output, out = _run(case, tmp_path)
    assert "Traceback" not in output, output
    assert code != 70, output  # an internal error is a bug, whatever the input
    if case.error is not None:
        assert code == 3, output
        [line] = output.strip().splitlines()  # one line: what failed, where
        assert line.startswith("lendcheck: error: "), line
        assert re.search(case.error, line), line
        assert _written(out) == []  # no report, no temporary file
        return
    assert code in (0, 1), output
    wanted = {f"report.{f}" for f in case.formats.split(",")}
    assert _written(out) == sorted(wanted)  # every format whole, and no temporary file left
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert case.check is not None
    case.check(report)
    if "html" in case.formats:
        html = (out / "report.html").read_text(encoding="utf-8")
        assert not _FORBIDDEN.search(html)
        assert "<script>" not in html and "<b>bold</b>" not in html
        assert "R" * 201 not in html  # 10,000-character references are capped
    if "pdf" in case.formats:
        _check_pdf(out / "report.pdf", hostile=case.id == "hostile-text")


def _check_pdf(path: Path, *, hostile: bool) -> None:
    from pypdf import PdfReader

    text = "".join(page.extract_text() or "" for page in PdfReader(path).pages)
    assert "Fernleaf Studio" in text
    assert not _FORBIDDEN.search(text)
    if hostile:
        flat = re.sub(r"\s+", "", text)
        assert "alert(1)" in flat  # shown as text, never run
        assert re.sub(r"\s+", "", "gnp.exe") in flat
        assert HOSTILE_CONTACT not in text


def test_every_listed_case_is_unique() -> None:
    ids = [c.id for c in CASES + ATTACKS]
    assert len(ids) == len(set(ids))
    assert all((c.error is None) != (c.check is None) for c in CASES + ATTACKS)
