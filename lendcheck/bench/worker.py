"""One stage group of ``make bench``, run in a fresh process so that its peak memory is its own.

Usage (by :mod:`lendcheck.bench.run`, not by hand)::

    python -m lendcheck.bench.worker GROUP SNAPSHOT_DIR RESULT_JSON [REPORT_PICKLE]

Groups:

* ``pipeline``: snapshot load and parse, frames, metrics (bank + financials + policy: the whole
  :func:`lendcheck.report.build_report` given the frames), and the reconciliation aggregates
  alone (:func:`lendcheck.metrics.reconciliation.line_summary`); pickles the report for
  ``render``.
* ``render``: HTML and PDF of the pickled report.
* ``baseline``: the same aggregates the straightforward way (:mod:`lendcheck.bench.baseline`).
* ``full``: :func:`lendcheck.api.make_report` end to end, all three formats.
* ``json``: :func:`lendcheck.api.make_report` end to end, ``report.json`` only (what a loan
  origination system asks for; issue 19's target for the large sample).
* ``floor``: what any report of the snapshot pays before lendcheck's own work, the lower bound
  of the targets: importing :mod:`lendcheck.api` (``imports``) and the renderers' libraries,
  matplotlib and WeasyPrint (``render_imports``); reading every listed file (``read``), their
  sha256 (``sha256``, which ``load_snapshot`` overlaps with parsing in a second thread), and
  msgspec's decode of the BankStatementsPlus files into the reader's structs, one file at a
  time and freed, as ``load_snapshot`` does (``decode``).

``render`` also renders the PDF a second time in the same process (``pdf_warm``): the cost of
a report's PDF in a batch worker or a service, once WeasyPrint's fonts and caches are warm.

The result file holds, per stage, ``wall`` and ``cpu`` seconds (CPU of every thread of the
process and of its child processes: on a shared machine it shows the work done when wall time
shows the queueing), plus
``peak_rss_mb`` of the whole process (``getrusage`` ``ru_maxrss``).
"""

from __future__ import annotations

import json
import pickle
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from unittest import mock

T = TypeVar("T")


def _cpu() -> float:
    # The process's own CPU and its finished children's (none since the charts are drawn
    # in-process; kept so that a child would be counted).
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


def _timed(stages: dict[str, dict[str, float]], name: str, work: Callable[[], T]) -> T:
    wall, cpu = time.perf_counter(), _cpu()
    value = work()
    stages[name] = {"wall": time.perf_counter() - wall, "cpu": _cpu() - cpu}
    return value


def _bank_files(snapshot_dir: Path) -> list[Path]:
    from lendcheck.xero import fetch_plan as fp

    manifest = json.loads((snapshot_dir / "manifest.json").read_text())
    calls = [c for c in manifest["calls"] if c["endpoint"] == fp.BANK_STATEMENTS]
    # Newest window first, as lendcheck's frames read them (first seen wins).
    calls.sort(key=lambda c: c["params"].get("ToDate", ""), reverse=True)
    return [snapshot_dir / c["file"] for c in calls if 200 <= c["status"] < 300]


def _range(snapshot_dir: Path) -> tuple[Any, Any]:
    """The main CashValidation call's ``beginDate`` and ``balanceDate`` (the report date)."""
    from datetime import date

    from lendcheck.xero import fetch_plan as fp

    manifest = json.loads((snapshot_dir / "manifest.json").read_text())
    as_of = date.fromisoformat(manifest["as_of"])
    months = manifest.get("months") or fp.DEFAULT_MONTHS
    begin = date.fromisoformat(fp.organisation_calls(as_of, months)[0].params["beginDate"])
    return begin, as_of


def pipeline(snapshot_dir: Path, report_pickle: Path | None) -> dict[str, Any]:
    import lendcheck.report.build as report_module
    from lendcheck.frames import bank_frames, load_snapshot
    from lendcheck.metrics.reconciliation import line_summary

    stages: dict[str, dict[str, float]] = {}
    snapshot = _timed(stages, "load", lambda: load_snapshot(snapshot_dir))
    frames = _timed(stages, "frames", lambda: bank_frames(snapshot, snapshot.as_of))
    # build_report makes its own frames; hand it these so that the stage times metrics only.
    with mock.patch.object(report_module, "bank_frames", lambda *args, **kwargs: frames):
        report = _timed(stages, "metrics", lambda: report_module.build_report(snapshot))
    begin, end = _range(snapshot_dir)
    lines = frames.statement_lines
    summary = _timed(stages, "aggregates", lambda: line_summary(lines, end=end, begin=begin))
    if report_pickle is not None:
        report_pickle.write_bytes(pickle.dumps(report))
    return {
        "stages": stages,
        "lines": lines.height,
        "accounts": frames.bank_accounts.height,
        "aggregates": _aggregates(summary),
    }


