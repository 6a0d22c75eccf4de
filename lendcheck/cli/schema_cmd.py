"""``lendcheck schema``: print the JSON Schema of report.json (the contract's current version)."""

from __future__ import annotations

from pathlib import Path

import click

from lendcheck.cli.base import handle_errors


@click.command(
    epilog="""\b
Examples:
  lendcheck schema                                  # print it
  lendcheck schema -o docs/report.schema.json       # regenerate the committed copy
  lendcheck schema | jq '.properties | keys'

The schema is generated from the Report model in serialisation mode: money is a decimal string
with a currency code, shares/ratios/days are numbers marked with "x-unit". Its "$id" and "title"
carry the schema_version; docs/report-json.md explains every field and the versioning rule.
"""
)
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the schema to this file (atomically) instead of stdout.",
)
@click.pass_context
def schema(ctx: click.Context, output: Path | None) -> None:
    """Print the JSON Schema of report.json for the current schema_version."""
    with handle_errors(ctx):
        from lendcheck.contract.schema import render_schema
        from lendcheck.output import write_atomic

        data = render_schema()
        if output is None:
            click.echo(data.decode("utf-8"), nl=False)
        else:
            write_atomic(output, data)
