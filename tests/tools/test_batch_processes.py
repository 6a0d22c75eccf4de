"""A killed batch leaves no worker behind (issue 20, finding 5).

``kill -9`` (or a plain SIGTERM, which Python does not turn into a clean exit) of ``lendcheck
batch`` used to leave its worker processes waiting for work for ever. Each worker now ends when
its parent does. The batch runs in a session of its own, so every process it started can be
found by the session id after the batch itself is gone.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"

#: How long the processes get to appear and to end: generous, the machine may be busy; the test
#: asserts that they end, not how fast.
PATIENCE = 120.0


def _session(sid: int) -> list[int]:
    """The live (not zombie) processes of session ``sid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        state, session = fields[0], int(fields[3])
        if session == sid and state != "Z":
            found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_killing_a_batch_ends_its_workers(sig: signal.Signals, tmp_path: Path) -> None:
    manifest = tmp_path / "applicants.csv"
    names = sorted(p.name for p in SAMPLES.iterdir() if (p / "manifest.json").is_file())
    manifest.write_text(
        "id,snapshot\n" + "".join(f"{n},{SAMPLES / n}\n" for n in names), encoding="utf-8"
    )
    batch = subprocess.Popen(
        [sys.executable, "-m", "lendcheck", "batch", str(manifest), "-o", str(tmp_path / "o")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + PATIENCE
        while len(_session(batch.pid)) < 3 and time.monotonic() < deadline:
            time.sleep(0.1)  # the batch, a worker and multiprocessing's resource tracker
        assert len(_session(batch.pid)) >= 3, "the batch started no worker"
        batch.send_signal(sig)
        batch.wait()
        deadline = time.monotonic() + PATIENCE
        while _session(batch.pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _session(batch.pid) == [], "processes outlived the batch"
    finally:
        for pid in _session(batch.pid):
            os.kill(pid, signal.SIGKILL)
        if batch.poll() is None:
            batch.kill()
            batch.wait()
