"""``--debug`` adds a traceback and never changes the exit code (issue 20, finding 6).

A loan origination system reads exit 1 as "report written, policy failed": a debug run of a
failing command must exit with the same code as a normal run.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from lendcheck import api
from lendcheck.cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "fernleaf-studio"


def _boom(*_args: object, **_kwargs: object) -> None:
    raise RuntimeError("an unexpected failure")


def _cases(tmp: Path) -> dict[str, tuple[list[str], int]]:
    bad_policy = tmp / "bad.toml"
    bad_policy.write_text("this is not toml [", encoding="utf-8")
    a_file = tmp / "a-file"
    a_file.write_text("x", encoding="utf-8")
    return {
        "missing snapshot": (["report", str(tmp / "nonexistent"), "-o", str(tmp / "o")], 3),
        "bad policy file": (
            ["report", str(SAMPLE), "-o", str(tmp / "o"), "--policy", str(bad_policy)],
            2,
        ),
        "output is a file": (["report", str(SAMPLE), "-o", str(a_file), "--format", "json"], 4),
        "bug": (["report", str(SAMPLE), "-o", str(tmp / "o"), "--format", "json"], 70),
    }


@pytest.mark.parametrize("case", ["missing snapshot", "bad policy file", "output is a file", "bug"])
def test_debug_keeps_the_exit_code(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args, code = _cases(tmp_path)[case]
    if case == "bug":
        monkeypatch.setattr(api, "build_report", _boom)
    plain = CliRunner().invoke(main, args)
    debug = CliRunner().invoke(main, ["--debug", *args])
    assert plain.exit_code == code, plain.output
    assert debug.exit_code == code, debug.output
    assert "Traceback" not in plain.output
    assert "Traceback (most recent call last)" in debug.output
    # The same one-line message ends both outputs.
    assert debug.output.strip().splitlines()[-1] == plain.output.strip().splitlines()[-1]
