"""``make bench``: every stage timed on every committed sample and on the large sample.

Each stage group runs in a fresh process (:mod:`lendcheck.bench.worker`), so a group's peak
memory is its own and no cache carries over. Each group runs ``repeat`` times; the table shows
the median wall time (and the median CPU time of all the process's threads, which is what a
busy shared machine does not inflate). The baseline (:mod:`lendcheck.bench.baseline`) computes
the same reconciliation aggregates in plain Python in the same run, and its result is checked
equal to lendcheck's before the ratio is written.

Results go to ``docs/benchmarks.md`` between ``<!-- bench:start -->`` and ``<!-- bench:end -->``;
the rest of that file belongs to its other authors and is kept as it is.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"

#: Targets of issue 19 on the 2-core reference machine (wall seconds unless named otherwise).
#: The large sample's report.json alone, end to end in a fresh process.
TARGET_LARGE_JSON_SECONDS = 2.5
#: Its peak memory: 1 GB (10**9 bytes) in MiB, as ``ru_maxrss`` counts.
TARGET_LARGE_PEAK_MB = 1e9 / 2**20
#: The large sample's metrics stage (bank + financials + policy, given the frames).
TARGET_METRICS_SECONDS = 0.3
#: The large sample's full report (JSON, HTML and PDF).
TARGET_LARGE_REPORT_SECONDS = 5.0
#: Every committed sample's full report.
TARGET_SAMPLE_REPORT_SECONDS = 1.5
#: Reports a minute of ``lendcheck batch --jobs 2`` over the committed samples.
TARGET_BATCH_PER_MINUTE = 120.0
#: Issue 18's budget for the large sample's metrics stage with the behaviour metrics.
BUDGET_METRICS_SECONDS = 2.0
#: Issue 10's speed-up of the aggregates over the plain-Python loop, still checked.
TARGET_SPEEDUP = 20.0


@dataclass
class Result:
    """Medians of one snapshot's stage groups.

    Attributes:
        name: the sample's name.
        lines: statement lines in the frames.
        stages: per stage, ``{"wall": s, "cpu": s}`` medians.
        peak_mb: per group, the largest peak RSS over the repeats, in MiB.
        notes: anything that did not run (a timeout, a failure), in words.
    """

    name: str
    lines: int = 0
    stages: dict[str, dict[str, float]] = field(default_factory=dict)
    peak_mb: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    agrees: bool | None = None

    def wall(self, stage: str) -> float | None:
        return self.stages.get(stage, {}).get("wall")

    def cpu(self, stage: str) -> float | None:
        return self.stages.get(stage, {}).get("cpu")


def _worker(group: str, snapshot: Path, extra: Path | None, timeout: float) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        result_file = Path(handle.name)
    try:
        command = [
            sys.executable,
            "-m",
            "lendcheck.bench.worker",
            group,
            str(snapshot),
            str(result_file),
        ]
        if extra is not None:
            command.append(str(extra))
        subprocess.run(command, check=True, timeout=timeout, cwd=ROOT)
        data: dict[str, Any] = json.loads(result_file.read_text())
        return data
    finally:
        result_file.unlink(missing_ok=True)


def _median(runs: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    stages: dict[str, dict[str, float]] = {}
    for name in runs[0]["stages"]:
        stages[name] = {
            kind: statistics.median(r["stages"][name][kind] for r in runs)
            for kind in ("wall", "cpu")
        }
    return stages


def bench_snapshot(
    name: str,
    snapshot: Path,
    *,
    repeat: int,
    pdf: bool = True,
    full: bool = True,
    json_only: bool = False,
    timeout: float = 900,
) -> Result:
    """Run every stage group ``repeat`` times on one snapshot and keep the medians."""
    result = Result(name)
    groups: dict[str, list[dict[str, Any]]] = {}
    with tempfile.TemporaryDirectory(prefix="lendcheck-bench-") as scratch:
        pickled = Path(scratch) / "report.pickle"
        plan = (
            [
                ("pipeline", pickled),
                ("render" if pdf else "render-html", pickled),
                ("baseline", None),
                ("floor", None),
            ]
            + ([("full", None)] if full else [])
            + ([("json", None)] if json_only else [])
        )
        for _ in range(repeat):
            for group, extra in plan:
                label = "render" if group.startswith("render") else group
                try:
                    groups.setdefault(label, []).append(_worker(group, snapshot, extra, timeout))
                except subprocess.TimeoutExpired:
                    result.notes.append(f"{group}: stopped after {timeout:.0f} s")
                except subprocess.CalledProcessError as exc:
                    result.notes.append(f"{group}: failed (exit {exc.returncode})")
                print(f"  {name}: {group} done", file=sys.stderr, flush=True)
    for label, runs in groups.items():
        result.stages.update(
            {
                f"{label}.{k}" if label in ("baseline", "full", "json", "floor") else k: v
                for k, v in _median(runs).items()
            }
        )
        result.peak_mb[label] = max(r["peak_rss_mb"] for r in runs)
    if "pipeline" in groups:
        result.lines = groups["pipeline"][0]["lines"]
    if "pipeline" in groups and "baseline" in groups:
        result.agrees = all(
            g["aggregates"] == groups["pipeline"][0]["aggregates"]
            for g in groups["baseline"] + groups["pipeline"]
        )
    return result


def large_sample(directory: Path) -> Path:
    """The large generated sample in ``directory``, generated once and reused."""
    if not (directory / "manifest.json").is_file():
        print(f"generating the large sample into {directory} (once)...", file=sys.stderr)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "lendcheck",
                "samples",
                "generate",
                "--scale",
                "large",
                "-o",
                str(directory),
                "--overwrite",
            ],
            check=True,
            cwd=ROOT,
        )
    return directory


def batch_throughput() -> dict[int, float | str]:
    """Reports per minute of ``lendcheck batch`` over the committed samples, jobs 1 and 2."""
    from lendcheck.tools.batch import measure_throughput

    result: dict[int, float | str] = {}
    for jobs in (1, 2):
        try:
            result[jobs] = measure_throughput(jobs=jobs)
        except Exception as exc:  # a failure is a finding, shown in the table
            result[jobs] = f"failed: {exc}"
    return result


# ---------------------------------------------------------------------------------------------
# Markdown


def _s(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _cell(result: Result, stage: str) -> str:
    wall, cpu = result.wall(stage), result.cpu(stage)
    return "-" if wall is None else f"{wall:.2f} ({_s(cpu)})"


def _machine() -> list[str]:
    import polars
    import pydantic

    try:
        import weasyprint

        weasy = weasyprint.__version__
    except Exception:  # pragma: no cover - WeasyPrint missing: the PDF stage says so
        weasy = "missing"
    memory = "?"
    with open("/proc/meminfo", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024**2:.1f} GiB"
    cpu = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            cpu = next(
                (ln.split(":", 1)[1].strip() for ln in handle if ln.startswith("model name")), cpu
            )
    except OSError:
        pass
    return [
        f"- Machine: {os.cpu_count()} cores (`nproc`), {memory} memory, {cpu}",
        f"- Python {platform.python_version()}, Polars {polars.__version__}, "
        f"pydantic {pydantic.__version__}, WeasyPrint {weasy}",
    ]


def json_floor(result: Result) -> float | None:
    """Seconds wall any JSON report of the snapshot takes before lendcheck's own work:
    importing :mod:`lendcheck.api`, reading the files and msgspec's decode of the
    BankStatementsPlus files (their sha256 runs alongside the parsing, so it is not added)."""
    parts = [result.wall(f"floor.{stage}") for stage in ("imports", "read", "decode")]
    return None if any(p is None for p in parts) else sum(p for p in parts if p is not None)


def batch_ceiling(results: list[Result], jobs: int = 2) -> float | None:
    """Reports a minute ``jobs`` workers could make if a report cost nothing but its PDF at
    warm speed (WeasyPrint's render of the committed samples' HTML, mean CPU seconds): the
    most the batch target can be with the PDF as it is."""
    warm = [r.cpu("pdf_warm") for r in results]
    known = [w for w in warm if w is not None]
    if not known or len(known) != len(warm):
        return None
    return jobs * 60 / statistics.mean(known)


def _per_minute(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f} a minute"


def _peak(result: Result, group: str) -> str:
    peak = result.peak_mb.get(group)
    return "-" if peak is None else f"{peak:,.0f}"


def _check(ok: bool) -> str:
    return "met" if ok else "**missed**"


def markdown(
    results: list[Result],
    large: Result | None,
    throughput: dict[int, float | str],
    *,
    repeat: int,
    large_repeat: int,
    started: str,
    load_before: str,
    load_after: str,
) -> str:
    """The generated section of ``docs/benchmarks.md``."""
    out = [
        START,
        "## Pipeline stages (`make bench`)",
        "",
        "Generated by `make bench` (`python -m lendcheck.bench`); do not edit by hand.",
        "",
        f"- Run: {started} UTC; load average {load_before} before, {load_after} after "
        "(other work on the machine inflates wall times; CPU times in brackets are the "
        "process's own and its children's)",
        *_machine(),
        f"- Each stage group in a fresh process; medians of {repeat} runs "
        f"({large_repeat} for the large sample); seconds wall (CPU of all threads and child "
        "processes); peak memory is the largest `ru_maxrss` of the group's process",
        "",
        "| sample | lines | load + parse | frames | metrics | aggregates | HTML | PDF "
        "| JSON-only report | full report | peak MiB (pipeline / render / JSON-only) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in [*results, *([large] if large else [])]:
        out.append(
            f"| {r.name} | {r.lines:,} | {_cell(r, 'load')} | {_cell(r, 'frames')} "
            f"| {_cell(r, 'metrics')} | {_cell(r, 'aggregates')} | {_cell(r, 'html')} "
            f"| {_cell(r, 'pdf')} | {_cell(r, 'json.report')} | {_cell(r, 'full.report')} "
            f"| {r.peak_mb.get('pipeline', 0):,.0f} / {r.peak_mb.get('render', 0):,.0f} "
            f"/ {_peak(r, 'json')} |"
        )
    out += [
        "",
        "*load + parse*: `load_snapshot` (sha256, parsing; BankStatementsPlus files straight "
        "into per-file frames by `lendcheck.frames`); *frames*: `bank_frames`, joining them; "
        "*metrics*: bank + financials + policy (`build_report` given the frames); "
        "*aggregates*: the reconciliation aggregates alone (`line_summary`), which the baseline "
        'recomputes; *JSON-only report*: `make_report(formats=("json",))` end to end in a '
        "fresh process (the large sample only); *full report*: `make_report`, all three "
        "formats, in a fresh process.",
        "",
        "### Baseline: the same aggregates in plain Python",
        "",
        "`json.loads` into dicts (amounts as `Decimal`), then per account counts and sums of "
        "reconciled/unreconciled, positive/negative, and value-weighted ages in a Python loop "
        "(`lendcheck/bench/baseline.py`). Its numbers are checked equal to lendcheck's.",
        "",
        "| sample | baseline parse | baseline loop | lendcheck aggregates | speed-up (loop / "
        "aggregates, wall) | same numbers |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for r in [*results, *([large] if large else [])]:
        loop, mine = r.wall("baseline.aggregates"), r.wall("aggregates")
        ratio = f"{loop / mine:.1f}x" if loop and mine and loop >= 0.001 else "-"
        out.append(
            f"| {r.name} | {_cell(r, 'baseline.parse')} | {_cell(r, 'baseline.aggregates')} "
            f"| {_cell(r, 'aggregates')} | {ratio} | "
            f"{'yes' if r.agrees else 'no' if r.agrees is False else '-'} |"
        )
    out += [
        "",
        "### Floors: what a report pays before lendcheck's own work",
        "",
        "Each in a fresh process (the `floor` group), except the warm PDF: *imports*: "
        "`import lendcheck.api` (Python, Polars, pydantic, msgspec); *render imports*: "
        "matplotlib and WeasyPrint, which an HTML or PDF report adds; *read*: every listed "
        "file's bytes; *sha256*: their digests (overlapped with parsing by `load_snapshot`); "
        "*decode*: msgspec's decode of the BankStatementsPlus files into the reader's structs, "
        "one file at a time, as `load_snapshot` does; *JSON floor*: imports + read + decode; "
        "*PDF, warm*: the same report's PDF rendered a second time in the render process "
        "(WeasyPrint's fonts and caches warm, as in a batch worker).",
        "",
        "| sample | imports | render imports | read | sha256 | decode | JSON floor | PDF, warm |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in [*results, *([large] if large else [])]:
        out.append(
            f"| {r.name} | {_cell(r, 'floor.imports')} | {_cell(r, 'floor.render_imports')} "
            f"| {_cell(r, 'floor.read')} | {_cell(r, 'floor.sha256')} "
            f"| {_cell(r, 'floor.decode')} | {_s(json_floor(r))} | {_cell(r, 'pdf_warm')} |"
        )
    out += ["", "### Targets of issue 19 (2 cores)", ""]
    if large is not None:
        json_wall, json_cpu = large.wall("json.report"), large.cpu("json.report")
        peak = large.peak_mb.get("json")
        metrics = large.wall("metrics")
        full_large = large.wall("full.report")
        loop, mine = large.wall("baseline.aggregates"), large.wall("aggregates")
        out += [
            f"- Large sample, JSON-only report: {_s(json_wall)} s wall ({_s(json_cpu)} s CPU) "
            f"against {TARGET_LARGE_JSON_SECONDS} s: "
            f"{_check(json_wall is not None and json_wall <= TARGET_LARGE_JSON_SECONDS)} "
            f"(its floor, imports + read + decode: {_s(json_floor(large))} s); "
            f"peak {_peak(large, 'json')} MiB against {TARGET_LARGE_PEAK_MB:,.0f} (1 GB): "
            f"{_check(peak is not None and peak <= TARGET_LARGE_PEAK_MB)}",
            f"- Large sample, metrics alone: {_s(metrics)} s against "
            f"{TARGET_METRICS_SECONDS} s: "
            f"{_check(metrics is not None and metrics <= TARGET_METRICS_SECONDS)}; within "
            f"issue 18's budget of {BUDGET_METRICS_SECONDS:.0f} s: "
            f"{_check(metrics is not None and metrics <= BUDGET_METRICS_SECONDS)}",
            f"- Large sample, full report: {_s(full_large)} s against "
            f"{TARGET_LARGE_REPORT_SECONDS:.0f} s: "
            f"{_check(full_large is not None and full_large <= TARGET_LARGE_REPORT_SECONDS)}",
        ]
        if loop and mine:
            out.append(
                f"- Speed-up of the aggregates over the baseline loop (issue 10): "
                f"{loop / mine:.0f}x against {TARGET_SPEEDUP:.0f}x: "
                f"{_check(loop / mine >= TARGET_SPEEDUP)}"
            )
        out += [f"- Large sample: {note}" for note in large.notes]
    for r in results:
        full = r.wall("full.report")
        out.append(
            f"- {r.name} full report: {_s(full)} s against {TARGET_SAMPLE_REPORT_SECONDS} s: "
            f"{_check(full is not None and full <= TARGET_SAMPLE_REPORT_SECONDS)} "
            f"(the PDF alone: {_s(r.wall('pdf'))} s in a fresh process, "
            f"{_s(r.wall('pdf_warm'))} s warm)"
        )
        out += [f"- {r.name}: {note}" for note in r.notes]
    jobs2 = throughput.get(2)
    if isinstance(jobs2, float):
        out.append(
            f"- Batch, `--jobs 2`: {jobs2:.1f} reports a minute against "
            f"{TARGET_BATCH_PER_MINUTE:.0f}: {_check(jobs2 >= TARGET_BATCH_PER_MINUTE)} "
            f"(two workers doing nothing but the warm PDF: {_per_minute(batch_ceiling(results))})"
        )
    if throughput:
        out += ["", "### Batch throughput (committed samples, all three formats)", ""]
        out += [
            f"- jobs {jobs}: "
            + (f"{value:.1f} reports per minute" if isinstance(value, float) else value)
            for jobs, value in throughput.items()
        ]
    out.append(END)
    return "\n".join(out) + "\n"


def write_section(section: str, doc: Path = DOC) -> None:
    """Put ``section`` between the markers of ``doc``, keeping everything else as it is."""
    text = doc.read_text(encoding="utf-8") if doc.exists() else "# Benchmarks\n"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        tail = rest.split(END, 1)[1]
        text = head + section.rstrip("\n") + tail
    else:
        text = text.rstrip("\n") + "\n\n" + section
    doc.write_text(text, encoding="utf-8")


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; see ``python -m lendcheck.bench --help``."""
    parser = argparse.ArgumentParser(prog="python -m lendcheck.bench", description=__doc__)
    parser.add_argument("--repeat", type=int, default=3, help="runs per committed sample")
    parser.add_argument("--large-repeat", type=int, default=1, help="runs of the large sample")
    parser.add_argument(
        "--large",
        type=Path,
        default=ROOT / ".bench" / "large",
        help="where the large sample is cached (generated once)",
    )
    parser.add_argument("--no-large", action="store_true", help="skip the large sample")
    parser.add_argument("--no-large-pdf", action="store_true", help="skip the large sample's PDF")
    parser.add_argument("--no-batch", action="store_true", help="skip batch throughput")
    parser.add_argument("--samples", nargs="*", help="committed samples to run (default all)")
    parser.add_argument("--no-write", action="store_true", help="print, do not write the doc")
    args = parser.parse_args(argv)

    started = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M")
    load_before = _load()
    wall = time.perf_counter()
    names = args.samples or sorted(
        p.name for p in SAMPLES.iterdir() if (p / "manifest.json").is_file()
    )
    results = [bench_snapshot(n, SAMPLES / n, repeat=args.repeat) for n in names]
    large = None
    if not args.no_large:
        large = bench_snapshot(
            "large (generated)",
            large_sample(args.large),
            repeat=args.large_repeat,
            pdf=not args.no_large_pdf,
            full=not args.no_large_pdf,
            json_only=True,
            timeout=1800,
        )
        if args.no_large_pdf:
            large.notes.append("PDF not rendered (`--no-large-pdf`)")
    throughput = {} if args.no_batch else batch_throughput()
    section = markdown(
        results,
        large,
        throughput,
        repeat=args.repeat,
        large_repeat=args.large_repeat,
        started=started,
        load_before=load_before,
        load_after=_load(),
    )
    print(section)
    if not args.no_write:
        write_section(section)
        print(f"written to {DOC} ({time.perf_counter() - wall:.0f} s)", file=sys.stderr)
    return 0
