"""``lendcheck diff``: what changed between two report.json files."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from lendcheck.cli.base import handle_errors


@click.command(
    epilog="""\b
Examples:
  lendcheck diff september/report.json october/report.json
  lendcheck diff old.json new.json --json > changes.json
  lendcheck diff old.json new.json --all        # every change, report_id, versions, inputs

\b
Exit codes: 0 nothing changed; 1 changed (like diff); 2 usage error;
3 a file is not a lendcheck report or has another major schema_version, or the
two reports are of different organisations or base currencies (unless
--allow-different). Materiality and the shape of --json: docs/report-json.md.
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
    help="Print every change, not only the material ones, and also compare report_id, "
    "lendcheck_version, schema_version and inputs.",
)
@click.option(
    "--allow-different",
    is_flag=True,
    help="Compare reports of different organisations or base currencies (with a warning) "
    "instead of refusing with exit code 3.",
)
@click.pass_context
def diff(
    ctx: click.Context,
    old: Path,
    new: Path,
    as_json: bool,
    include_all: bool,
    allow_different: bool,
) -> None:
    """Show what changed between two reports of one applicant: OLD.json and NEW.json.

    First a summary: the grades, red and amber flag counts, the key figures (revenue, net
    margin, DSCR, bank-verified DSCR, reconciled share, feed-verified coverage) with their
    deltas and the unreconciled lines that appeared or cleared; then the flags raised, cleared
    or with a new severity; then the material changes by bank account and section (--all: every
    change). Every amount carries its currency. Works from the JSON, so a report of an older
    minor schema_version still compares; money is compared exactly from its decimal strings.
    """
    with handle_errors(ctx):
        from lendcheck.tools.diff import diff_files, print_diff, render_diff_json

        result = diff_files(old, new, include_all=include_all, allow_different=allow_different)
        if as_json:
            sys.stdout.buffer.write(render_diff_json(result))
            sys.stdout.flush()
        else:
            from rich.console import Console

            terminal = sys.stdout.isatty()
            console = Console(
                highlight=False, soft_wrap=not terminal, width=None if terminal else 200
            )
            print_diff(result, console, show_all=include_all)
            for warning in result.warnings:  # again at the end, where a terminal leaves off
                click.secho(f"WARNING: {warning}", fg="red", bold=True, err=True)
    if result.changed:
        ctx.exit(1)
