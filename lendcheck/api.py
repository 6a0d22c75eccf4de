"""The library's façade: what the CLI (and any Python caller) uses to make reports.

from lendcheck.api import make_report
result = make_report("samples/harbour-cafe", "out/")
result.report.bank.overall ...; result.paths  # {"json": Path, "html": Path, "pdf": Path}
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from lendcheck.errors import UsageError
from lendcheck.frames import load_snapshot
from lendcheck.metrics.analysis import LoanTerms
from lendcheck.output import ensure_directory, publish
from lendcheck.render.json_report import render_json
from lendcheck.report import Report, build_report, load_report_policy

if TYPE_CHECKING:
    from lendcheck.render.html import Paper

FORMATS = ("json", "html", "pdf")
#: ``--fail-on`` values: the lowest flag severity that fails the policy (exit code 1).
FAIL_ON = ("red", "amber", "never")
FILE_NAMES = {"json": "report.json", "html": "report.html", "pdf": "report.pdf"}


@dataclass(frozen=True)
class ReportResult:
    """A written report: the model and the files, by format."""

    report: Report
    paths: dict[str, Path]

    def policy_failed(self, fail_on: str = "red") -> bool:
        """True when a flag at or above ``fail_on`` exists (``red``, ``amber``; ``never``)."""
        return policy_failed(self.report, fail_on)


def policy_failed(report: Report, fail_on: str = "red") -> bool:
    """True when the report has a flag at or above ``fail_on`` (``red``, ``amber``, ``never``).

    Raises:
        UsageError: an unknown ``fail_on``.
    """
    if fail_on not in FAIL_ON:
        raise UsageError(f"--fail-on takes one of {', '.join(FAIL_ON)}; got {fail_on!r}")
    failing = {"red": {"red"}, "amber": {"red", "amber"}, "never": set()}[fail_on]
    return any(flag.severity in failing for flag in report.verdict.flags)


def parse_formats(text: str) -> tuple[str, ...]:
    """``"json,pdf"`` → ``("json", "pdf")`` in canonical order.

    Raises:
        UsageError: an unknown or empty format list.
    """
    wanted = {part.strip().lower() for part in text.split(",") if part.strip()}
    unknown = wanted - set(FORMATS)
    if unknown or not wanted:
        raise UsageError(
            f"--format takes a comma-separated list of {', '.join(FORMATS)}; got {text!r}"
        )
    return tuple(f for f in FORMATS if f in wanted)


def make_report(
    snapshot_dir: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    *,
    as_of: date | None = None,
    formats: Iterable[str] = FORMATS,
    paper: Paper = "A4",
    loan: LoanTerms | None = None,
    policy: str | os.PathLike[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> ReportResult:
    """Read a snapshot, build its report and publish the chosen formats as one whole.

    All outputs are rendered in memory first and then published together
    (:func:`lendcheck.output.publish`): a reader of ``out_dir`` sees every file of the previous
    report or every file of this one, never a mixture; a failure at any stage leaves the
    previous report (if any) as it was and no partial file. Files of formats not chosen this
    time disappear with the previous report.

    Args:
        snapshot_dir: a ``lendcheck-snapshot/1`` directory.
        out_dir: where ``report.json``, ``report.html``, ``report.pdf`` go (created if needed).
        as_of: report date (default: the snapshot's).
        formats: any of ``json``, ``html``, ``pdf``.
        paper: ``A4`` or ``Letter``.
        loan: optional loan terms (repayment and DSCR).
        policy: a policy file (TOML); None for the default policy.
        progress: called with a short description before each stage.

    Raises:
        SnapshotError: the snapshot is missing, corrupt or altered (exit code 3).
        UsageError: bad options or an invalid policy file (exit code 2).
        OutputError: rendering or writing failed (exit code 4).
    """
    step = progress or (lambda _message: None)
    chosen = tuple(f for f in FORMATS if f in set(formats))
    loaded_policy = load_report_policy(None if policy is None else str(policy))
    out = Path(out_dir)
    ensure_directory(out)
    step("reading snapshot")
    snapshot = load_snapshot(snapshot_dir)
    step("computing metrics")
    report = build_report(snapshot, as_of=as_of, loan=loan, policy=loaded_policy)
    files: dict[str, bytes] = {}
    if "json" in chosen:
        files[FILE_NAMES["json"]] = render_json(report)
    if "html" in chosen or "pdf" in chosen:
        step("rendering HTML")
        # Imported here: matplotlib and WeasyPrint take a third of a second each to import,
        # which a JSON-only run does not pay (render_html imports them when needed).
        from lendcheck.render.html import render_html

        html = render_html(report, paper=paper)
        if "html" in chosen:
            files[FILE_NAMES["html"]] = html.encode("utf-8")
        if "pdf" in chosen:
            step("rendering PDF")
            from lendcheck.render.pdf import render_pdf

            files[FILE_NAMES["pdf"]] = render_pdf(html, report.as_of)
    step("writing files")
    publish(out, files, FILE_NAMES.values())
    return ReportResult(report=report, paths={f: out / FILE_NAMES[f] for f in chosen})
