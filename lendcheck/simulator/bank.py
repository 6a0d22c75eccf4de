"""Bank accounts as the bank sees them: statement lines, their import into Xero as statements,
and reconciliation status.

Conventions (the metrics engineers recompute CashValidation from these, see docs/simulator.md):

* a line's accounting date is its ``transactionDate``; ``postedDate`` is the bank's posting day
  (the next business day for weekend transactions);
* every line is imported into Xero in a statement: a direct or indirect feed imports the lines
  posted on one day on the next morning (one statement per posted day); a CSV upload holds one
  calendar month and arrives a few days after it; manual keying holds one ISO week and is typed
  in on the following Monday or later. Lines not imported by ``as_of`` are not in Xero;
* ``startBalance``/``endBalance`` are the bank's own running balance for feeds (about one feed
  statement in ten has neither: 0 = not supplied), 0 for uploads and manual statements unless a
  profile types them; ``indicative*`` are the conversion balance plus the running sum of the
  non-deleted lines of every statement before (and including) this one, in statement order
  (start date, then import time).
"""

from __future__ import annotations

import calendar
import functools
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from lendcheck.simulator.ids import guid

FEED_SUFFIX = "FEED"
AGGREGATORS = frozenset({"STMTIMPORTSRC/YODLEE"})
FILE_UPLOADS = frozenset({"STMTIMPORTSRC/CSV", "STMTIMPORTSRC/OFX", "STMTIMPORTSRC/QIF"})
MANUAL = "STMTIMPORTSRC/MANUAL"
CSV = "STMTIMPORTSRC/CSV"


@functools.cache
def source_kind(import_source: str) -> str:
    """CashValidation ``dataSource`` bucket of a statement's ``importSource``.

    Returns:
        ``"directBankFeed"`` for direct feeds (``STMTIMPORTSRC/<BANK>FEED``) and indirect feeds
        via an aggregator (``STMTIMPORTSRC/YODLEE``); ``"fileUpload"`` for CSV, OFX and QIF;
        ``"manual"`` for ``STMTIMPORTSRC/MANUAL``; ``"other"`` for anything else.
    """
    src = import_source.upper()
    if src.endswith(FEED_SUFFIX) or src in AGGREGATORS:
        return "directBankFeed"
    if src in FILE_UPLOADS:
        return "fileUpload"
    if src == MANUAL:
        return "manual"
    return "other"


#: CashValidation ``currentStatement.importSourceType`` of each ``dataSource`` bucket.
SOURCE_TYPE = {
    "directBankFeed": "DirectBankFeed",
    "fileUpload": "FileUpload",
    "manual": "Manual",
    "other": "Other",
}


def business_day(day: date) -> date:
    """``day`` or the Monday after it when it falls on a weekend."""
    wd = day.weekday()
    return day + timedelta(days=7 - wd) if wd >= 5 else day


@dataclass(slots=True)
class Line:
    """One bank statement line.

    Attributes:
        id: statementLineId.
        tdate: transaction (accounting) date.
        pdate: posted date.
        amount: cents, positive = money in.
        payee, reference, type: as the bank describes the line.
        source: import source of the statement it arrives in.
        imported: import date (None = not in Xero by ``as_of``).
        reconciled: system date it was reconciled (None = not by ``as_of``).
        duplicate, deleted: Xero's flags.
        fake: True for lines the bank never sent (doctored data).
        links: ``{"payments": [...]}`` or ``{"bankTransactions": [...]}`` for reconciled lines.
        notes: free text typed by the user (manual lines).
    """

    id: str
    tdate: date
    pdate: date
    amount: int
    payee: str
    reference: str
    type: str
    source: str
    imported: date | None
    reconciled: date | None = None
    duplicate: bool = False
    deleted: bool = False
    fake: bool = False
    links: dict[str, list[dict[str, Any]]] | None = None
    notes: str | None = None


@dataclass
class Statement:
    """One statement imported into Xero (all amounts in cents).

    Attributes:
        supplied_start, supplied_end: the bank's balances (0 = not supplied).
        indicative_start, indicative_end: Xero's running balances (see module doc).
    """

    id: str
    source: str
    start_date: date
    end_date: date
    imported_at: datetime
    lines: list[Line] = field(default_factory=list)
    supplied_start: int = 0
    supplied_end: int = 0
    indicative_start: int = 0
    indicative_end: int = 0

    @property
    def imported_date(self) -> date:
        """Day of the import (UTC)."""
        return self.imported_at.date()


