"""Invariants of the bank metric functions on arbitrary statement lines (hypothesis).

Frames are generated with :data:`lendcheck.frames.STATEMENT_LINES_SCHEMA`: a few accounts and
import sources, dates around the report date (some after it, some missing), amounts in minor
units from zero to billions, any mix of reconciled, deleted and duplicate flags. Each property
is one a lender relies on: counts and money add up exactly, shares stay in [0, 1], ages are
never negative, and nothing depends on the order of the rows.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lendcheck.bench.baseline import FIELDS, aggregate, weighted_ages
from lendcheck.frames import STATEMENT_LINES_SCHEMA, import_source_kind
from lendcheck.metrics.data_source import feed_verified_coverage, import_source_mix
from lendcheck.metrics.reconciliation import (
    AGEING_BUCKETS,
    line_summary,
    reconciliation_by_account,
    weighted_age,
)
from lendcheck.money import MINOR_UNITS, from_minor_units
from lendcheck.report.bank import analyse_bank

AS_OF = dt.date(2026, 10, 31)
ACCOUNTS = ("aaaaaaaa-0000-4000-8000-000000000001", "bbbbbbbb-0000-4000-8000-000000000002")
SOURCES = (
    "STMTIMPORTSRC/CBAFEED",
    "STMTIMPORTSRC/YODLEE",
    "STMTIMPORTSRC/CSV",
    "STMTIMPORTSRC/MANUAL",
    "STMTIMPORTSRC/QBO",
    None,
)
CURRENCIES = {ACCOUNTS[0]: "GBP", ACCOUNTS[1]: "GBP"}

PROPERTIES = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_line = st.fixed_dictionaries(
    {
        "bank_account_id": st.sampled_from(ACCOUNTS),
        "import_source": st.sampled_from(SOURCES),
        "transaction_date": st.one_of(
            st.none(), st.dates(AS_OF - dt.timedelta(days=800), AS_OF + dt.timedelta(days=40))
        ),
        "amount": st.one_of(  # cents, as the frames' thousandths
            st.integers(-50_000, 50_000), st.integers(-(10**11), 10**11), st.just(0)
        ).map(lambda cents: cents * (MINOR_UNITS // 100)),
        "is_reconciled": st.booleans(),
        "is_duplicate": st.booleans(),
        "is_deleted": st.booleans(),
    }
)
lines_strategy = st.lists(_line, max_size=60)


def frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """A statement-lines frame of generated rows (IDs unique, statements one per source)."""
    full = [
        {
            **row,
            "statement_id": f"{row['bank_account_id']}:{row['import_source']}",
            "statement_line_id": f"line-{i:06d}",
            "import_source_kind": import_source_kind(row["import_source"]),
            "imported_at": None,
            "posted_date": row["transaction_date"],
            "payee": None,
            "reference": None,
            "type": None,
            "payment_count": 0,
            "bank_transaction_count": 0,
        }
        for i, row in enumerate(rows)
    ]
    return pl.DataFrame(full, schema=STATEMENT_LINES_SCHEMA)


def live(rows: list[dict[str, Any]], account: str) -> list[dict[str, Any]]:
    """The rows of an account the as-of metrics count: not deleted, dated on or before as_of."""
    return [
        r
        for r in rows
        if r["bank_account_id"] == account
        and not r["is_deleted"]
        and r["transaction_date"] is not None
        and r["transaction_date"] <= AS_OF
    ]


def minor(money: Any) -> int:
    return int(money.amount * MINOR_UNITS)


def in_unit_interval(value: float | None) -> bool:
    return value is None or 0.0 <= value <= 1.0


@PROPERTIES
@given(lines_strategy)
def test_reconciliation_adds_up_exactly(rows: list[dict[str, Any]]) -> None:
    results = reconciliation_by_account(frame(rows), AS_OF, CURRENCIES)
    for account, rec in results.items():
        mine = live(rows, account)
        rec_rows = [r for r in mine if r["is_reconciled"]]
        unrec_rows = [r for r in mine if not r["is_reconciled"]]
        # counts: reconciled + unreconciled = total
        assert rec.total_lines == len(mine)
        assert rec.reconciled_lines + rec.unreconciled_lines == rec.total_lines
        assert (rec.reconciled_lines, rec.unreconciled_lines) == (len(rec_rows), len(unrec_rows))
        # money: exact, compared with Decimal sums of the generated amounts
        total = sum((from_minor_units(r["amount"]) for r in mine), Decimal(0))
        assert rec.total_amount.amount == total
        assert rec.total_amount_pos.amount + rec.total_amount_neg.amount == total
        assert (
            rec.reconciled_amount_pos.amount + rec.unreconciled_amount_pos.amount
            == rec.total_amount_pos.amount
        )
        assert (
            rec.reconciled_amount_neg.amount + rec.unreconciled_amount_neg.amount
            == rec.total_amount_neg.amount
        )
        assert rec.unreconciled_amount_pos.amount == sum(
            (from_minor_units(r["amount"]) for r in unrec_rows if r["amount"] > 0), Decimal(0)
        )
        assert minor(rec.duplicate_amount) == sum(r["amount"] for r in mine if r["is_duplicate"])
        # the ageing buckets partition the unreconciled lines, by count and by amount
        assert sum(b.lines for b in rec.ageing) == rec.unreconciled_lines
        assert sum(b.amount_pos.amount for b in rec.ageing) == rec.unreconciled_amount_pos.amount
        assert sum(b.amount_neg.amount for b in rec.ageing) == rec.unreconciled_amount_neg.amount
        assert len(rec.ageing) == len(AGEING_BUCKETS)
        assert sum(m.total_lines for m in rec.monthly) == rec.total_lines
        assert sum(m.reconciled_lines for m in rec.monthly) == rec.reconciled_lines


@PROPERTIES
@given(lines_strategy)
def test_shares_in_unit_interval_and_ages_not_negative(rows: list[dict[str, Any]]) -> None:
    for rec in reconciliation_by_account(frame(rows), AS_OF, CURRENCIES).values():
        for share in (
            rec.reconciled_share_by_count,
            rec.reconciled_share_by_amount,
            rec.unreconciled_over_90_days_share,
            *(m.reconciled_share_by_count for m in rec.monthly),
            *(m.reconciled_share_by_amount for m in rec.monthly),
        ):
            assert in_unit_interval(share)
        for age in (rec.avg_days_unreconciled_pos, rec.avg_days_unreconciled_neg):
            assert age is None or age >= 0
        if rec.oldest_unreconciled_line is not None:
            assert rec.oldest_unreconciled_line.age_days >= 0
        assert rec.books_current_lag_days is None or rec.books_current_lag_days >= 0
        assert rec.books_current_to is None or rec.books_current_to <= AS_OF
        assert rec.fully_reconciled_to is None or rec.fully_reconciled_to <= AS_OF
        if rec.total_lines == 0:
            assert rec.not_available and rec.reconciled_share_by_count is None


@PROPERTIES
@given(lines_strategy, st.randoms(use_true_random=False))
def test_independent_of_row_order(rows: list[dict[str, Any]], rnd: Any) -> None:
    lines = frame(rows)
    shuffled = lines.sample(fraction=1.0, shuffle=True, seed=rnd.randint(0, 2**31))
    assert reconciliation_by_account(lines, AS_OF, CURRENCIES) == reconciliation_by_account(
        shuffled, AS_OF, CURRENCIES
    )
    assert import_source_mix(lines, AS_OF, CURRENCIES) == import_source_mix(
        shuffled, AS_OF, CURRENCIES
    )
    by_order = line_summary(lines, end=AS_OF)
    assert by_order.equals(line_summary(shuffled, end=AS_OF))


def documents(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows as BankStatementsPlus responses, one per account, as the json module parses
    them (amounts Decimal, dates ISO text, absent when the line has none)."""
    docs: dict[str, dict[str, Any]] = {}
    for i, row in enumerate(rows):
        doc = docs.setdefault(
            row["bank_account_id"],
            {
                "bankAccountId": row["bank_account_id"].upper(),
                "statements": [{"statementLines": []}],
            },
        )
        line: dict[str, Any] = {
            "statementLineId": f"LINE-{i:06d}",
            "amount": from_minor_units(row["amount"]),
            "isReconciled": row["is_reconciled"],
            "isDeleted": row["is_deleted"],
        }
        if row["transaction_date"] is not None:
            line["transactionDate"] = row["transaction_date"].isoformat()
        doc["statements"][0]["statementLines"].append(line)
    return list(docs.values())


