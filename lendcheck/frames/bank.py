"""The bank side of a snapshot as one set of frames (:class:`BankFrames`): the files' frames
(:class:`StatementFrames`, one per BankStatementsPlus response, read when the snapshot is
loaded) joined, each statement line once.

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

from collections.abc import Iterable
from datetime import date

import polars as pl

from lendcheck.errors import SnapshotError
from lendcheck.frames._reader import statement_frames
from lendcheck.frames.statements import (
    BANK_ACCOUNTS_SCHEMA,
    LINKS_SCHEMA,
    STATEMENT_LINES_SCHEMA,
    STATEMENTS_SCHEMA,
    BankFrames,
    StatementFrames,
)
from lendcheck.snapshot import Snapshot
from lendcheck.xero import fetch_plan as fp
from lendcheck.xero.models import BankStatements, Statement, StatementLine
from lendcheck.xero.responses import bank_statements


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
    read = [f for r in responses if (f := r.data_as(StatementFrames)) is not None]
    frames = _join(read, repeats=False)
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
    when a statement line ID occurs twice and ``repeats`` is False. The lines and links are
    the files' own columns, not copied (one chunk per file): the snapshot holds each table
    once."""
    lines = (
        pl.concat([f.statement_lines for f in files], rechunk=False)
        if files
        else pl.DataFrame([], schema=STATEMENT_LINES_SCHEMA)
    )
    if not repeats and _repeated(lines.get_column("statement_line_id")):
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
        links=pl.concat([f.links for f in files], rechunk=False)
        if files
        else pl.DataFrame([], schema=LINKS_SCHEMA),
    )


def _repeated(ids: pl.Series) -> bool:
    """Whether a value occurs twice: first among the values' 64-bit hashes (a million IDs in
    a few hundredths of a second, a tenth of the memory of grouping the strings), then, only
    when two hashes are equal, among the values themselves."""
    hashes = ids.hash()
    return hashes.n_unique() != hashes.len() and bool(ids.is_duplicated().any())


#: Where each line was first seen (statement's place, line index, line, account, statement).
_Seen = dict[str, tuple[str, int, StatementLine, str, str]]


def frames_from_bank_statements(items: Iterable[tuple[str, BankStatements]]) -> BankFrames:
    """Build :class:`BankFrames` from (file name, parsed response) pairs, first seen wins: a
    line whose ID was met before is left out, after checking it is the same line.

    Raises:
        SnapshotError: an amount has more decimal places than its currency; two different lines
            share an ID.
    """
    seen: _Seen = {}
    files = [statement_frames(file, _first_seen(file, response, seen)) for file, response in items]
    frames = _join(files, repeats=True)
    assert frames is not None
    return frames


def _first_seen(file: str, response: BankStatements, seen: _Seen) -> BankStatements:
    """The response without the lines ``seen`` already holds (each checked to be the same line),
    its own lines added to ``seen``."""
    account_id = response.bank_account_id
    statements: list[Statement] = []
    for s_index, st in enumerate(response.statements):
        statement_id = st.statement_id or f"{account_id}:{file}:{s_index}"
        where = f"{file}: statements[{s_index}]"
        kept: list[StatementLine] = []
        for l_index, line in enumerate(st.statement_lines):
            first = seen.get(line.statement_line_id)
            if first is not None:
                _check_repeat(
                    first, account_id, statement_id, line, f"{where}.statementLines[{l_index}]"
                )
                continue
            seen[line.statement_line_id] = (where, l_index, line, account_id, statement_id)
            kept.append(line)
        statements.append(
            st
            if len(kept) == len(st.statement_lines)
            else st.model_copy(update={"statement_lines": kept})
        )
    return response.model_copy(update={"statements": statements})


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
