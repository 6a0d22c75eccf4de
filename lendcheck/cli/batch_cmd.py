"""``lendcheck batch``: the reports of many applicants from a CSV manifest, in parallel."""

from __future__ import annotations

import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from lendcheck.cli.base import handle_errors
from lendcheck.cli.options import (
    fail_on_option,
    formats_option,
    output_option,
    paper_option,
    policy_option,
    quiet_option,
)


class _Reporter:
    """Progress on stderr: a rich progress bar on a terminal, else one line per applicant
    (``text``) or JSON lines (``json``)."""

    def __init__(self, log_format: str, quiet: bool) -> None:
        self.log_format = log_format
        self.quiet = quiet
        self.progress: Any = None
        self.task: Any = None
        self.console: Any = None
        if log_format == "text" and not quiet and sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            self.console = Console(stderr=True, highlight=False)
            self.progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=self.console,
                transient=False,
            )

    def __call__(self, event: dict[str, Any]) -> None:
        if self.log_format == "json":
            record = {"ts": datetime.now(UTC).isoformat(timespec="milliseconds")} | event
            if "seconds" in record and isinstance(record["seconds"], float):
                record["seconds"] = round(record["seconds"], 3)
            sys.stderr.write(json.dumps(record, sort_keys=True, default=str) + "\n")
            sys.stderr.flush()
            return
        if self.quiet:
            return
        kind = event["event"]
        if kind == "start":
            if self.progress is not None:
                self.progress.start()
                self.task = self.progress.add_task("applicants", total=event["applicants"])
            else:
                click.echo(
                    f"lendcheck batch: {event['applicants']} applicant(s), "
                    f"{event['to_run']} to run on {event['jobs']} process(es)",
                    err=True,
                )
        elif kind == "applicant":
            from lendcheck.text import clean_untrusted

            line = clean_untrusted(self._line(event), 2000)  # ids and errors quote the manifest
            if self.progress is not None:
                from rich.text import Text

                self.progress.console.print(Text(line))
                self.progress.update(self.task, completed=event["done"])
            else:
                click.echo(line, err=True)
        elif kind == "end" and self.progress is not None:
            self.progress.stop()

    @staticmethod
    def _line(event: dict[str, Any]) -> str:
        status = event["exit_status"]
        head = f"[{event['done']}/{event['total']}] {event['id']}: "
        if event.get("resumed"):
            return head + f"complete from an earlier run (exit {status})"
        if status in (0, 1):
            grade = f", grade {event['grade']}" if event.get("grade") else ""
            failed = ", policy failed" if status == 1 else ""
            return head + f"exit {status}{grade}{failed} ({event['seconds']:.1f} s)"
        return head + f"exit {status}: {event['error']}"

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()


@click.command(
    epilog="""\b
Examples:
  lendcheck batch applicants.csv -o out/
  lendcheck batch applicants.csv -o out/ --jobs 4 --format json
  lendcheck batch applicants.csv -o out/ --resume --log-format json 2> batch.log

\b
applicants.csv (header row; snapshot or tenant_id per row, the rest optional):
  id,snapshot,as_of,loan_amount,term_months,annual_rate,policy
  harbour,snapshots/harbour-cafe,,150000,60,8.5,
  mesa,snapshots/mesa-roasters,2026-10-31,,,,strict.toml

\b
as_of, like `lendcheck report --as-of`: empty for the snapshot's date; an earlier
date only when the snapshot supports it (else that row fails with exit 2's message,
naming the dates it supports); for a tenant_id row, the date to fetch.
Relative paths are resolved against the CSV's folder. A tenant_id row (instead of
snapshot) is fetched live first, into OUT_DIR/<id>/snapshot/, with the credentials
of `lendcheck fetch` (docs/live.md).

\b
Writes OUT_DIR/<id>/report.{json,html,pdf} and status.json per applicant, and
OUT_DIR/summary.json + summary.csv (sorted by id): grade, flag counts, exit status
and error of each. Exit codes: 3 some applicant could not be processed, else 1 some
applicant failed the policy, else 0; 2 unusable manifest or options.
"""
)
@click.argument("manifest", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@output_option(
    "Directory for one folder per applicant and the summaries.", required=True, file_okay=False
)
@click.option(
    "-j", "--jobs", type=int, default=None, help="Worker processes (default: the number of CPUs)."
)
@click.option(
    "--resume",
    is_flag=True,
    help="Keep applicants whose outputs are complete from an earlier run "
    "(status.json present, same options, files intact); run the rest.",
)
@formats_option("Comma-separated outputs per applicant: json, html, pdf.")
@paper_option("Page size of the PDFs.")
@policy_option(
    "Policy file for rows without a policy column value "
    "(default: the policy shipped with lendcheck)."
)
@fail_on_option(
    "An applicant fails the policy (exit status 1) with a flag of this "
    "severity or higher; never: never fails."
)
@click.option(
    "--log-format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Progress on stderr: text (a progress bar on a terminal) or JSON lines.",
)
@quiet_option("No progress output (text log format).")
@click.pass_context
def batch(
    ctx: click.Context,
    manifest: Path,
    out_dir: Path,
    jobs: int | None,
    resume: bool,
    formats: str,
    paper: str,
    policy_file: Path | None,
    fail_on: str,
    log_format: str,
    quiet: bool,
) -> None:
    """Write the reports of every applicant listed in MANIFEST (CSV), in parallel.

    Each applicant runs in its own worker process; one applicant's failure never stops the
    others. The per-applicant exit status is what `lendcheck report` would give.
    """
    reporter = _Reporter(log_format, quiet)
    with handle_errors(ctx):
        from lendcheck.api import parse_formats
        from lendcheck.tools.batch import Options, run_batch

        options = Options(
            formats=parse_formats(formats),
            paper="Letter" if paper.lower() == "letter" else "A4",
            fail_on=fail_on,
            policy=os.fspath(policy_file.resolve()) if policy_file else None,
        )
        try:
            result = run_batch(
                manifest, out_dir, jobs=jobs, resume=resume, options=options, on_event=reporter
            )
        finally:
            reporter.close()
        if not quiet and log_format == "text":
            counts = result.counts()
            click.echo(
                f"{counts['applicants']} applicant(s): {counts['passed']} passed, "
                f"{counts['failed_policy']} failed the policy, {counts['not_processed']} "
                f"not processed. Summary: {result.summary_json}, {result.summary_csv}"
            )
    ctx.exit(result.exit_status)
