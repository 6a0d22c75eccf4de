"""Polars frames built from a snapshot's models: the one input of every statement-line metric.

Amounts are exact: ``Int64`` minor units (hundredths of the account's currency), converted from
the models' Decimals by :func:`lendcheck.money.to_minor_units`. Dates are ``pl.Date``.

BankStatementsPlus is read in windows of at most 12 months; a statement spanning two windows
comes back in both, each time with the lines of that window. Frames therefore keep each
statement line once (first window seen, newest first) and merge a statement's rows by
``statement_id``.

A statement line ID met twice is one line only when both copies are identical (the same line
delivered again, by an overlapping window or twice in one response): it is counted once. Two
different lines under one ID (another amount, date, status...) cannot both be right and
neither can be chosen silently: that is a :class:`SnapshotError` naming the ID and both places.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl

from lendcheck import fetch_plan as fp
from lendcheck.errors import SnapshotError
from lendcheck.models import BankStatements, StatementLine
from lendcheck.money import to_minor_units
from lendcheck.snapshot import Snapshot, gc_paused

#: Import-source kinds, from most to least trustworthy.
IMPORT_SOURCE_KINDS = ("direct_feed", "indirect_feed", "file_upload", "manual", "other")
#: Kinds whose lines come from the bank by a feed (direct or aggregator): the applicant cannot
#: edit them. Xero counts both as ``directBankFeed`` ("from a bank or aggregator").
BANK_FEED_KINDS = ("direct_feed", "indirect_feed")
#: Kinds whose lines the applicant typed or uploaded from a file.
TYPED_KINDS = ("manual", "file_upload")

_INDIRECT_FEEDS = {"YODLEE", "PLAID", "SALTEDGE", "FINICITY", "BASIQ", "TRUELAYER", "AKAHU"}
_FILE_UPLOADS = {"CSV", "OFX", "QIF", "QBO", "FILE", "UPLOAD"}


def import_source_kind(import_source: str | None) -> str:
    """Classify a statement's ``importSource`` (e.g. ``STMTIMPORTSRC/CBAFEED``).

    Returns one of :data:`IMPORT_SOURCE_KINDS`:

    * ``direct_feed``: ``STMTIMPORTSRC/<BANK>FEED`` (a feed straight from the bank);
    * ``indirect_feed``: an aggregator such as ``STMTIMPORTSRC/YODLEE``;
    * ``file_upload``: ``STMTIMPORTSRC/CSV``, ``/OFX``, ``/QIF`` (a file the user uploaded);
    * ``manual``: ``STMTIMPORTSRC/MANUAL`` (typed by hand);
    * ``other``: anything else, including missing values, kept visible rather than guessed.

    Source: Xero Finance API ``StatementResponse.importSource`` description.
    """
    if not import_source:
        return "other"
    name = import_source.strip().upper().rsplit("/", 1)[-1]
    if name == "MANUAL":
        return "manual"
    if name in _FILE_UPLOADS:
        return "file_upload"
    if name in _INDIRECT_FEEDS:
        return "indirect_feed"
    if name.endswith("FEED"):
        return "direct_feed"
    return "other"


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


def _minor(value: Any, where: str, *place: object) -> int | None:
    # ``place`` is joined to ``where`` only on error: formatting a location for each of a
    # million amounts cost more than converting them.
    if value is None:
        return None
    try:
        return to_minor_units(value)
    except ValueError as exc:
        raise SnapshotError(f"{where}{''.join(map(str, place))}: {exc}") from exc


def _list_column(values: list[list[str]]) -> pl.Series:
    """A ``List(String)`` column from Python lists, built flat: polars makes a Series per row
    when lists come inside row dicts (most of the time of a large snapshot's frames)."""
    flat = [value for row in values for value in row]
    index = [i for i, row in enumerate(values) for _ in row]
    grouped = (
        pl.DataFrame({"i": index, "v": flat}, schema={"i": pl.Int64, "v": pl.String})
        .group_by("i", maintain_order=True)
        .agg("v")
    )
    return (
        pl.DataFrame({"i": range(len(values))}, schema={"i": pl.Int64})
        .join(grouped, on="i", how="left", maintain_order="left")
        .get_column("v")
        .fill_null(pl.lit([], dtype=pl.List(pl.String)))
    )


def bank_frames(snapshot: Snapshot, as_of: date | None = None) -> BankFrames:
    """Build :class:`BankFrames` from every BankStatementsPlus response in the snapshot.

    Responses are taken newest window first per account (plan order), so a line or statement
    that two windows both return is kept once.

    Args:
        snapshot: the parsed snapshot.
        as_of: when given, statement lines (and their links) with a transaction date after it
            are left out, so that a report dated before the snapshot sees only its past.

    Raises:
        SnapshotError: an amount has more than two decimal places (names the file and line).
    """
    responses = [r for r in snapshot.all_of(fp.BANK_STATEMENTS) if r.data is not None]
    responses.sort(key=lambda r: r.record.params.get("ToDate", ""), reverse=True)
    with gc_paused():  # a row dict per line and link: see gc_paused
        frames = frames_from_bank_statements((r.record.file, r.data) for r in responses)
    if as_of is None or as_of >= snapshot.as_of:
        return frames
    lines = frames.statement_lines.filter(pl.col("transaction_date") <= as_of)
    return BankFrames(
        bank_accounts=frames.bank_accounts,
        statements=frames.statements.filter(
            pl.col("start_date").is_null() | (pl.col("start_date") <= as_of)
        ),
        statement_lines=lines,
        links=frames.links.join(
            lines.select("statement_line_id"), on="statement_line_id", how="semi"
        ),
    )


def frames_from_bank_statements(items: Iterable[tuple[str, BankStatements]]) -> BankFrames:
    """Build :class:`BankFrames` from (file name, parsed response) pairs, first seen wins.

    Raises:
        SnapshotError: an amount has more than two decimal places.
    """
    accounts: dict[str, dict[str, Any]] = {}
    statements: dict[str, dict[str, Any]] = {}
    # Where each line was first seen (statement's place, line index, account, statement) and
    # as what: a repeat must be the same line.
    seen: dict[str, tuple[str, int, StatementLine, str, str]] = {}
    # Rows are made into frames file by file: a million row dicts at once took gigabytes.
    line_chunks: list[pl.DataFrame] = []
    link_chunks: list[pl.DataFrame] = []
    for file, response in items:
        # The lines this file adds, each with its statement's (id, source, kind, import time)
        # and its place in the file; columns are made from them in one go below.
        kept: list[StatementLine] = []
        owners: list[tuple[str, str | None, str, Any]] = []
        places: list[tuple[str, int]] = []
        account_id = response.bank_account_id
        accounts.setdefault(
            account_id,
            {
                "bank_account_id": account_id,
                "bank_account_name": response.bank_account_name,
                "currency": response.bank_account_currency_code,
            },
        )
        for s_index, st in enumerate(response.statements):
            kind = import_source_kind(st.import_source)
            statement_id = st.statement_id or f"{account_id}:{file}:{s_index}"
            where = f"{file}: statements[{s_index}]"
            row = statements.get(statement_id)
            if row is None:
                statements[statement_id] = {
                    "bank_account_id": account_id,
                    "statement_id": statement_id,
                    "import_source": st.import_source,
                    "import_source_kind": kind,
                    "imported_at": st.imported_date_time_utc,
                    "start_date": st.start_date,
                    "end_date": st.end_date,
                    "start_balance": _minor(st.start_balance, where, ".startBalance"),
                    "end_balance": _minor(st.end_balance, where, ".endBalance"),
                    "indicative_start_balance": _minor(
                        st.indicative_start_balance, where, ".indicativeStartBalance"
                    ),
                    "indicative_end_balance": _minor(
                        st.indicative_end_balance, where, ".indicativeEndBalance"
                    ),
                }
            owner = (statement_id, st.import_source, kind, st.imported_date_time_utc)
            for l_index, line in enumerate(st.statement_lines):
                first = seen.get(line.statement_line_id)
                if first is not None:
                    _check_repeat(
                        first, account_id, statement_id, line, f"{where}.statementLines[{l_index}]"
                    )
                    continue
                seen[line.statement_line_id] = (where, l_index, line, account_id, statement_id)
                kept.append(line)
                owners.append(owner)
                places.append((where, l_index))
        line_chunks.append(_line_frame(account_id, kept, owners, places))
        links: list[dict[str, Any]] = []
        # The links' List(String) columns, row for row beside ``links``.
        link_lists: tuple[list[list[str]], list[list[str]]] = ([], [])
        for line, place in zip(kept, places, strict=True):
            if line.payments or line.bank_transactions:
                _links(account_id, line, place, links, link_lists)
        link_chunks.append(
            pl.DataFrame(links, schema=_LINK_SCALARS).with_columns(
                account_types=_list_column(link_lists[0]),
                reporting_codes=_list_column(link_lists[1]),
            )
        )
    return BankFrames(
        bank_accounts=pl.DataFrame(list(accounts.values()), schema=BANK_ACCOUNTS_SCHEMA),
        statements=pl.DataFrame(list(statements.values()), schema=STATEMENTS_SCHEMA),
        statement_lines=pl.concat(line_chunks, rechunk=True)
        if line_chunks
        else pl.DataFrame([], schema=STATEMENT_LINES_SCHEMA),
        links=pl.concat(link_chunks, rechunk=True).select(list(LINKS_SCHEMA))
        if link_chunks
        else pl.DataFrame([], schema=LINKS_SCHEMA),
    )


_LINK_SCALARS = {k: v for k, v in LINKS_SCHEMA.items() if not isinstance(v, pl.List)}


def _line_frame(
    account_id: str,
    lines: list[StatementLine],
    owners: list[tuple[str, str | None, str, Any]],
    places: list[tuple[str, int]],
) -> pl.DataFrame:
    """The statement-lines frame of one file's new lines, built column by column (a third of
    the time of a dict per row)."""
    amounts = [
        _minor(line.amount, where, ".statementLines[", index, "].amount")
        for line, (where, index) in zip(lines, places, strict=True)
    ]
    columns: dict[str, list[Any]] = {
        "bank_account_id": [account_id] * len(lines),
        "statement_id": [o[0] for o in owners],
        "statement_line_id": [line.statement_line_id for line in lines],
        "import_source": [o[1] for o in owners],
        "import_source_kind": [o[2] for o in owners],
        "imported_at": [o[3] for o in owners],
        "posted_date": [line.posted_date for line in lines],
        "transaction_date": [line.transaction_date or line.posted_date for line in lines],
        "amount": amounts,
        "payee": [line.payee for line in lines],
        "reference": [line.reference for line in lines],
        "type": [line.type for line in lines],
        "is_reconciled": [line.is_reconciled for line in lines],
        "is_duplicate": [line.is_duplicate for line in lines],
        "is_deleted": [line.is_deleted for line in lines],
        "payment_count": [len(line.payments) for line in lines],
        "bank_transaction_count": [len(line.bank_transactions) for line in lines],
    }
    return pl.DataFrame(columns, schema=STATEMENT_LINES_SCHEMA)


def _check_repeat(
    seen: tuple[str, int, StatementLine, str, str],
    account_id: str,
    statement_id: str,
    line: StatementLine,
    where: str,
) -> None:
    """Let a repeated statement line ID pass only when the repeat is the same line.

    Raises:
        SnapshotError: the two lines differ, or belong to different statements or accounts.
    """
    statement_where, index, first_line, first_account, first_statement = seen
    same_owner = (first_account, first_statement) == (account_id, statement_id)
    if same_owner and first_line == line:
        return
    first_where = f"{statement_where}.statementLines[{index}]"
    fields = [
        name for name in type(line).model_fields if getattr(line, name) != getattr(first_line, name)
    ]
    differs = (
        f"they differ in {', '.join(fields)}" if fields else "they belong to different statements"
    )
    raise SnapshotError(
        f"{where}: statement line ID {line.statement_line_id} also at {first_where}, "
        f"and {differs}: two different lines under one ID cannot both be counted and "
        "neither can be chosen; fetch the snapshot again"
    )


_DOCUMENT_KINDS = ("invoice", "credit_note", "prepayment", "overpayment")


def _links(
    account_id: str,
    line: StatementLine,
    place: tuple[str, int],
    rows: list[dict[str, Any]],
    lists: tuple[list[list[str]], list[list[str]]],
) -> None:
    """Append the line's payments and bank transactions to ``rows`` (scalar columns of
    :data:`LINKS_SCHEMA`) and their line items' account types and reporting codes to
    ``lists``."""
    where, l_index = place
    account_types, reporting_codes = lists
    for i, payment in enumerate(line.payments):
        doc = payment.document
        kind = next((k for k in _DOCUMENT_KINDS if getattr(payment, k) is not None), None)
        rows.append(
            {
                "bank_account_id": account_id,
                "statement_line_id": line.statement_line_id,
                "link_kind": "payment",
                "link_id": payment.payment_id,
                "document_kind": kind,
                "document_id": doc
                and (
                    doc.invoice_id or doc.credit_note_id or doc.prepayment_id or doc.overpayment_id
                ),
                "contact_id": doc and doc.contact and doc.contact.contact_id,
                "contact_name": doc and doc.contact and doc.contact.contact_name,
                "date": payment.date,
                "amount": _minor(
                    payment.amount, where, ".statementLines[", l_index, "].payments[", i, "].amount"
                ),
                "bank_amount": _minor(
                    payment.bank_amount,
                    where,
                    ".statementLines[",
                    l_index,
                    "].payments[",
                    i,
                    "].bankAmount",
                ),
            }
        )
        items = doc.line_items if doc else []
        account_types.append([li.account_type for li in items if li.account_type])
        reporting_codes.append([li.reporting_code for li in items if li.reporting_code])
    for i, bt in enumerate(line.bank_transactions):
        contact = bt.contact
        rows.append(
            {
                "bank_account_id": account_id,
                "statement_line_id": line.statement_line_id,
                "link_kind": "bank_transaction",
                "link_id": bt.bank_transaction_id,
                "document_kind": None,
                "document_id": None,
                "contact_id": contact and contact.contact_id,
                "contact_name": contact and contact.contact_name,
                "date": bt.date,
                "amount": _minor(
                    bt.amount,
                    where,
                    ".statementLines[",
                    l_index,
                    "].bankTransactions[",
                    i,
                    "].amount",
                ),
                "bank_amount": None,
            }
        )
        account_types.append([li.account_type for li in bt.line_items if li.account_type])
        reporting_codes.append([li.reporting_code for li in bt.line_items if li.reporting_code])
