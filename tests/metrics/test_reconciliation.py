"""Reconciliation quality: hand-computed small cases."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest

from lendcheck.metrics._common import line_classes
from lendcheck.metrics.data_source import source_tables
from lendcheck.metrics.reconciliation import (
    AGEING_BUCKETS,
    line_summary,
    line_tables,
    reconciliation_by_account,
    unreconciled_oldest_first,
)

from .build import AS_OF, GBP_ID, bank, d, frames, line, statement

GBP = {GBP_ID: "GBP"}


def _mixed():
    """Seven dated lines (one deleted) and one after the report date, ages to 2026-10-31:
    L7 -400 (213 d), L1 +1000 rec, L2 -200 (108 d), L3 +300 (60 d), L4 +100 (11 d),
    L5 -50 rec duplicate, L6 +70 deleted, L8 +999 after as_of."""
    return frames(
        bank(
            [
                statement(
                    "2026-04-01",
                    "2026-11-05",
                    [
                        line("2026-06-01", "1000.00", reconciled=True, line_id="l1"),
                        line("2026-07-15", "-200.00", line_id="l2"),
                        line("2026-09-01", "300.00", line_id="l3"),
                        line("2026-10-20", "100.00", line_id="l4"),
                        line("2026-10-21", "-50.00", reconciled=True, duplicate=True, line_id="l5"),
                        line("2026-10-22", "70.00", deleted=True, line_id="l6"),
                        line("2026-04-01", "-400.00", line_id="l7"),
                        line("2026-11-05", "999.00", line_id="l8"),
                    ],
                )
            ]
        )
    )


def test_counts_amounts_and_shares():
    r = reconciliation_by_account(_mixed().statement_lines, AS_OF, GBP)[GBP_ID]
    assert r.not_available is None
    assert (r.total_lines, r.reconciled_lines, r.unreconciled_lines) == (6, 2, 4)
    assert (r.deleted_lines, r.duplicate_lines, r.undated_lines) == (1, 1, 0)
    assert r.total_amount.amount == Decimal("750.00")
    assert r.total_amount.currency == "GBP"
    assert r.total_amount_pos.amount == Decimal("1400.00")
    assert r.total_amount_neg.amount == Decimal("-650.00")
    assert r.reconciled_amount_pos.amount == Decimal("1000.00")
    assert r.reconciled_amount_neg.amount == Decimal("-50.00")
    assert r.unreconciled_amount_pos.amount == Decimal("400.00")
    assert r.unreconciled_amount_neg.amount == Decimal("-600.00")
    assert r.deleted_amount.amount == Decimal("70.00")
    assert r.duplicate_amount.amount == Decimal("-50.00")
    assert r.reconciled_share_by_count == pytest.approx(2 / 6)
    assert r.reconciled_share_by_amount == pytest.approx(1050 / 2050)


def test_value_weighted_ages_as_xero_defines_them():
    r = reconciliation_by_account(_mixed().statement_lines, AS_OF, GBP)[GBP_ID]
    # (60 * 300 + 11 * 100) / 400 and (108 * -200 + 213 * -400) / -600
    assert r.avg_days_unreconciled_pos == pytest.approx(47.75)
    assert r.avg_days_unreconciled_neg == pytest.approx(178.0)
    assert r.earliest_unreconciled_transaction == d("2026-04-01")
    assert r.latest_unreconciled_transaction == d("2026-10-20")
    assert r.earliest_reconciled_transaction == d("2026-06-01")
    assert r.latest_reconciled_transaction == d("2026-10-21")


def test_ageing_buckets_count_and_amount():
    r = reconciliation_by_account(_mixed().statement_lines, AS_OF, GBP)[GBP_ID]
    assert [b.bucket for b in r.ageing] == [label for label, _, _ in AGEING_BUCKETS]
    got = [(b.lines, b.amount_pos.amount, b.amount_neg.amount) for b in r.ageing]
    assert got == [
        (1, Decimal("100.00"), Decimal("0.00")),  # 11 days
        (1, Decimal("300.00"), Decimal("0.00")),  # 60 days
        (0, Decimal("0.00"), Decimal("0.00")),
        (1, Decimal("0.00"), Decimal("-200.00")),  # 108 days
        (1, Decimal("0.00"), Decimal("-400.00")),  # 213 days
    ]
    assert r.unreconciled_lines_over_90_days == 2  # l2 and l7
    assert r.unreconciled_over_90_days_share == pytest.approx(2 / 6)
    assert r.oldest_unreconciled_line is not None
    assert r.oldest_unreconciled_line.statement_line_id == "l7"
    assert r.oldest_unreconciled_line.age_days == 213
    assert r.oldest_unreconciled_line.amount.amount == Decimal("-400.00")


def test_bucket_edges():
    # ages 30, 31, 90, 91, 180, 181 days
    days = ["2026-10-01", "2026-09-30", "2026-08-02", "2026-08-01", "2026-05-04", "2026-05-03"]
    f = frames(bank([statement("2026-05-01", "2026-10-31", [line(x, "1.00") for x in days])]))
    r = reconciliation_by_account(f.statement_lines, AS_OF, GBP)[GBP_ID]
    assert [b.lines for b in r.ageing] == [1, 1, 1, 2, 1]


def test_monthly_trend():
    r = reconciliation_by_account(_mixed().statement_lines, AS_OF, GBP)[GBP_ID]
    got = [
        (m.month, m.total_lines, m.reconciled_lines, m.reconciled_share_by_count) for m in r.monthly
    ]
    assert got == [
        ("2026-04", 1, 0, 0.0),
        ("2026-06", 1, 1, 1.0),
        ("2026-07", 1, 0, 0.0),
        ("2026-09", 1, 0, 0.0),
        ("2026-10", 2, 1, 0.5),
    ]
    assert r.monthly[-1].reconciled_share_by_amount == pytest.approx(50 / 150)


def test_books_current_to_follows_the_cumulative_threshold():
    lines = [
        line("2026-10-01", "10000.00", reconciled=True),
        line("2026-10-02", "50.00"),  # cumulative 0.5% unreconciled: still current
        line("2026-10-05", "1000.00"),  # 9.5%: not current
        line("2026-10-10", "100000.00", reconciled=True),  # 0.95%: current again
        line("2026-10-20", "5000.00"),  # 5.2%: not current from here on
    ]
    f = frames(bank([statement("2026-10-01", "2026-10-20", lines)]))
    r = reconciliation_by_account(f.statement_lines, AS_OF, GBP)[GBP_ID]
    assert r.books_current_to == d("2026-10-19")
    assert r.books_current_lag_days == 12
    assert r.books_current_threshold == 0.99
    assert r.fully_reconciled_to == d("2026-10-01")

    strict = reconciliation_by_account(f.statement_lines, AS_OF, GBP, threshold=1.0)[GBP_ID]
    assert strict.books_current_to == d("2026-10-01")


def test_books_current_to_when_nothing_qualifies():
    r = reconciliation_by_account(_mixed().statement_lines, AS_OF, GBP)[GBP_ID]
    assert r.books_current_to == d("2026-03-31")  # the day before the first line
    assert r.books_current_lag_days == 214
    assert r.fully_reconciled_to == d("2026-03-31")


def test_all_reconciled():
    lines = [
        line("2026-09-01", "10.00", reconciled=True),
        line("2026-09-02", "-5.00", reconciled=True),
    ]
    f = frames(bank([statement("2026-09-01", "2026-09-02", lines)]))
    r = reconciliation_by_account(f.statement_lines, AS_OF, GBP)[GBP_ID]
    assert (r.reconciled_share_by_count, r.reconciled_share_by_amount) == (1.0, 1.0)
    assert r.avg_days_unreconciled_pos is None
    assert r.avg_days_unreconciled_neg is None
    assert r.earliest_unreconciled_transaction is None
    assert r.oldest_unreconciled_line is None
    assert r.books_current_to == AS_OF
    assert r.books_current_lag_days == 0
    assert r.fully_reconciled_to == AS_OF
    assert all(b.lines == 0 for b in r.ageing)


def test_all_unreconciled():
    lines = [line("2026-09-01", "10.00"), line("2026-09-02", "-5.00")]
    f = frames(bank([statement("2026-09-01", "2026-09-02", lines)]))
    r = reconciliation_by_account(f.statement_lines, AS_OF, GBP)[GBP_ID]
    assert (r.reconciled_share_by_count, r.reconciled_share_by_amount) == (0.0, 0.0)
    assert r.avg_days_unreconciled_pos == 60.0
    assert r.avg_days_unreconciled_neg == 59.0
    assert r.books_current_to == d("2026-08-31")
    assert r.earliest_reconciled_transaction is None


def test_account_without_lines_is_not_available_not_zero():
    f = frames(bank([statement("2026-09-01", "2026-09-30", [])]))
    r = reconciliation_by_account(f.statement_lines, AS_OF, GBP)[GBP_ID]
    assert r.not_available == "no statement lines dated on or before as_of"
    assert r.total_lines == 0
    assert r.reconciled_share_by_count is None
    assert r.reconciled_share_by_amount is None
    assert r.books_current_to is None
    assert r.books_current_lag_days is None
    assert r.fully_reconciled_to is None
    assert r.unreconciled_over_90_days_share is None
    assert r.monthly == []


def test_only_deleted_lines_count_as_no_lines():
    f = frames(
        bank([statement("2026-09-01", "2026-09-30", [line("2026-09-03", "5.00", deleted=True)])])
    )
    r = reconciliation_by_account(f.statement_lines, AS_OF, GBP)[GBP_ID]
    assert r.not_available is not None
    assert r.deleted_lines == 1
    assert r.deleted_amount.amount == Decimal("5.00")


def test_undated_lines_are_counted_apart():
    undated = line("2026-09-03", "5.00")
    undated["transactionDate"] = undated["postedDate"] = None
    f = frames(bank([statement("2026-09-01", "2026-09-30", [undated, line("2026-09-04", "1.00")])]))
    r = reconciliation_by_account(f.statement_lines, AS_OF, GBP)[GBP_ID]
    assert r.undated_lines == 1
    assert r.total_lines == 1


def test_threshold_out_of_range():
    with pytest.raises(ValueError, match="threshold"):
        reconciliation_by_account(_mixed().statement_lines, AS_OF, GBP, threshold=1.5)


def test_oldest_first_order_is_total():
    lines = [
        line("2026-09-01", "-5.00", line_id="b"),
        line("2026-09-01", "50.00", line_id="c"),
        line("2026-09-01", "5.00", line_id="a"),
        line("2026-08-01", "1.00", line_id="z"),
    ]
    f = frames(bank([statement("2026-08-01", "2026-09-01", lines)]))
    ordered = unreconciled_oldest_first(f.statement_lines, AS_OF)
    assert ordered["statement_line_id"].to_list() == ["z", "c", "a", "b"]


def test_line_summary_range_and_xero_buckets():
    lines = [
        line("2026-01-31", "7.00"),  # before begin
        line("2026-02-01", "10.00", reconciled=True),
        line("2026-02-02", "-3.00"),
        line("2026-02-03", "4.00", deleted=True),
    ]
    f = frames(bank([statement("2026-01-31", "2026-02-03", lines, source="STMTIMPORTSRC/QBO")]))
    row = line_summary(f.statement_lines, begin=d("2026-02-01"), end=d("2026-02-28")).row(
        0, named=True
    )
    assert row["total_lines"] == 2
    assert row["total_amount"] == 7000  # minor units (thousandths): 7.00
    assert row["deleted_amount"] == 4000
    assert row["unreconciled_age_amount_neg"] == 26 * -3000
    # QBO is "other" for Xero although lendcheck's own mix counts it as a file upload
    assert row["ds_other"] == 7000
    assert row["ds_file_upload"] == 0
    assert f.statement_lines["import_source_kind"][0] == "file_upload"


def test_line_classes_one_row_per_account_day_and_kind():
    lines = [
        line("2026-02-01", "10.00", reconciled=True, line_id="a"),
        line("2026-02-01", "5.00", reconciled=True, line_id="b"),
        line("2026-02-01", "-3.00", reconciled=True, line_id="c"),
        line("2026-02-01", "-1.00", line_id="d"),  # unreconciled: another class
        line("2026-02-02", "4.00", deleted=True, line_id="e"),
        line("2026-03-01", "9.00", line_id="f"),  # after end
    ]
    f = frames(bank([statement("2026-02-01", "2026-03-01", lines)]))
    classes = line_classes(f.statement_lines, d("2026-02-28")).collect()
    rows = classes.sort("transaction_date", "is_reconciled").select(
        "transaction_date", "is_deleted", "is_reconciled", "lines", "pos", "neg"
    )
    assert rows.rows() == [
        (d("2026-02-01"), False, False, 1, 0, -1000),
        (d("2026-02-01"), False, True, 3, 15000, -3000),
        (d("2026-02-02"), True, False, 1, 4000, 0),
    ]


def test_tables_from_shared_classes_equal_their_own():
    lines = _mixed().statement_lines
    classes = line_classes(lines, AS_OF).collect()
    own, shared = line_tables(lines, AS_OF), line_tables(lines, AS_OF, classes)
    assert own.summary.equals(shared.summary)
    assert own.monthly.sort("key", "m").equals(shared.monthly.sort("key", "m"))
    assert own.oldest["statement_line_id"].to_list() == ["l7"]
    assert shared.oldest["statement_line_id"].to_list() == ["l7"]
    mine = source_tables(lines, AS_OF, classes=classes)
    assert mine.kinds.equals(source_tables(lines, AS_OF).kinds)
    assert mine.kinds["lines"].to_list() == [6]
    assert mine.kinds["abs"].to_list() == [2050000]  # |amount| of the six live lines


def test_lines_after_as_of_are_ignored():
    lines = _mixed().statement_lines
    assert lines.filter(pl.col("statement_line_id") == "l8").height == 1
    r = reconciliation_by_account(lines, AS_OF, GBP)[GBP_ID]
    assert r.total_amount_pos.amount == Decimal("1400.00")  # without l8's 999
