"""lendcheck: credit-assessment reports from a small business's Xero data (Finance API, and the
Accounting API beside it or alone).

The data flows one way (see ``docs/architecture.md``)::

    snapshot -> frames -> metrics -> policy -> Report -> JSON / HTML / PDF

The public API, for a lender embedding lendcheck in a service::

    import lendcheck
    result = lendcheck.make_report("samples/harbour-cafe", "out/", formats=("json",))
    result.report.verdict.overall.grade    # A to E; result.paths["json"] is report.json
    result.policy_failed("red")            # what `lendcheck report --fail-on red` exits 1 for

    snapshot = lendcheck.load_snapshot("samples/harbour-cafe")   # read and verify (sha256)
    report = lendcheck.build_report(snapshot)                    # the Report model, no files

Every error lendcheck raises on purpose is a :class:`LendcheckError` carrying its CLI exit code
(``UsageError`` 2, ``InputError``/``SnapshotError`` 3, ``OutputError`` 4). The names are imported
on first use, so ``import lendcheck`` stays light. The CLI (``lendcheck.cli``) and the live
Xero client (:mod:`lendcheck.xero`) are thin layers over these.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

try:
    __version__ = version("lendcheck")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0"

if TYPE_CHECKING:
    from lendcheck.api import ReportResult, make_report, policy_failed
    from lendcheck.errors import (
        EXIT_INTERNAL,
        InputError,
        LendcheckError,
        OutputError,
        SnapshotError,
        UsageError,
    )
    from lendcheck.frames.load import load_snapshot
    from lendcheck.render.html import render_html
    from lendcheck.render.json_report import render_json
    from lendcheck.render.pdf import render_pdf
    from lendcheck.report import Report, build_report, load_report_policy
    from lendcheck.snapshot import Snapshot, SnapshotWriter

# Imported on first use (PEP 562): `import lendcheck` (and so the CLI's start) loads none of
# Polars, WeasyPrint or matplotlib until a name that needs them is used.
_LAZY = {
    "EXIT_INTERNAL": "lendcheck.errors",
    "InputError": "lendcheck.errors",
    "LendcheckError": "lendcheck.errors",
    "OutputError": "lendcheck.errors",
    "Report": "lendcheck.report",
    "ReportResult": "lendcheck.api",
    "Snapshot": "lendcheck.snapshot",
    "SnapshotError": "lendcheck.errors",
    "SnapshotWriter": "lendcheck.snapshot",
    "UsageError": "lendcheck.errors",
    "build_report": "lendcheck.report",
    "load_report_policy": "lendcheck.report",
    "load_snapshot": "lendcheck.frames.load",
    "make_report": "lendcheck.api",
    "policy_failed": "lendcheck.api",
    "render_html": "lendcheck.render.html",
    "render_json": "lendcheck.render.json_report",
    "render_pdf": "lendcheck.render.pdf",
}

__all__ = [
    "EXIT_INTERNAL",
    "InputError",
    "LendcheckError",
    "OutputError",
    "Report",
    "ReportResult",
    "Snapshot",
    "SnapshotError",
    "SnapshotWriter",
    "UsageError",
    "__version__",
    "build_report",
    "load_report_policy",
    "load_snapshot",
    "make_report",
    "policy_failed",
    "render_html",
    "render_json",
    "render_pdf",
]


def lazy_getattr(package: str, lazy: dict[str, str]) -> Callable[[str], Any]:
    """A PEP 562 module ``__getattr__`` for ``package``: each name of ``lazy`` (name -> the
    module that defines it) is imported on first use and kept in the package's namespace.
    The package root and :mod:`lendcheck.xero` export their names this way.

    Raises (from the returned function):
        AttributeError: the name is not one of ``lazy``.
    """

    def get(name: str) -> Any:
        module = lazy.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        setattr(sys.modules[package], name, value)
        return value

    return get


__getattr__ = lazy_getattr(__name__, _LAZY)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
