"""Many applicants from a CSV manifest, in parallel processes (``lendcheck batch``).

Manifest (CSV, UTF-8, header row): one applicant per row, columns

==============  ===================================================================================
``snapshot``    a ``lendcheck-snapshot/1`` directory (relative paths are resolved against the
                CSV's folder), **or**
``tenant_id``   a Xero organisation to fetch live (needs :func:`lendcheck.xero.fetch_snapshot`);
``id``          optional: the applicant's folder name under OUT_DIR (default: the snapshot
                directory's name or the tenant ID); letters, digits, ``.``, ``_``, ``-``; unique;
``as_of``       optional ``YYYY-MM-DD`` report date;
``loan_amount``, ``term_months``, ``annual_rate``: optional loan terms (all three or none;
                ``annual_rate`` in percent a year, e.g. ``8.5`` or ``8.5%``; bounds as for
                ``lendcheck report``, see :func:`lendcheck.metrics.loan.parse_loan_terms`);
``policy``      optional policy file (relative to the CSV's folder), else the batch's ``policy``.
==============  ===================================================================================

Output, for OUT_DIR::

    OUT_DIR/<id>/report.json, report.html, report.pdf   as ``lendcheck report`` writes them
    OUT_DIR/<id>/snapshot/                              live rows only: the fetched snapshot
    OUT_DIR/<id>/status.json                            the done marker (below)
    OUT_DIR/summary.json, OUT_DIR/summary.csv           every applicant, sorted by id

**Completeness** (``resume``): ``status.json`` is written last, atomically (temporary file, then
rename), after the report files are in place; it holds the applicant's outcome, the sha256 of each
file written and a fingerprint of everything the outputs depend on (the manifest row, formats,
paper, policy file bytes, ``fail_on``, the snapshot's ``manifest.json`` bytes, the lendcheck and
schema versions). An applicant is complete when its ``status.json`` parses, records exit status 0
or 1, has the same fingerprint and every file it lists still has its sha256. Anything else is run
again; the old ``status.json`` is removed before the run starts, so a run killed half-way never
looks complete. Applicants that failed (exit status 2, 3, 4, 70) are always retried.

Exit status per applicant: as ``lendcheck report`` would give (0 passed, 1 policy failed,
2 bad row or policy file, 3 input error, 4 output error, 70 a bug). The batch's: 3 when any
applicant could not be processed (status other than 0/1), else 1 when any failed the policy,
else 0. One applicant's failure never stops the others: each runs in a worker process
(:class:`~concurrent.futures.ProcessPoolExecutor`, ``spawn`` start method: Polars' thread pool does
not survive ``fork``); a worker that dies is replaced and the applicants it took down are retried
once, one at a time. Live rows of the same organisation never run at the same time: Xero's rate
limits are per organisation and one fetch already uses them fully.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import inspect
import io
import json
import multiprocessing
import multiprocessing.connection
import os
import re
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import date
from pathlib import Path
from typing import Any

from lendcheck import __version__
from lendcheck.errors import EXIT_INTERNAL, LendcheckError, OutputError, UsageError
from lendcheck.output import ensure_directory, write_all_atomic, write_atomic
from lendcheck.report import SCHEMA_VERSION
from lendcheck.tools.key_figures import key_figures

#: ``format`` of ``summary.json``.
SUMMARY_FORMAT = "lendcheck-batch/1"
#: The per-applicant done marker, written last (see the module docstring).
STATUS_FILE = "status.json"
#: Manifest columns lendcheck knows; any other column is a usage error (a typo would otherwise
#: silently drop an option).
COLUMNS = (
    "id",
    "snapshot",
    "tenant_id",
    "as_of",
    "loan_amount",
    "term_months",
    "annual_rate",
    "policy",
)
#: Columns of ``summary.csv``, in order.
SUMMARY_COLUMNS = (
    "id",
    "exit_status",
    "grade",
    "data_confidence_grade",
    "red_flags",
    "amber_flags",
    "report_id",
    "as_of",
    "output",
    "error",
    # For a portfolio manager sorting applicants (lendcheck.tools.key_figures defines the
    # figures; money as a decimal string in revenue_currency, shares and ratios as numbers):
    "tenant_name",
    "top_flag",
    "revenue",
    "revenue_currency",
    "net_margin",
    "dscr",
    "bank_verified_dscr",
    "reconciled_share",
    "feed_verified_coverage",
    "report",
)
#: Exit status of a worker that ended because the batch process was gone.
EXIT_PARENT_GONE = 75

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
_RESERVED = {"summary.json", "summary.csv"}


@dataclass(frozen=True)
class ManifestRow:
    """One manifest row.

    Attributes:
        id: the output folder name.
        line: the row's line number in the CSV (header is line 1).
        snapshot: the ``snapshot`` cell as written (None for live rows).
        snapshot_path: that directory resolved against the CSV's folder.
        tenant_id: the ``tenant_id`` cell (None for snapshot rows).
        as_of, loan_amount, term_months, annual_rate: the cells as written ("" when empty).
        policy: the policy file resolved against the CSV's folder, if the row names one.
        error: why the row cannot run (exit status 2), else None.
    """

    id: str
    line: int
    snapshot: str | None = None
    snapshot_path: str | None = None
    tenant_id: str | None = None
    as_of: str = ""
    loan_amount: str = ""
    term_months: str = ""
    annual_rate: str = ""
    policy: str | None = None
    error: str | None = None

    @property
    def input(self) -> str:
        """The snapshot or tenant ID as written in the manifest."""
        return self.snapshot or self.tenant_id or ""


@dataclass(frozen=True)
class Options:
    """What every applicant of a batch shares.

    Attributes:
        formats: outputs to write (``json``, ``html``, ``pdf``).
        paper: ``A4`` or ``Letter``.
        fail_on: ``red``, ``amber`` or ``never`` (as ``lendcheck report --fail-on``).
        policy: default policy file for rows without one; None for lendcheck's default policy.
    """

    formats: tuple[str, ...] = ("json", "html", "pdf")
    paper: str = "A4"
    fail_on: str = "red"
    policy: str | None = None


@dataclass
class Outcome:
    """What happened to one applicant: a ``summary.json`` entry plus bookkeeping.

    Attributes:
        id, source, input: the applicant (``source`` is ``snapshot`` or ``tenant_id``).
        exit_status: as ``lendcheck report`` would give.
        error: the error message, None on success.
        output: the applicant's folder, relative to OUT_DIR.
        files: the report files written (names inside ``output``).
        report_id, tenant_name, as_of: from the report, when one was written.
        grade, data_confidence_grade: the verdict's grades, when the report has a verdict.
        red_flags, amber_flags: flag counts of the verdict.
        top_flag: the verdict's first flag (red first, then by rule), its message and where it
            applies when the message does not say ("… (Business Current Account)"); None
            without flags.
        revenue: revenue of the last 12 months (Money as report.json has it), or None.
        net_margin, dscr, bank_verified_dscr: ratios; reconciled_share (by amount) and
            feed_verified_coverage of the base currency's accounts: shares in [0, 1]; each None
            when the report does not hold it (:mod:`lendcheck.tools.key_figures`).
        report: the report to open, relative to OUT_DIR (``<id>/report.pdf``, else the HTML,
            else the JSON); None when none was written.
        seconds: wall time of the run (logs only; not in the summary).
        resumed: True when the outputs of an earlier run were complete and kept (logs only).
    """

    id: str
    source: str
    input: str
    exit_status: int
    error: str | None = None
    output: str = ""
    files: list[str] = field(default_factory=list)
    report_id: str | None = None
    tenant_name: str | None = None
    as_of: str | None = None
    grade: str | None = None
    data_confidence_grade: str | None = None
    red_flags: int | None = None
    amber_flags: int | None = None
    top_flag: str | None = None
    revenue: dict[str, str] | None = None
    net_margin: float | None = None
    dscr: float | None = None
    bank_verified_dscr: float | None = None
    reconciled_share: float | None = None
    feed_verified_coverage: float | None = None
    report: str | None = None
    seconds: float = 0.0
    resumed: bool = False

    def summary(self) -> dict[str, Any]:
        """The ``summary.json`` entry: no timings, so re-runs give the same bytes."""
        entry = asdict(self)
        entry.pop("seconds")
        entry.pop("resumed")
        return entry


#: The fields of a ``summary.json`` entry (``Outcome.summary()``).
SUMMARY_FIELDS = tuple(f.name for f in fields(Outcome) if f.name not in ("seconds", "resumed"))


@dataclass
class BatchResult:
    """A finished batch.

    Attributes:
        outcomes: one per applicant, sorted by id.
        exit_status: 3 / 1 / 0 (module docstring).
        summary_json, summary_csv: the summary files written.
        seconds: wall time.
    """

    outcomes: list[Outcome]
    exit_status: int
    summary_json: Path
    summary_csv: Path
    seconds: float

    def counts(self) -> dict[str, int]:
        """Applicants in all, passed (0), failed the policy (1), not processed (other)."""
        return _counts(self.outcomes)


def _counts(outcomes: Iterable[Outcome]) -> dict[str, int]:
    statuses = [o.exit_status for o in outcomes]
    return {
        "applicants": len(statuses),
        "passed": statuses.count(0),
        "failed_policy": statuses.count(1),
        "not_processed": sum(1 for s in statuses if s not in (0, 1)),
    }


def batch_exit_status(outcomes: Iterable[Outcome]) -> int:
    """3 if any applicant could not be processed, else 1 if any failed the policy, else 0."""
    statuses = {o.exit_status for o in outcomes}
    if statuses - {0, 1}:
        return 3
    return 1 if 1 in statuses else 0


# --- the manifest ------------------------------------------------------------------------------


def read_manifest(path: str | os.PathLike[str]) -> list[ManifestRow]:
    """Parse and check a manifest.

    Problems of the whole file (unreadable, no header, unknown columns, neither ``snapshot`` nor
    ``tenant_id`` column, no rows, bad or duplicate ids) raise; problems of one row (both or
    neither of snapshot and tenant_id, a bad date or loan term) are recorded in its
    :attr:`ManifestRow.error` so that the rest of the batch still runs.

    Returns:
        The applicants in manifest order.

    Raises:
        UsageError: the manifest as a whole is unusable (exit code 2); the message names the
            file and line.
    """
    manifest = Path(path)
    try:
        text = manifest.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise UsageError(f"{manifest}: cannot read the manifest ({reason})") from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip() for name in reader.fieldnames or []]
    if not header:
        raise UsageError(
            f"{manifest}: empty; the first line must be a header such as 'id,snapshot,as_of'"
        )
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        raise UsageError(
            f"{manifest}: unknown column(s) {', '.join(map(repr, unknown))}; "
            f"the columns are {', '.join(COLUMNS)}"
        )
    if "snapshot" not in header and "tenant_id" not in header:
        raise UsageError(f"{manifest}: needs a 'snapshot' or a 'tenant_id' column")
    reader.fieldnames = header
    base = manifest.resolve().parent
    applicants: list[ManifestRow] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(reader, start=2):
        if None in row:
            raise UsageError(f"{manifest}:{number}: more cells than header columns")
        cells = {k: (v or "").strip() for k, v in row.items()}
        if not any(cells.values()):
            continue  # blank line
        applicant = _applicant(cells, number, base)
        if not _ID.match(applicant.id) or applicant.id.lower() in _RESERVED:
            raise UsageError(
                f"{manifest}:{number}: id {applicant.id!r} cannot name a folder; use letters, "
                "digits, '.', '_' and '-' (starting with a letter or digit), or add an id column"
            )
        folded = applicant.id.lower()
        if folded in seen:
            raise UsageError(
                f"{manifest}:{number}: id {applicant.id!r} is already used on line "
                f"{seen[folded]}; ids must be unique (case-insensitively)"
            )
        seen[folded] = number
        applicants.append(applicant)
    if not applicants:
        raise UsageError(f"{manifest}: no applicants (only a header)")
    return applicants


def _applicant(cells: dict[str, str], line: int, base: Path) -> ManifestRow:
    snapshot = cells.get("snapshot") or None
    tenant_id = cells.get("tenant_id") or None
    default_id = (Path(snapshot).name if snapshot else tenant_id) or f"line-{line}"
    applicant = ManifestRow(
        id=cells.get("id") or default_id,
        line=line,
        snapshot=snapshot,
        snapshot_path=str(base / snapshot) if snapshot else None,
        tenant_id=tenant_id,
        as_of=cells.get("as_of", ""),
        loan_amount=cells.get("loan_amount", ""),
        term_months=cells.get("term_months", ""),
        annual_rate=cells.get("annual_rate", ""),
        policy=str(base / cells["policy"]) if cells.get("policy") else None,
    )
    error = None
    if bool(snapshot) == bool(tenant_id):
        error = "give either a snapshot or a tenant_id (exactly one)"
    else:
        try:
            _as_of(applicant)
            _loan(applicant)
        except UsageError as exc:
            error = str(exc)
    return replace(applicant, error=f"line {line}: {error}") if error else applicant


def _as_of(applicant: ManifestRow) -> date | None:
    if not applicant.as_of:
        return None
    try:
        return date.fromisoformat(applicant.as_of)
    except ValueError:
        raise UsageError(f"as_of {applicant.as_of!r} is not a date YYYY-MM-DD") from None


def _loan(applicant: ManifestRow) -> Any:
    """The row's :class:`~lendcheck.metrics.loan.LoanTerms`, by ``lendcheck report``'s own
    rules (:func:`~lendcheck.metrics.loan.parse_loan_terms`), named by column."""
    from lendcheck.metrics.loan import parse_loan_terms

    return parse_loan_terms(
        applicant.loan_amount,
        applicant.term_months,
        applicant.annual_rate,
        names=("loan_amount", "term_months", "annual_rate"),
    )


# --- one applicant (runs in a worker process) --------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fingerprint(applicant: ManifestRow, options: Options) -> str:
    """sha256 over everything an applicant's outputs depend on (see the module docstring)."""
    policy = applicant.policy or options.policy
    parts: dict[str, Any] = {
        "row": {k: v for k, v in asdict(applicant).items() if k not in ("line", "snapshot_path")},
        "options": asdict(options) | {"policy": None},
        "versions": [__version__, SCHEMA_VERSION],
        "policy_sha256": _file_digest(policy),
        "snapshot_manifest_sha256": (
            _file_digest(str(Path(applicant.snapshot_path) / "manifest.json"))
            if applicant.snapshot_path
            else None
        ),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def _file_digest(path: str | None) -> str | None:
    if not path:
        return None
    try:
        return _sha256(Path(path))
    except OSError:
        return "unreadable"


def _report_fields(report: Any) -> dict[str, Any]:
    verdict = getattr(report, "verdict", None)
    values: dict[str, Any] = {
        "report_id": report.report_id,
        "tenant_name": report.applicant.tenant_name,
        "as_of": report.as_of.isoformat(),
    }
    if verdict is not None:
        values.update(
            grade=verdict.overall.grade,
            data_confidence_grade=verdict.data_confidence.grade,
            red_flags=sum(1 for f in verdict.flags if f.severity == "red"),
            amber_flags=sum(1 for f in verdict.flags if f.severity == "amber"),
        )
        if verdict.flags:  # sorted red first, then by rule (policy.engine)
            top = verdict.flags[0]
            where = top.scope.name if top.scope.name and top.scope.name not in top.message else ""
            values["top_flag"] = top.message + (f" ({where})" if where else "")
    values.update(key_figures(report.model_dump(mode="json")))
    return values


def _report_path(folder: str, files: list[str]) -> str | None:
    """The report a reader opens: the PDF, else the HTML, else the JSON."""
    for name in ("report.pdf", "report.html", "report.json"):
        if name in files:
            return f"{folder}/{name}"
    return None


def _fetch(applicant: ManifestRow, snapshot_dir: Path) -> Path:
    """Fetch a live applicant's snapshot with :func:`lendcheck.xero.fetch_snapshot`.

    Raises:
        InputError: the fetch failed (exit status 3).
        UsageError: credentials are missing (exit status 2).
    """
    from lendcheck.xero import fetch_snapshot  # the live client only for live rows

    fetch_snapshot(
        snapshot_dir, tenant_id=str(applicant.tenant_id), as_of=_as_of(applicant), overwrite=True
    )
    return snapshot_dir


def run_applicant(applicant: ManifestRow, options: Options, out_dir: str) -> Outcome:
    """Make one applicant's report into ``out_dir/<id>`` and write its ``status.json`` last.

    Never raises for the applicant's own problems: they become the outcome's exit status and
    error message (as ``lendcheck report`` would give them).
    """
    from lendcheck.api import make_report, policy_failed

    started = time.perf_counter()
    outcome = Outcome(
        id=applicant.id,
        source="snapshot" if applicant.snapshot else "tenant_id",
        input=applicant.input,
        exit_status=0,
        output=applicant.id,
    )
    folder = Path(out_dir) / applicant.id
    status_path = folder / STATUS_FILE
    files: dict[str, str] = {}
    try:
        if applicant.error:
            raise UsageError(applicant.error)
        ensure_directory(folder)
        with contextlib.suppress(FileNotFoundError):
            status_path.unlink()  # never looks complete while it runs
        snapshot_dir = (
            Path(applicant.snapshot_path)
            if applicant.snapshot_path
            else _fetch(applicant, folder / "snapshot")
        )
        policy = applicant.policy or options.policy
        extra: dict[str, Any] = {}
        if policy is not None:
            if "policy" not in inspect.signature(make_report).parameters:
                raise UsageError("policies are not available in this build of lendcheck")
            extra["policy"] = policy
        result = make_report(
            snapshot_dir,
            folder,
            as_of=_as_of(applicant),
            formats=options.formats,
            paper="Letter" if options.paper.lower() == "letter" else "A4",
            loan=_loan(applicant),
            **extra,
        )
        outcome.files = [path.name for path in result.paths.values()]
        files = {name: _sha256(folder / name) for name in outcome.files}
        for key, value in _report_fields(result.report).items():
            setattr(outcome, key, value)
        outcome.report = _report_path(applicant.id, outcome.files)
        outcome.exit_status = 1 if policy_failed(result.report, options.fail_on) else 0
    except LendcheckError as exc:
        outcome.exit_status, outcome.error = exc.exit_code, str(exc)
    except Exception as exc:  # a bug in lendcheck: recorded, never stops the batch
        outcome.exit_status = EXIT_INTERNAL
        outcome.error = (
            f"internal error ({type(exc).__name__}: {exc}); rerun with lendcheck "
            "report --debug and report it"
        )
    outcome.seconds = time.perf_counter() - started
    if outcome.error:  # it goes to status.json, the summaries and the console
        from lendcheck.xero.redact import redact  # the standard library only

        outcome.error = redact(outcome.error)
    if folder.is_dir():
        status = {
            "outcome": outcome.summary(),
            "files": files,
            "fingerprint": fingerprint(applicant, options),
        }
        try:
            write_atomic(status_path, _json_bytes(status))
        except OutputError as exc:
            if outcome.exit_status in (0, 1):
                outcome.exit_status, outcome.error = exc.exit_code, str(exc)
    return outcome


def completed(applicant: ManifestRow, options: Options, out_dir: str | Path) -> Outcome | None:
    """The recorded outcome when the applicant's outputs are complete, else None (rerun it)."""
    folder = Path(out_dir) / applicant.id
    try:
        status = json.loads((folder / STATUS_FILE).read_text(encoding="utf-8"))
        recorded = status["outcome"]
        if status["fingerprint"] != fingerprint(applicant, options):
            return None
        if recorded["exit_status"] not in (0, 1) or set(recorded["files"]) != set(status["files"]):
            return None
        if set(recorded) != set(SUMMARY_FIELDS):  # written by a lendcheck with other fields
            return None
        for name, digest in status["files"].items():
            if _sha256(folder / name) != digest:
                return None
        return Outcome(**recorded, resumed=True)
    except (OSError, ValueError, KeyError, TypeError):
        return None


# --- the batch ---------------------------------------------------------------------------------


def _json_bytes(data: Any) -> bytes:
    return (json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode()


def summary_json(outcomes: list[Outcome]) -> bytes:
    """``summary.json``: format, batch exit status, counts and every applicant sorted by id."""
    ordered = sorted(outcomes, key=lambda o: o.id)
    return _json_bytes(
        {
            "format": SUMMARY_FORMAT,
            "exit_status": batch_exit_status(ordered),
            "counts": _counts(ordered),
            "applicants": [o.summary() for o in ordered],
        }
    )


def summary_csv(outcomes: list[Outcome]) -> bytes:
    """``summary.csv``: :data:`SUMMARY_COLUMNS`, one row per applicant sorted by id."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(SUMMARY_COLUMNS)
    for outcome in sorted(outcomes, key=lambda o: o.id):
        entry = outcome.summary()
        revenue = entry.pop("revenue")
        entry["revenue"] = revenue["amount"] if revenue else None
        entry["revenue_currency"] = revenue["currency"] if revenue else None
        writer.writerow(["" if entry[c] is None else entry[c] for c in SUMMARY_COLUMNS])
    return buffer.getvalue().encode("utf-8")


#: ``on_event(event)`` receives dicts: ``{"event": "start", "applicants", "jobs", "resumed"}``,
#: ``{"event": "applicant", "done", "total", **outcome}``, ``{"event": "end", ...}``.
EventHandler = Callable[[dict[str, Any]], None]


def run_batch(
    manifest: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    *,
    jobs: int | None = None,
    resume: bool = False,
    options: Options | None = None,
    on_event: EventHandler | None = None,
) -> BatchResult:
    """Run every applicant of a manifest and write ``summary.json`` and ``summary.csv``.

    Args:
        manifest: the CSV (module docstring).
        out_dir: where each applicant's folder and the summaries go (created if needed).
        jobs: worker processes (default ``os.cpu_count()``); never more than the applicants.
        resume: keep applicants whose outputs are complete (:func:`completed`).
        options: formats, paper, ``fail_on``, default policy.
        on_event: progress callback (:data:`EventHandler`), called in this process.

    Workers are started with the ``spawn`` method, which imports the calling script's main
    module again in each worker: a script that calls this (or :func:`measure_throughput`) must do
    so under ``if __name__ == "__main__":``, as with any :mod:`multiprocessing` code.

    Returns:
        The :class:`BatchResult` (its ``exit_status`` is the batch's exit code).

    Raises:
        UsageError: the manifest is unusable or ``jobs`` < 1 (exit code 2).
        OutputError: OUT_DIR or the summaries cannot be written (exit code 4).
    """
    started = time.perf_counter()
    options = options or Options()
    if jobs is not None and jobs < 1:
        raise UsageError("--jobs must be at least 1")
    applicants = read_manifest(manifest)
    out = Path(out_dir)
    ensure_directory(out)
    emit = on_event or (lambda _event: None)
    outcomes: dict[str, Outcome] = {}
    todo: list[ManifestRow] = []
    for applicant in applicants:
        kept = completed(applicant, options, out) if resume else None
        if kept is not None:
            outcomes[applicant.id] = kept
        elif applicant.error:  # no process needed to report a bad row
            outcomes[applicant.id] = run_applicant(applicant, options, str(out))
        else:
            todo.append(applicant)
    workers = max(1, min(jobs or os.cpu_count() or 1, len(todo) or 1))
    emit(
        {
            "event": "start",
            "applicants": len(applicants),
            "to_run": len(todo),
            "jobs": workers,
            "manifest": str(manifest),
            "out_dir": str(out),
        }
    )
    done = 0
    for outcome in sorted(outcomes.values(), key=lambda o: o.id):
        done += 1
        emit({"event": "applicant", "done": done, "total": len(applicants), **asdict(outcome)})
    for outcome in _run_parallel(todo, options, str(out), workers):
        outcomes[outcome.id] = outcome
        done += 1
        emit({"event": "applicant", "done": done, "total": len(applicants), **asdict(outcome)})
    ordered = sorted(outcomes.values(), key=lambda o: o.id)
    json_path, csv_path = out / "summary.json", out / "summary.csv"
    write_all_atomic({json_path: summary_json(ordered), csv_path: summary_csv(ordered)})
    result = BatchResult(
        ordered, batch_exit_status(ordered), json_path, csv_path, time.perf_counter() - started
    )
    emit(
        {
            "event": "end",
            "exit_status": result.exit_status,
            "counts": result.counts(),
            "seconds": round(result.seconds, 3),
            "summary": str(json_path),
        }
    )
    return result


def _failed(applicant: ManifestRow, error: str) -> Outcome:
    return Outcome(
        id=applicant.id,
        input=applicant.input,
        output=applicant.id,
        source="snapshot" if applicant.snapshot else "tenant_id",
        exit_status=EXIT_INTERNAL,
        error=error,
    )


def _end_with_parent() -> None:
    """A worker's initializer: end the worker as soon as the batch process ends.

    A worker otherwise waits for work for ever once its parent is killed (``kill -9``, or a
    SIGTERM, which Python does not turn into a clean exit): its call queue never reaches end of
    file, since each worker holds a writing end too. multiprocessing gives every spawned child a
    sentinel of its parent, readable when the parent is gone; a daemon thread waits on it.
    """
    parent = multiprocessing.parent_process()
    if parent is None:  # pragma: no cover - only ever called in a worker
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(EXIT_PARENT_GONE)

    threading.Thread(target=watch, name="lendcheck-parent-watch", daemon=True).start()


def _run_parallel(
    todo: list[ManifestRow], options: Options, out_dir: str, workers: int
) -> Iterator[Outcome]:
    """Yield outcomes as workers finish.

    Live rows of the same organisation never run at the same time: Xero's limits are per
    organisation (5 calls in flight, 60 a minute), and each fetch already uses them to the full.
    A worker that dies breaks the pool: a new pool of one worker takes over, and the applicants
    that were running are retried once, each alone (twice dead: exit status 70).
    """
    attempts: dict[str, int] = {}
    queue: deque[ManifestRow] = deque(todo)
    # After a worker died, one worker at a time: a retried applicant runs alone, so one that
    # kills its worker again cannot take others down with it.
    context = multiprocessing.get_context("spawn")
    while queue:
        pool = ProcessPoolExecutor(
            max_workers=min(workers, len(queue)),
            mp_context=context,
            initializer=_end_with_parent,
        )
        running: dict[Future[Outcome], ManifestRow] = {}
        fetching: set[str] = set()  # organisations with a live row running
        broken = False
        try:
            while (queue or running) and not broken:
                deferred: deque[ManifestRow] = deque()
                # No more in flight than workers: when a worker dies, only the applicants
                # actually running are affected (queued ones would fail with them).
                while queue and len(running) < workers:
                    applicant = queue.popleft()
                    tenant = (applicant.tenant_id or "").lower()
                    if tenant and tenant in fetching:
                        deferred.append(applicant)
                        continue
                    try:
                        future = pool.submit(run_applicant, applicant, options, out_dir)
                    except BrokenProcessPool:
                        deferred.append(applicant)
                        broken = True
                        continue
                    running[future] = applicant
                    if tenant:
                        fetching.add(tenant)
                queue = deferred + queue
                if not running:
                    break
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    applicant = running.pop(future)
                    fetching.discard((applicant.tenant_id or "").lower())
                    try:
                        yield future.result()
                    except BrokenProcessPool:
                        broken = True
                        attempts[applicant.id] = attempts.get(applicant.id, 0) + 1
                        if attempts[applicant.id] < 2:
                            queue.appendleft(applicant)
                        else:
                            yield _failed(
                                applicant,
                                "the worker process died twice while making this report "
                                "(out of memory or killed?)",
                            )
                    except Exception as exc:  # e.g. an outcome that cannot be unpickled
                        yield _failed(applicant, f"internal error ({type(exc).__name__}: {exc})")
            if broken:  # every other running future fails the same way: run those again too
                for future, applicant in running.items():
                    future.cancel()
                    queue.appendleft(applicant)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown(wait=not broken, cancel_futures=broken)
        if broken:
            workers = 1


# --- benchmarks --------------------------------------------------------------------------------


def samples_dir() -> Path:
    """The committed sample snapshots (``samples/`` of the source checkout)."""
    return Path(__file__).resolve().parents[2] / "samples"


def write_samples_manifest(path: str | os.PathLike[str], samples: Path | None = None) -> Path:
    """Write a manifest of every committed sample (``id,snapshot``; absolute paths), sorted.

    Raises:
        UsageError: no sample snapshot was found.
    """
    root = samples or samples_dir()
    names = (
        sorted(p.name for p in root.iterdir() if (p / "manifest.json").is_file())
        if root.is_dir()
        else []
    )
    if not names:
        raise UsageError(f"{root}: no sample snapshots (directories with a manifest.json)")
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["id", "snapshot"])
    for name in names:
        writer.writerow([name, str(root / name)])
    target = Path(path)
    write_atomic(target, buffer.getvalue().encode("utf-8"))
    return target


def measure_throughput(
    manifest: str | os.PathLike[str] | None = None,
    jobs: int = 1,
    *,
    formats: tuple[str, ...] = ("json", "html", "pdf"),
    out_dir: str | os.PathLike[str] | None = None,
) -> float:
    """Reports per minute of a whole batch run (worker start-up included), for ``make bench``.

    Args:
        manifest: the CSV to run; default: every committed sample (:func:`write_samples_manifest`).
        jobs: worker processes.
        formats: outputs per applicant (default all three: JSON, HTML and PDF).
        out_dir: where to write; default a temporary directory removed afterwards.

    Returns:
        Reports written per minute of wall time (applicants with exit status 0 or 1).

    Raises:
        RuntimeError: some applicant could not be processed (the figure would mislead).
    """
    with tempfile.TemporaryDirectory(prefix="lendcheck-bench-") as scratch:
        if manifest is None:
            manifest = write_samples_manifest(Path(scratch) / "samples.csv")
        target = Path(out_dir) if out_dir is not None else Path(scratch) / "out"
        result = run_batch(manifest, target, jobs=jobs, options=Options(formats=formats))
    failed = [o for o in result.outcomes if o.exit_status not in (0, 1)]
    if failed:
        raise RuntimeError(
            f"{len(failed)} applicant(s) could not be processed, e.g. "
            f"{failed[0].id}: {failed[0].error}"
        )
    return len(result.outcomes) / (result.seconds / 60)
