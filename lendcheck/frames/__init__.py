"""Bank statements as Polars frames: the one place that turns BankStatementsPlus responses into
columns (:mod:`~lendcheck.frames.statements`), and the loading of a snapshot that reads each
statement file straight into them (:mod:`~lendcheck.frames.load`). The fast reader is private
(``_reader``).
"""

from lendcheck.frames._reader import statement_frames
from lendcheck.frames.bank import bank_frames, frames_from_bank_statements
from lendcheck.frames.load import load_snapshot
from lendcheck.frames.statements import (
    BANK_ACCOUNTS_SCHEMA,
    BANK_FEED_KINDS,
    IMPORT_SOURCE_KINDS,
    LINKS_SCHEMA,
    STATEMENT_LINES_SCHEMA,
    STATEMENTS_SCHEMA,
    TYPED_KINDS,
    XERO_IMPORT_SOURCES,
    BankFrames,
    ImportSource,
    StatementFrames,
    import_source_entry,
    import_source_kind,
)

__all__ = [
    "BANK_ACCOUNTS_SCHEMA",
    "BANK_FEED_KINDS",
    "IMPORT_SOURCE_KINDS",
    "LINKS_SCHEMA",
    "STATEMENTS_SCHEMA",
    "STATEMENT_LINES_SCHEMA",
    "TYPED_KINDS",
    "XERO_IMPORT_SOURCES",
    "BankFrames",
    "ImportSource",
    "StatementFrames",
    "bank_frames",
    "frames_from_bank_statements",
    "import_source_entry",
    "import_source_kind",
    "load_snapshot",
    "statement_frames",
]
