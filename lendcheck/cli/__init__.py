"""The ``lendcheck`` command line: a thin layer over the library.

Each command group lives in its own module and is registered here. Commands parse options, call
the library, write files and map :class:`lendcheck.errors.LendcheckError` to exit codes.
"""

from __future__ import annotations

from lendcheck.cli.auth_cmd import auth
from lendcheck.cli.base import main
from lendcheck.cli.batch_cmd import batch
from lendcheck.cli.diff_cmd import diff
from lendcheck.cli.fetch_cmd import fetch
from lendcheck.cli.policy_cmd import policy
from lendcheck.cli.report_cmd import report
from lendcheck.cli.samples_cmd import samples
from lendcheck.cli.schema_cmd import schema

main.add_command(auth)
main.add_command(batch)
main.add_command(diff)
main.add_command(fetch)
main.add_command(policy)
main.add_command(report)
main.add_command(samples)
main.add_command(schema)

__all__ = ["main"]
