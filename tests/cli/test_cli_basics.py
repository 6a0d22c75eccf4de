"""CLI basics that need no sample: help, version, usage and input errors with their exit codes."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from lendcheck import __version__
from lendcheck.cli import main


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for name, command in sorted(group.commands.items()):
        found.append((*prefix, name))
        if isinstance(command, click.Group):
            found.extend(_commands(command, (*prefix, name)))
    return found


@pytest.mark.parametrize("path", _commands(main), ids=" ".join)
def test_every_command_has_help(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    command = main
    for name in path:
        command = command.commands[name]  # type: ignore[attr-defined]
    assert command.help, f"{' '.join(path)} has no help text"


def test_report_help_has_examples() -> None:
    result = CliRunner().invoke(main, ["report", "--help"])
    assert "Examples:" in result.output
    assert "lendcheck report samples/harbour-cafe -o out/" in result.output


def test_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"lendcheck, version {__version__}"


def test_missing_snapshot_is_an_input_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["report", str(tmp_path / "nope"), "-o", str(tmp_path / "o")])
    assert result.exit_code == 3
    assert "not a directory" in result.output
    assert "Traceback" not in result.output


def test_directory_without_manifest(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["report", str(tmp_path), "-o", str(tmp_path / "o")])
    assert result.exit_code == 3
    assert "manifest.json: missing" in result.output
    assert not (tmp_path / "o" / "report.json").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "json,xml"], "--format takes"),
        (["--format", ""], "--format takes"),
        (["--loan-amount", "1000"], "need all three"),
        (["--loan-amount", "x", "--term-months", "12", "--annual-rate", "5"], "from 1 to"),
        (["--loan-amount", "-5", "--term-months", "12", "--annual-rate", "5"], "from 1 to"),
        (["--loan-amount", "5", "--term-months", "0", "--annual-rate", "5"], "from 1 to 600"),
        (["--loan-amount", "5", "--term-months", "12", "--annual-rate", "150"], "percentage"),
        # Issue 20.9: a huge amount is a usage error with the allowed range, not exit 70.
        (
            ["--loan-amount", "1e400", "--term-months", "60", "--annual-rate", "8.5"],
            "--loan-amount must be an amount from 1 to 1,000,000,000,000",
        ),
        # Issue 16.13: 0.085 is 8.5 % written as a fraction; the message shows the percent form.
        (
            ["--loan-amount", "150000", "--term-months", "60", "--annual-rate", "0.085"],
            "would be 0.085% a year; rates are in percent (8.5 or 8.5% for 8.5% a year): "
            "did you mean 8.5%?",
        ),
    ],
)
def test_usage_errors_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["report", str(tmp_path), *args])
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_click_usage_error_exit_2() -> None:
    result = CliRunner().invoke(main, ["report"])
    assert result.exit_code == 2
    assert "Missing argument" in result.output


def test_every_command_is_registered() -> None:
    # cli/__init__.py registers each command module; a lost line must not pass silently.
    assert sorted(main.commands) == [
        "auth",
        "batch",
        "diff",
        "fetch",
        "policy",
        "report",
        "samples",
        "schema",
    ]


@pytest.mark.parametrize(
    "args", [["samples", "list"], ["samples", "generate", "harbour-cafe", "-o", "{out}"]]
)
def test_samples_without_the_simulator_say_why(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An installed wheel leaves the simulator out (issue 19): a clear exit 2, no traceback."""
    import sys

    monkeypatch.setitem(sys.modules, "lendcheck.simulator", None)
    out = tmp_path / "x"
    result = CliRunner().invoke(main, [arg.format(out=out) for arg in args])
    assert result.exit_code == 2, result.output
    assert "needs the sample simulator" in result.output
    assert "make setup" in result.output and "Traceback" not in result.output
    assert not out.exists()


def test_samples_list_names_the_bundled_samples() -> None:
    result = CliRunner().invoke(main, ["samples", "list"])
    assert result.exit_code == 0
    assert result.output.splitlines()[0].startswith("harbour-cafe ")
