"""``lendcheck report``: a snapshot in, report.json / report.html / report.pdf out."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from lendcheck.api import make_report, parse_formats
from lendcheck.cli.base import handle_errors
from lendcheck.cli.fetch_cmd import fetch_for_report, source_option
from lendcheck.cli.options import (
    fail_on_option,
    formats_option,
    output_option,
    paper_option,
    policy_option,
    quiet_option,
)
from lendcheck.cli.summary import summary_lines
from lendcheck.errors import UsageError
from lendcheck.metrics.loan import parse_loan_terms


@click.command(
    epilog="""\b
Examples:
  lendcheck report samples/harbour-cafe -o out/
  lendcheck report --tenant-id TENANT_ID -o out/acme   # live: fetch from Xero first
  lendcheck report --tenant-id TENANT_ID --source accounting -o out/acme   # Accounting API
  lendcheck report SNAPSHOT_DIR -o out/ --format json --quiet
  lendcheck report SNAPSHOT_DIR --loan-amount 150000 --term-months 60 --annual-rate 8.5
  lendcheck report SNAPSHOT_DIR --paper Letter
  lendcheck report --tenant-id TENANT_ID --as-of 2026-09-30 -o out/acme   # fetched at that date
  lendcheck report SNAPSHOT_DIR --policy my-policy.toml --fail-on amber
"""
)
@click.argument("snapshot_dir", type=click.Path(path_type=Path), required=False)
@click.option(
    "--tenant-id",
    default=None,
    help="Instead of SNAPSHOT_DIR: fetch this Xero organisation first (see "
    "`lendcheck fetch`); the snapshot is kept in OUTPUT/snapshot.",
)
@source_option(
    "With --tenant-id: which Xero API to read, as `lendcheck fetch --source` (docs/live.md). "
    "A snapshot holds what it was fetched with."
)
@output_option("Directory for report.json, report.html, report.pdf.")
@click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Report date YYYY-MM-DD (default: the snapshot's date). Not later than the "
    "snapshot's date; earlier only when the snapshot holds the statements for that date "
    "as it does for its own (else exit 2, naming the dates it supports). With --tenant-id: "
    "the date to fetch.",
)
@formats_option("Comma-separated outputs to write: json, html, pdf.")
@paper_option("Page size of the PDF.")
@click.option("--loan-amount", default=None, help="Loan principal, in the applicant's currency.")
@click.option("--term-months", default=None, help="Loan term in months, 1 to 600.")
@click.option(
    "--annual-rate",
    default=None,
    help="Interest rate in percent a year, e.g. 8.5 or 8.5% (0.085 is refused as a likely "
    "fraction; write 0.085% if that is meant).",
)
@policy_option(
    "Lender policy file (TOML); default: the policy shipped with lendcheck "
    "(`lendcheck policy show`)."
)
@fail_on_option(
    "Exit with code 1 (after writing the report) when a flag of this severity "
    "or higher exists; never: always 0."
)
@quiet_option("Print nothing (exit code only).")
@click.pass_context
def report(
    ctx: click.Context,
    snapshot_dir: Path | None,
    tenant_id: str | None,
    source: str,
    out_dir: Path,
    as_of: object,
    formats: str,
    paper: str,
    loan_amount: str | None,
    term_months: str | None,
    annual_rate: str | None,
    policy_file: Path | None,
    fail_on: str,
    quiet: bool,
) -> None:
    """Write the credit report of the snapshot in SNAPSHOT_DIR.

    Reads a lendcheck-snapshot/1 directory (see `lendcheck samples list` for bundled ones),
    verifies every file against its sha256, computes the metrics, applies the lender policy and
    writes the chosen formats atomically into the output directory, then prints a one-screen
    summary. Exit code 1 when the policy fails (see --fail-on), after the report is written.
    """
    with handle_errors(ctx):
        chosen = parse_formats(formats)
        loan = parse_loan_terms(loan_amount, term_months, annual_rate)
        report_date = as_of.date() if as_of is not None else None  # type: ignore[attr-defined]
        if snapshot_dir is not None and tenant_id is not None:
            raise UsageError("give SNAPSHOT_DIR or --tenant-id, not both")
        if tenant_id is None and (
            ctx.get_parameter_source("source") is not click.core.ParameterSource.DEFAULT
        ):
            raise UsageError(
                "--source chooses what to fetch and goes with --tenant-id; a snapshot "
                "directory holds the source it was fetched with"
            )
        if tenant_id is not None:
            snapshot_dir = fetch_for_report(
                ctx,
                tenant_id=tenant_id,
                as_of=report_date,
                out_dir=out_dir,
                quiet=quiet,
                source=source,
            )
        if snapshot_dir is None:
            raise click.UsageError(
                "Missing argument 'SNAPSHOT_DIR' (or --tenant-id to fetch from Xero first).", ctx
            )
        show_progress = not quiet and sys.stderr.isatty()

        def progress(message: str) -> None:
            if show_progress:
                click.echo(f"  {message}…", err=True)

        result = make_report(
            snapshot_dir,
            out_dir,
            as_of=report_date,
            formats=chosen,
            paper="Letter" if paper.lower() == "letter" else "A4",
            loan=loan,
            policy=policy_file,
            progress=progress,
        )
        failed = result.policy_failed(fail_on)
        if not quiet:
            for line in summary_lines(result.report, result.paths):
                click.echo(line)
            if failed:
                click.echo(f"Policy failed: flags at or above {fail_on} (exit code 1).")
        if failed:
            ctx.exit(1)
