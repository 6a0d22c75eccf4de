"""`lendcheck report` starts without the live path and a JSON-only report without the render
libraries: importing them cost every run a quarter to a half second."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import lendcheck.xero

ROOT = Path(__file__).resolve().parents[2]


def test_the_live_package_names_every_export_lazily() -> None:
    assert set(lendcheck.xero._LAZY) == set(lendcheck.xero.__all__)
    for name in lendcheck.xero.__all__:
        assert getattr(lendcheck.xero, name) is not None


def test_json_report_imports_neither_the_live_client_nor_the_render_libraries(
    tmp_path: Path,
) -> None:
    code = (
        "import sys\n"
        "from lendcheck.cli import main\n"
        "try:\n"
        f'    main(["report", {str(ROOT / "samples" / "fernleaf-studio")!r}, "-o", '
        f'{str(tmp_path)!r}, "--format", "json", "-q", "--fail-on", "never"])\n'
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        "heavy = ('authlib', 'httpx', 'lendcheck.xero.auth', 'lendcheck.xero.client',\n"
        "         'lendcheck.xero.fetch', 'matplotlib', 'weasyprint')\n"
        "heavy_dotted = tuple(h + '.' for h in heavy)\n"
        "print(sorted(m for m in sys.modules if m in heavy or m.startswith(heavy_dotted)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.strip() == "[]", out.stdout
    assert (tmp_path / "report.json").is_file()
