"""The exceptions lendcheck raises, each carrying the exit code the CLI maps it to.

Exception tree (exit codes from ``docs/exit-codes`` in the README and design.md)::

    LendcheckError                 base; never raised itself
    ├── UsageError          (2)    bad option, bad policy file, missing credentials
    ├── InputError          (3)    the API or the snapshot could not give the data
    │   └── SnapshotError   (3)    a snapshot is missing, corrupt, altered or does not fit its model
    └── OutputError         (4)    rendering or writing an output failed

Every message says what failed and what to do; the CLI prints it without a traceback
unless ``--debug`` is given.
"""

from __future__ import annotations

#: Exit code of an unexpected internal error (a bug in lendcheck): sysexits.h EX_SOFTWARE. The
#: CLI exits with it, and a batch row whose worker met such an error carries it.
EXIT_INTERNAL = 70


class LendcheckError(Exception):
    """Base of every error lendcheck raises on purpose.

    Attributes:
        exit_code: the process exit code the CLI uses for this error (design.md).
    """

    exit_code: int = 1


class UsageError(LendcheckError):
    """A bad option, configuration or policy file. Exit code 2."""

    exit_code = 2


class InputError(LendcheckError):
    """The API or the snapshot could not give the data. Exit code 3."""

    exit_code = 3


class SnapshotError(InputError):
    """A snapshot directory is missing, corrupt, altered or holds a response that does not
    fit its model. Exit code 3. The message names the file (and field, where one is at fault)."""


class OutputError(LendcheckError):
    """Rendering or writing an output failed. Exit code 4."""

    exit_code = 4
