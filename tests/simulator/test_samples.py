"""Invariants of every committed sample, recomputed from the snapshot with plain Python."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from lendcheck.simulator import LARGE, SAMPLES, simulate, write_snapshot
from lendcheck.simulator.bank import source_kind
from lendcheck.snapshot import Snapshot, load_snapshot
from lendcheck.xero import fetch_plan as fp
from lendcheck.xero.models import CashValidationAccount, Statement, StatementLine
from lendcheck.xero.responses import bank_statements

SAMPLES_DIR = Path(__file__).resolve().parents[2] / "samples"
#: The large sample's profile at a hundredth of its volume: same 10 accounts and 36 months.
LARGE_MINI = dataclasses.replace(
    LARGE, name="large-mini", bulk_receipts_daily=1, bulk_spend_daily=1
)
PROFILES = {**SAMPLES, LARGE_MINI.name: LARGE_MINI}
#: Profiles whose snapshots hold the Finance API's calls (statement lines): the line-level
#: checks below are about them.
NAMES = [*sorted(n for n in SAMPLES if SAMPLES[n].source != "accounting"), LARGE_MINI.name]
Loader = Callable[[str], Snapshot]
ZERO = Decimal(0)
#: CashValidation fields that depend on reconciliation status (only visible as at today).
STATUS_KEYS = ("unreconciled", "reconciled", "avgDays", "earliest", "latest")


@pytest.fixture(scope="module")
def load(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Snapshot]:
    """Loads a committed sample, or generates the mini large sample once into a temp dir."""
    cache: dict[str, Snapshot] = {}

    def get(name: str) -> Snapshot:
        if name not in cache:
            if name == LARGE_MINI.name:
                out = tmp_path_factory.mktemp("mini") / name
                path = write_snapshot(simulate(LARGE_MINI), out)
            else:
                path = SAMPLES_DIR / name
            cache[name] = load_snapshot(path)
        return cache[name]

    return get


#: Each snapshot's statements by account, read through the models once per snapshot (the
#: snapshots live as long as the module's ``load`` fixture; reading the mini large sample's files
#: again for every CashValidation call and account took minutes).
#: The snapshot is kept beside its statements, so that its id is never reused for another.
_STATEMENTS: dict[int, tuple[Snapshot, dict[str, list[Statement]]]] = {}


def statements(snap: Snapshot, account_id: str) -> list[Statement]:
    """Every statement of an account across its windows (a statement split across two windows
    is merged back)."""
    if id(snap) not in _STATEMENTS:
        merged: dict[str, dict[str, tuple[Statement, list[StatementLine]]]] = defaultdict(dict)
        for response in snap.all_of(fp.BANK_STATEMENTS):
            data = bank_statements(snap, response)
            for stmt in data.statements:
                slot = merged[data.bank_account_id].setdefault(stmt.statement_id, (stmt, []))
                slot[1].extend(stmt.statement_lines)
        _STATEMENTS[id(snap)] = (
            snap,
            {
                account: sorted(
                    (
                        s.model_copy(update={"statement_lines": lines})
                        for s, lines in by_id.values()
                    ),
                    key=lambda s: (s.start_date, s.imported_date_time_utc),
                )
                for account, by_id in merged.items()
            },
        )
    return _STATEMENTS[id(snap)][1].get(account_id, [])


def recompute(
    stmts: list[Statement], begin: date, end: date, as_at: date, full: bool
) -> dict[str, Any]:
    """CashValidation statementLines recomputed from statement lines (docs/simulator.md)."""
    out: dict[str, Any] = defaultdict(lambda: ZERO)
    out.update(unreconciledLines=0, reconciledLines=0)
    un_dates: list[date] = []
    rec_dates: list[date] = []
    age = {"pos": ZERO, "neg": ZERO}
    for stmt in stmts:
        if stmt.imported_date_time_utc.date() > as_at:
            continue
        kind = source_kind(stmt.import_source or "")
        for ln in stmt.statement_lines:
            t = ln.transaction_date
            assert t is not None
            if not begin <= t <= end:
                continue
            a = ln.amount
            if ln.is_deleted:
                out["deletedAmount"] += a
                continue
            sign = "Pos" if a >= 0 else "Neg"
            out["totalAmount"] += a
            out[f"totalAmount{sign}"] += a
            out[kind] += a
            out[f"{kind}{sign}"] += a
            if not full:
                continue
            if ln.is_reconciled:
                out["reconciledLines"] += 1
                out[f"reconciledAmount{sign}"] += a
                rec_dates.append(t)
            else:
                out["unreconciledLines"] += 1
                out[f"unreconciledAmount{sign}"] += a
                un_dates.append(t)
                age[sign.lower()] += (end - t).days * a
    if full:
        for sign in ("Pos", "Neg"):
            amount = out[f"unreconciledAmount{sign}"]
            avg = age[sign.lower()] / amount if amount else ZERO
            out[f"avgDaysUnreconciled{sign}"] = avg.quantize(Decimal("0.000001"), ROUND_HALF_EVEN)
        out["earliestUnreconciledTransaction"] = min(un_dates, default=None)
        out["latestUnreconciledTransaction"] = max(un_dates, default=None)
        out["earliestReconciledTransaction"] = min(rec_dates, default=None)
        out["latestReconciledTransaction"] = max(rec_dates, default=None)
    return out


def xero_summary(account: CashValidationAccount) -> dict[str, Any]:
    assert account.bank_statement and account.bank_statement.statement_lines
    lines = account.bank_statement.statement_lines
    ds = lines.data_source
    assert ds is not None
    out = {
        "unreconciledLines": lines.unreconciled_lines,
        "reconciledLines": lines.reconciled_lines,
        "unreconciledAmountPos": lines.unreconciled_amount_pos,
        "unreconciledAmountNeg": lines.unreconciled_amount_neg,
        "reconciledAmountPos": lines.reconciled_amount_pos,
        "reconciledAmountNeg": lines.reconciled_amount_neg,
        "avgDaysUnreconciledPos": lines.avg_days_unreconciled_pos,
        "avgDaysUnreconciledNeg": lines.avg_days_unreconciled_neg,
        "earliestUnreconciledTransaction": lines.earliest_unreconciled_transaction,
        "latestUnreconciledTransaction": lines.latest_unreconciled_transaction,
        "earliestReconciledTransaction": lines.earliest_reconciled_transaction,
        "latestReconciledTransaction": lines.latest_reconciled_transaction,
        "deletedAmount": lines.deleted_amount,
        "totalAmount": lines.total_amount,
        "totalAmountPos": lines.total_amount_pos,
        "totalAmountNeg": lines.total_amount_neg,
    }
    for kind in ("directBankFeed", "fileUpload", "manual", "other"):
        snake = {"directBankFeed": "direct_bank_feed", "fileUpload": "file_upload"}.get(kind, kind)
        out[kind] = getattr(ds, snake)
        out[f"{kind}Pos"] = getattr(ds, f"{snake}_pos")
        out[f"{kind}Neg"] = getattr(ds, f"{snake}_neg")
    return out


@pytest.mark.parametrize("name", NAMES)
def test_sample_holds_exactly_the_fetch_plan(name: str, load: Loader) -> None:
    snap = load(name)
    main = snap.get(
        fp.CASH_VALIDATION,
        {
            "beginDate": fp.statements_start(snap.as_of, snap.months),
            "balanceDate": snap.as_of.isoformat(),
        },
    )
    assert main is not None
    ids = [a.account_id for a in main.data]
    planned = {c.key for c in fp.fetch_plan(snap.as_of, ids, snap.months)}
    assert {fp.call_key(c.endpoint, c.params) for c in snap.calls} == planned
    assert snap.source == "simulator"
    assert snap.fetched_at == f"{snap.as_of + timedelta(days=1)}T09:00:00Z"


@pytest.mark.parametrize("name", NAMES)
def test_cash_validation_equals_statement_lines(name: str, load: Loader) -> None:
    snap = load(name)
    begin = fp.statements_start(snap.as_of, snap.months)
    checked = 0
    for response in snap.all_of(fp.CASH_VALIDATION):
        params = response.record.params
        end = date.fromisoformat(params["balanceDate"])
        as_at = date.fromisoformat(params.get("asAtSystemDate", snap.as_of.isoformat()))
        full = as_at == snap.as_of  # reconciliation status is only visible as at today
        for account in response.data:
            stmts = statements(snap, account.account_id)
            mine = recompute(stmts, begin, end, as_at, full)
            xero = xero_summary(account)
            for key, value in xero.items():
                if not full and key.startswith(STATUS_KEYS):
                    continue
                assert value == mine[key], (name, params, account.account_id, key)
            if not full:
                total = xero["unreconciledLines"] + xero["reconciledLines"]
                counted = sum(
                    1
                    for s in stmts
                    if s.imported_date_time_utc.date() <= as_at
                    for ln in s.statement_lines
                    if not ln.is_deleted and begin <= ln.transaction_date <= end
                )
                assert total == counted
            # statement balance: conversion balance + every non-deleted line to balanceDate
            assert account.cash_account and account.statement_balance
            moved = sum(
                (
                    ln.amount
                    for s in stmts
                    if s.imported_date_time_utc.date() <= as_at
                    for ln in s.statement_lines
                    if not ln.is_deleted and ln.transaction_date <= end
                ),
                ZERO,
            )
            opening = account.cash_account.starting_balance
            assert account.statement_balance.signed_value == opening + moved
            seen = [s for s in stmts if s.imported_date_time_utc.date() <= as_at]
            if seen:
                current = max(seen, key=lambda s: s.imported_date_time_utc)
                cur = account.bank_statement.current_statement
                assert cur is not None
                assert (cur.start_date, cur.end_date, cur.start_balance, cur.end_balance) == (
                    current.start_date,
                    current.end_date,
                    current.start_balance,
                    current.end_balance,
                )
                assert account.statement_balance_date == max(
                    s.imported_date_time_utc.date() for s in seen
                )
            checked += 1
    assert checked >= 13


@pytest.mark.parametrize("name", NAMES)
def test_trial_balance_debits_equal_credits(name: str, load: Loader) -> None:
    tb = load(name).all_of(fp.TRIAL_BALANCE)[0].data
    debits = sum(a.balance.value for a in tb.accounts if a.balance.entry_type == "DEBIT")
    credits = sum(a.balance.value for a in tb.accounts if a.balance.entry_type == "CREDIT")
    assert debits == credits > 0
    signed = Decimal(0)
    for a in tb.accounts:
        sign = 1 if a.account_class in ("ASSET", "EXPENSE") else -1
        value = a.balance.value if a.balance.entry_type == "DEBIT" else -a.balance.value
        assert a.signed_balance == sign * value
        signed += value
    assert signed == 0


@pytest.mark.parametrize("name", NAMES)
def test_balance_sheet_balances(name: str, load: Loader) -> None:
    for response in load(name).all_of(fp.BALANCE_SHEET):
        bs = response.data
        for group in (bs.asset, bs.liability, bs.equity):
            assert group.total == sum((t.total for t in group.account_types), ZERO)
            for t in group.account_types:
                assert t.total == sum((a.total for a in t.accounts), ZERO)
        assert bs.asset.total == bs.liability.total + bs.equity.total
        names = [a.name for t in bs.equity.account_types for a in t.accounts]
        assert "Current Year Earnings" in names


@pytest.mark.parametrize("name", NAMES)
def test_profit_and_loss_adds_up(name: str, load: Loader) -> None:
    snap = load(name)
    for response in snap.all_of(fp.PROFIT_AND_LOSS):
        pnl = response.data
        assert pnl.net_profit_loss == pnl.revenue.total - pnl.expense.total
        for cls in (pnl.revenue, pnl.expense):
            assert cls.total == sum((t.total for t in cls.account_types), ZERO)
        params = response.record.params
        for endpoint, cls in (
            (fp.CONTACTS_REVENUE, pnl.revenue),
            (fp.CONTACTS_EXPENSE, pnl.expense),
        ):
            response = snap.get(endpoint, params)
            if response is None:  # the month ending at the report date has no contacts call
                assert params["startDate"] == snap.as_of.replace(day=1).isoformat()
                continue
            contacts = response.data
            assert contacts.total == sum((c.total for c in contacts.contacts), ZERO)
            assert contacts.total + contacts.manual_journals.total == cls.total


@pytest.mark.parametrize("name", NAMES)
def test_cash_flow_closing_is_opening_plus_movement(name: str, load: Loader) -> None:
    snap = load(name)
    flows = snap.all_of(fp.CASHFLOW)
    if PROFILES[name].country == "US":
        assert all(r.record.status == 400 and r.problem is not None for r in flows)
        assert flows[0].problem.detail == "Cashflow statement is not available in US region"
        return
    for response in flows:
        cf = response.data
        cash = cf.cash_balance
        assert cash.closing_cash_balance == cash.opening_cash_balance + cash.net_cash_movement
        assert cash.net_cash_movement == sum((a.total for a in cf.cashflow_activities), ZERO)
        bs = snap.get(fp.BALANCE_SHEET, {"balanceDate": cf.end_date.isoformat()}).data
        bank = sum((t.total for t in bs.asset.account_types if t.account_type == "BANK"), ZERO)
        assert cash.closing_cash_balance == bank


@pytest.mark.parametrize("name", NAMES)
def test_ledger_cash_agrees_with_balance_sheet(name: str, load: Loader) -> None:
    snap = load(name)
    cv = snap.get(
        fp.CASH_VALIDATION,
        {
            "beginDate": fp.statements_start(snap.as_of, snap.months),
            "balanceDate": snap.as_of.isoformat(),
        },
    ).data
    bs = snap.get(fp.BALANCE_SHEET, {"balanceDate": snap.as_of.isoformat()}).data
    bank = {
        a.account_id: a.total
        for t in bs.asset.account_types
        if t.account_type == "BANK"
        for a in t.accounts
    }
    for account in cv:
        assert account.cash_account.account_balance == bank[account.account_id]


def chain_breaks(stmts: list[Statement]) -> tuple[int, int, int]:
    """(pairs of adjacent supplied statements checked, of which broken, supplied statements
    whose balances differ from Xero's indicative balances)."""
    supplied = [s for s in stmts if s.start_balance or s.end_balance]
    checked = broken = 0
    for prev, nxt in pairwise(stmts):
        if (prev.end_balance or prev.start_balance) and (nxt.start_balance or nxt.end_balance):
            checked += 1
            broken += prev.end_balance != nxt.start_balance
    off = sum(
        1
        for s in supplied
        if (s.start_balance, s.end_balance)
        != (s.indicative_start_balance, s.indicative_end_balance)
    )
    return checked, broken, off


@pytest.mark.parametrize("name", NAMES)
def test_statement_balances_chain_where_supplied(name: str, load: Loader) -> None:
    snap = load(name)
    profile = PROFILES[name]
    cv = snap.all_of(fp.CASH_VALIDATION)[0].data
    totals = [0, 0, 0]
    for account in cv:
        stmts = statements(snap, account.account_id)
        for i, value in enumerate(chain_breaks(stmts)):
            totals[i] += value
        indicative = account.cash_account.starting_balance
        for s in stmts:  # Xero's indicative balances always run on from each other
            assert s.indicative_start_balance == indicative
            indicative += sum((ln.amount for ln in s.statement_lines if not ln.is_deleted), ZERO)
            assert s.indicative_end_balance == indicative
    checked, broken, off = totals
    assert checked > 20
    if profile.typed_balance_offset:
        assert broken > 0 and off > 0  # doctored: typed balances that do not chain
    elif not profile.delete_duplicates or profile.fake_receipts:
        assert broken == 0
    else:
        assert broken == 0 and off == 0


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_regenerates_byte_identically(name: str, tmp_path: Path) -> None:
    from lendcheck.simulator import generate_sample

    out = generate_sample(name, tmp_path / name)
    committed = SAMPLES_DIR / name
    mine = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    theirs = sorted(p.relative_to(committed) for p in committed.rglob("*") if p.is_file())
    assert mine == theirs
    for rel in mine:
        assert (out / rel).read_bytes() == (committed / rel).read_bytes(), rel


@pytest.mark.parametrize("name", NAMES)
def test_reconciled_lines_link_their_full_amount(name: str, load: Loader) -> None:
    snap = load(name)
    linked = 0
    for response in snap.all_of(fp.BANK_STATEMENTS):
        for stmt in bank_statements(snap, response).statements:
            for ln in stmt.statement_lines:
                amounts = [p.amount for p in ln.payments] + [t.amount for t in ln.bank_transactions]
                if not ln.is_reconciled:
                    assert amounts == []
                    continue
                assert sum(amounts, ZERO) == abs(ln.amount), ln.statement_line_id
                for p in ln.payments:
                    doc = p.document
                    assert doc is not None and doc.contact is not None
                    assert p.amount <= doc.total
                    if p.invoice is not None and ln.amount > 0:
                        assert p.date == ln.transaction_date
                linked += 1
    assert linked > 100
