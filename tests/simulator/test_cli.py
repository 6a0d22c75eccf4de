"""``lendcheck samples list`` and ``lendcheck samples generate``."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from lendcheck.cli import main
from lendcheck.simulator import SAMPLES
from lendcheck.snapshot import load_snapshot
from lendcheck.xero import fetch_plan as fp


def test_list_names_every_sample_default_first() -> None:
    result = CliRunner().invoke(main, ["samples", "list"])
    assert result.exit_code == 0, result.output
    names = [line.split()[0] for line in result.stdout.splitlines()]
    assert names == list(SAMPLES)
    assert names[0] == "harbour-cafe"
    assert "USD" in result.stdout and "Cashflow refused" in result.stdout


def test_generate_writes_a_loadable_snapshot(tmp_path: Path) -> None:
    out = tmp_path / "mesa"
    result = CliRunner().invoke(main, ["samples", "generate", "mesa-roasters", "-o", str(out)])
    assert result.exit_code == 0, result.output
    snap = load_snapshot(out)
    assert snap.tenant_name == "Mesa Coffee Roasters LLC"
    flows = snap.all_of(fp.CASHFLOW)
    assert [r.record.status for r in flows] == [400, 400]
    assert all(r.record.file.endswith(".problem.json") for r in flows)
    assert (out / "README.md").read_text(encoding="utf-8").startswith("# mesa-roasters")


def test_generate_refuses_an_unknown_name(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["samples", "generate", "nope", "-o", str(tmp_path / "x")])
    assert result.exit_code == 2
    assert "no sample called 'nope'" in result.stderr
    assert not (tmp_path / "x").exists()


def test_generate_needs_a_name_or_scale(tmp_path: Path) -> None:
    runner = CliRunner()
    neither = runner.invoke(main, ["samples", "generate", "-o", str(tmp_path / "x")])
    both = runner.invoke(
        main, ["samples", "generate", "harbour-cafe", "--scale", "large", "-o", str(tmp_path / "x")]
    )
    assert neither.exit_code == both.exit_code == 2
    assert "--scale large" in neither.stderr


def test_generate_will_not_overwrite_without_asking(tmp_path: Path) -> None:
    out = tmp_path / "cafe"
    out.mkdir()
    (out / "keep.txt").write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(main, ["samples", "generate", "harbour-cafe", "-o", str(out)])
    assert result.exit_code == 3
    assert "not empty" in result.stderr
    assert (out / "keep.txt").read_text(encoding="utf-8") == "mine"
