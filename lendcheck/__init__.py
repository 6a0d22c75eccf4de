"""lendcheck: credit-assessment reports from a small business's Xero Finance API data.

The data flows one way (see ``docs/architecture.md``)::

    snapshot -> models -> frames -> metrics -> Report -> JSON / HTML / PDF

The public entry points are re-exported here; the CLI (``lendcheck.cli``) is a thin layer over them.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("lendcheck")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0"

__all__ = ["__version__"]
