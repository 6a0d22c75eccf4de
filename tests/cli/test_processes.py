"""No process outlives the command that started it (issue 20, finding 5).

``lendcheck report`` used to fork a child to draw the charts; a ``kill -9`` of the command left
that child behind for ever, stuck on its pipe. The charts are now drawn in-process: a full report
(JSON, HTML, PDF) forks nothing. Batch workers end when the batch is killed
(``tests/contract/test_batch_processes.py``).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "fernleaf-studio"

_WATCH_FORKS = """
import os, sys
marker = sys.argv[1]
os.register_at_fork(before=lambda: open(marker, "a").write("fork\\n"))
from lendcheck.cli import main
main(sys.argv[2:])
"""


def test_a_full_report_starts_no_process(tmp_path: Path) -> None:
    marker = tmp_path / "forks"
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-c", _WATCH_FORKS, str(marker), "report", str(SAMPLE), "-o", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    assert (out / "report.pdf").is_file()
    assert not marker.exists(), "lendcheck report forked a process"