@PROPERTIES
@given(lines_strategy, st.dates(AS_OF - dt.timedelta(days=800), AS_OF))
def test_line_summary_equals_the_python_loop(rows: list[dict[str, Any]], begin: dt.date) -> None:
    # The bench baseline sums in a loop over parsed JSON what line_summary computes in Polars
    # over frames: the same numbers.
    summary = {
        r["bank_account_id"]: r
        for r in line_summary(frame(rows), end=AS_OF, begin=begin).iter_rows(named=True)
    }
    expected = aggregate(documents(rows), end=AS_OF, begin=begin)
    for account in ACCOUNTS:
        row = summary.get(account)
        loop = expected.get(account)
        if loop is None:  # no live line in range: nothing, or only deleted lines
            assert row is None or row["total_lines"] == 0
            continue
        assert row is not None
        assert {f: row[f] or 0 for f in FIELDS} == loop
        pos, neg = weighted_ages(loop)
        assert (
            weighted_age(row["unreconciled_age_amount_pos"], row["unreconciled_amount_pos"]) == pos
        )
        assert (
            weighted_age(row["unreconciled_age_amount_neg"], row["unreconciled_amount_neg"]) == neg
        )


@PROPERTIES
@given(lines_strategy)
def test_source_mix_and_coverage_are_shares(rows: list[dict[str, Any]]) -> None:
    lines = frame(rows)
    for account, mix in import_source_mix(lines, AS_OF, CURRENCIES).items():
        mine = live(rows, account)
        assert sum(s.lines for s in mix.sources) == len(mine)
        if mine:
            assert abs(sum(s.share_by_count or 0 for s in mix.sources) - 1.0) < 1e-9
        for s in mix.sources:
            assert in_unit_interval(s.share_by_count) and in_unit_interval(s.share_by_amount)
            assert s.absolute_amount.amount >= 0
            assert s.amount_pos.amount >= 0 >= s.amount_neg.amount
        assert in_unit_interval(mix.manual_or_uploaded_inflow_share)
        assert in_unit_interval(mix.manual_or_uploaded_inflow_while_fed_share)
    for coverage in feed_verified_coverage(lines, AS_OF, CURRENCIES).values():
        assert in_unit_interval(coverage.feed_verified_coverage)
        assert in_unit_interval(coverage.bank_feed_verified_coverage)
        assert coverage.direct_feed_reconciled_inflow.amount <= coverage.inflow_amount.amount


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines_strategy)
def test_overall_counts_are_the_sum_of_accounts(rows: list[dict[str, Any]]) -> None:
    from lendcheck.frames import (
        BANK_ACCOUNTS_SCHEMA,
        LINKS_SCHEMA,
        STATEMENTS_SCHEMA,
        BankFrames,
    )

    frames = BankFrames(
        bank_accounts=pl.DataFrame(
            [
                {"bank_account_id": a, "bank_account_name": a[:8], "currency": "GBP"}
                for a in ACCOUNTS
            ],
            schema=BANK_ACCOUNTS_SCHEMA,
        ),
        statements=pl.DataFrame([], schema=STATEMENTS_SCHEMA),
        statement_lines=frame(rows),
        links=pl.DataFrame([], schema=LINKS_SCHEMA),
    )
    bank = analyse_bank(frames, None, {}, AS_OF)
    overall = bank.overall
    recs = [a.reconciliation for a in bank.accounts]
    assert overall.total_lines == sum(r.total_lines for r in recs)
    assert overall.reconciled_lines + overall.unreconciled_lines == overall.total_lines
    assert in_unit_interval(overall.reconciled_share_by_count)
    [pooled] = overall.by_currency  # both accounts in GBP: pooled money is the accounts' sum
    assert pooled.reconciliation.total_amount.amount == sum(r.total_amount.amount for r in recs)
    assert len(bank.oldest_unreconciled_lines) == overall.unreconciled_lines
    assert all(ref.age_days >= 0 for ref in bank.oldest_unreconciled_lines)


_TEXT_OR_NONE = st.one_of(st.none(), st.text(max_size=6))


@PROPERTIES
@given(st.lists(st.lists(st.tuples(_TEXT_OR_NONE, _TEXT_OR_NONE), max_size=3), max_size=40))
def test_list_columns_equal_the_row_by_row_series(
    values: list[list[tuple[str | None, str | None]]],
) -> None:
    from types import SimpleNamespace

    from lendcheck.frames._reader import _list_columns

    rows = [[SimpleNamespace(account_type=a, reporting_code=r) for a, r in row] for row in values]
    columns = _list_columns([len(row) for row in rows], [i for row in rows for i in row]).collect()
    assert columns.schema == {
        "account_types": pl.List(pl.String),
        "reporting_codes": pl.List(pl.String),
    }
    assert columns["account_types"].to_list() == [[a for a, _ in row if a] for row in values]
    assert columns["reporting_codes"].to_list() == [[r for _, r in row if r] for row in values]
