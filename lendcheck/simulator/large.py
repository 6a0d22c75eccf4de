"""The large benchmark sample: 10 bank accounts, 36 months, about a million statement lines."""

from __future__ import annotations

from lendcheck.simulator.profiles import HARBOUR_CAFE

LARGE = HARBOUR_CAFE  # placeholder until the large profile is tuned
