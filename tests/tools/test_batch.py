"""lendcheck batch: a failing applicant in the middle, resume, the summary files, exit codes."""

from __future__ import annotations

import csv
import json
import shutil
import sys
import types
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from lendcheck.cli import main
from lendcheck.errors import UsageError
from lendcheck.tools import batch as batch_module
from lendcheck.tools.batch import (
    STATUS_FILE,
    ManifestRow,
    Options,
    Outcome,
    batch_exit_status,
    measure_throughput,
    read_manifest,
    run_applicant,
    run_batch,
    write_samples_manifest,
)
from tests.conftest import SAMPLES

JSON_ONLY = Options(formats=("json",))


def _manifest(path: Path, header: str, *rows: str) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def first_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Three applicants, the middle one a corrupt snapshot copy; two worker processes."""
    root = tmp_path_factory.mktemp("batch")
    corrupt = root / "snapshots" / "corrupt"
    shutil.copytree(SAMPLES / "fernleaf-studio", corrupt)
    manifest_json = json.loads((corrupt / "manifest.json").read_text())
    manifest_json["calls"][0]["sha256"] = "0" * 64  # a file no longer matches its sha256
    (corrupt / "manifest.json").write_text(json.dumps(manifest_json))
    manifest = _manifest(
        root / "applicants.csv",
        "id,snapshot,loan_amount,term_months,annual_rate",
        f"harbour,{SAMPLES / 'harbour-cafe'},150000,60,8.5",
        "broken,snapshots/corrupt,,,",  # relative to the CSV's folder
        f"mesa,{SAMPLES / 'mesa-roasters'},,,",
    )
    events: list[dict[str, Any]] = []
    result = run_batch(manifest, root / "out", jobs=2, options=JSON_ONLY, on_event=events.append)
    return {
        "root": root,
        "manifest": manifest,
        "out": root / "out",
        "result": result,
        "events": events,
    }


def test_a_failing_applicant_does_not_stop_the_others(first_run: dict[str, Any]) -> None:
    result, out = first_run["result"], first_run["out"]
    statuses = {o.id: o.exit_status for o in result.outcomes}
    assert statuses == {"broken": 3, "harbour": 0, "mesa": 0}
    assert result.exit_status == 3
    broken = next(o for o in result.outcomes if o.id == "broken")
    assert "sha256" in (broken.error or "") and "corrupt" in (broken.error or "")
    for good in ("harbour", "mesa"):
        report = json.loads((out / good / "report.json").read_text())
        assert report["schema_version"]
        assert (out / good / STATUS_FILE).is_file()
    assert not (out / "broken" / "report.json").exists()
    harbour = json.loads((out / "harbour" / "report.json").read_text())
    assert harbour["financials"]["loan"] is not None  # the row's loan terms reached the report


def test_summary_files(first_run: dict[str, Any]) -> None:
    out = first_run["out"]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["format"] == "lendcheck-batch/1"
    assert summary["exit_status"] == 3
    assert summary["counts"] == {
        "applicants": 3,
        "passed": 2,
        "failed_policy": 0,
        "not_processed": 1,
    }
    assert [a["id"] for a in summary["applicants"]] == ["broken", "harbour", "mesa"]
    harbour = summary["applicants"][1]
    report = json.loads((out / "harbour" / "report.json").read_text())
    assert harbour["report_id"] == report["report_id"]
    assert harbour["grade"] == report["verdict"]["overall"]["grade"]
    assert harbour["red_flags"] == sum(f["severity"] == "red" for f in report["verdict"]["flags"])
    assert harbour["files"] == ["report.json"]
    assert harbour["input"] == str(SAMPLES / "harbour-cafe")
    assert summary["applicants"][0]["input"] == "snapshots/corrupt"  # as written
    assert "seconds" not in harbour
    rows = list(csv.DictReader((out / "summary.csv").read_text(encoding="utf-8").splitlines()))
    assert [r["id"] for r in rows] == ["broken", "harbour", "mesa"]
    assert rows[0]["exit_status"] == "3" and rows[0]["grade"] == "" and rows[0]["error"]
    assert rows[1]["grade"] == harbour["grade"] and rows[1]["error"] == ""


def test_summary_has_what_a_portfolio_manager_sorts_by(first_run: dict[str, Any]) -> None:
    """The key figures come from each report (harbour-cafe with the row's loan of 150,000 over
    60 months at 8.5 %; mesa-roasters without loan terms, so no DSCR)."""
    out = first_run["out"]
    text = (out / "summary.csv").read_text(encoding="utf-8")
    rows = {r["id"]: r for r in csv.DictReader(text.splitlines())}
    assert list(rows["harbour"]) == [
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
    ]
    harbour = json.loads((out / "harbour" / "report.json").read_text())
    pnl, loan = harbour["financials"]["profit_and_loss"]["current"], harbour["financials"]["loan"]
    [gbp] = harbour["bank"]["overall"]["by_currency"]
    assert {k: rows["harbour"][k] for k in list(rows["harbour"])[10:]} == {
        "tenant_name": "Harbour Cafe Ltd",
        "top_flag": "",  # harbour-cafe raises no flag
        "revenue": "505103.63",
        "revenue_currency": "GBP",
        "net_margin": "0.144",
        "dscr": str(loan["dscr"]),
        "bank_verified_dscr": str(loan["bank_verified_dscr"]),
        "reconciled_share": "0.9957",
        "feed_verified_coverage": "0.9229",
        "report": "harbour/report.json",
    }
    assert pnl["revenue"] == {"amount": "505103.63", "currency": "GBP"}
    assert gbp["reconciliation"]["reconciled_share_by_amount"] == 0.9957
    assert loan["dscr"] is not None and loan["bank_verified_dscr"] is not None
    mesa = json.loads((out / "mesa" / "report.json").read_text())
    assert rows["mesa"]["tenant_name"] == "Mesa Coffee Roasters LLC"
    assert rows["mesa"]["revenue_currency"] == "USD"
    assert rows["mesa"]["dscr"] == "" and rows["mesa"]["bank_verified_dscr"] == ""
    first = mesa["verdict"]["flags"][0]
    assert rows["mesa"]["top_flag"].startswith(first["message"])
    summary = json.loads((out / "summary.json").read_text())
    entry = summary["applicants"][1]
    assert entry["revenue"] == {"amount": "505103.63", "currency": "GBP"}
    assert entry["net_margin"] == 0.144 and entry["report"] == "harbour/report.json"
    broken = summary["applicants"][0]
    assert broken["revenue"] is None and broken["report"] is None and broken["top_flag"] is None


def test_progress_events(first_run: dict[str, Any]) -> None:
    events = first_run["events"]
    assert events[0]["event"] == "start" and events[0]["jobs"] == 2
    done = [e for e in events if e["event"] == "applicant"]
    assert sorted(e["id"] for e in done) == ["broken", "harbour", "mesa"]
    assert [e["done"] for e in done] == [1, 2, 3]
    assert events[-1] == {**events[-1], "event": "end", "exit_status": 3}


def test_resume_keeps_complete_applicants_and_retries_the_rest(first_run: dict[str, Any]) -> None:
    out, manifest = first_run["out"], first_run["manifest"]
    before = (out / "summary.json").read_bytes()
    kept = {name: (out / name / "report.json").stat().st_mtime_ns for name in ("harbour", "mesa")}
    # A tampered output is not complete: mesa must run again.
    (out / "mesa" / "report.json").write_text("{}")
    events: list[dict[str, Any]] = []
    result = run_batch(
        manifest, out, jobs=1, resume=True, options=JSON_ONLY, on_event=events.append
    )
    resumed = {e["id"]: e["resumed"] for e in events if e["event"] == "applicant"}
    assert resumed == {"harbour": True, "broken": False, "mesa": False}
    assert events[0]["to_run"] == 2
    assert (out / "harbour" / "report.json").stat().st_mtime_ns == kept["harbour"]
    assert json.loads((out / "mesa" / "report.json").read_text())["report_id"]
    assert result.exit_status == 3
    # Same inputs, same summary bytes, whether resumed or not.
    assert (out / "summary.json").read_bytes() == before


def test_resume_reruns_when_options_change(first_run: dict[str, Any], tmp_path: Path) -> None:
    manifest = _manifest(tmp_path / "one.csv", "snapshot", str(SAMPLES / "harbour-cafe"))
    out = first_run["root"] / "out-options"
    applicant = read_manifest(manifest)[0]
    run_applicant(applicant, JSON_ONLY, str(out))
    assert batch_module.completed(applicant, JSON_ONLY, out) is not None
    assert (
        batch_module.completed(applicant, Options(formats=("json",), fail_on="amber"), out) is None
    )
    assert batch_module.completed(applicant, Options(), out) is None  # other formats


def test_policy_failure_is_exit_status_1(tmp_path: Path) -> None:
    [applicant] = read_manifest(
        _manifest(tmp_path / "m.csv", "snapshot", str(SAMPLES / "mesa-roasters"))
    )
    never = run_applicant(applicant, Options(formats=("json",), fail_on="never"), str(tmp_path))
    amber = run_applicant(applicant, Options(formats=("json",), fail_on="amber"), str(tmp_path))
    assert never.exit_status == 0
    assert amber.amber_flags, "mesa-roasters is expected to raise amber flags"
    assert amber.exit_status == 1
    assert batch_exit_status([never, amber]) == 1


def test_batch_exit_status_is_the_highest_that_applies() -> None:
    def outcome(status: int) -> Outcome:
        return Outcome(id=str(status), source="snapshot", input="x", exit_status=status)

    assert batch_exit_status([outcome(0), outcome(0)]) == 0
    assert batch_exit_status([outcome(0), outcome(1)]) == 1
    assert batch_exit_status([outcome(1), outcome(4), outcome(0)]) == 3
    assert batch_exit_status([outcome(2)]) == 3


def test_bad_rows_are_reported_per_applicant(tmp_path: Path) -> None:
    manifest = _manifest(
        tmp_path / "m.csv",
        "id,snapshot,tenant_id,as_of,loan_amount,term_months,annual_rate",
        "both,x,9c09da6f-0000-4000-8000-000000000001,,,,",
        "date,x,,2026-13-01,,,",
        "loan,x,,,1000,,",
        "huge,x,,,1e400,60,8.5",
        "fraction,x,,,150000,60,0.085",
    )
    errors = {a.id: a.error for a in read_manifest(manifest)}
    assert errors == {
        "both": "line 2: give either a snapshot or a tenant_id (exactly one)",
        "date": "line 3: as_of '2026-13-01' is not a date YYYY-MM-DD",
        "loan": "line 4: loan terms need all three of loan_amount, term_months and annual_rate",
        # Issue 20.9: exit 2 with the allowed range (the same rule as `lendcheck report`).
        "huge": "line 5: loan_amount must be an amount from 1 to 1,000,000,000,000, e.g. 250000; "
        "got '1e400'",
        "fraction": "line 6: annual_rate 0.085 would be 0.085% a year; rates are in percent (8.5 "
        "or 8.5% for 8.5% a year): did you mean 8.5%? Write 0.085% if 0.085% a year is meant",
    }
    result = run_batch(manifest, tmp_path / "out", jobs=1, options=JSON_ONLY)
    assert {o.exit_status for o in result.outcomes} == {2}
    assert result.exit_status == 3


@pytest.mark.parametrize(
    ("header", "rows", "message"),
    [
        ("snapshot,colour", ["x,red"], "unknown column(s) 'colour'"),
        ("id,as_of", ["a,2026-10-31"], "needs a 'snapshot' or a 'tenant_id' column"),
        ("id,snapshot", ["a,x", "A,y"], "id 'A' is already used on line 2"),
        ("id,snapshot", ["../up,x"], "id '../up' cannot name a folder"),
        ("id,snapshot", [], "no applicants"),
    ],
)
def test_unusable_manifests(tmp_path: Path, header: str, rows: list[str], message: str) -> None:
    manifest = _manifest(tmp_path / "m.csv", header, *rows)
    with pytest.raises(UsageError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_manifest(manifest)
    result = CliRunner().invoke(main, ["batch", str(manifest), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert message in result.output


def test_cli_json_log_and_exit_code(tmp_path: Path) -> None:
    manifest = _manifest(tmp_path / "m.csv", "id,snapshot", "gone,does-not-exist")
    result = CliRunner().invoke(
        main,
        [
            "batch",
            str(manifest),
            "-o",
            str(tmp_path / "out"),
            "--log-format",
            "json",
            "--jobs",
            "1",
        ],
    )
    assert result.exit_code == 3
    records = [json.loads(line) for line in result.stderr.splitlines()]
    assert [r["event"] for r in records] == ["start", "applicant", "end"]
    assert records[1]["id"] == "gone" and records[1]["exit_status"] == 3
    assert (tmp_path / "out" / "summary.json").is_file()


def test_applicant_defaults_to_the_snapshot_folder_name(tmp_path: Path) -> None:
    [applicant] = read_manifest(_manifest(tmp_path / "m.csv", "snapshot", "data/harbour-cafe"))
    assert isinstance(applicant, ManifestRow)
    assert applicant.id == "harbour-cafe"
    assert applicant.snapshot_path == str(tmp_path / "data" / "harbour-cafe")


def test_measure_throughput(tmp_path: Path) -> None:
    manifest = write_samples_manifest(tmp_path / "samples.csv")
    rows = list(csv.DictReader(manifest.read_text(encoding="utf-8").splitlines()))
    assert {r["id"] for r in rows} >= {"harbour-cafe", "mesa-roasters"}
    one = _manifest(tmp_path / "one.csv", "snapshot", str(SAMPLES / "fernleaf-studio"))
    rate = measure_throughput(one, jobs=1, formats=("json",))
    assert 0 < rate < 10_000


def test_batch_reports_are_those_of_lendcheck_report(
    first_run: dict[str, Any], report_files: dict[str, Path]
) -> None:
    """The batch reuses make_report: same snapshot and options, byte-identical report.json."""
    batch_json = (first_run["out"] / "mesa" / "report.json").read_bytes()
    assert batch_json == report_files["mesa-roasters"].read_bytes()


def test_a_bad_policy_file_fails_only_its_applicant(tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text("policy_name = \n", encoding="utf-8")
    manifest = _manifest(
        tmp_path / "m.csv",
        "id,snapshot,policy",
        f"strict,{SAMPLES / 'harbour-cafe'},bad.toml",  # relative to the CSV's folder
        f"plain,{SAMPLES / 'harbour-cafe'},",
    )
    strict, plain = read_manifest(manifest)
    assert strict.policy == str(tmp_path / "bad.toml")
    failed = run_applicant(strict, JSON_ONLY, str(tmp_path / "out"))
    assert failed.exit_status == 2
    assert "bad.toml" in (failed.error or "")
    assert run_applicant(plain, JSON_ONLY, str(tmp_path / "out")).exit_status == 0


def _fake_xero_module() -> types.ModuleType:
    """tests/xero/fake_xero.py (the live-path tests' fake Xero), imported by path."""
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "xero" / "fake_xero.py"
    spec = importlib.util.spec_from_file_location("_contract_fake_xero", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses need their module registered
    spec.loader.exec_module(module)
    return module


def test_live_rows_fetch_then_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """tenant_id rows run lendcheck.xero.fetch_snapshot in the workers (real HTTP to a fake
    Xero), keep the snapshot beside the report and report like snapshot rows; two rows of one
    organisation never fetch at the same time (Xero's limits are per organisation)."""
    from datetime import date

    pytest.importorskip("lendcheck.xero")
    if date.today() < date(2026, 11, 1):
        pytest.skip("the fake Xero serves harbour-cafe as of 2026-10-31: needs a later today")
    fake = _fake_xero_module()
    xero = fake.FakeXero(SAMPLES / "harbour-cafe", today=date.today())
    xero.inject("slow", times=200, delay=0.25)  # long enough fetches to overlap if allowed
    with fake.ServerThread(fake.build_app(xero)) as server:
        for name in ("API", "IDENTITY", "LOGIN"):
            monkeypatch.setenv(f"LENDCHECK_XERO_{name}_URL", server.url)
        monkeypatch.setenv("LENDCHECK_ACCESS_TOKEN", xero.issue_tokens()["access_token"])
        monkeypatch.setenv("LENDCHECK_STATE_DIR", str(tmp_path / "state"))
        manifest = _manifest(
            tmp_path / "m.csv",
            "id,tenant_id,as_of",
            f"harbour-live,{xero.tenant_id},2026-10-31",
            f"harbour-again,{xero.tenant_id.upper()},2026-10-31",
        )
        result = run_batch(manifest, tmp_path / "out", jobs=2, options=JSON_ONLY)
    again, outcome = result.outcomes
    assert again.exit_status == outcome.exit_status
    assert xero.max_in_flight <= 5  # Xero's concurrent-call limit per organisation
    assert outcome.exit_status in (0, 1), outcome.error
    assert outcome.source == "tenant_id" and outcome.tenant_name == xero.tenant_name
    folder = tmp_path / "out" / "harbour-live"
    assert (folder / "snapshot" / "manifest.json").is_file()
    report = json.loads((folder / "report.json").read_text())
    assert report["inputs"]["source"] == "xero"
    assert report["applicant"]["tenant_id"] == xero.tenant_id
    assert xero.violations == []


CRASHER = """
import os

from lendcheck.tools import batch


def run(applicant, options, out_dir):
    if applicant.id == "crash":
        os._exit(9)  # as if the kernel killed the worker (out of memory)
    return batch.run_applicant(applicant, options, out_dir)
"""


def test_a_dying_worker_fails_only_its_applicant(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "lendcheck_test_crasher.py").write_text(CRASHER, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))  # spawned workers get the parent's sys.path
    import lendcheck_test_crasher  # type: ignore[import-not-found]

    monkeypatch.setattr(batch_module, "run_applicant", lendcheck_test_crasher.run)
    fernleaf = SAMPLES / "fernleaf-studio"
    manifest = _manifest(
        tmp_path / "m.csv", "id,snapshot", f"a,{fernleaf}", f"crash,{fernleaf}", f"b,{fernleaf}"
    )
    result = run_batch(manifest, tmp_path / "out", jobs=2, options=JSON_ONLY)
    statuses = {o.id: o.exit_status for o in result.outcomes}
    assert statuses == {"a": 0, "b": 0, "crash": 70}
    crashed = next(o for o in result.outcomes if o.id == "crash")
    assert "worker process died twice" in (crashed.error or "")
    assert result.exit_status == 3
