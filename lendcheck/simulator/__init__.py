"""A deterministic ledger simulator that writes coherent ``lendcheck-snapshot/1`` directories.

A :class:`~lendcheck.simulator.business.Profile` (the story of a business) and its seed are
simulated day by day into one double-entry ledger and its bank statements
(:mod:`~lendcheck.simulator.books`); every Finance API response of the fetch plan is derived
from that one world (:mod:`~lendcheck.simulator.endpoints`), so the numbers agree across
endpoints. See ``docs/simulator.md``.
"""

from __future__ import annotations

from lendcheck.simulator.generate import (
    LARGE,
    SAMPLES,
    generate_large,
    generate_sample,
    simulate,
    write_snapshot,
)

__all__ = ["LARGE", "SAMPLES", "generate_large", "generate_sample", "simulate", "write_snapshot"]
