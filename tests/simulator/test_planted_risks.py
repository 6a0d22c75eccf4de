"""Each sample shows the risk its README promises (and the healthy one shows none), so every
lendcheck check has a known positive and a known negative."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from lendcheck.snapshot import Snapshot, load_snapshot
from lendcheck.xero import fetch_plan as fp
from lendcheck.xero.models import CashValidationAccount, StatementLine
from lendcheck.xero.responses import bank_statements

SAMPLES_DIR = Path(__file__).resolve().parents[2] / "samples"
ZERO = Decimal(0)


@pytest.fixture(scope="module")
def samples() -> dict[str, Snapshot]:
    return {p.name: load_snapshot(p) for p in sorted(SAMPLES_DIR.iterdir()) if p.is_dir()}


def main_call(snap: Snapshot) -> list[CashValidationAccount]:
    begin = fp.statements_start(snap.as_of, snap.months).isoformat()
    response = snap.get(
        fp.CASH_VALIDATION, {"beginDate": begin, "balanceDate": snap.as_of.isoformat()}
    )
    assert response is not None
    return list(response.data)


def lines(snap: Snapshot) -> list[StatementLine]:
    return [
        ln
        for r in snap.all_of(fp.BANK_STATEMENTS)
        for s in bank_statements(snap, r).statements
        for ln in s.statement_lines
    ]


def aged_unreconciled(snap: Snapshot) -> int:
    return sum(
        1
        for ln in lines(snap)
        if not ln.is_reconciled
        and not ln.is_deleted
        and (snap.as_of - ln.transaction_date).days > 90
    )


def test_healthy_cafe_is_reconciled_and_diversified(samples: dict[str, Snapshot]) -> None:
    snap = samples["harbour-cafe"]
    accounts = main_call(snap)
    summary = accounts[0].bank_statement.statement_lines
    assert 0 < summary.unreconciled_lines < 30
    assert summary.reconciled_lines > 3000
    assert aged_unreconciled(snap) == 0
    ds = summary.data_source
    assert ds.direct_bank_feed_pos > ds.file_upload_pos > ds.manual_pos > 0
    assert ds.other == 0
    assert summary.deleted_amount != 0  # duplicates the bookkeeper deleted
    revenue = snap.all_of(fp.CONTACTS_REVENUE)[0].data
    named = [c for c in revenue.contacts if not c.is_special]
    assert len(named) >= 8
    assert max(c.total for c in named) < revenue.total / 10
    assert revenue.total_other.total_outstanding_aged == 0


def test_stale_books_pile_up_old_unreconciled_lines(samples: dict[str, Snapshot]) -> None:
    snap = samples["kowhai-builders"]
    assert aged_unreconciled(snap) >= 200
    cheque = main_call(snap)[0]
    summary = cheque.bank_statement.statement_lines
    assert summary.avg_days_unreconciled_pos > 90
    assert summary.latest_reconciled_transaction <= snap.as_of.replace(month=3, day=31)
    # undeleted duplicates: counted in the totals, flagged, never reconciled
    dups = [ln for ln in lines(snap) if ln.is_duplicate]
    assert dups and not any(ln.is_deleted or ln.is_reconciled for ln in dups)
    # cadence: unreconciled lines grow month after month since April
    cadence = {
        r.record.params["balanceDate"]: sum(
            a.bank_statement.statement_lines.unreconciled_lines for a in r.data
        )
        for r in snap.all_of(fp.CASH_VALIDATION)
        if "asAtSystemDate" in r.record.params
    }
    assert cadence["2026-03-31"] < 20
    assert cadence["2026-06-30"] < cadence["2026-07-31"] < cadence["2026-09-30"]
    assert cadence["2026-09-30"] > 300


def test_doctored_receipts_and_ledger_cash_above_the_bank(samples: dict[str, Snapshot]) -> None:
    snap = samples["sundown-wholesale"]
    account = main_call(snap)[0]
    ds = account.bank_statement.statement_lines.data_source
    assert ds.manual_pos > 0 and ds.file_upload_pos > 0
    assert ds.manual_neg == ds.file_upload_neg == 0  # receipts only
    bank_says = account.bank_statement.current_statement.end_balance  # the feed's balance
    statement = account.statement_balance.signed_value
    ledger = account.cash_account.account_balance
    assert ledger > statement > bank_says > 0
    assert account.cash_account.unreconciled_amount_pos > 0  # booked, never in the bank
    keyed = [
        ln
        for r in snap.all_of(fp.BANK_STATEMENTS)
        for s in bank_statements(snap, r).statements
        if s.import_source in ("STMTIMPORTSRC/MANUAL", "STMTIMPORTSRC/CSV")
        for ln in s.statement_lines
    ]
    assert len(keyed) == 23 and all(ln.amount > 0 and ln.is_reconciled for ln in keyed)
    assert all(ln.payments and ln.payments[0].invoice for ln in keyed)


def test_one_customer_dominates_and_pays_late(samples: dict[str, Snapshot]) -> None:
    snap = samples["northgate-haulage"]
    revenue = snap.all_of(fp.CONTACTS_REVENUE)[0].data
    top = revenue.contacts[0]
    assert top.name == "Fenwick Retail Group plc"
    assert top.total / revenue.total > Decimal("0.8")
    assert top.total_other.total_outstanding_aged > 100_000
    assert top.total_detail.total_outstanding > top.total_other.total_outstanding_aged
    others = revenue.contacts[1:]
    assert sum(c.total_other.total_outstanding_aged for c in others) == 0


def test_young_business_has_a_short_history(samples: dict[str, Snapshot]) -> None:
    snap = samples["fernleaf-studio"]
    assert snap.months == 7
    windows = {r.record.params["FromDate"] for r in snap.all_of(fp.BANK_STATEMENTS)}
    assert windows == {"2026-04-01"}
    previous = snap.get(
        fp.PROFIT_AND_LOSS, {"startDate": "2024-11-01", "endDate": "2025-10-31"}
    ).data
    assert previous.revenue.total == previous.expense.total == 0
    first = min(ln.transaction_date for ln in lines(snap))
    assert first.isoformat() == "2026-04-01"


def test_us_organisation_has_no_cashflow(samples: dict[str, Snapshot]) -> None:
    snap = samples["mesa-roasters"]
    flows = snap.all_of(fp.CASHFLOW)
    assert len(flows) == 2
    for response in flows:
        assert response.record.status == 400 and response.data is None
        assert response.problem.type == "invalid-request"
        assert response.reason == (
            "Xero answered 400: Cashflow statement is not available in US region"
        )
    assert main_call(snap)[0].bank_statement.statement_lines.data_source.other != 0
    assert main_call(snap)[0].cash_account.balance_currency == "USD"


def test_round_sum_receipts_leave_every_other_line_and_statement_as_it_was() -> None:
    # copperleaf-catering's round sums are drawn from a generator of their own: without them
    # the sample is line for line and statement for statement the same, balances apart
    import dataclasses

    from lendcheck.simulator import SAMPLES, simulate

    planted = SAMPLES["copperleaf-catering"]
    with_them = simulate(planted)
    without = simulate(dataclasses.replace(planted, round_sum_receipts=None))
    for a, b in zip(with_them.banks, without.banks, strict=True):
        assert [s.id for s in a.statements] == [s.id for s in b.statements]
        assert [(s.source, s.start_date, s.imported_at) for s in a.statements] == [
            (s.source, s.start_date, s.imported_at) for s in b.statements
        ]
        before = {ln.id: ln for ln in b.lines}
        added = [ln for ln in a.lines if ln.id not in before]
        assert [ln for ln in a.lines if ln.id in before] == b.lines
        if a.code != "090":
            assert added == []
            continue
        assert len(added) == 100
        assert {(ln.payee, ln.reference, ln.type) for ln in added} == {
            ("C REID", "EVENT BOOKING", "Credit")
        }
        assert all(ln.amount % 10_000 == 0 and 10_000 <= ln.amount <= 60_000 for ln in added)
        assert min(ln.tdate for ln in added) >= dt.date(2026, 8, 4)
        assert len({(ln.tdate, ln.amount) for ln in added}) == 100  # no duplicate line
        assert sum(ln.amount for ln in added) == 3_480_000
