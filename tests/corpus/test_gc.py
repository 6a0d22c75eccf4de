"""The garbage collector pause of snapshot loading restores the collector's state."""

from __future__ import annotations

import gc

import pytest

from lendcheck.snapshot import gc_paused, load_snapshot

from .cases import SAMPLE


@pytest.mark.parametrize("enabled", [True, False])
def test_state_is_restored(enabled: bool) -> None:
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        with gc_paused():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
        with pytest.raises(RuntimeError), gc_paused():
            raise RuntimeError("parse failed")
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_loaded_data_is_left_out_of_later_collections() -> None:
    before = gc.get_freeze_count()
    snapshot = load_snapshot(SAMPLE)
    assert gc.isenabled()
    assert gc.get_freeze_count() > before  # frozen: later collections do not rescan it
    assert snapshot.calls
