"""``lendcheck fetch``: one organisation's Finance API (or Accounting API) data from Xero into a
snapshot directory."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from lendcheck.cli.base import State, handle_errors
from lendcheck.cli.options import quiet_option
from lendcheck.text import clean_untrusted
from lendcheck.xero import fetch_plan as fp
from lendcheck.xero.config import DEFAULT_SOURCE, SOURCES

if TYPE_CHECKING:
    # The live path (authlib, httpx) is imported when a fetch runs, not by every `lendcheck`
    # start (`lendcheck report` imports this module for --tenant-id).
    from lendcheck.xero.fetch import FetchResult, Progress


#: ``--source`` of ``lendcheck fetch``.
SOURCE_HELP = (
    "Which Xero API to read: the Finance API (partners), the Accounting API, or both "
    "(docs/live.md: scopes, what each can show)."
)


def source_option(help_text: str = SOURCE_HELP) -> Callable[[Any], Any]:
    """The ``--source`` option, declared once for ``fetch``, ``report --tenant-id`` and
    ``auth login``: the same choices (:data:`lendcheck.xero.config.SOURCES`) and default
    (``finance``) everywhere; only the help text says what the command does with it."""
    return click.option(
        "--source",
        type=click.Choice(SOURCES),
        default=DEFAULT_SOURCE,
        show_default=True,
        help=help_text,
    )


@contextmanager
def _progress_bar(show: bool) -> Iterator[Progress | None]:
    """A rich progress bar on stderr when ``show``; otherwise no progress callback."""
    if not show:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as Bar

    with Bar(
        TextColumn("fetching from Xero"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("", total=None)

        def update(done: int, total: int, call: fp.PlannedCall, status: int) -> None:
            page = call.params.get("page") or call.params.get("offset")
            where = f"{call.endpoint} page {page}" if "page" in call.params else call.endpoint
            if "offset" in call.params:
                where = f"{call.endpoint} from {page}"
            bar.update(task, completed=done, total=total, description=where)

        yield update


def run_fetch(
    ctx: click.Context,
    *,
    tenant_id: str,
    as_of: date | None,
    months: int,
    output: Path,
    overwrite: bool,
    quiet: bool,
    source: str = DEFAULT_SOURCE,
) -> FetchResult:
    """Fetch with the CLI's conventions: ``--debug`` logging (redacted), a progress bar only on
    a terminal, a summary line on stderr unless ``quiet``.

    Raises:
        LendcheckError: as :func:`lendcheck.xero.fetch.fetch_snapshot` (the caller maps it to
            an exit code).
    """
    from lendcheck.xero.fetch import fetch_snapshot
    from lendcheck.xero.redact import configure_debug_logging

    state = ctx.find_object(State)
    configure_debug_logging(bool(state and state.debug))
    with _progress_bar(not quiet and sys.stderr.isatty()) as progress:
        result = fetch_snapshot(
            output,
            tenant_id=tenant_id,
            as_of=as_of,
            months=months,
            progress=progress,
            overwrite=overwrite,
            source=source,
        )
    if not quiet:
        name = clean_untrusted(result.tenant_name) or result.tenant_id
        refused = ", ".join(f"{endpoint} {status}" for endpoint, _params, status in result.refused)
        click.echo(
            f"fetched {result.calls} calls for {name} as of {result.as_of} in "
            f"{result.seconds:.1f} s into {result.path}"
            + (f"; Xero refused {len(result.refused)} (recorded): {refused}" if refused else "")
            + (
                f"; ToDate moved back to today in {len(result.clamped)} windows"
                if result.clamped
                else ""
            ),
            err=True,
        )
    return result


@click.command(
    "fetch",
    epilog="""\b
Examples:
  lendcheck fetch --tenant-id 4a2b...e1 -o snapshots/acme
  lendcheck fetch --tenant-id 4a2b...e1 --as-of 2026-10-31 --months 12 -o snapshots/acme
  lendcheck fetch --tenant-id 4a2b...e1 --source both -o snapshots/acme
  lendcheck report snapshots/acme -o out/acme

\b
Credentials (first found): LENDCHECK_ACCESS_TOKEN; the login of `lendcheck auth login`;
LENDCHECK_CLIENT_ID + LENDCHECK_CLIENT_SECRET (custom connection). See docs/live.md.
Exit codes: 0 snapshot written; 2 usage or missing credentials; 3 Xero could not give the
data (auth, rate limit, outage, network) or the output directory is not empty.""",
)
@click.option(
    "--tenant-id",
    required=True,
    help="The Xero organisation (tenantId); `lendcheck auth tenants` lists them.",
)
@click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Report date YYYY-MM-DD (default: today in the earliest time zone).",
)
@click.option(
    "--months",
    type=click.IntRange(1, 120),
    default=fp.DEFAULT_MONTHS,
    show_default=True,
    help="Months of bank statements to fetch.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="Snapshot directory to write (must not exist or be empty).",
)
@click.option("--overwrite", is_flag=True, help="Replace an existing snapshot directory.")
@source_option()
@quiet_option("Print nothing (exit code only).")
@click.pass_context
def fetch(
    ctx: click.Context,
    tenant_id: str,
    as_of: object,
    months: int,
    output: Path,
    overwrite: bool,
    source: str,
    quiet: bool,
) -> None:
    """Fetch one organisation's Finance API data from Xero into a snapshot directory.

    With --source accounting (or both) the Accounting API's calls are made instead (or as
    well): organisation, chart of accounts, Xero's reports, and every page of the invoices,
    bank transactions and journals lendcheck reads, within the same limits.

    Makes exactly the calls of the fetch plan (CashValidation first, then the financial
    statements and every bank account's statements in windows of at most 12 months), at most
    5 at a time and 60 a minute, and writes a lendcheck-snapshot/1 directory atomically: calls
    Xero refuses (e.g. Cashflow for US organisations) are recorded; any other failure leaves no
    snapshot. Prints the snapshot directory on stdout.
    """
    with handle_errors(ctx):
        result = run_fetch(
            ctx,
            tenant_id=tenant_id.strip(),
            as_of=as_of.date() if as_of is not None else None,  # type: ignore[attr-defined]
            months=months,
            output=output,
            overwrite=overwrite,
            quiet=quiet,
            source=source,
        )
        if not quiet:
            click.echo(str(result.path))


def fetch_for_report(
    ctx: click.Context,
    *,
    tenant_id: str,
    as_of: date | None,
    out_dir: Path,
    quiet: bool,
    source: str = DEFAULT_SOURCE,
) -> Path:
    """For ``lendcheck report --tenant-id``: fetch from ``source`` (as ``fetch --source``)
    into ``OUT_DIR/snapshot`` (replacing the snapshot of a previous report there) and return
    that directory.

    Raises:
        LendcheckError: as :func:`run_fetch`.
    """
    result = run_fetch(
        ctx,
        tenant_id=tenant_id.strip(),
        as_of=as_of,
        months=fp.DEFAULT_MONTHS,
        output=out_dir / "snapshot",
        overwrite=True,
        quiet=quiet,
        source=source,
    )
    return result.path
