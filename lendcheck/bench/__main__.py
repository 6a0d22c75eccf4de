"""``python -m lendcheck.bench`` (``make bench``): see :mod:`lendcheck.bench.run`."""

from __future__ import annotations

import sys

from lendcheck.bench.run import main

sys.exit(main())
