"""What the frames of bank statements hold: their schemas (columns, dtypes, units), the
classification of ``importSource`` values, and the two frame sets, :class:`StatementFrames` (one
BankStatementsPlus file, :mod:`lendcheck.frames._reader`) and :class:`BankFrames` (a snapshot's
files joined, :func:`lendcheck.frames.bank.bank_frames`): the one input of every statement-line
metric.

Amounts are exact: ``Int64`` minor units (thousandths of the account's currency, the finest ISO
4217 scale; an amount finer than its currency's scale is refused), converted from the amounts'
JSON text by :func:`lendcheck.money.to_minor_units`'s rule. Dates are ``pl.Date``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

import polars as pl

#: Import-source kinds, from most to least trustworthy.
IMPORT_SOURCE_KINDS = ("direct_feed", "indirect_feed", "file_upload", "manual", "other")
#: Kinds whose lines come from the bank by a feed (direct or aggregator): the applicant cannot
#: edit them. Xero counts both as ``directBankFeed`` ("from a bank or aggregator").
BANK_FEED_KINDS = ("direct_feed", "indirect_feed")
#: Kinds whose lines the applicant typed or uploaded from a file.
TYPED_KINDS = ("manual", "file_upload")


class ImportSource(NamedTuple):
    """One row of :data:`XERO_IMPORT_SOURCES`.

    Attributes:
        kind: one of :data:`IMPORT_SOURCE_KINDS`.
        xero_bucket: the CashValidation ``dataSource`` bucket Xero counts the value in
            (``direct_bank_feed``, ``file_upload``, ``manual`` or ``other``).
        source: where the value is documented.
    """

    kind: str
    xero_bucket: str
    source: str


_SPEC = "Xero Finance API spec v16.1.0, StatementLinesResponse.importSource"
_FILE = (
    "Xero's bank statement import accepts this file format (Xero Central, 'Import a bank "
    "statement'); the value is the spec's STMTIMPORTSRC/CSV pattern"
)
_FEED = (
    "a direct feed of this bank, named by the spec's STMTIMPORTSRC/CBAFEED pattern "
    "(<bank code>FEED) as lendcheck's sample applicants name it; not yet confirmed against a "
    "live organisation"
)

#: Every ``importSource`` value lendcheck recognises, with its kind: the one classification
#: table (docs/metrics.md, "Import source kinds", prints it). A value not in the table is
#: ``other``, the kind with the least credit, and the report names it
#: (``import_source_mix.other_import_sources``): a suffix or a look-alike name
#: (``STMTIMPORTSRC/MANUALFEED``, ``STMTIMPORTSRC/FILEFEED``) earns no trust. Values are
#: compared after trimming spaces and upper-casing. A lender who meets a genuine Xero value
#: reported as ``other`` adds it here, with its source.
XERO_IMPORT_SOURCES: dict[str, ImportSource] = {
    "STMTIMPORTSRC/CBAFEED": ImportSource("direct_feed", "direct_bank_feed", _SPEC),
    "STMTIMPORTSRC/ASBFEED": ImportSource("direct_feed", "direct_bank_feed", _FEED),
    "STMTIMPORTSRC/NABFEED": ImportSource("direct_feed", "direct_bank_feed", _FEED),
    "STMTIMPORTSRC/HSBCFEED": ImportSource("direct_feed", "direct_bank_feed", _FEED),
    "STMTIMPORTSRC/BARCLAYSFEED": ImportSource("direct_feed", "direct_bank_feed", _FEED),
    "STMTIMPORTSRC/LLOYDSFEED": ImportSource("direct_feed", "direct_bank_feed", _FEED),
    "STMTIMPORTSRC/YODLEE": ImportSource("indirect_feed", "direct_bank_feed", _SPEC),
    "STMTIMPORTSRC/CSV": ImportSource("file_upload", "file_upload", _SPEC),
    "STMTIMPORTSRC/OFX": ImportSource("file_upload", "file_upload", _FILE),
    "STMTIMPORTSRC/QIF": ImportSource("file_upload", "file_upload", _FILE),
    "STMTIMPORTSRC/QBO": ImportSource(
        "file_upload",
        "other",
        "a QuickBooks (QBO) file brought in on a migration: uploaded by the user, so a file "
        "upload for lendcheck; Xero's dataSource counts it as other",
    ),
    "STMTIMPORTSRC/MANUAL": ImportSource("manual", "manual", _SPEC),
}


def import_source_entry(import_source: str | None) -> ImportSource | None:
    """The :data:`XERO_IMPORT_SOURCES` row of a raw ``importSource``; None when unknown."""
    if not import_source:
        return None
    return XERO_IMPORT_SOURCES.get(import_source.strip().upper())


def import_source_kind(import_source: str | None) -> str:
    """Classify a statement's ``importSource`` (e.g. ``STMTIMPORTSRC/CBAFEED``).

    Returns the kind :data:`XERO_IMPORT_SOURCES` gives the value, one of
    :data:`IMPORT_SOURCE_KINDS`:

    * ``direct_feed``: a feed straight from the bank (``STMTIMPORTSRC/CBAFEED`` ...);
    * ``indirect_feed``: a feed through an aggregator (``STMTIMPORTSRC/YODLEE``);
    * ``file_upload``: a file the user uploaded (``STMTIMPORTSRC/CSV``, ``/OFX``, ``/QIF``,
      ``/QBO``);
    * ``manual``: typed by hand (``STMTIMPORTSRC/MANUAL``);
    * ``other``: any value not in the table, and a missing one: never guessed from its
      spelling (``STMTIMPORTSRC/MANUALFEED`` is ``other``, not a feed).

    Source: Xero Finance API ``StatementLinesResponse.importSource`` description.
    """
    entry = import_source_entry(import_source)
    return "other" if entry is None else entry.kind


STATEMENT_LINES_SCHEMA: dict[str, Any] = {
    "bank_account_id": pl.String,
    "statement_id": pl.String,
    "statement_line_id": pl.String,
    "import_source": pl.String,
    "import_source_kind": pl.String,
    "imported_at": pl.Datetime("us", "UTC"),
    "posted_date": pl.Date,
    "transaction_date": pl.Date,
    "amount": pl.Int64,
    "payee": pl.String,
    "reference": pl.String,
    "type": pl.String,
    "is_reconciled": pl.Boolean,
    "is_duplicate": pl.Boolean,
    "is_deleted": pl.Boolean,
    "payment_count": pl.Int32,
    "bank_transaction_count": pl.Int32,
}

STATEMENTS_SCHEMA: dict[str, Any] = {
    "bank_account_id": pl.String,
    "statement_id": pl.String,
    "import_source": pl.String,
    "import_source_kind": pl.String,
    "imported_at": pl.Datetime("us", "UTC"),
    "start_date": pl.Date,
    "end_date": pl.Date,
    "start_balance": pl.Int64,
    "end_balance": pl.Int64,
    "indicative_start_balance": pl.Int64,
    "indicative_end_balance": pl.Int64,
}

LINKS_SCHEMA: dict[str, Any] = {
    "bank_account_id": pl.String,
    "statement_line_id": pl.String,
    "link_kind": pl.String,
    "link_id": pl.String,
    "document_kind": pl.String,
    "document_id": pl.String,
    "contact_id": pl.String,
    "contact_name": pl.String,
    "date": pl.Date,
    "amount": pl.Int64,
    "bank_amount": pl.Int64,
    "account_types": pl.List(pl.String),
    "reporting_codes": pl.List(pl.String),
}

BANK_ACCOUNTS_SCHEMA: dict[str, Any] = {
    "bank_account_id": pl.String,
    "bank_account_name": pl.String,
    "currency": pl.String,
}


@dataclass(frozen=True)
class BankFrames:
    """The bank side of a snapshot as frames.

    Attributes:
        bank_accounts: one row per account met in BankStatementsPlus: ``bank_account_id``,
            ``bank_account_name``, ``currency`` (String).
        statements: one row per statement (:data:`STATEMENTS_SCHEMA`); balances are minor
            units, null when Xero left them out (0 is kept: it means "not supplied by the bank").
        statement_lines: one row per statement line (:data:`STATEMENT_LINES_SCHEMA`), each line
            once; ``amount`` in minor units, signed as Xero sends it (receipts positive).
        links: one row per payment or bank transaction a reconciled line was matched to
            (:data:`LINKS_SCHEMA`): ``link_kind`` is ``payment`` or ``bank_transaction``;
            ``document_kind`` is ``invoice``, ``credit_note``, ``prepayment``, ``overpayment``
            (payments) or null; ``contact_*`` from the document (payments) or the transaction;
            ``amount``/``bank_amount`` in minor units (``bank_amount`` null for bank
            transactions); ``account_types``/``reporting_codes`` of the line items (empty in
            summary mode).
    """

    bank_accounts: pl.DataFrame
    statements: pl.DataFrame
    statement_lines: pl.DataFrame
    links: pl.DataFrame


@dataclass(frozen=True)
class StatementFrames:
    """The frames of one BankStatementsPlus response (one file of a snapshot), as the snapshot
    holds them (``Response.data``) once :func:`lendcheck.frames.load.load_snapshot` has read the
    file.

    Attributes:
        bank_account_id, bank_account_name, bank_account_currency_code: the response's
            account, as in :class:`lendcheck.xero.models.BankStatements`.
        statements: :data:`STATEMENTS_SCHEMA` rows, each statement ID once (first seen).
        statement_lines: :data:`STATEMENT_LINES_SCHEMA` rows: the file's lines in file order.
        links: :data:`LINKS_SCHEMA` rows of those lines.
    """

    bank_account_id: str
    bank_account_name: str | None
    bank_account_currency_code: str | None
    statements: pl.DataFrame
    statement_lines: pl.DataFrame
    links: pl.DataFrame
