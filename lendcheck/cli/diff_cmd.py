"""``lendcheck diff``: what changed between two report.json files."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from lendcheck.cli.base import handle_errors


@click.command(
    epilog="""\b
Examples:
  lendcheck diff july/report.json october/report.json
  lendcheck diff old.json new.json --json > changes.json
  lendcheck diff old.json new.json --all        # include report_id, versions, inputs

\b
Exit codes: 0 no material change; 1 changed (like diff); 2 usage error;
3 a file is not a lendcheck report or has another major schema_version.
Shapes of --json: docs/report-json.md.
"""
)
@click.argument("old", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Write the differences as JSON (deterministic) instead of tables.",
)
@click.option(
    "--all",
    "include_all",
    is_flag=True,
    help="Also compare report_id, lendcheck_version, schema_version and inputs.",
)
@click.pass_context
def diff(ctx: click.Context, old: Path, new: Path, as_json: bool, include_all: bool) -> None:
    """Show what changed between two reports: OLD.json and NEW.json.

    Metric deltas (absolute and relative) by section and bank account; flags raised, cleared or
    with a new severity; grade changes; unreconciled statement lines that appeared or
    disappeared; bank accounts added or removed. Works from the JSON, so a report of an older
    minor schema_version still compares; money is compared exactly from its decimal strings.
    """
    with handle_errors(ctx):
        from lendcheck.contract.diff import diff_files, print_diff, render_diff_json

        result = diff_files(old, new, include_all=include_all)
        if as_json:
            sys.stdout.buffer.write(render_diff_json(result))
            sys.stdout.flush()
        else:
            from rich.console import Console

            terminal = sys.stdout.isatty()
            console = Console(
                highlight=False, soft_wrap=not terminal, width=None if terminal else 200
            )
            print_diff(result, console)
    if result.changed:
        ctx.exit(1)
