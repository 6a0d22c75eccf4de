"""The ``lendcheck`` command line: a thin layer over the library.

Each command group lives in its own module and is registered here. Commands parse options, call
the library, write files and map :class:`lendcheck.errors.LendcheckError` to exit codes.
"""

from __future__ import annotations

from lendcheck.cli.base import main
from lendcheck.cli.report_cmd import report
from lendcheck.cli.samples_cmd import samples

main.add_command(report)
main.add_command(samples)

__all__ = ["main"]