def _aggregates(summary: Any) -> dict[str, dict[str, int]]:
    from lendcheck.bench.baseline import FIELDS

    return {
        row["bank_account_id"]: {f: int(row[f] or 0) for f in FIELDS}
        for row in summary.iter_rows(named=True)
        if row["total_lines"]
    }


def render(report_pickle: Path, pdf: bool) -> dict[str, Any]:
    from lendcheck.render.html import render_html
    from lendcheck.render.pdf import render_pdf

    report = pickle.loads(report_pickle.read_bytes())
    stages: dict[str, dict[str, float]] = {}
    html = _timed(stages, "html", lambda: render_html(report))
    result: dict[str, Any] = {"stages": stages, "html_bytes": len(html.encode())}
    if pdf:
        result["pdf_bytes"] = len(_timed(stages, "pdf", lambda: render_pdf(html, report.as_of)))
        _timed(stages, "pdf_warm", lambda: render_pdf(html, report.as_of))
    return result


def floor(snapshot_dir: Path) -> dict[str, Any]:
    import hashlib
    import importlib

    stages: dict[str, dict[str, float]] = {}
    _timed(stages, "imports", lambda: importlib.import_module("lendcheck.api"))
    _timed(
        stages,
        "render_imports",
        lambda: [importlib.import_module(m) for m in ("matplotlib.figure", "weasyprint")],
    )
    # The reader's own decoder (a private detail of lendcheck.frames; the bench is a dev tool).
    from lendcheck.frames._reader import _DECODER

    manifest = json.loads((snapshot_dir / "manifest.json").read_text())
    files = [snapshot_dir / c["file"] for c in manifest["calls"]]
    bodies = _timed(stages, "read", lambda: [f.read_bytes() for f in files])
    _timed(stages, "sha256", lambda: [hashlib.sha256(b).digest() for b in bodies])
    bank = set(_bank_files(snapshot_dir))
    statements = [b for f, b in zip(files, bodies, strict=True) if f in bank]
    _timed(stages, "decode", lambda: [_DECODER.decode(b) and None for b in statements])
    return {"stages": stages}


def baseline(snapshot_dir: Path) -> dict[str, Any]:
    from lendcheck.bench.baseline import aggregate, parse

    stages: dict[str, dict[str, float]] = {}
    files = _bank_files(snapshot_dir)
    documents = _timed(stages, "parse", lambda: parse(files))
    begin, end = _range(snapshot_dir)
    sums = _timed(stages, "aggregates", lambda: aggregate(documents, end=end, begin=begin))
    return {"stages": stages, "aggregates": sums}


def full(snapshot_dir: Path, formats: tuple[str, ...] = ("json", "html", "pdf")) -> dict[str, Any]:
    from lendcheck.api import make_report

    stages: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="lendcheck-bench-") as out:
        _timed(stages, "report", lambda: make_report(snapshot_dir, out, formats=formats))
    return {"stages": stages}


def main(argv: list[str]) -> int:
    group, snapshot_dir, result_file = argv[0], Path(argv[1]), Path(argv[2])
    extra = Path(argv[3]) if len(argv) > 3 else None
    if group == "pipeline":
        result = pipeline(snapshot_dir, extra)
    elif group in ("render", "render-html"):
        assert extra is not None
        result = render(extra, pdf=group == "render")
    elif group == "baseline":
        result = baseline(snapshot_dir)
    elif group == "full":
        result = full(snapshot_dir)
    elif group == "json":
        result = full(snapshot_dir, formats=("json",))
    elif group == "floor":
        result = floor(snapshot_dir)
    else:
        raise SystemExit(f"unknown stage group {group!r}")
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result_file.write_text(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