@dataclass
class BankAccount:
    """A bank account: its ledger account and the lines the bank (and the user) put in Xero.

    Attributes:
        code: ledger account code.
        name: account name (``bankAccountName``).
        account_id: Xero GUID (the CashValidation ``accountId``).
        opening: conversion (opening) balance in cents.
        sources: ``(from date, import source)`` segments, in date order.
        supplied_share: share of feed statements whose balances the bank supplies.
    """

    code: str
    name: str
    account_id: str
    opening: int
    sources: tuple[tuple[date, str], ...]
    supplied_share: float = 0.9
    lines: list[Line] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)

    def source_on(self, day: date) -> str:
        """The import source that brings in lines posted on ``day``."""
        if len(self.sources) == 1:
            return self.sources[0][1]
        current = self.sources[0][1]
        for start, source in self.sources:
            if start <= day:
                current = source
            else:
                break
        return current

    def import_date(self, posted: date, source: str) -> date:
        """The day a line posted on ``posted`` reaches Xero via ``source`` (module doc)."""
        kind = source_kind(source)
        if kind == "fileUpload":
            last = calendar.monthrange(posted.year, posted.month)[1]
            return posted.replace(day=last) + timedelta(days=4)
        if kind == "manual":
            return posted + timedelta(days=7 - posted.weekday())
        return posted + timedelta(days=1)


def statement_key(line: Line) -> tuple[str, date, date]:
    """The statement a line is imported in: (import source, start date, end date)."""
    kind = source_kind(line.source)
    p = line.pdate
    if kind == "fileUpload":
        last = calendar.monthrange(p.year, p.month)[1]
        return line.source, p.replace(day=1), p.replace(day=last)
    if kind == "manual":
        monday = p - timedelta(days=p.weekday())
        return line.source, monday, monday + timedelta(days=6)
    return line.source, p, p


def build_statements(
    bank: BankAccount,
    rng: random.Random,
    typed_balances: dict[date, tuple[int, int]] | None = None,
) -> None:
    """Group the account's imported lines into statements and set their balances.

    Args:
        bank: the account; its ``lines`` must be complete. Fills ``bank.statements``.
        rng: the seeded generator (statement GUIDs, import times, unsupplied balances).
        typed_balances: balances a user typed for manual/uploaded statements, keyed by the
            statement's start date ((start, end) cents); others are 0 (not supplied).
    """
    groups: dict[tuple[str, date, date], list[Line]] = {}
    for line in bank.lines:
        if line.imported is None:
            continue
        groups.setdefault(statement_key(line), []).append(line)
    statements = []
    for (source, start, end), lines in groups.items():
        imported = max(line.imported for line in lines if line.imported is not None)
        kind = source_kind(source)
        if kind == "directBankFeed":
            clock = time(3, rng.randrange(60), rng.randrange(60))
        else:
            clock = time(9 + rng.randrange(8), rng.randrange(60), rng.randrange(60))
        stmt = Statement(guid(rng), source, start, end, datetime.combine(imported, clock), lines)
        statements.append(stmt)
    statements.sort(key=lambda s: (s.start_date, s.imported_at))
    true_balance = indicative = bank.opening
    typed = typed_balances or {}
    for stmt in statements:
        stmt.lines.sort(key=lambda ln: (ln.tdate, ln.pdate))
        true_moves = sum(ln.amount for ln in stmt.lines if not (ln.fake or ln.duplicate))
        kept = sum(ln.amount for ln in stmt.lines if not ln.deleted)
        stmt.indicative_start = indicative
        indicative += kept
        stmt.indicative_end = indicative
        start_true = true_balance
        true_balance += true_moves
        kind = source_kind(stmt.source)
        if kind == "directBankFeed" and rng.random() < bank.supplied_share:
            stmt.supplied_start, stmt.supplied_end = start_true, true_balance
        elif stmt.start_date in typed and kind in ("manual", "fileUpload"):
            stmt.supplied_start, stmt.supplied_end = typed[stmt.start_date]
    bank.statements = statements
