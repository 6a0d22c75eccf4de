"""Polars frames of a snapshot's bank statements: the one input of every statement-line metric.

Amounts are exact: ``Int64`` minor units (thousandths of the account's currency, the finest ISO
4217 scale; an amount finer than its currency's scale is refused), converted from
Decimals (or ints) by :func:`lendcheck.money.to_minor_units`'s rule. Dates are ``pl.Date``.

Frames are made file by file (:func:`statement_frames`, one :class:`StatementFrames` per
BankStatementsPlus response) from statement lines that are either the pydantic models of
:mod:`lendcheck.xero.models` or the structs of :mod:`lendcheck.statement_reader`, which reads a
file straight into its frames while the snapshot is loaded; then joined (:func:`bank_frames`).

BankStatementsPlus is read in windows of at most 12 months; a statement spanning two windows
comes back in both, each time with the lines of that window. Frames therefore keep each
statement line once (first window seen, newest first) and merge a statement's rows by
``statement_id``.

A statement line ID met twice is one line only when both copies are identical (the same line
delivered again, by an overlapping window or twice in one response): it is counted once. Two
different lines under one ID (another amount, date, status...) cannot both be right and
neither can be chosen silently: that is a :class:`SnapshotError` naming the ID and both places.
Whether two copies are identical is decided on the models (:func:`frames_from_bank_statements`),
so a snapshot with a repeated ID is read through the models.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

import polars as pl

from lendcheck import limits
from lendcheck.errors import SnapshotError
from lendcheck.money import MINOR_UNITS, currency_digits, to_minor_units
from lendcheck.snapshot import Snapshot
from lendcheck.xero import fetch_plan as fp
from lendcheck.xero.models import BankStatements, Statement, StatementLine
from lendcheck.xero.responses import bank_statements

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
    holds them once :mod:`lendcheck.statement_reader` has read the file.

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


def _minor(value: Any, where: str, *place: object, currency: str | None = None) -> int | None:
    # ``place`` is joined to ``where`` only on error: formatting a location for each of a
    # million amounts cost more than converting them.
    if value is None:
        return None
    try:
        return to_minor_units(value, currency)
    except ValueError as exc:
        raise SnapshotError(f"{where}{''.join(map(str, place))}: {exc}") from exc


def _lower(values: list[Any]) -> pl.Series:
    """A ``String`` column of GUIDs lower-cased as :data:`lendcheck.xero.models.Guid` does (a no-op
    on model values): by polars when the column is ASCII (where its lower case is Python's),
    else value by value."""
    column = pl.Series(values, dtype=pl.String)
    if column.str.contains(r"[^\x00-\x7F]").any():
        return pl.Series([v if v is None else v.lower() for v in values], dtype=pl.String)
    return column.str.to_lowercase()


def _list_columns(rows: list[list[Any]]) -> pl.DataFrame:
    """The ``account_types`` and ``reporting_codes`` (``List(String)``) of each row's line
    items, falsy values left out, built flat (polars makes a Series per row from nested
    Python lists: most of the time of a large snapshot's frames)."""
    row_index = [i for i, items in enumerate(rows) for _ in items]
    flat = pl.DataFrame(
        {
            "i": row_index,
            "account_types": [li.account_type or None for items in rows for li in items],
            "reporting_codes": [li.reporting_code or None for items in rows for li in items],
        },
        schema={"i": pl.UInt32, "account_types": pl.String, "reporting_codes": pl.String},
    )
    grouped = flat.group_by("i", maintain_order=True).agg(
        pl.col("account_types").drop_nulls(), pl.col("reporting_codes").drop_nulls()
    )
    empty = pl.lit([], dtype=pl.List(pl.String))
    return (
        pl.DataFrame({"i": pl.int_range(0, len(rows), dtype=pl.UInt32, eager=True)})
        .join(grouped, on="i", how="left", maintain_order="left")
        .select(pl.col("account_types", "reporting_codes").fill_null(empty))
    )


def bank_frames(snapshot: Snapshot, as_of: date | None = None) -> BankFrames:
    """Build :class:`BankFrames` from every BankStatementsPlus response in the snapshot.

    Responses are taken newest window first per account (plan order), so a line or statement
    that two windows both return is kept once. The frames the snapshot holds per file
    (:class:`StatementFrames`, :func:`lendcheck.frames.load.load_snapshot`) are joined; when a
    statement line ID occurs twice, every file is read through the models instead
    (:func:`frames_from_bank_statements`), which decides between the two lines.

    Args:
        snapshot: the parsed snapshot.
        as_of: when given, statement lines (and their links) with a transaction date after it
            are left out, so that a report dated before the snapshot sees only its past.

    Raises:
        SnapshotError: an amount has more decimal places than its currency (names the file and
            line); two different lines share an ID.
    """
    responses = [r for r in snapshot.all_of(fp.BANK_STATEMENTS) if r.data is not None]
    responses.sort(key=lambda r: r.record.params.get("ToDate", ""), reverse=True)
    frames = _join([r.data for r in responses], repeats=False)
    if frames is None:
        frames = frames_from_bank_statements(
            (r.record.file, bank_statements(snapshot, r)) for r in responses
        )
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


def _join(files: list[StatementFrames], *, repeats: bool) -> BankFrames | None:
    """Join files' frames in order: each account and statement ID once (first seen). None
    when a statement line ID occurs twice and ``repeats`` is False."""
    lines = (
        pl.concat([f.statement_lines for f in files], rechunk=True)
        if files
        else pl.DataFrame([], schema=STATEMENT_LINES_SCHEMA)
    )
    if not repeats and lines.get_column("statement_line_id").is_duplicated().any():
        return None
    accounts = [
        (f.bank_account_id, f.bank_account_name, f.bank_account_currency_code) for f in files
    ]
    return BankFrames(
        bank_accounts=pl.DataFrame(accounts, schema=BANK_ACCOUNTS_SCHEMA, orient="row").unique(
            "bank_account_id", keep="first", maintain_order=True
        ),
        statements=(
            pl.concat([f.statements for f in files], rechunk=True)
            if files
            else pl.DataFrame([], schema=STATEMENTS_SCHEMA)
        ).unique("statement_id", keep="first", maintain_order=True),
        statement_lines=lines,
        links=pl.concat([f.links for f in files], rechunk=True)
        if files
        else pl.DataFrame([], schema=LINKS_SCHEMA),
    )


#: Where each line was first seen (statement's place, line index, line, account, statement).
_Seen = dict[str, tuple[str, int, StatementLine, str, str]]
#: Per kept line: the index of its statement, and its index among the statement's lines.
_Places = tuple[list[int], list[int]]


def frames_from_bank_statements(items: Iterable[tuple[str, BankStatements]]) -> BankFrames:
    """Build :class:`BankFrames` from (file name, parsed response) pairs, first seen wins.

    Raises:
        SnapshotError: an amount has more decimal places than its currency; two different lines
            share an ID.
    """
    seen: _Seen = {}
    files = [
        statement_frames(
            file, response, [(st, st.statement_lines) for st in response.statements], seen
        )
        for file, response in items
    ]
    frames = _join(files, repeats=True)
    assert frames is not None
    return frames


def statement_frames(
    file: str,
    response: BankStatements,
    statements: Sequence[tuple[Statement, Sequence[Any]]],
    seen: _Seen | None = None,
) -> StatementFrames:
    """The frames of one BankStatementsPlus response.

    Args:
        file: the response's file in the snapshot (for error messages and statements
            without an ID).
        response: the response's account (its ``statements`` are not read).
        statements: each statement (its lines are not read) with its lines: models of
            :class:`lendcheck.xero.models.StatementLine`, or objects with the same attributes and
            values as the models would hold them (:mod:`lendcheck.statement_reader`), except
            that GUIDs may be in any case and amounts ``int`` as well as ``Decimal``.
        seen: for :func:`frames_from_bank_statements`: the lines of earlier files; a line
            seen before is left out, after checking it is the same line. None: every line kept.

    Raises:
        SnapshotError: a statement or line amount has more decimal places than the account's
            currency has (ISO 4217; three when the response states none), another amount more
            than three; a repeated line differs.
    """
    account_id = response.bank_account_id
    currency = response.bank_account_currency_code
    rows: dict[str, dict[str, Any]] = {}
    # Each statement's (id, source, kind, import time) and place; each kept line, the index of
    # its statement there and its own index in the statement's lines.
    owners: list[tuple[str, str | None, str, Any]] = []
    wheres: list[str] = []
    kept: list[Any] = []
    places: _Places = ([], [])
    for s_index, (st, lines) in enumerate(statements):
        kind = import_source_kind(st.import_source)
        statement_id = st.statement_id or f"{account_id}:{file}:{s_index}"
        where = f"{file}: statements[{s_index}]"
        if statement_id not in rows:
            rows[statement_id] = _statement_row(account_id, statement_id, kind, st, where, currency)
        owners.append((statement_id, st.import_source, kind, st.imported_date_time_utc))
        wheres.append(where)
        if seen is None:
            kept.extend(lines)
            places[0].extend([s_index] * len(lines))
            places[1].extend(range(len(lines)))
            continue
        for l_index, line in enumerate(lines):
            first = seen.get(line.statement_line_id)
            if first is not None:
                _check_repeat(
                    first, account_id, statement_id, line, f"{where}.statementLines[{l_index}]"
                )
                continue
            seen[line.statement_line_id] = (where, l_index, line, account_id, statement_id)
            kept.append(line)
            places[0].append(s_index)
            places[1].append(l_index)
    return StatementFrames(
        bank_account_id=account_id,
        bank_account_name=response.bank_account_name,
        bank_account_currency_code=response.bank_account_currency_code,
        statements=pl.DataFrame(list(rows.values()), schema=STATEMENTS_SCHEMA),
        statement_lines=_line_frame(account_id, kept, owners, wheres, places, currency),
        links=_link_frame(account_id, kept, wheres, places),
    )


def _statement_row(
    account_id: str, statement_id: str, kind: str, st: Statement, where: str, currency: str | None
) -> dict[str, Any]:
    _check_statement_dates(st, where)
    return {
        "bank_account_id": account_id,
        "statement_id": statement_id,
        "import_source": st.import_source,
        "import_source_kind": kind,
        "imported_at": st.imported_date_time_utc,
        "start_date": st.start_date,
        "end_date": st.end_date,
        "start_balance": _minor(st.start_balance, where, ".startBalance", currency=currency),
        "end_balance": _minor(st.end_balance, where, ".endBalance", currency=currency),
        "indicative_start_balance": _minor(
            st.indicative_start_balance, where, ".indicativeStartBalance", currency=currency
        ),
        "indicative_end_balance": _minor(
            st.indicative_end_balance, where, ".indicativeEndBalance", currency=currency
        ),
    }


def _line_frame(
    account_id: str,
    lines: list[Any],
    owners: list[tuple[str, str | None, str, Any]],
    wheres: list[str],
    places: _Places,
    currency: str | None,
) -> pl.DataFrame:
    """The statement-lines frame of one file's kept lines, built column by column (a third of
    the time of a dict per row); the statement's columns gathered from one row per statement.
    """
    statement_index, line_index = places

    def line(k: int) -> str:
        return f"{wheres[statement_index[k]]}.statementLines[{line_index[k]}]"

    def where(k: int) -> str:
        return f"{line(k)}.amount"

    by_statement = pl.DataFrame(
        owners,
        schema=["statement_id", "import_source", "import_source_kind", "imported_at"],
        schema_overrides={
            k: STATEMENT_LINES_SCHEMA[k]
            for k in ("statement_id", "import_source", "import_source_kind", "imported_at")
        },
        orient="row",
    ).select(pl.all().gather(pl.Series(statement_index, dtype=pl.UInt32)))
    columns: dict[str, Any] = {
        "bank_account_id": pl.repeat(account_id, len(lines), dtype=pl.String, eager=True),
        **by_statement.to_dict(),
        "statement_line_id": _lower([line.statement_line_id for line in lines]),
        "posted_date": _dates([x.posted_date for x in lines], line, "postedDate"),
        "transaction_date": _dates(
            [x.transaction_date or x.posted_date for x in lines], line, "transactionDate"
        ),
        "amount": _minor_column([line.amount for line in lines], where, currency),
        "payee": [line.payee for line in lines],
        "reference": [line.reference for line in lines],
        "type": [line.type for line in lines],
        "is_reconciled": [line.is_reconciled for line in lines],
        "is_duplicate": [line.is_duplicate for line in lines],
        "is_deleted": [line.is_deleted for line in lines],
        "payment_count": [len(line.payments) for line in lines],
        "bank_transaction_count": [len(line.bank_transactions) for line in lines],
    }
    return pl.DataFrame(
        {name: columns[name] for name in STATEMENT_LINES_SCHEMA}, schema=STATEMENT_LINES_SCHEMA
    )


#: Days from 0001-01-01 (``date.toordinal`` 1) to 1970-01-01, polars' day 0.
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def _dates(values: list[date | None], where: Callable[[int], str], field: str) -> pl.Series:
    """A ``Date`` column from dates (by day numbers: polars reads date objects slowly).

    Raises:
        SnapshotError: a date outside :data:`lendcheck.limits.EARLIEST_DATE` to
            :data:`~lendcheck.limits.LATEST_DATE`, named by ``where(index)`` and ``field``.
    """
    days = [None if d is None else d.toordinal() - _EPOCH_ORDINAL for d in values]
    present = [d for d in days if d is not None]
    if present and (min(present) < _EARLIEST or max(present) > _LATEST):
        k = next(i for i, d in enumerate(days) if d is not None and not _EARLIEST <= d <= _LATEST)
        raise _date_error(f"{where(k)}.{field}", values[k])
    return pl.Series(days, dtype=pl.Int32).cast(pl.Date)


_EARLIEST = limits.EARLIEST_DATE.toordinal() - _EPOCH_ORDINAL
_LATEST = limits.LATEST_DATE.toordinal() - _EPOCH_ORDINAL


def _date_error(where: str, value: object) -> SnapshotError:
    return SnapshotError(
        f"{where} {value} is outside the dates lendcheck reads ({limits.EARLIEST_DATE} to "
        f"{limits.LATEST_DATE}); Xero sends no such date"
    )


def _check_statement_dates(st: Statement, where: str) -> None:
    for field, value in (
        ("startDate", st.start_date),
        ("endDate", st.end_date),
        ("importedDateTimeUtc", st.imported_date_time_utc),
    ):
        day = value.date() if isinstance(value, datetime) else value
        if day is not None and not limits.EARLIEST_DATE <= day <= limits.LATEST_DATE:
            raise _date_error(f"{where}.{field}", value)


def _minor_column(
    amounts: list[Any], where: Callable[[int], str], currency: str | None = None
) -> pl.Series:
    """An ``Int64`` column of minor units from amounts (Decimal or int, None kept), as
    :func:`lendcheck.money.to_minor_units` converts each, without a call per amount.

    Raises:
        SnapshotError: an amount has more decimal places than ``currency`` has (ISO 4217;
            three when the currency is not stated), at ``where(index)``.
    """
    scaled = [None if a is None else a * MINOR_UNITS for a in amounts]
    minor = [None if v is None else int(v) for v in scaled]
    step = MINOR_UNITS // 10 ** currency_digits(currency) if currency else 1
    if minor != scaled or (step > 1 and any(m % step for m in minor if m is not None)):
        # some amount is finer than its currency: say which, as one would
        index = next(
            i
            for i, (m, v) in enumerate(zip(minor, scaled, strict=True))
            if m != v or (m is not None and m % step)
        )
        _minor(amounts[index], where(index), currency=currency)
    return pl.Series(minor, dtype=pl.Int64)


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


def _link_frame(
    account_id: str, lines: list[Any], wheres: list[str], places: _Places
) -> pl.DataFrame:
    """The links frame of one file's kept lines: each line's payments, then its bank
    transactions, line by line; built column by column."""
    payments = [p for line in lines for p in line.payments]
    transactions = [t for line in lines for t in line.bank_transactions]
    # The index of each link's line (links come line by line, in order).
    pay_line = [i for i, line in enumerate(lines) for _ in line.payments]
    bt_line = [i for i, line in enumerate(lines) for _ in line.bank_transactions]
    docs = [p.invoice or p.credit_note or p.prepayment or p.overpayment for p in payments]
    contacts = [d and d.contact for d in docs]
    statement_index, line_index = places

    def where(owner: list[int], field: str) -> Callable[[int], str]:
        def at(k: int) -> str:
            i = owner[k]
            j = k - owner.index(i)  # the link's index among its line's
            line = f"{wheres[statement_index[i]]}.statementLines[{line_index[i]}]"
            return f"{line}.{field.format(j)}"

        return at

    n_pay, n_bt = len(payments), len(transactions)
    columns: dict[str, Any] = {
        "_line": pay_line + bt_line,
        "_kind": [0] * n_pay + [1] * n_bt,
        "bank_account_id": pl.repeat(account_id, n_pay + n_bt, dtype=pl.String, eager=True),
        "statement_line_id": _lower([lines[i].statement_line_id for i in pay_line + bt_line]),
        "link_kind": pl.Series(["payment", "bank_transaction"], dtype=pl.String).gather(
            [0] * n_pay + [1] * n_bt
        ),
        "link_id": _lower(
            [p.payment_id for p in payments] + [t.bank_transaction_id for t in transactions]
        ),
        "document_kind": [
            "invoice"
            if p.invoice is not None
            else "credit_note"
            if p.credit_note is not None
            else "prepayment"
            if p.prepayment is not None
            else "overpayment"
            if p.overpayment is not None
            else None
            for p in payments
        ]
        + [None] * n_bt,
        "document_id": _lower(
            [
                d and (d.invoice_id or d.credit_note_id or d.prepayment_id or d.overpayment_id)
                for d in docs
            ]
            + [None] * n_bt
        ),
        "contact_id": _lower(
            [c and c.contact_id for c in contacts]
            + [t.contact and t.contact.contact_id for t in transactions]
        ),
        "contact_name": [c and c.contact_name for c in contacts]
        + [t.contact and t.contact.contact_name for t in transactions],
        "date": pl.concat(
            [
                _dates([p.date for p in payments], where(pay_line, "payments[{}]"), "date"),
                _dates(
                    [t.date for t in transactions], where(bt_line, "bankTransactions[{}]"), "date"
                ),
            ]
        ),
        "amount": pl.concat(
            [
                _minor_column([p.amount for p in payments], where(pay_line, "payments[{}].amount")),
                _minor_column(
                    [t.amount for t in transactions],
                    where(bt_line, "bankTransactions[{}].amount"),
                ),
            ]
        ),
        "bank_amount": pl.concat(
            [
                _minor_column(
                    [p.bank_amount for p in payments], where(pay_line, "payments[{}].bankAmount")
                ),
                pl.Series([None] * n_bt, dtype=pl.Int64),
            ]
        ),
    }
    items = [d.line_items if d else [] for d in docs] + [t.line_items for t in transactions]
    schema = {"_line": pl.Int64, "_kind": pl.Int8, **_LINK_SCALARS}
    return (
        pl.concat([pl.DataFrame(columns, schema=schema), _list_columns(items)], how="horizontal")
        .sort("_line", "_kind", maintain_order=True)
        .select(list(LINKS_SCHEMA))
    )


_LINK_SCALARS = {k: v for k, v in LINKS_SCHEMA.items() if not isinstance(v, pl.List)}
